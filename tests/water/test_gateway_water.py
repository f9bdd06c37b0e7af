"""Readings of an automatic water station through the real gateway (TCP socket, packet store,
ingest) take the one door into the water samples store: they change the section's month (its
class and its alarm), and a station's spike is quality-checked as the readings arrive."""

import asyncio
import datetime as dt

import pytest

from gongjian.sources.ingest import ingest
from gongjian.sources.models import MonitoringDevice
from gongjian.standards.hj212 import build
from gongjian.water import services
from gongjian.water.models import (
    SampleCorrection,
    SectionMonth,
    SectionTarget,
    WaterAlarm,
    WaterSection,
)
from tests.gateway.conftest import replies, run, with_gateway
from tests.water.fixtures import write

pytestmark = pytest.mark.django_db(transaction=True)  # the gateway writes on a thread of its own

PW = "123456"
MN = "010000A8900016F0002100W1"


def _packet(n: int, cn: str, moment: dt.datetime, values: dict[str, float], flag: str = "N") -> bytes:
    """A surface-water station's (ST 21) hourly (2061) or daily (2031) upload asking for a reply."""
    cp = f"DataTime={moment:%Y%m%d%H%M%S};" + ";".join(f"{code}-Avg={v},{code}-Flag={flag}" for code, v in values.items())
    return build("21", cn, cp, qn=f"20260315100000{n:03d}", pw=PW, mn=MN, flag=5)


def _send(packets: list[bytes]) -> list[str]:
    async def check(gateway):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        writer.write(b"".join(packets))
        await writer.drain()
        answered = await replies(reader, len(packets))
        writer.close()
        return [r.qn for r in answered]

    return run(with_gateway(check))


@pytest.fixture
def station(world):
    section = WaterSection.objects.create(code="WS-G", name="陈桥", water_body="贾鲁河", control_level="provincial",
                                          region=world.regions["county_a"])
    SectionTarget.objects.create(section=section, year=2026, target_class=3)
    device = MonitoringDevice(mn=MN, password=PW, kind="water_station", section=section, interval=3600)
    device.full_clean(exclude=["region"])
    device.clean()
    device.save()
    return section


def test_a_station_packet_lands_in_the_store_and_changes_the_sections_month(world, station):
    # the month so far: one manual result, NH3-N 0.9 (Ⅲ): the target is met
    write(station, [("nh3n", dt.datetime(2026, 3, 5, 9), 0.9)])
    month = SectionMonth.objects.get(section=station)
    assert (month.water_class, month.meets_target) == (3, True) and not WaterAlarm.objects.exists()

    hour = dt.datetime(2026, 3, 15, 10)
    # NH3-N 2.5 mg/L and Hg 0.08 µg/L (HJ 212 sends w20111 in µg/L) in an hourly upload, TP in a daily one
    assert _send([_packet(1, "2061", hour, {"w21003": 2.5, "w20111": 0.08}),
                  _packet(2, "2031", dt.datetime(2026, 3, 15), {"w21011": 0.15})]) == [
        "20260315100000001", "20260315100000002"]
    result = ingest()
    assert result.water_samples == 3 and result.unusable == 0
    frame = services.samples_frame([station.pk], None, None)
    got = {(r["item"], r["time"]): (r["value"], r["source"], r["flag"]) for r in frame.to_dicts()}
    assert got[("nh3n", hour)] == (2.5, "gateway", "valid")
    assert got[("hg", hour)][0] == pytest.approx(0.00008)
    assert got[("tp", dt.datetime(2026, 3, 15))][:2] == (0.15, "gateway")
    # NH3-N (0.9 + 2.5) / 2 = 1.7: > 1.5 (Ⅳ), ≤ 2.0 (Ⅴ); the month now misses its target
    month = SectionMonth.objects.get(section=station)
    assert (month.water_class, month.meets_target, month.deciding) == (5, False, ["nh3n"])
    assert month.items_above["nh3n"] == pytest.approx(0.7)  # (1.7 - 1.0) / 1.0
    alarm = WaterAlarm.objects.get()
    assert (alarm.kind, alarm.section, alarm.status) == ("section_below_target", station, "open")
    # the device's resend of the same hour changes nothing
    assert _send([_packet(1, "2061", hour, {"w21003": 2.5, "w20111": 0.08})]) == ["20260315100000001"]
    assert ingest().water_samples == 0 and services.samples_frame([station.pk], None, None).height == 4


def test_a_spike_from_a_station_is_flagged_suspect_and_kept_out_of_the_month(world, station):
    hours = [dt.datetime(2026, 3, 15, h) for h in (8, 9, 10)]
    # NH3-N 0.4, 4.0, 0.4: the middle reading is 10 × both neighbours and above the class Ⅲ limit
    packets = [_packet(n, "2061", t, {"w21003": v}) for n, (t, v) in enumerate(zip(hours, (0.4, 4.0, 0.4), strict=True), 1)]
    assert len(_send(packets)) == 3
    assert ingest().water_samples == 3
    flags = services.samples_frame([station.pk], None, None)["flag"].to_list()
    assert flags == ["valid", "suspect", "valid"]
    correction = SampleCorrection.objects.get()
    assert (correction.old_flag, correction.new_flag, correction.changed_by) == ("valid", "suspect", None)
    assert "spike" in correction.reason
    alarm = WaterAlarm.objects.get(kind="station_qc")
    assert (alarm.section, alarm.item, alarm.value) == (station, "nh3n", 4.0) and "可疑" in alarm.evidence
    month = SectionMonth.objects.get(section=station)
    assert (month.water_class, month.samples) == (2, 2)  # 0.4 alone: > 0.15 (Ⅰ), ≤ 0.5 (Ⅱ)
