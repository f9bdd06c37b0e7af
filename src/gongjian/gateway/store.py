"""Durable, batched storage of received packets for the gateway.

The event loop hands each packet to :meth:`PacketStore.submit` and gets a future; one writer task
collects what arrives within ``max_delay`` (or ``batch_size`` packets), writes it in one transaction
on a thread of its own (the Django ORM is synchronous) and only then resolves the futures, so a
device is acknowledged only for what is committed. A resend of a stored packet (same MN, QN, CN and
PNO) hits the unique constraint and is skipped: stored exactly once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import close_old_connections, connection, transaction

from gongjian.sources.models import MonitoringDevice, ReceivedPacket

__all__ = ["Device", "PacketStore", "load_devices"]


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


class PacketStore:
    def __init__(self, batch_size: int = 2000, max_delay: float = 0.02) -> None:
        self.batch_size, self.max_delay = batch_size, max_delay
        self.queue: asyncio.Queue[tuple[ReceivedPacket, asyncio.Future]] = asyncio.Queue()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gateway-store")
        self.written = 0
        self.batches = 0

    def submit(self, record: ReceivedPacket) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.queue.put_nowait((record, future))
        return future

    async def call(self, function, *args):
        """Run ``function`` on the store's thread (the one with the database connection)."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def run(self) -> None:
        while True:
            first = await self.queue.get()
            batch = [first]
            deadline = asyncio.get_running_loop().time() + self.max_delay
            while len(batch) < self.batch_size:
                timeout = deadline - asyncio.get_running_loop().time()
                if timeout <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self.queue.get(), timeout))
                except TimeoutError:
                    break
            try:
                await self.call(self._write, [record for record, _future in batch])
            except Exception as exc:  # the database refused the batch: nobody is acknowledged
                for _record, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.written += len(batch)
            self.batches += 1
            for _record, future in batch:
                if not future.done():
                    future.set_result(True)

    @staticmethod
    def _write(records: list[ReceivedPacket]) -> None:
        """One INSERT ... ON CONFLICT DO NOTHING for the batch (SQLite and PostgreSQL both read it; a
        resend meets the unique constraint and is skipped), in one transaction. Plain ``executemany``
        with each field's own database preparation: the ORM's bulk_create costs several times more."""
        close_old_connections()
        fields = [f for f in ReceivedPacket._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        sql = (f"INSERT INTO {quote(ReceivedPacket._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING")
        rows = [[f.get_db_prep_save(getattr(r, f.attname), connection) for f in fields] for r in records]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def close(self) -> None:
        self.executor.shutdown(wait=True)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
