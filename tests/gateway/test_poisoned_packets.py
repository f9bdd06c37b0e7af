"""Packets that used to cost other packets, over real TCP sockets and the real database (run on
PostgreSQL too, where the column lengths are enforced): fields the store cannot hold, integers too
long for int(), a row the database refuses for a reason no check foresaw. Each bad packet is kept as
rejected with its reason; every good one, on the same connection or another, in the same batch or
not, is stored and acknowledged."""

import asyncio

import pytest

from gongjian.gateway.store import PacketStore
from gongjian.sources.models import MonitoringDevice, ReceivedPacket
from gongjian.standards.hj212 import build, frame
from tests.gateway.conftest import replies, run
from tests.gateway.conftest import with_gateway as _with_gateway

pytestmark = pytest.mark.django_db(transaction=True)

MNS = [f"010000A8900016F00016{n:04d}" for n in range(1, 5)]  # four devices; the last one misbehaves
PW = "123456"
CP = "DataTime=20240115090000;a21026-Avg=18.5,a21026-Flag=N"


@pytest.fixture
def devices(world):
    from gongjian.sources.models import EmissionUnit, Enterprise

    enterprise = Enterprise.objects.create(organisation=world.organisations["e1"], industry="cement")
    unit = EmissionUnit.objects.create(enterprise=enterprise, name="窑尾")
    return [MonitoringDevice.objects.create(mn=mn, password=PW, kind="stack", unit=unit, region=world.regions["town_a1"])
            for mn in MNS]


def qn(n: int) -> str:
    return f"20240115100005{n:03d}"


def good(mn: str, n: int) -> bytes:
    return build("31", "2061", CP, qn=qn(n), pw=PW, mn=mn, flag=5)


def framed(fields: str) -> bytes:
    """A packet with exactly these fields before CP (``build`` would not write some of them)."""
    return frame(f"{fields};CP=&&{CP}&&")


async def _replies(reader, count: int) -> list[str]:
    """The QNs of the next ``count`` replies (fewer if the gateway closes the connection)."""
    return [reply.qn for reply in await replies(reader, count)]


def _rejected() -> dict[str, str]:
    """Rejected packets by the QN in their raw bytes: their reason."""
    out = {}
    for raw, reason in ReceivedPacket.objects.filter(status="rejected").values_list("raw", "reason"):
        raw = bytes(raw)
        start = raw.find(b"QN=") + 3
        out[raw[start:raw.find(b";", start)].decode("ascii", "replace")] = reason
    return out


def test_a_device_sending_fields_the_store_cannot_hold_costs_no_other_packet(devices):
    """Issue item 10: a QN of 21 characters (the column is varchar(20)), an ST and a CN of 5 (varchar(4)),
    a QN with a NUL (PostgreSQL text cannot hold one), a PNO beyond int4, sent by a registered device
    amid its own good packets while three other devices send theirs, with time for all of them to
    gather in one batch. Before the fix PostgreSQL refused the whole batch: every connection in it
    closed, nothing acknowledged, and the devices' resends repeated it."""
    poison_mn = MNS[3]
    poisons = {
        "202401151000050211234": framed(f"QN=202401151000050211234;ST=31;CN=2061;PW={PW};MN={poison_mn};Flag=5"),
        qn(22): framed(f"QN={qn(22)};ST=31234;CN=2061;PW={PW};MN={poison_mn};Flag=5"),
        qn(23): framed(f"QN={qn(23)};ST=31;CN=20611;PW={PW};MN={poison_mn};Flag=5"),
        "2024011510000\x00024": framed(f"QN=2024011510000\x00024;ST=31;CN=2061;PW={PW};MN={poison_mn};Flag=5"),
        qn(25): framed(f"QN={qn(25)};ST=31;CN=2061;PW={PW};MN={poison_mn};Flag=7;PNUM=99999999999;PNO=99999999999"),
    }

    async def device(port: int, payload: bytes, expected: int) -> list[str]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(payload)
        await writer.drain()
        try:
            return await _replies(reader, expected)
        finally:
            writer.close()

    async def check(gateway):
        honest = [device(gateway.port, b"".join(good(mn, n) for n in range(1, 4)), 3) for mn in MNS[:3]]
        mixed = good(poison_mn, 1) + b"".join(poisons.values()) + good(poison_mn, 2)
        return await asyncio.gather(*honest, device(gateway.port, mixed, 2)), dict(gateway.metrics.counts)

    replies, counts = run(_with_gateway(check, max_delay=0.2))
    assert replies == [[qn(1), qn(2), qn(3)]] * 3 + [[qn(1), qn(2)]]
    stored = set(ReceivedPacket.objects.filter(status="stored").values_list("mn", "qn"))
    assert stored == {(mn, qn(n)) for mn in MNS[:3] for n in (1, 2, 3)} | {(poison_mn, qn(1)), (poison_mn, qn(2))}
    rejected = _rejected()
    assert set(rejected) == {"202401151000050211234", qn(22), qn(23), "2024011510000\x00024", qn(25)}
    assert rejected["202401151000050211234"] == "QN of 21 characters; the store holds 20"
    assert rejected[qn(22)] == "ST of 5 characters; the store holds 4"
    assert rejected[qn(23)] == "CN of 5 characters; the store holds 4"
    assert "QN holds a NUL character" in rejected["2024011510000\x00024"]
    assert "PNUM of 11 digits" in rejected[qn(25)]
    assert all(bytes(raw).startswith(b"##") for raw in ReceivedPacket.objects.values_list("raw", flat=True))
    assert set(ReceivedPacket.objects.filter(status="rejected").values_list("mn", flat=True)) == {poison_mn}
    assert counts["rejected"] == 5 and counts.get("refused_by_database", 0) == 0


