"""Durable, batched storage of received packets for the gateway.

The event loop hands each packet's row to :meth:`PacketStore.add` with the connection and the reply
it is owed. One writer task takes everything waiting (up to ``batch_size``), writes it in one
transaction on a thread of its own (the database driver is synchronous) and only then sends the
replies, so a device is acknowledged only for what is committed. While one batch is being written
the next gathers, so batches grow with the load (group commit). A resend of a stored packet (same
MN, QN, CN and PNO) meets the unique constraint and is skipped: stored exactly once.

What the database holds decides what the gateway may accept, here and only here: :func:`misfit`
checks a row against ReceivedPacket's own field definitions (the ``max_length`` of each text column,
the integer range of PNO), which SQLite does not enforce and PostgreSQL does, for the whole batch.
A row the database refuses all the same (a device removed while the gateway still knew it, a limit
no check foresaw) does not take the batch down with it: the batch is split until the refused row is
alone, the others are committed and acknowledged, and the refused one is kept as rejected with the
database's reason.
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

from django.db import (
    DataError,
    IntegrityError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.db.backends.base.operations import BaseDatabaseOperations

from gongjian.sources import services as sources

__all__ = ["COLUMNS", "Device", "PacketStore", "fit", "ingest_lag", "load_devices", "misfit", "rejected_row"]

log = logging.getLogger("gongjian.gateway")

#: The columns of a row handed to :meth:`PacketStore.add`, in order; ``received`` is a POSIX time.
COLUMNS = ("device_id", "peer", "received", "status", "reason", "warnings", "raw", "mn", "qn", "st", "cn", "pno")
_FIELDS = {column: sources.packet_field(column.removesuffix("_id")) for column in COLUMNS}
#: The most characters each text column holds (``varchar(n)`` on PostgreSQL), from the model.
TEXT_LIMITS = {column: f.max_length for column, f in _FIELDS.items() if f.max_length and column != "raw"}
#: The most bytes the raw column holds (``None``: a BinaryField without ``max_length`` is unbounded).
RAW_LIMIT = _FIELDS["raw"].max_length
#: PNO's range: the portable range of its field type (PositiveIntegerField: PostgreSQL's int4 with a
#: CHECK >= 0), not the connection's, so that SQLite, which holds any integer, refuses what
#: PostgreSQL would.
PNO_RANGE = BaseDatabaseOperations.integer_field_ranges[_FIELDS["pno"].get_internal_type()]
_TEXT_CHECKS = [(COLUMNS.index(column), column.upper(), limit) for column, limit in TEXT_LIMITS.items()]
_PNO, _RAW = COLUMNS.index("pno"), COLUMNS.index("raw")


def misfit(row: tuple) -> str | None:
    """Why ``row`` (see :data:`COLUMNS`) would not fit ReceivedPacket, or ``None``: a text longer than
    its column, a NUL character (PostgreSQL text cannot hold one; SQLite would), a PNO outside its
    integer range, a raw packet longer than its column. The gateway refuses such a packet rather
    than cut it: MN, QN, CN and PNO are what tells a resend from a new packet."""
    for index, name, limit in _TEXT_CHECKS:
        value = row[index]
        if len(value) > limit:
            return f"{name} of {len(value)} characters; the store holds {limit}"
        if "\x00" in value:
            return f"{name} holds a NUL character, which the store cannot hold"
    pno = row[_PNO]
    if not PNO_RANGE[0] <= pno <= PNO_RANGE[1]:
        return f"PNO {pno} outside the {PNO_RANGE[0]}..{PNO_RANGE[1]} the store holds"
    raw = row[_RAW]
    if RAW_LIMIT is not None and len(raw) > RAW_LIMIT:
        return f"raw packet of {len(raw)} bytes; the store holds {RAW_LIMIT}"
    return None


def fit(column: str, text: str) -> str:
    """``text`` cut to what ``column`` holds, NUL characters replaced: for what the gateway writes
    itself (the peer, a reason, the MN of a rejected packet), where a cut loses nothing that matters."""
    return text.replace("\x00", "\N{REPLACEMENT CHARACTER}")[:TEXT_LIMITS[column]]


def rejected_row(device_id: int | None, peer: str, received: float, reason: str, raw: bytes, mn: str = "") -> tuple:
    """The row (see :data:`COLUMNS`) that keeps a rejected packet, raw, with the reason, made to fit
    the store whatever the packet held (the raw packet cut only if its column is bounded)."""
    return (device_id, fit("peer", peer), received, sources.PACKET_REJECTED, fit("reason", reason),
            "[]", raw if RAW_LIMIT is None else raw[:RAW_LIMIT], fit("mn", mn), "", "", "", 1)


@dataclass(frozen=True)
class Device:
    pk: int
    mn: str
    password: str


def load_devices() -> dict[str, Device]:
    """Active devices by MN (read on the store's thread at start and on refresh)."""
    close_old_connections()
    return {d.mn: Device(d.pk, d.mn, d.password) for d in sources.active_devices()}


def ingest_lag() -> dict:
    """How far the reading of the stored packets into series is behind (waiting packets, the oldest
    one's age: :func:`gongjian.sources.services.ingest_lag`), read on the store's thread for
    ``/metrics``."""
    close_old_connections()
    return sources.ingest_lag()


#: What a database refuses for a row's sake: a value it cannot hold, a broken reference (and, on
#: SQLite, an integer beyond 64 bits, refused by the driver before the database sees it).
_ROW_ERRORS = (DataError, IntegrityError, OverflowError)


class Replier(Protocol):
    def write(self, data: bytes) -> bool: ...

    def close(self) -> None: ...


class PacketStore:
    def __init__(self, batch_size: int = 10_000, max_delay: float = 0.01) -> None:
        self.batch_size, self.max_delay = batch_size, max_delay
        self.pending: list[tuple[tuple, Replier, bytes | None, float]] = []
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gateway-store")
        self.on_written: Callable[[int, list[float]], None] = lambda count, latencies: None
        self.on_refused: Callable[[tuple, str], None] = lambda row, reason: None
        self.batches = 0
        self.retried = 0  # batches written again without the rows the database refused
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
                refused = await self.call(self._write, [row for row, *_ in batch])
            except Exception:  # nothing of the batch is acknowledged: the devices will resend it
                log.exception("writing %d packets failed; their connections are closed", len(batch))
                for _row, replier, _reply, _since in batch:
                    replier.close()
                continue
            self.batches += 1
            if refused:
                self.retried += 1
                for index, reason in refused.items():  # kept as rejected: written, not acknowledged
                    row, replier, _reply, since = batch[index]
                    log.warning("%s: the database refused a packet (%s); kept as rejected", row[1], reason)
                    self.on_refused(row, reason)
                    batch[index] = (row, replier, None, since)
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

    @classmethod
    def _write(cls, rows: list[tuple]) -> dict[int, str]:
        """Write the batch; return the rows the database refused (by their index in ``rows``, with its
        reason), which are kept as rejected instead and not acknowledged.

        The batch goes in one transaction. Should the database refuse it for a row's sake (a value
        it cannot hold, a reference to a device deleted since the gateway last read the registry:
        :class:`~django.db.DataError`, :class:`~django.db.IntegrityError`), each half is written
        again in a transaction of its own, down to the single row, so one packet costs
        2·log2(batch) extra transactions, not the batch. Whole transactions rather than savepoints:
        PostgreSQL checks the (deferred) foreign keys only at commit. Any other failure (the
        database gone, locked, full) is the batch's: it propagates and nothing is acknowledged."""
        close_old_connections()
        refused: dict[int, str] = {}
        cls._write_isolating(rows, 0, refused)
        if refused:  # no device: the reference may be what was refused
            kept = [rejected_row(None, rows[index][1], rows[index][2], f"the database refused it: {reason}",
                                 rows[index][6], rows[index][7]) for index, reason in refused.items()]
            lost: dict[int, str] = {}
            cls._write_isolating(kept, 0, lost)
            for index, reason in lost.items():
                log.error("%s: a refused packet could not be kept as rejected either: %s", kept[index][1], reason)
        return refused

    @classmethod
    def _write_isolating(cls, rows: list[tuple], first: int, refused: dict[int, str]) -> None:
        try:
            cls._insert(rows)
        except _ROW_ERRORS as exc:
            if len(rows) == 1:
                refused[first] = " ".join(str(exc).split())
                return
            half = len(rows) // 2
            cls._write_isolating(rows[:half], first, refused)
            cls._write_isolating(rows[half:], first + half, refused)

    @classmethod
    def _insert(cls, rows: list[tuple]) -> None:
        """Write ``rows`` in one transaction, a resend skipped (it meets the unique constraint): on
        PostgreSQL by COPY (:meth:`_insert_copy`), elsewhere by one ``executemany``
        (:meth:`_insert_many`). ``python -m bench.gateway --store-methods`` measures both on a
        database (docs/performance.md)."""
        if connection.vendor == "postgresql":
            cls._insert_copy(rows)
        else:
            cls._insert_many(rows)

    @staticmethod
    def _params(rows: list[tuple]) -> list[tuple]:
        """The rows with ``received`` as the connection's driver takes a datetime (one conversion per
        distinct second, not per row)."""
        adapt, times = connection.ops.adapt_datetimefield_value, {}
        prepared = []
        for row in rows:
            moment = times.get(row[2])
            if moment is None:
                moment = times[row[2]] = adapt(dt.datetime.fromtimestamp(row[2], dt.UTC))
            prepared.append((*row[:2], moment, *row[3:]))
        return prepared

    @classmethod
    def _insert_many(cls, rows: list[tuple]) -> None:
        """One INSERT ... ON CONFLICT DO NOTHING for ``rows`` (SQLite and PostgreSQL both read it), in
        one transaction. Plain ``executemany``: the ORM's bulk_create costs several times more per row."""
        quote = connection.ops.quote_name
        sql = (f"INSERT INTO {quote(sources.packet_table())} ({', '.join(quote(c) for c in COLUMNS)}) "
               f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) ON CONFLICT DO NOTHING")
        prepared = cls._params(rows)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, prepared)

    @classmethod
    def _insert_copy(cls, rows: list[tuple]) -> None:
        """PostgreSQL: ``rows`` by COPY into a temporary table of the session (emptied at every
        commit), then one INSERT ... SELECT ... ON CONFLICT DO NOTHING into the packets, in one
        transaction: COPY alone cannot skip a resend. psycopg 3's ``cursor.copy``; the driver's errors
        become Django's (a value the table cannot hold: :class:`~django.db.DataError`), so a refused
        row is isolated as with ``executemany``."""
        quote = connection.ops.quote_name
        table, columns = quote(sources.packet_table()), ", ".join(quote(c) for c in COLUMNS)
        prepared = cls._params(rows)
        with transaction.atomic(), connection.cursor() as cursor, connection.wrap_database_errors:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            raw.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS gateway_batch ON COMMIT DELETE ROWS AS "
                        f"SELECT {columns} FROM {table} WITH NO DATA")  # the columns' types, no constraint
            with raw.copy(f"COPY gateway_batch ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            raw.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM gateway_batch ON CONFLICT DO NOTHING")

    def close(self) -> None:
        """Close the store thread's database connection, then the thread (a connection left open
        keeps a PostgreSQL session, and the database busy, after the gateway stops)."""
        self.executor.submit(connections.close_all).result()
        self.executor.shutdown(wait=True)
