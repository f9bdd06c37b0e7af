"""The HJ 212 gateway: an asyncio TCP server for thousands of devices at once.

Per connection (an :class:`asyncio.Protocol`, so a read costs a callback, not a task): a
:class:`~gongjian.standards.hj212.FrameReader` cuts the stream into frames (split and joined reads,
garbage, over-long frames, all within bounded memory); each frame is parsed (tolerant but honest:
warnings are kept with the packet, an unreadable one is stored as rejected with its reason); the
device is authenticated by MN and password; a packet whose fields the store cannot hold (see
:func:`~gongjian.gateway.store.misfit`) is rejected like an unreadable one; the packet goes to the
:class:`~gongjian.gateway.store.PacketStore`, and the reply the device asked for (9014 for data, with
the packet's QN) is sent only once the batch holding the packet is committed. A split message
(PNUM/PNO) is answered once all its parts are stored. Whatever one packet holds, it costs only
itself: a failure while handling it leaves it rejected with the reason, and the packets before and
after it on the same connection are handled as usual.

The gateway stores; it does not interpret. Reading the CP into time series is
:mod:`gongjian.sources.ingest`'s work, off the path that decides how many devices one process serves.

Slow and hostile clients: a connection holding part of a frame for ``frame_timeout`` seconds
(slowloris), silent for ``idle_timeout`` seconds, or sending ``max_errors`` bad frames in a row is
closed; one address may hold at most ``max_per_peer`` connections (``max_connections`` in all), so
that one host cannot take every connection; when the store falls behind, reading pauses on every
connection until it catches up, so memory stays bounded. Counters and the acknowledgement latency
are served as health and metrics over HTTP.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter, deque

from gongjian.standards.hj212 import (
    DATA_COMMANDS,
    FrameReader,
    Packet,
    PacketError,
    data_reply,
    parse,
)

from .store import Device, PacketStore, fit, ingest_lag, load_devices, misfit, rejected_row

__all__ = ["Gateway", "new_event_loop"]

log = logging.getLogger("gongjian.gateway")

#: Seconds a connection may stay silent. HJ 212-2017 devices upload at least every minute (2051) or
#: at the heartbeat they are set to, so ten silent minutes is a device gone, not a quiet one; an hour
#: let dead or hostile connections hold their place six times as long.
IDLE_TIMEOUT = 600.0
#: Connections one address may hold. A device keeps one; a data collector (数采仪) serving several
#: analysers, or devices behind one carrier NAT, a few dozen; more is one host crowding out the rest.
MAX_PER_PEER = 64


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed (Linux, macOS: a dependency there), which roughly halves the
    cost of a read and a write; the standard loop elsewhere."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


#: The most senders :attr:`Metrics.rejects_by_device` tells apart: the MN of a rejected packet is the
#: sender's choice, and one counter per invented MN would grow without end.
MAX_REJECT_KEYS = 10_000


class Metrics:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.rejects_by_device: Counter[str] = Counter()
        self.latencies: deque[float] = deque(maxlen=50_000)  # seconds from frame complete to reply sent
        self.started = time.monotonic()

    def rejected(self, sender: str) -> None:
        self.counts["rejected"] += 1
        if sender not in self.rejects_by_device and len(self.rejects_by_device) >= MAX_REJECT_KEYS:
            sender = "(others)"
        self.rejects_by_device[sender] += 1

    def latency_percentile(self, share: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def as_dict(self, connections: int) -> dict:
        return {"uptime_s": round(time.monotonic() - self.started, 1), "connections": connections,
                **dict(self.counts), "ack_latency_p50_ms": _ms(self.latency_percentile(0.5)),
                "ack_latency_p99_ms": _ms(self.latency_percentile(0.99)),
                "rejects_by_device": dict(self.rejects_by_device.most_common(50))}


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


class Connection(asyncio.Protocol):
    """One device connection: frames in, records to the store, replies out once stored."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.frames = FrameReader(gateway.max_frame)
        self.transport: asyncio.Transport | None = None
        self.host = self.peer = ""
        self.counted = False  # whether the gateway counts it among its connections (not refused)
        self.errors_in_a_row = 0
        self.last_read = self.partial_since = time.monotonic()

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        host, port = transport.get_extra_info("peername")[:2]
        self.host, self.peer = str(host), fit("peer", f"{host}:{port}")
        self.gateway.opened(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.gateway.closed(self)
        self.transport = None

    def data_received(self, data: bytes) -> None:
        gateway = self.gateway
        if not self.counted:  # refused: closing, whatever still arrives is not read
            return
        counts = gateway.metrics.counts
        counts["bytes_in"] += len(data)
        self.last_read = now = time.monotonic()
        was_empty = not self.frames.buffer
        received = time.time()
        items = self.frames.feed(data)
        for item in items:
            if isinstance(item, PacketError):
                self.errors_in_a_row += 1
                counts["frame_errors"] += 1
                log.info("%s: %s", self.peer, item)
                continue
            row, reply, stored = gateway.prepare(item, self.peer, received)
            self.errors_in_a_row = 0 if stored else self.errors_in_a_row + 1
            gateway.store.add(row, self, reply, now)
        if self.frames.buffer and (was_empty or items):
            self.partial_since = now  # a new partial frame begins its clock
        if self.errors_in_a_row >= gateway.max_errors:
            counts["closed_for_errors"] += 1
            self.close()
        elif gateway.store.backlog > gateway.max_backlog:
            gateway.pause()

    def write(self, data: bytes) -> bool:
        if self.transport is None or self.transport.is_closing():
            return False
        self.transport.write(data)
        return True

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class Gateway:
    def __init__(self, host: str = "127.0.0.1", port: int = 6000, *, metrics_port: int | None = None,
                 frame_timeout: float = 60.0, idle_timeout: float = IDLE_TIMEOUT, max_errors: int = 20,
                 max_frame: int = 10_016, max_connections: int = 20_000, max_per_peer: int = MAX_PER_PEER,
                 max_backlog: int = 100_000, store: PacketStore | None = None, device_refresh: float = 30.0,
                 reuse_port: bool = False) -> None:
        self.host, self.port, self.metrics_port = host, port, metrics_port
        self.frame_timeout, self.idle_timeout, self.max_errors = frame_timeout, idle_timeout, max_errors
        self.max_frame, self.max_connections, self.max_backlog = max_frame, max_connections, max_backlog
        self.max_per_peer = max_per_peer
        self.device_refresh, self.reuse_port = device_refresh, reuse_port
        self.store = store or PacketStore()
        self.store.on_written = self._written
        self.store.on_refused = self._refused
        self.metrics = Metrics()
        self.devices: dict[str, Device] = {}
        self.connections: set[Connection] = set()
        self.per_peer: Counter[str] = Counter()  # open connections by the sender's address
        self.partial: dict[tuple[str, str], set[int]] = {}  # split messages: the parts seen so far
        self.paused = False
        self._servers: list[asyncio.base_events.Server] = []
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.devices = await self.store.call(load_devices)
        self._tasks = [asyncio.create_task(self.store.run()), asyncio.create_task(self._refresh_devices()),
                       asyncio.create_task(self._sweep())]
        server = await loop.create_server(lambda: Connection(self), self.host, self.port, backlog=4096,
                                          reuse_port=self.reuse_port or None)
        self.port = server.sockets[0].getsockname()[1]
        self._servers.append(server)
        if self.metrics_port is not None:
            http = await asyncio.start_server(self._http, self.host, self.metrics_port)
            self.metrics_port = http.sockets[0].getsockname()[1]
            self._servers.append(http)
        log.info("gateway listening on %s:%s (%d devices)", self.host, self.port, len(self.devices))

    async def close(self) -> None:
        for server in self._servers:
            server.close()
        for connection in list(self.connections):
            connection.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.store.close()

    def opened(self, connection: Connection) -> None:
        counts = self.metrics.counts
        if len(self.connections) >= self.max_connections:
            counts["connections_refused"] += 1
            connection.close()
            return
        if self.max_per_peer and self.per_peer[connection.host] >= self.max_per_peer:
            counts["connections_refused"] += 1
            counts["connections_refused_per_peer"] += 1
            connection.close()
            return
        self.connections.add(connection)
        self.per_peer[connection.host] += 1
        connection.counted = True
        counts["connections_opened"] += 1
        if self.paused:
            connection.transport.pause_reading()

    def closed(self, connection: Connection) -> None:
        if not connection.counted:
            return
        connection.counted = False
        self.connections.discard(connection)
        self.per_peer[connection.host] -= 1
        if self.per_peer[connection.host] <= 0:
            del self.per_peer[connection.host]

    def pause(self) -> None:
        """The store is behind: stop reading from every device until it catches up (TCP then holds
        the devices back; nothing is dropped)."""
        if not self.paused:
            self.paused = True
            self.metrics.counts["paused"] += 1
            for connection in self.connections:
                if connection.transport is not None:
                    connection.transport.pause_reading()

    def _written(self, count: int, latencies: list[float]) -> None:
        self.metrics.counts["written"] += count
        self.metrics.counts["replies"] += len(latencies)
        self.metrics.latencies.extend(latencies)
        if self.paused and self.store.backlog < self.max_backlog // 2:
            self.paused = False
            for connection in self.connections:
                if connection.transport is not None:
                    connection.transport.resume_reading()

    def _refused(self, row: tuple, reason: str) -> None:
        """The database refused a row the gateway took for valid: count it as rejected (it is kept as
        such, and not acknowledged)."""
        self.metrics.counts["refused_by_database"] += 1
        self.metrics.rejected(row[7] or row[1])

    async def _refresh_devices(self) -> None:
        while True:
            await asyncio.sleep(self.device_refresh)
            self.devices = await self.store.call(load_devices)

    async def _sweep(self) -> None:
        """Once a second: close connections holding a partial frame too long (slowloris) or silent
        too long. One timer for all connections instead of one per read."""
        while True:
            await asyncio.sleep(min(1.0, self.frame_timeout / 2))
            now = time.monotonic()
            for connection in list(self.connections):
                partial = connection.frames.buffer and now - connection.partial_since > self.frame_timeout
                if partial or now - connection.last_read > self.idle_timeout:
                    self.metrics.counts["closed_idle"] += 1
                    connection.close()

    def prepare(self, raw: bytes, peer: str, received: float) -> tuple[tuple, bytes | None, bool]:
        """The row to store for one frame (stored or rejected, with the reason; see
        :data:`~gongjian.gateway.store.COLUMNS`), the reply to send once it is committed if the device
        asked for one, and whether it was stored. Never raises: a packet the gateway fails on is
        rejected with the failure as its reason, and costs no other packet."""
        self.metrics.counts["packets_in"] += 1
        try:
            row, reply = self._accept(raw, peer, received)
        except PacketError as exc:
            return self._reject(raw, peer, received, str(exc)), None, False
        except Exception as exc:  # a bug here must cost this packet only, not the connection
            log.exception("%s: handling a packet failed; kept as rejected", peer)
            return self._reject(raw, peer, received, f"the gateway failed on it: {exc!r}"), None, False
        self.metrics.counts["valid"] += 1
        return row, reply, True

    def _accept(self, raw: bytes, peer: str, received: float) -> tuple[tuple, bytes | None]:
        """The stored row and the reply for a packet, or :class:`PacketError` why not."""
        packet = parse(raw)
        device = self.devices.get(packet.mn or "")
        if device is None:
            raise PacketError(f"unknown device MN {packet.mn!r}")
        if packet.pw != device.password:
            raise PacketError(f"wrong password for {packet.mn}")
        warnings = json.dumps(list(packet.warnings), ensure_ascii=False) if packet.warnings else "[]"
        row = (device.pk, peer, received, "stored", "", warnings, raw, packet.mn, packet.qn or "", packet.st,
               packet.cn, 1 if packet.pno is None else packet.pno)
        if (reason := misfit(row)) is not None:
            raise PacketError(reason)
        reply = None
        if packet.flag is not None and packet.flag & 1 and packet.cn in DATA_COMMANDS and self._whole(packet):
            reply = data_reply(packet)
        return row, reply

    def _reject(self, raw: bytes, peer: str, received: float, reason: str) -> tuple:
        mn = _mn_of(raw)
        self.metrics.rejected(mn or peer)
        device = self.devices.get(mn)
        return rejected_row(device.pk if device else None, peer, received, reason, raw, mn)

    def _whole(self, packet: Packet) -> bool:
        """Whether the message ``packet`` belongs to is now whole (always, unless it is split: then once
        every part has arrived, in any order)."""
        if not packet.split or not packet.pnum:
            return True
        key = (packet.mn or "", packet.qn or "")
        parts = self.partial.setdefault(key, set())
        parts.add(packet.pno)
        if len(self.partial) > 10_000:  # bounded: forget the oldest unfinished message
            self.partial.pop(next(iter(self.partial)))
        if len(parts) < packet.pnum:
            return False
        del self.partial[key]
        return True

    async def _http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """``GET /healthz`` and ``GET /metrics`` (JSON)."""
        try:
            line = await asyncio.wait_for(reader.readline(), 5)
            path = line.split(b" ")[1].decode("ascii", "replace") if line.count(b" ") >= 2 else ""
            if path == "/healthz":
                status, body = "200 OK", {"status": "ok", "devices": len(self.devices)}
            elif path == "/metrics":
                status, body = "200 OK", self.metrics.as_dict(len(self.connections)) | {
                    "backlog": self.store.backlog, "batches": self.store.batches, "ingest": await _lag(self.store)}
            else:
                status, body = "404 Not Found", {"error": "GET /healthz or /metrics"}
            payload = json.dumps(body).encode()
            writer.write(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                         f"Connection: close\r\n\r\n".encode() + payload)
            await writer.drain()
        except (TimeoutError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()


async def _lag(store: PacketStore) -> dict:
    """The ingestion's lag for ``/metrics`` (packets stored but not yet read into series, and the
    oldest one's age in seconds), or the reason it could not be read: metrics answer all the same."""
    try:
        return await store.call(ingest_lag)
    except Exception as exc:
        return {"error": f"{exc.__class__.__name__}: {exc}"[:200]}


def _mn_of(raw: bytes) -> str:
    start = raw.find(b"MN=")
    if start < 0:
        return ""
    end = raw.find(b";", start)
    return fit("mn", raw[start + 3:end if end > 0 else start + 35].decode("ascii", "replace"))
