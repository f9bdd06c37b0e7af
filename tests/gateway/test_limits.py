"""Exhaustion and durability: the per-address connection limit over real sockets, the command's
defaults, and the SQLite durability setting the gateway's acknowledgements rely on."""

import asyncio
import runpy
import sqlite3

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongjian.gateway.management.commands.gateway import Command
from gongjian.gateway.server import Gateway
from gongjian.gateway.store import PacketStore
from gongjian.site import settings as settings_module
from gongjian.sources.models import MonitoringDevice, ReceivedPacket
from gongjian.standards.hj212 import FrameReader, build, parse
from tests.gateway.conftest import run

MN, PW = "010000A8900016F000169DC0", "123456"


async def _answered(port: int, n: int, local: str = "127.0.0.1"):
    """A connection from ``local`` that sends one packet: its reply's QN, or None if the gateway
    closed the connection instead."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(local, 0))
    try:
        writer.write(build("31", "2061", "a21026-Avg=1", qn=f"20240115100005{n:03d}", pw=PW, mn=MN, flag=5))
        await writer.drain()
        frames = FrameReader()
        while True:
            data = await asyncio.wait_for(reader.read(4096), 10)
            if not data:
                return None
            if replies := frames.feed(data):
                return parse(replies[0]).qn
    except ConnectionError:
        return None
    finally:
        writer.close()


@pytest.mark.django_db(transaction=True)
def test_one_address_may_hold_only_so_many_connections(world):
    from gongjian.sources.models import EmissionUnit, Enterprise

    enterprise = Enterprise.objects.create(organisation=world.organisations["e1"], industry="cement")
    unit = EmissionUnit.objects.create(enterprise=enterprise, name="窑尾")
    MonitoringDevice.objects.create(mn=MN, password=PW, kind="stack", unit=unit, region=world.regions["town_a1"])

    async def check(gateway):
        held = [await asyncio.open_connection("127.0.0.1", gateway.port) for _ in range(3)]
        for _ in range(100):  # until the gateway has counted all three
            if gateway.per_peer["127.0.0.1"] == 3:
                break
            await asyncio.sleep(0.01)
        refused = [await _answered(gateway.port, n) for n in (1, 2)]
        other = await _answered(gateway.port, 3, local="127.0.0.2")  # another address is not held back
        held[0][1].close()
        for _ in range(100):  # until the gateway has seen it go
            if gateway.per_peer["127.0.0.1"] == 2:
                break
            await asyncio.sleep(0.01)
        again = await _answered(gateway.port, 4)  # a place came free
        for _reader, writer in held[1:]:
            writer.close()
        return refused, other, again, dict(gateway.metrics.counts)

    gateway = Gateway("127.0.0.1", 0, store=PacketStore(max_delay=0.005), max_per_peer=3)

    async def with_gateway():
        await gateway.start()
        try:
            return await check(gateway)
        finally:
            await gateway.close()

    refused, other, again, counts = run(with_gateway())
    assert refused == [None, None]
    assert other == "20240115100005003" and again == "20240115100005004"
    assert counts["connections_refused_per_peer"] == 2 and counts["connections_refused"] == 2
    assert sorted(ReceivedPacket.objects.values_list("qn", flat=True)) == ["20240115100005003", "20240115100005004"]
    assert dict(gateway.per_peer) == {}  # every connection counted out as it closed


def test_the_command_defaults_suit_hj212_devices():
    """Devices send at least every minute or at their heartbeat: ten silent minutes close a
    connection (an hour let dead ones hold their place); 64 connections per address."""
    options = Command().create_parser("gongjian", "gateway").parse_args([])
    assert (options.idle_timeout, options.max_connections_per_peer) == (600.0, 64)
    gateway = Gateway()
    assert (gateway.idle_timeout, gateway.max_per_peer) == (600.0, 64)
    gateway.store.executor.shutdown()
    limited = Command().create_parser("gongjian", "gateway").parse_args(["--max-connections-per-peer", "8"])
    assert limited.max_connections_per_peer == 8


def _sqlite_settings(monkeypatch, tmp_path, synchronous: str | None) -> dict:
    monkeypatch.setenv("GONGJIAN_HOME", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    if synchronous is None:
        monkeypatch.delenv("GONGJIAN_SQLITE_SYNCHRONOUS", raising=False)
    else:
        monkeypatch.setenv("GONGJIAN_SQLITE_SYNCHRONOUS", synchronous)
    return runpy.run_path(settings_module.__file__)  # the module's code afresh, under this environment


@pytest.mark.parametrize(("setting", "level"), [(None, 2), ("NORMAL", 1), ("full", 2), ("EXTRA", 3)])
def test_sqlite_syncs_every_commit_unless_told_otherwise(monkeypatch, tmp_path, setting, level):
    """An acknowledged packet must survive a power cut: with WAL, only synchronous=FULL (2) syncs
    the log at every commit; NORMAL (1) may lose the last commits, so it is a choice, not the default."""
    options = _sqlite_settings(monkeypatch, tmp_path, setting)["DATABASES"]["default"]["OPTIONS"]
    with sqlite3.connect(tmp_path / "check.sqlite3") as db:
        db.executescript(options["init_command"])
        assert db.execute("PRAGMA synchronous").fetchone() == (level,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_unknown_sqlite_synchronous_level_is_refused(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="GONGJIAN_SQLITE_SYNCHRONOUS='SOMETIMES'"):
        _sqlite_settings(monkeypatch, tmp_path, "sometimes")