def test_a_row_the_database_refuses_is_isolated_and_the_rest_of_its_batch_committed(devices):
    """The defence behind the limits: a row no check can foresee (here the device was deleted from the
    registry after the gateway last read it, so the row's device no longer exists and the foreign key
    refuses it, at commit) is written alone, kept as rejected with the database's reason, and the
    packets batched with it, before and after it in the same TCP write, are committed and
    acknowledged. Before, the batch failed and its connections were closed."""
    gone = MNS[3]

    async def check(gateway):
        await gateway.store.call(lambda: MonitoringDevice.objects.filter(mn=gone).delete())
        assert gone in gateway.devices  # the gateway has not noticed yet: the packet passes every check
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        writer.write(good(MNS[0], 1) + good(MNS[1], 2) + good(gone, 3) + good(MNS[0], 4) + good(MNS[2], 5))
        replies = await _replies(reader, 4)
        writer.write(good(MNS[0], 6))  # and the connection is still served
        replies += await _replies(reader, 1)
        writer.close()
        return replies, gateway

    replies, gateway = run(_with_gateway(check, device_refresh=3600))
    assert replies == [qn(1), qn(2), qn(4), qn(5), qn(6)]
    assert sorted(ReceivedPacket.objects.filter(status="stored").values_list("qn", flat=True)) == [
        qn(1), qn(2), qn(4), qn(5), qn(6)]
    refused = ReceivedPacket.objects.get(status="rejected")
    assert refused.reason.startswith("the database refused it: ") and refused.mn == gone
    assert refused.device is None and bytes(refused.raw) == good(gone, 3)
    counts = gateway.metrics.counts
    assert counts["refused_by_database"] == 1 and counts["rejected"] == 1 and gateway.store.retried == 1


def test_rows_at_the_limits_fit_the_database():
    """The limits are the database's own, not stricter: a row at every limit is stored (on
    PostgreSQL this is the varchar(n) and int4 of the table), and one character or one more is not."""
    from gongjian.gateway.store import COLUMNS, PNO_RANGE, TEXT_LIMITS, misfit

    at = {column: "9" * limit for column, limit in TEXT_LIMITS.items()} | {"status": "stored"}
    row = tuple({"device_id": None, "received": 1_700_000_000.0, "warnings": "[]", "raw": b"##",
                 "pno": PNO_RANGE[1]}.get(c, at.get(c)) for c in COLUMNS)
    assert misfit(row) is None
    assert PacketStore._write([row]) == {}
    stored = ReceivedPacket.objects.get()
    assert (len(stored.qn), len(stored.mn), len(stored.st), len(stored.cn), stored.pno) == (
        TEXT_LIMITS["qn"], TEXT_LIMITS["mn"], TEXT_LIMITS["st"], TEXT_LIMITS["cn"], 2**31 - 1)
    for column in ("mn", "qn", "st", "cn", "peer"):
        over = list(row)
        over[COLUMNS.index(column)] += "9"
        assert misfit(tuple(over)) == f"{column.upper()} of {TEXT_LIMITS[column] + 1} characters; " \
                                      f"the store holds {TEXT_LIMITS[column]}"
    for pno in (PNO_RANGE[1] + 1, -1):
        assert "PNO" in misfit(row[:-1] + (pno,))


def test_integers_too_long_for_int_cost_only_their_own_packet(devices):
    """Issue item 11: int() of a Flag, PNUM or PNO over 4,300 digits raised a plain ValueError, which
    escaped the gateway's handling and closed the connection: the good packet written with it was
    neither stored nor acknowledged, the bad one left no trace. The issue's minimal input comes
    first; a QN long enough that the 9014 reply no longer fits one frame (data_reply was called
    outside the gateway's try) last; good packets before, between and after them in one TCP write."""
    ones = "1" * 4301
    fields = f"ST=31;CN=2061;PW={PW};MN={MNS[0]}"
    bad = {
        "Flag of 4301 digits": frame(f"ST=1;CN=1;Flag={ones};CP=&&&&"),
        "PNUM of 4301 digits": framed(f"QN={qn(11)};{fields};Flag=7;PNUM={ones};PNO=1"),
        "PNO of 4301 digits": framed(f"QN={qn(12)};{fields};Flag=7;PNUM=2;PNO={ones}"),
        "QN of 9900 characters": frame(f"QN={'2' * 9900};{fields};Flag=5;CP=&&&&"),
    }

    async def check(gateway):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        writer.write(good(MNS[0], 1) + bad["Flag of 4301 digits"] + bad["PNUM of 4301 digits"] + good(MNS[0], 2)
                     + bad["PNO of 4301 digits"] + bad["QN of 9900 characters"] + good(MNS[0], 3))
        replies = await _replies(reader, 3)
        writer.close()
        return replies

    assert run(_with_gateway(check)) == [qn(1), qn(2), qn(3)]
    assert sorted(ReceivedPacket.objects.filter(status="stored").values_list("qn", flat=True)) == [qn(1), qn(2), qn(3)]
    rejected = {bytes(raw): reason for raw, reason in
                ReceivedPacket.objects.filter(status="rejected").values_list("raw", "reason")}
    assert set(rejected) == set(bad.values())
    for reason, raw in bad.items():
        assert reason in rejected[raw]
