"""Kill -9 the gateway process mid-stream, restart it, let the devices resend what was not
acknowledged: every acknowledged packet is stored exactly once, and every packet in the end.

Runs ``gongjian gateway`` as a real process on its own SQLite file (the embedded default), so that the
kill cannot be softened by the test's own process."""

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys

from gongjian.standards.hj212 import FrameReader, build, parse
from tests.gateway.conftest import run

MN = "010000A8900016F000169DC0"
N = 1500


def _gongjian(home, *args, **kwargs):
    env = {**os.environ, "GONGJIAN_HOME": str(home), "DJANGO_SETTINGS_MODULE": "gongjian.site.settings"}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "gongjian.cli", *args], env=env, **kwargs)


def _start(home) -> tuple[subprocess.Popen, int]:
    process = _gongjian(home, "gateway", "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0",
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    assert "listening on" in line, line
    return process, int(line.split("127.0.0.1:")[1].split(",")[0])


def _packet(n: int) -> bytes:
    return build("31", "2051", f"DataTime=20240115{n // 60 % 24:02d}{n % 60:02d}00;a21026-Avg={n % 97}.5,a21026-Flag=N",
                 qn=f"2024011510{n:07d}", pw="123456", mn=MN, flag=5)


async def _send(port: int, numbers: list[int], acked: set[int], stop_after: int | None = None) -> None:
    """Four device connections send their share as fast as replies allow (a window of 50 each)."""
    async def device(share: list[int]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        frames, pending = FrameReader(), list(share)
        try:
            while pending:
                window, pending = pending[:50], pending[50:]
                writer.write(b"".join(_packet(n) for n in window))
                await writer.drain()
                waiting = len(window)
                while waiting:
                    data = await asyncio.wait_for(reader.read(65536), 10)
                    if not data:
                        return
                    for f in frames.feed(data):
                        acked.add(int(parse(f).qn[-7:]))
                        waiting -= 1
                if stop_after is not None and len(acked) >= stop_after:
                    return
        except (ConnectionError, TimeoutError):
            return

    await asyncio.gather(*(device(numbers[i::4]) for i in range(4)))


def test_kill_9_loses_nothing_acknowledged_and_stores_resends_once(tmp_path):
    assert _gongjian(tmp_path, "migrate", "--noinput", stdout=subprocess.DEVNULL).wait() == 0
    script = ("from gongjian.regions.models import Region;from gongjian.air.models import Station;"
              "r=Region.add_root(name='市', level=2, kind='prefecture_city', code='410100');"
              "s=Station.objects.create(code='S1', name='站', kind='city', region=r);"
              "from gongjian.sources.models import MonitoringDevice as D;"
              f"D.objects.create(mn='{MN}', password='123456', kind='air_station', station=s, region=r)")
    assert _gongjian(tmp_path, "shell", "-c", script).wait() == 0
    gateway, port = _start(tmp_path)
    acked_before: set[int] = set()
    run(_send(port, list(range(N)), acked_before, stop_after=N // 3))
    os.kill(gateway.pid, signal.SIGKILL)  # mid-stream: packets in flight, a batch perhaps half-written
    gateway.wait()
    database = tmp_path / "gongjian.sqlite3"
    with sqlite3.connect(database) as db:
        stored = {int(qn[-7:]) for (qn,) in db.execute("SELECT qn FROM sources_receivedpacket WHERE status='stored'")}
    assert acked_before <= stored, f"{len(acked_before - stored)} acknowledged packets lost"
    assert len(acked_before) < N  # the kill came before the end

    gateway, port = _start(tmp_path)  # restart; devices resend everything not acknowledged, and some that were
    acked_after: set[int] = set()
    resend = sorted(set(range(N)) - acked_before) + sorted(acked_before)[:200]
    run(_send(port, resend, acked_after))
    gateway.send_signal(signal.SIGTERM)
    gateway.wait(timeout=30)
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT qn, count(*) FROM sources_receivedpacket WHERE status='stored' GROUP BY qn").fetchall()
    counts = {int(qn[-7:]): n for qn, n in rows}
    assert acked_before | acked_after == set(range(N))
    assert set(counts) == set(range(N)) and set(counts.values()) == {1}, "every packet stored exactly once"
