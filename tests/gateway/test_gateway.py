"""The gateway over real TCP sockets and the real database: replies only after storage, split and
joined reads, resends stored once, authentication, multi-packet messages, hostile clients, metrics."""

import asyncio
import json
import tracemalloc

import pytest

from gongjian.sources.ingest import ingest
from gongjian.sources.models import DeviceSample, MonitoringDevice, ReceivedPacket
from gongjian.standards.hj212 import build
from tests.gateway.conftest import replies as _replies
from tests.gateway.conftest import run
from tests.gateway.conftest import with_gateway as _with_gateway

pytestmark = pytest.mark.django_db(transaction=True)

MN = "010000A8900016F000169DC0"
CP = "DataTime=20240115090000;a21026-Avg=18.5,a21026-Flag=N;a21002-Avg=35.0,a21002-Flag=N"


@pytest.fixture
def device(world):
    from gongjian.sources.models import EmissionUnit, Enterprise

    enterprise = Enterprise.objects.create(organisation=world.organisations["e1"], industry="cement")
    unit = EmissionUnit.objects.create(enterprise=enterprise, name="窑尾")
    return MonitoringDevice.objects.create(mn=MN, password="123456", kind="stack", unit=unit,
                                           region=world.regions["town_a1"])


def packet(n: int, flag: int = 5, mn: str = MN, pw: str = "123456", cp: str = CP, **fields) -> bytes:
    return build("31", "2061", cp, qn=f"20240115100005{n:03d}", pw=pw, mn=mn, flag=flag, **fields)


def test_replies_only_for_stored_packets_split_and_joined_reads(device):
    async def check(gateway):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        one, two, three = packet(1), packet(2), packet(3)
        writer.write(one + two)  # two packets in one read
        for i in range(0, len(three), 7):  # one packet in many reads
            writer.write(three[i:i + 7])
            await writer.drain()
            await asyncio.sleep(0.001)
        replies = await _replies(reader, 3)
        writer.close()
        return replies

    replies = run(_with_gateway(check))
    assert [(r.cn, r.qn) for r in replies] == [("9014", f"20240115100005{n:03d}") for n in (1, 2, 3)]
    stored = ReceivedPacket.objects.filter(status="stored").order_by("qn")
    assert [p.qn for p in stored] == [f"20240115100005{n:03d}" for n in (1, 2, 3)]
    assert stored[0].device == device and stored[0].ingested is None  # stored, not yet read
    result = ingest()
    assert (result.packets, result.samples, result.unusable) == (3, 6, 0)
    first = ReceivedPacket.objects.get(qn="20240115100005001")
    assert first.data_time.isoformat().startswith("2024-01-15T01:00:00")  # 09:00 Beijing time, stored in UTC
    sample = DeviceSample.objects.get(device=device, code="a21026", start=first.data_time)
    assert (sample.resolution, sample.value, sample.flag) == ("h", 18.5, "N")
    assert MonitoringDevice.objects.get(pk=device.pk).last_seen is not None


def test_resends_are_stored_once_and_answered_again(device):
    async def check(gateway):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        writer.write(packet(7) + packet(7) + packet(8, flag=4))
        replies = await _replies(reader, 2)
        writer.write(packet(7))
        replies += await _replies(reader, 1)
        writer.close()
        return replies

    replies = run(_with_gateway(check))
    assert [r.qn for r in replies] == ["20240115100005007"] * 3  # flag 4 asked for no reply
    assert ReceivedPacket.objects.filter(status="stored", qn="20240115100005007").count() == 1
    assert ReceivedPacket.objects.filter(status="stored").count() == 2


def test_unknown_devices_wrong_passwords_and_bad_crcs_are_kept_as_rejected(device):
    async def check(gateway):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        bad_crc = packet(3)[:-6] + b"0000\r\n"
        writer.write(packet(1, mn="FFFF00000000000000000001") + packet(2, pw="000000") + bad_crc + packet(4))
        replies = await _replies(reader, 1)
        writer.close()
        return replies, dict(gateway.metrics.rejects_by_device)

    replies, rejects = run(_with_gateway(check))
    assert [r.qn for r in replies] == ["20240115100005004"]
    reasons = sorted(ReceivedPacket.objects.filter(status="rejected").values_list("reason", flat=True))
    assert len(reasons) == 3
    assert any("unknown device" in r for r in reasons) and any("wrong password" in r for r in reasons)
    assert any("CRC 0000 does not match" in r for r in reasons)
    assert rejects[MN] == 2 and rejects["FFFF00000000000000000001"] == 1
    assert bytes(ReceivedPacket.objects.filter(status="rejected").first().raw).startswith(b"##")  # raw kept


