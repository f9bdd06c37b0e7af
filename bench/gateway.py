"""The HJ 212 gateway under load: 2,000 simulated devices on loopback sending minute data.

Side by side in the same run, on the same fresh SQLite database (the embedded default) and the same
simulated devices:

* ``gongjian gateway``, the real process (batched durable writes, replies after commit);
* a naive server: asyncio streams, the same codec, one INSERT (and so one commit) per packet, the
  reply after it - what a first implementation does.

Each server gets ``DURATION`` seconds of traffic (every device sends windows of 10 packets and waits
for their replies, resending what is not answered), then the senders stop and the server drains.
Printed per server: packets per second stored while sending, p50/p99 acknowledgement latency seen
by the devices, loss (sent minus stored, after the drain), and acknowledged-but-not-stored (must be
0). Then the ingestion (``gongjian.sources.ingest``, what the job worker runs continuously) over
the packets the gateway stored: packets per second read into series, next to the gateway's rate
(goal, issue 16: at least as fast, or the series fall behind without bound). Goals: at least 20,000
packets/s stored on the 2-core machine, zero loss, p99 under 2 s.

``--store-methods`` measures only the store's two ways of writing a batch on the database (COPY
through a temporary table, and ``executemany``), 10,000 packets a batch as the gateway's batches
are at saturation.

    python -m bench.gateway [--devices 2000] [--duration 20] [--database-url postgres://...]
                            [--ingest-seconds 30] [--store-methods]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench import workspace

GOAL = 20_000


def _env(home: Path, database_url: str | None) -> dict:
    env = {**os.environ, "GONGJIAN_HOME": str(home), "DJANGO_SETTINGS_MODULE": "gongjian.site.settings"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _setup_django(home: Path, database_url: str | None) -> None:
    os.environ.update(_env(home, database_url))
    import django

    django.setup()


def register_devices(count: int) -> list:
    """``count`` stack devices of one enterprise, as the gateway's registry holds them."""
    from gongjian.gateway.simulator import SimDevice
    from gongjian.regions.models import Region, RegionLevel
    from gongjian.sources.models import EmissionUnit, MonitoringDevice
    from gongjian.sources.services import register_enterprise

    region = Region.add_root(code="419900", name="Bench City", level=RegionLevel.CITY)
    enterprise = register_enterprise("Bench Enterprise", region, "cement")
    units = EmissionUnit.objects.bulk_create(EmissionUnit(enterprise=enterprise, name=f"stack {n}") for n in range(count))
    devices = [MonitoringDevice(mn=f"BENCH{n:019d}", password=f"{n % 1000000:06d}", kind="stack", unit=unit,
                                region=region) for n, unit in enumerate(units)]
    MonitoringDevice.objects.bulk_create(devices)
    return [SimDevice(d.mn, d.password) for d in devices]


def _clear() -> None:
    from gongjian.sources.models import ReceivedPacket

    ReceivedPacket.objects.all().delete()


def _stored() -> int:
    from django.db import close_old_connections

    from gongjian.sources.models import ReceivedPacket

    close_old_connections()
    return ReceivedPacket.objects.filter(status="stored").count()


def _stored_keys() -> set[tuple[str, str]]:
    from gongjian.sources.models import ReceivedPacket

    return set(ReceivedPacket.objects.filter(status="stored").values_list("mn", "qn"))


def _start(command: list[str], env: dict) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if "listening on" not in line:
        process.kill()
        process.wait()
        raise RuntimeError(f"server did not start: {line!r}")
    return process, int(line.split("127.0.0.1:")[1].split(",")[0])


def run_server(name: str, command: list[str], env: dict, plans: list, duration: float) -> dict:
    from gongjian.gateway.server import new_event_loop
    from gongjian.gateway.simulator import send

    _clear()
    process, port = _start(command, env)
    try:
        with asyncio.Runner(loop_factory=new_event_loop) as runner:
            traffic = runner.run(send("127.0.0.1", port, plans, window=10, duration=duration))
        sending = traffic.ended - traffic.started
        stored_now = _stored()
        time.sleep(2.0)  # let the server drain what it took before the senders stopped
        keys = _stored_keys()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
    return {"name": name, "seconds": sending, "sent": traffic.packets_sent, "acked": len(traffic.acked),
            "stored": len(keys), "rate": stored_now / sending, "p50": traffic.percentile(0.5),
            "p99": traffic.percentile(0.99), "acked_not_stored": len(traffic.acked - keys),
            "loss": traffic.packets_sent - len(keys), "errors": traffic.errors}


def ingest_rate(seconds: float) -> dict:
    """Read the stored packets into series for at most ``seconds`` (then the chunk in hand ends):
    packets per second, wall clock and per CPU second of this process (the database's work is in it
    on SQLite, in the server's processes on PostgreSQL)."""
    from gongjian.sources.ingest import ingest

    start, cpu = time.perf_counter(), time.process_time()
    result = ingest(until=time.monotonic() + seconds)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"packets": result.packets, "samples": result.samples, "seconds": wall,
            "rate": result.packets / wall, "cpu_rate": result.packets / max(cpu, 1e-9)}


