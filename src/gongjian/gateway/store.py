"""Durable, batched storage of received packets for the gateway.

The event loop hands each packet's row to :meth:`PacketStore.add` with the connection and the reply
it is owed. One writer task takes everything waiting (up to ``batch_size``), writes it in one
transaction on a thread of its own (the database driver is synchronous) and only then sends the
replies, so a device is acknowledged only for what is committed. While one batch is being written
the next gathers, so batches grow with the load (group commit). A resend of a stored packet (same
MN, QN, CN and PNO) meets the unique constraint and is skipped: stored exactly once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from django.db import close_old_connections, connection, connections, transaction

from gongjian.sources.models import MonitoringDevice, ReceivedPacket

__all__ = ["COLUMNS", "Device", "PacketStore", "load_devices"]

log = logging.getLogger("gongjian.gateway")

#: The columns of a row handed to :meth:`PacketStore.add`, in order; ``received`` is a POSIX time.
COLUMNS = ("device_id", "peer", "received", "status", "reason", "warnings", "raw", "mn", "qn", "st", "cn", "pno")


@dataclass(frozen=True)
class Device:
    pk: int
    mn: str
    password: str


def load_devices() -> dict[str, Device]:
    """Active devices by MN (read on the store's thread at start and on refresh)."""
    close_old_connections()
    return {mn: Device(pk, mn, password) for pk, mn, password in
            MonitoringDevice.objects.filter(active=True).values_list("pk", "mn", "password")}


class Replier(Protocol):
    def write(self, data: bytes) -> bool: ...

    def close(self) -> None: ...


class PacketStore:
    def __init__(self, batch_size: int = 10_000, max_delay: float = 0.01) -> None:
        self.batch_size, self.max_delay = batch_size, max_delay
        self.pending: list[tuple[tuple, Replier, bytes | None, float]] = []
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gateway-store")
        self.on_written: Callable[[int, list[float]], None] = lambda count, latencies: None
        self.batches = 0
        self._wake: asyncio.Event | None = None

    @property
    def backlog(self) -> int:
        return len(self.pending)

    def add(self, row: tuple, replier: Replier, reply: bytes | None, since: float) -> None:
        """Queue ``row`` for the next batch; ``reply`` goes to ``replier`` once it is committed
        (``since``: when the frame was complete, for the latency)."""
        self.pending.append((row, replier, reply, since))
        if self._wake is not None:
            self._wake.set()

    async def call(self, function, *args):
        """Run ``function`` on the store's thread (the one with the database connection)."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def run(self) -> None:
        self._wake = asyncio.Event()
        while True:
            if not self.pending:
                self._wake.clear()
                await self._wake.wait()
            if len(self.pending) < self.batch_size:
                await asyncio.sleep(self.max_delay)  # let a batch gather
            batch, self.pending = self.pending[:self.batch_size], self.pending[self.batch_size:]
            try:
                await self.call(self._write, [row for row, *_ in batch])
            except Exception:  # nothing of the batch is acknowledged: the devices will resend it
                log.exception("writing %d packets failed; their connections are closed", len(batch))
                for _row, replier, _reply, _since in batch:
                    replier.close()
                continue
            self.batches += 1
            self._reply(batch)

    def _reply(self, batch: list[tuple[tuple, Replier, bytes | None, float]]) -> None:
        """One write per connection with all its replies, and the latencies of those sent."""
        owed: dict[Replier, list[bytes]] = {}
        latencies = []
        now = time.monotonic()
        for _row, replier, reply, since in batch:
            if reply is not None:
                owed.setdefault(replier, []).append(reply)
                latencies.append(now - since)
        for replier, replies in owed.items():
            replier.write(b"".join(replies))
        self.on_written(len(batch), latencies)

    @staticmethod
    def _write(rows: list[tuple]) -> None:
        """One INSERT ... ON CONFLICT DO NOTHING for the batch (SQLite and PostgreSQL both read it; a
        resend meets the unique constraint and is skipped), in one transaction. Plain ``executemany``:
        the ORM's bulk_create costs several times more per row."""
        close_old_connections()
        quote = connection.ops.quote_name
        sql = (f"INSERT INTO {quote(ReceivedPacket._meta.db_table)} ({', '.join(quote(c) for c in COLUMNS)}) "
               f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) ON CONFLICT DO NOTHING")
        adapt, times = connection.ops.adapt_datetimefield_value, {}
        prepared = []
        for row in rows:
            moment = times.get(row[2])
            if moment is None:
                moment = times[row[2]] = adapt(dt.datetime.fromtimestamp(row[2], dt.UTC))
            prepared.append((*row[:2], moment, *row[3:]))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, prepared)

    def close(self) -> None:
        """Close the store thread's database connection, then the thread (a connection left open
        keeps a PostgreSQL session, and the database busy, after the gateway stops)."""
        self.executor.submit(connections.close_all).result()
        self.executor.shutdown(wait=True)