def test_a_split_message_is_joined_and_answered_once(device):
    first, second = "DataTime=20240115090000;a21026-Avg=18.5,a21026-Flag=N;", "a21002-Avg=35.0,a21002-Flag=N"

    async def check(gateway):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        writer.write(packet(5, flag=7, cp=second, pnum=2, pno=2) + packet(5, flag=7, cp=first, pnum=2, pno=1))
        replies = await _replies(reader, 1)
        writer.close()
        return replies

    replies = run(_with_gateway(check))
    assert len(replies) == 1
    parts = ReceivedPacket.objects.filter(status="stored").order_by("pno")
    assert [p.pno for p in parts] == [1, 2]
    assert ingest().samples == 2
    assert set(DeviceSample.objects.values_list("code", flat=True)) == {"a21026", "a21002"}
    assert ReceivedPacket.objects.filter(ingested__isnull=True).count() == 0


def test_hostile_clients_are_cut_off_and_memory_stays_bounded(device):
    async def check(gateway):
        slow_reader, slow = await asyncio.open_connection("127.0.0.1", gateway.port)
        slow.write(b"##0101QN=2016")  # slowloris: never completes the frame
        await slow.drain()
        tracemalloc.start()
        _r, flood = await asyncio.open_connection("127.0.0.1", gateway.port)
        for _ in range(160):  # a 10 MB line with no CR LF
            flood.write(b"##9999" + b"A" * 65530)
            await flood.drain()
        _r2, garbage = await asyncio.open_connection("127.0.0.1", gateway.port)
        garbage.write(bytes(range(256)) * 40)
        await garbage.drain()
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)  # an honest device still served
        writer.write(packet(9))
        replies = await _replies(reader, 1)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        closed = await asyncio.wait_for(slow_reader.read(), 5)  # the slow client is closed after frame_timeout
        for w in (flood, garbage, writer):
            w.close()
        return replies, peak, closed, dict(gateway.metrics.counts)

    replies, peak, closed, counts = run(_with_gateway(check, frame_timeout=1.0))
    assert [r.qn for r in replies] == ["20240115100005009"]
    assert peak < 4_000_000, f"peak traced memory {peak} bytes while receiving 10 MB"
    assert closed == b"" and counts["closed_idle"] >= 1 and counts["frame_errors"] >= 2


def test_health_and_metrics(device):
    async def check(gateway):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        writer.write(packet(1))
        await _replies(reader, 1)
        writer.close()
        answers = {}
        for path in ("/healthz", "/metrics", "/other"):
            r, w = await asyncio.open_connection("127.0.0.1", gateway.metrics_port)
            w.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            answers[path] = await asyncio.wait_for(r.read(), 5)
            w.close()
        return answers

    answers = run(_with_gateway(check))
    assert answers["/healthz"].startswith(b"HTTP/1.1 200") and b'"devices": 1' in answers["/healthz"]
    metrics = json.loads(answers["/metrics"].split(b"\r\n\r\n", 1)[1])
    assert metrics["packets_in"] == 1 and metrics["valid"] == 1 and metrics["written"] == 1 and metrics["replies"] == 1
    assert metrics["ack_latency_p99_ms"] is not None
    # the ingestion's lag: the packet is stored, not yet read into series (the job worker does that)
    assert metrics["ingest"]["waiting"] == 1 and 0 <= metrics["ingest"]["oldest_waiting_s"] < 60
    assert answers["/other"].startswith(b"HTTP/1.1 404")


def test_simulated_devices_with_split_hours_split_writes_and_resends_are_stored_once_and_read(device):
    """``gongjian gateway simulate``'s traffic: 70 minutes from one device (one hourly packet split in
    two), some frames across two writes, some resends: every message acknowledged, stored once, read
    into samples."""
    import datetime as dt

    from gongjian.gateway.simulator import SimDevice, plan, send

    async def check(gateway):
        plans = plan([SimDevice(MN, "123456")], dt.datetime(2024, 1, 15, 9, 0), 70)
        return await send("127.0.0.1", gateway.port, plans, window=5, resend_share=0.5, split_writes=0.5, seed=3)

    traffic = run(_with_gateway(check))
    assert traffic.messages == 71 and len(traffic.acked) == 71 and traffic.resent > 0 and traffic.errors == 0
    stored = ReceivedPacket.objects.filter(status="stored")
    assert stored.count() == 72  # 70 minutes + the hour in two parts, resends stored once
    assert stored.filter(cn="2061").count() == 2
    result = ingest()
    assert result.unusable == 0 and DeviceSample.objects.filter(resolution="m").count() == 70 * 7
    assert DeviceSample.objects.filter(resolution="h").count() == 7
