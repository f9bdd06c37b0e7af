"""Realistic HJ 212 traffic for a gateway: what ``gongjian gateway simulate`` and the gateway bench send.

Each simulated device keeps one TCP connection and sends its data packets in windows: it writes up
to ``window`` packets, waits for their 9014 replies, and sends again what was not answered within
``ack_timeout`` (HJ 212-2017 §6.6.3: the device resends an unacknowledged upload). Packets are
built before sending begins, so the simulator measures the gateway, not itself. Traffic includes
what real devices do: hourly packets split in two (PNUM/PNO), packets split across TCP writes, and
resends of packets whose reply was lost.

Values follow each device's kind: a stack's CEMS (SO2, NOx, dust, O2, temperature, moisture, flow),
a site's dust monitor (PM10, PM2.5, noise), an air station (the six pollutants), an electricity meter
(power). A device may be given a ``behaviour`` that shapes its series (``flat`` holds SO2 at one
value: a stuck or faked analyser).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from gongjian.standards.hj212 import build

__all__ = ["SimDevice", "Traffic", "packets_for", "plan", "send"]

#: Per kind: HJ 212 code -> (typical value, relative spread, decimals).
PROFILES = {
    "stack": {"a21026": (18.0, 0.25, 2), "a21002": (60.0, 0.2, 1), "a34013": (4.0, 0.3, 2), "a19001": (10.5, 0.05, 1),
              "a01012": (120.0, 0.05, 1), "a01014": (8.0, 0.1, 1), "a00000": (45.0, 0.1, 1)},
    "dust": {"a34002": (70.0, 0.35, 0), "a34004": (40.0, 0.35, 0), "LA": (62.0, 0.08, 1)},
    "air_station": {"a21026": (12.0, 0.3, 0), "a21004": (35.0, 0.3, 0), "a21005": (0.8, 0.25, 3),
                    "a05024": (60.0, 0.4, 0), "a34002": (80.0, 0.3, 0), "a34004": (50.0, 0.3, 0)},
    "meter": {"P": (800.0, 0.08, 1)},
}
ST = {"stack": "31", "dust": "22", "air_station": "22", "meter": "31"}


@dataclass(frozen=True)
class SimDevice:
    mn: str
    password: str
    kind: str = "stack"
    behaviour: str = ""  # "flat": SO2 stuck at one value


def _cp(device: SimDevice, moment: dt.datetime, suffixes: tuple[str, ...], rng: random.Random, scale: float) -> str:
    groups = [f"DataTime={moment:%Y%m%d%H%M%S}"]
    for code, (typical, spread, decimals) in PROFILES[device.kind].items():
        value = typical * scale * (1 + spread * rng.gauss(0, 0.5))
        if device.behaviour == "flat" and code == "a21026":
            value = typical * 0.8
        value = max(value, 0.0)
        parts = [f"{code}-{s}={round(value * f, decimals)}" for s, f in zip(suffixes, (1.0, 0.9, 1.1), strict=False)]
        groups.append(",".join([*parts, f"{code}-Flag=N"]))
    return ";".join(groups)


def packets_for(device: SimDevice, start: dt.datetime, minutes: int, *, seed: int = 0, split_hours: bool = True
                ) -> Iterator[tuple[str, list[bytes]]]:
    """The device's minute data (2051) from ``start`` for ``minutes`` minutes, and an hourly packet
    (2061) at each hour's end, split in two when ``split_hours``: per message its QN and its packets."""
    rng = random.Random(f"{device.mn}{seed}")
    for n in range(minutes):
        moment = start + dt.timedelta(minutes=n)
        scale = 1 + 0.3 * math.sin(2 * math.pi * (moment.hour + moment.minute / 60) / 24)  # daily rhythm
        qn = f"{moment:%Y%m%d%H%M%S}{n % 1000:03d}"
        yield qn, [build(ST[device.kind], "2051", _cp(device, moment, ("Avg", "Min", "Max"), rng, scale),
                         qn=qn, pw=device.password, mn=device.mn, flag=5)]
        if moment.minute == 59:
            hour = moment.replace(minute=0)
            cp = _cp(device, hour, ("Avg", "Min", "Max"), rng, scale)
            qn = f"{moment + dt.timedelta(minutes=1):%Y%m%d%H%M%S}999"
            if split_hours:
                cut = cp.index(";", len(cp) // 2) + 1
                yield qn, [build(ST[device.kind], "2061", part, qn=qn, pw=device.password, mn=device.mn, flag=7,
                                 pnum=2, pno=number) for number, part in ((1, cp[:cut]), (2, cp[cut:]))]
            else:
                yield qn, [build(ST[device.kind], "2061", cp, qn=qn, pw=device.password, mn=device.mn, flag=5)]


@dataclass
class Traffic:
    """What a run sent and what came back (over all devices)."""

    messages: int = 0
    packets_sent: int = 0
    resent: int = 0
    acked: set[tuple[str, str]] = field(default_factory=set)  # (MN, QN)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    started: float = 0.0
    ended: float = 0.0

    def percentile(self, share: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _device(host: str, port: int, device: SimDevice, messages: list[tuple[str, list[bytes]]], traffic: Traffic,
                  *, window: int, ack_timeout: float, resend_share: float, split_writes: float, rng: random.Random,
                  deadline: float | None) -> None:
    for attempt in range(3):
        try:
            reader, writer = await asyncio.open_connection(host, port)
            break
        except OSError:
            await asyncio.sleep(0.2 * (attempt + 1))
    else:
        traffic.errors += 1
        return
    buffer = b""
    try:
        position = 0
        while position < len(messages) and (deadline is None or time.monotonic() < deadline):
            batch = messages[position:position + window]
            waiting = {qn: packets for qn, packets in batch}
            sent_at = time.monotonic()
            payload = b"".join(p for _qn, packets in batch for p in packets)
            traffic.packets_sent += sum(len(packets) for _qn, packets in batch)
            if split_writes and rng.random() < split_writes:  # one frame across two TCP writes
                cut = rng.randrange(1, len(payload))
                writer.write(payload[:cut])
                await writer.drain()
                await asyncio.sleep(0)
                writer.write(payload[cut:])
            else:
                writer.write(payload)
            await writer.drain()
            tries = 0
            while waiting:
                try:
                    data = await asyncio.wait_for(reader.read(65536), ack_timeout)
                except TimeoutError:
                    tries += 1
                    if tries >= 3:
                        traffic.errors += 1
                        return
                    writer.write(b"".join(p for packets in waiting.values() for p in packets))  # resend
                    traffic.resent += sum(len(p) for p in waiting.values())
                    await writer.drain()
                    continue
                if not data:
                    traffic.errors += 1
                    return
                buffer += data
                *replies, buffer = buffer.split(b"\r\n")
                now = time.monotonic()
                for reply in replies:
                    start = reply.find(b"QN=")
                    qn = reply[start + 3:start + 20].decode("ascii", "replace")
                    if waiting.pop(qn, None) is not None:
                        traffic.acked.add((device.mn, qn))
                        traffic.latencies.append(now - sent_at)
            traffic.messages += len(batch)
            if resend_share and rng.random() < resend_share:  # a reply lost on the way: the device resends
                qn, packets = batch[-1]
                writer.write(b"".join(packets))
                traffic.resent += len(packets)
                await writer.drain()
            position += window
    except (ConnectionError, OSError):
        traffic.errors += 1
    finally:
        writer.close()


def plan(devices: list[SimDevice], start: dt.datetime, minutes: int, *, split_hours: bool = True, seed: int = 0
         ) -> list[tuple[SimDevice, list[tuple[str, list[bytes]]]]]:
    """Every device's messages for ``minutes`` of data from ``start``, built before sending."""
    return [(device, list(packets_for(device, start, minutes, seed=seed, split_hours=split_hours)))
            for device in devices]


async def send(host: str, port: int, plans: list[tuple[SimDevice, list[tuple[str, list[bytes]]]]], *,
               window: int = 10, ack_timeout: float = 10.0, resend_share: float = 0.0, split_writes: float = 0.0,
               duration: float | None = None, seed: int = 0) -> Traffic:
    """Every device sends its planned messages (or until ``duration`` seconds have passed), all
    devices at once; returns what was sent and acknowledged."""
    traffic = Traffic(started=time.monotonic())
    deadline = None if duration is None else traffic.started + duration
    rng = random.Random(seed)
    await asyncio.gather(*(_device(host, port, device, messages, traffic, window=window, ack_timeout=ack_timeout,
                                   resend_share=resend_share, split_writes=split_writes,
                                   rng=random.Random(rng.random()), deadline=deadline)
                           for device, messages in plans))
    traffic.ended = time.monotonic()
    return traffic
