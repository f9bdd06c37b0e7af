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
0). Goal (issue 6): at least 20,000 packets/s stored on the 2-core machine, zero loss.

    python -m bench.gateway [--devices 2000] [--duration 20] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
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
              f"{'SQLite' if not args.database_url else 'PostgreSQL'}, {os.cpu_count()} cores")
        results = [
            run_server("gongjian gateway", [sys.executable, "-m", "gongjian.cli", "gateway", "--host", "127.0.0.1",
                                            "--port", "0", "--metrics-port", "0"], env, plans, args.duration),
            run_server("naive server", [sys.executable, "-m", "bench.gateway", "--naive-server"], env, plans,
                       args.duration),
        ]
    print(f"{'server':<18}{'stored/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'sent':>9}{'stored':>9}{'loss':>6}"
          f"{'acked-not-stored':>18}")
    for r in results:
        print(f"{r['name']:<18}{r['rate']:>10.0f}{_ms(r['p50']):>9}{_ms(r['p99']):>9}{r['sent']:>9}{r['stored']:>9}"
              f"{r['loss']:>6}{r['acked_not_stored']:>18}")
    ours, naive = results
    print(f"gateway / naive: {ours['rate'] / max(naive['rate'], 1e-9):.1f}x packets stored per second; goal {GOAL:,}/s "
          f"{'met' if ours['rate'] >= GOAL and ours['loss'] == 0 else 'NOT met'}")


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


if __name__ == "__main__":
    main()