def store_methods(plans: list, batches: int = 6, size: int = 10_000) -> list[tuple[str, float]]:
    """Packets per second written by each of the store's ways of writing a batch, on fresh packets."""
    from django.db import connection

    from gongjian.gateway.store import PacketStore
    from gongjian.sources.models import MonitoringDevice
    from gongjian.standards.hj212 import parse

    pk = dict(MonitoringDevice.objects.values_list("mn", "pk"))
    packets = ((device, raw) for device, messages in plans for _qn, raws in messages for raw in raws)
    rows = [(pk[device.mn], "bench", time.time(), "stored", "", "[]", raw, p.mn, p.qn, p.st, p.cn, 1)
            for device, raw in itertools.islice(packets, 2 * batches * size) for p in [parse(raw)]]
    methods = [("executemany", PacketStore._insert_many)]
    if connection.vendor == "postgresql":
        methods.insert(0, ("COPY", PacketStore._insert_copy))
    out = []
    for n, (name, write) in enumerate(methods):
        mine = rows[n * batches * size:(n + 1) * batches * size]
        start = time.perf_counter()
        for i in range(0, len(mine), size):
            write(mine[i:i + size])
        out.append((name, len(mine) / (time.perf_counter() - start)))
    _clear()
    return out


def naive_server(port: int) -> None:
    """The baseline: streams, parse, one INSERT per packet in autocommit, then the reply."""
    import django

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the naive way: the ORM called on the event loop
    django.setup()
    from gongjian.sources.models import MonitoringDevice, ReceivedPacket
    from gongjian.standards.hj212 import FrameReader, PacketError, data_reply, parse

    devices = {mn: (pk, pw) for pk, mn, pw in MonitoringDevice.objects.values_list("pk", "mn", "password")}

    async def connection(reader, writer):
        frames = FrameReader()
        while data := await reader.read(65536):
            for raw in frames.feed(data):
                if isinstance(raw, PacketError):
                    continue
                packet = parse(raw)
                device = devices.get(packet.mn)
                if device is None or device[1] != packet.pw:
                    continue
                ReceivedPacket.objects.create(device_id=device[0], peer="", received=dt.datetime.now(dt.UTC),
                                              status="stored", raw=raw, mn=packet.mn, qn=packet.qn, st=packet.st,
                                              cn=packet.cn, pno=packet.pno or 1)
                writer.write(data_reply(packet))
            await writer.drain()

    async def serve():
        server = await asyncio.start_server(connection, "127.0.0.1", port, backlog=4096)
        print(f"naive server listening on 127.0.0.1:{server.sockets[0].getsockname()[1]}, metrics on -", flush=True)
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()

    asyncio.run(serve())


def main(argv: list[str] | None = None) -> None:
    from gongjian.gateway.simulator import plan

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--ingest-seconds", type=float, default=30.0,
                        help="how long to run the ingestion over the stored packets (0: not at all)")
    parser.add_argument("--store-methods", action="store_true",
                        help="only compare the store's ways of writing a batch (COPY, executemany)")
    parser.add_argument("--naive-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.naive_server:
        naive_server(0)
        return
    with workspace() as home:  # the database and the servers' files, removed however the run ends
        env = _env(home, args.database_url)
        subprocess.run([sys.executable, "-m", "gongjian.cli", "migrate", "-v", "0"], env=env, check=True)
        _setup_django(home, args.database_url)
        devices = register_devices(args.devices)
        minutes = max(60, round(args.duration * GOAL * 1.5 / args.devices))  # more than a device can send in time
        plans = plan(devices, dt.datetime(2026, 11, 1), minutes, split_hours=False)
        print(f"{args.devices} devices, {args.duration:.0f} s of minute data each run, "
              f"{'SQLite' if not args.database_url else 'PostgreSQL'}, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f} at the start", flush=True)
        if args.store_methods:
            for name, rate in store_methods(plans):
                print(f"store by {name:<12}{rate:>10,.0f} packets/s (batches of 10,000)")
            return
        ours = run_server("gongjian gateway", [sys.executable, "-m", "gongjian.cli", "gateway", "--host", "127.0.0.1",
                                               "--port", "0", "--metrics-port", "0",
                                               # every simulated device shares 127.0.0.1: no per-address cap
                                               "--max-connections-per-peer", "0"], env, plans, args.duration)
        ingestion = ingest_rate(args.ingest_seconds) if args.ingest_seconds > 0 else None
        results = [ours, run_server("naive server", [sys.executable, "-m", "bench.gateway", "--naive-server"], env,
                                    plans, args.duration)]
        load = os.getloadavg()[0]
    print(f"{'server':<18}{'stored/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'sent':>9}{'stored':>9}{'loss':>6}"
          f"{'acked-not-stored':>18}")
    for r in results:
        print(f"{r['name']:<18}{r['rate']:>10.0f}{_ms(r['p50']):>9}{_ms(r['p99']):>9}{r['sent']:>9}{r['stored']:>9}"
              f"{r['loss']:>6}{r['acked_not_stored']:>18}")
    ours, naive = results
    p99_met = ours["p99"] is not None and ours["p99"] < 2.0
    print(f"gateway / naive: {ours['rate'] / max(naive['rate'], 1e-9):.1f}x packets stored per second; goal {GOAL:,}/s, "
          f"no loss, p99 < 2 s: {'met' if ours['rate'] >= GOAL and ours['loss'] == 0 and p99_met else 'NOT met'}")
    if ingestion:
        print(f"ingestion into series: {ingestion['packets']:,} packets ({ingestion['samples']:,} samples) in "
              f"{ingestion['seconds']:.1f} s: {ingestion['rate']:,.0f} packets/s ({ingestion['cpu_rate']:,.0f} per CPU "
              f"second of the ingesting process) against the gateway's {ours['rate']:,.0f}/s stored: "
              f"{'keeps up' if ingestion['rate'] >= ours['rate'] else 'falls behind'}")
    print(f"load average {load:.1f} at the end (the senders, the server and the database share the cores)")


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


if __name__ == "__main__":
    main()
