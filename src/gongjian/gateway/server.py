"""The HJ 212 gateway: an asyncio TCP server for thousands of devices at once.

Per connection: a :class:`~gongjian.standards.hj212.FrameReader` cuts the stream into frames (split
and joined reads, garbage, over-long frames, all within bounded memory); each frame is parsed
(tolerant but honest: warnings are kept with the packet, an unreadable one is stored as rejected with
its reason); the device is authenticated by MN and password; split messages (PNUM/PNO) are joined;
the packet goes to the :class:`~gongjian.gateway.store.PacketStore`, and the reply the device asked
for (9014 for data, with the packet's QN) is sent only once the packet is committed. A connection
that sends nothing whole for ``frame_timeout`` seconds (slowloris) or too many bad frames in a row is
closed. Counters and the acknowledgement latency are served as health and metrics over HTTP.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from collections import Counter, deque

from gongjian.sources.models import ReceivedPacket
from gongjian.standards.hj212 import FrameReader, Packet, PacketError, build, parse, parse_cp

from .store import Device, PacketStore, load_devices, now

__all__ = ["Gateway", "data_reply"]

log = logging.getLogger("gongjian.gateway")

#: Commands whose packets carry data and are answered with 9014 when the device asks.
DATA_COMMANDS = {"2011", "2021", "2031", "2041", "2051", "2061", "2081", "3020"}


def data_reply(packet: Packet) -> bytes:
    """The 9014 data reply to ``packet`` (same QN, MN and PW; HJ 212-2017 §5; no reply asked)."""
    return build("91", "9014", "", qn=packet.qn, pw=packet.pw, mn=packet.mn, flag=4)


class Metrics:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.rejects_by_device: Counter[str] = Counter()
        self.latencies: deque[float] = deque(maxlen=20000)  # seconds from frame complete to reply sent
        self.started = time.monotonic()

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


class Gateway:
    def __init__(self, host: str = "127.0.0.1", port: int = 6000, *, metrics_port: int | None = None,
                 frame_timeout: float = 60.0, max_errors: int = 20, max_frame: int = 10_016,
                 max_connections: int = 20_000, store: PacketStore | None = None,
                 device_refresh: float = 30.0) -> None:
        self.host, self.port, self.metrics_port = host, port, metrics_port
        self.frame_timeout, self.max_errors, self.max_frame = frame_timeout, max_errors, max_frame
        self.max_connections, self.device_refresh = max_connections, device_refresh
        self.store = store or PacketStore()
        self.metrics = Metrics()
        self.devices: dict[str, Device] = {}
        self.connections = 0
        self.partial: dict[tuple[str, str], dict[int, Packet]] = {}  # split messages being joined
        self._servers: list[asyncio.base_events.Server] = []
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        self.devices = await self.store.call(load_devices)
        self._tasks = [asyncio.create_task(self.store.run()), asyncio.create_task(self._refresh_devices())]
        server = await asyncio.start_server(self._connection, self.host, self.port, limit=self.max_frame,
                                            backlog=4096)
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
        for task in self._tasks:
            task.cancel()
        self.store.close()

    async def _refresh_devices(self) -> None:
        while True:
            await asyncio.sleep(self.device_refresh)
            self.devices = await self.store.call(load_devices)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, port = writer.get_extra_info("peername")[:2]
        peer = f"{host}:{port}"
        if self.connections >= self.max_connections:
            self.metrics.counts["connections_refused"] += 1
            writer.close()
            return
        self.connections += 1
        self.metrics.counts["connections_opened"] += 1
        frames = FrameReader(self.max_frame)
        errors_in_a_row = 0
        try:
            while True:
                try:  # slowloris: the connection must complete a frame within frame_timeout
                    data = await asyncio.wait_for(reader.read(65536), self.frame_timeout)
                except TimeoutError:
                    self.metrics.counts["closed_idle"] += 1
                    break
                if not data:
                    break
                self.metrics.counts["bytes_in"] += len(data)
                waiting, replies = [], []
                for item in frames.feed(data):  # everything whole in this read goes to the store at once
                    if isinstance(item, PacketError):
                        errors_in_a_row += 1
                        self.metrics.counts["frame_errors"] += 1
                        log.info("%s: %s", peer, item)
                        continue
                    record, reply = self._prepare(item, peer)
                    errors_in_a_row = 0 if record.status == "stored" else errors_in_a_row + 1
                    waiting.append(self.store.submit(record))
                    if reply is not None:
                        replies.append(reply)
                if waiting:
                    complete = time.monotonic()
                    await asyncio.gather(*waiting)  # committed: now the replies may go
                    if replies:
                        writer.write(b"".join(replies))
                        await writer.drain()
                        self.metrics.counts["replies"] += len(replies)
                        self.metrics.latencies.append(time.monotonic() - complete)
                if errors_in_a_row >= self.max_errors:
                    self.metrics.counts["closed_for_errors"] += 1
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.connections -= 1
            writer.close()

    def _prepare(self, raw: bytes, peer: str) -> tuple[ReceivedPacket, bytes | None]:
        """The record to store for one frame (stored or rejected, with the reason) and the reply to
        send once it is committed, if the device asked for one."""
        self.metrics.counts["packets_in"] += 1
        try:
            packet = parse(raw)
            device = self._authenticate(packet)
            cp = parse_cp(packet.cp) if packet.cn in DATA_COMMANDS else None
        except PacketError as exc:
            mn = _mn_of(raw)
            self.metrics.counts["rejected"] += 1
            self.metrics.rejects_by_device[mn or peer] += 1
            device = self.devices.get(mn)
            return ReceivedPacket(device_id=device.pk if device else None, peer=peer, received=now(),
                                  status="rejected", reason=str(exc)[:300], raw=raw, mn=mn[:32]), None
        self.metrics.counts["valid"] += 1
        if packet.split:
            joined = self._join(packet)
            if joined is None:  # parts still missing: store this part; reply when the message is whole
                return self._record(packet, device, peer, None), None
            cp = parse_cp(joined) if packet.cn in DATA_COMMANDS else None
        reply = data_reply(packet) if packet.needs_reply and packet.cn in DATA_COMMANDS else None
        return self._record(packet, device, peer, cp), reply

    def _authenticate(self, packet: Packet) -> Device:
        device = self.devices.get(packet.mn or "")
        if device is None:
            raise PacketError(f"unknown device MN {packet.mn!r}")
        if packet.pw != device.password:
            raise PacketError(f"wrong password for {packet.mn}")
        return device

    def _join(self, packet: Packet) -> str | None:
        """The whole CP once every part of a split message has arrived (parts may come in any order)."""
        key = (packet.mn or "", packet.qn or "")
        parts = self.partial.setdefault(key, {})
        parts[packet.pno] = packet
        if len(self.partial) > 10_000:  # bounded: drop the oldest unfinished message
            self.partial.pop(next(iter(self.partial)))
        if len(parts) < packet.pnum:
            return None
        del self.partial[key]
        return "".join(parts[n].cp for n in sorted(parts))

    @staticmethod
    def _record(packet: Packet, device: Device, peer: str, cp) -> ReceivedPacket:
        values = {} if cp is None else {"values": cp.values, "parameters": cp.parameters, "warnings": cp.warnings}
        data_time = None
        if cp is not None and cp.data_time is not None:
            data_time = cp.data_time.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))  # Beijing time (§6.1)
        return ReceivedPacket(device_id=device.pk, peer=peer, received=now(), status="stored",
                              warnings=list(packet.warnings), raw=packet.raw, mn=packet.mn or "", qn=packet.qn or "",
                              st=packet.st, cn=packet.cn, pno=packet.pno or 1, data_time=data_time, values=values)

    async def _http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """``GET /healthz`` and ``GET /metrics`` (JSON)."""
        try:
            line = await asyncio.wait_for(reader.readline(), 5)
            path = line.split(b" ")[1].decode("ascii", "replace") if line.count(b" ") >= 2 else ""
            if path == "/healthz":
                status, body = "200 OK", {"status": "ok", "devices": len(self.devices)}
            elif path == "/metrics":
                status, body = "200 OK", self.metrics.as_dict(self.connections) | {"written": self.store.written}
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


def _mn_of(raw: bytes) -> str:
    start = raw.find(b"MN=")
    if start < 0:
        return ""
    end = raw.find(b";", start)
    return raw[start + 3:end if end > 0 else start + 35].decode("ascii", "replace")[:32]
