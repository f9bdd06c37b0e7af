"""Station hours from HJ 212 devices through the real gateway (TCP socket, packet store, ingest) take
the one door into the air store: a late hour is quality-checked and changes the stored daily result
and the region ranking, and a device's hours get the same quality findings as a file's."""

import asyncio
import datetime as dt

import pytest
from rest_framework.test import APIClient

from gongjian.air.models import AirHour, DailyResult, QualityFinding, SourceLayout, Station
from gongjian.air.services import import_hourly
from gongjian.sources.ingest import ingest
from gongjian.sources.models import MonitoringDevice
from gongjian.standards.hj212 import AMBIENT_CODES, build
from tests.gateway.conftest import replies, run, with_gateway

pytestmark = pytest.mark.django_db(transaction=True)  # the gateway writes on a thread of its own

HEADER = "station,time,so2,no2,co,o3,pm10,pm25\n"
PW = "123456"
DAY = dt.date(2020, 1, 2)
LATE = dt.datetime(2020, 1, 2, 12)


def _values(h: int, shift: int) -> dict[str, float]:
    """Plausible hours, varying so that nothing is stuck; ``shift`` raises the particles."""
    pm25 = 40 + shift + (h * 7) % 9
    return {"so2": 8 + h % 5, "no2": 30 + (h * 3) % 7, "co": round(0.5 + (h % 4) / 10, 1), "o3": 40 + (h * 5) % 13,
            "pm10": 2 * pm25 + h % 3, "pm25": pm25}


def _csv(path, rows) -> None:
    path.write_text(HEADER + "".join(
        f"{code},{t:%Y-%m-%dT%H:%M},{v['so2']},{v['no2']},{v['co']},{v['o3']},{v['pm10']},{v['pm25']}\n"
        for code, t, v in rows), encoding="utf-8")


def _device(station: Station, mn: str) -> MonitoringDevice:
    return MonitoringDevice.objects.create(mn=mn, password=PW, kind="air_station", station=station,
                                           region=station.region, interval=3600)


def _hour_packet(mn: str, n: int, moment: dt.datetime, values: dict[str, float]) -> bytes:
    """An hourly-data upload (2061) of an ambient station asking for a reply."""
    codes = {name: code for code, name in AMBIENT_CODES.items()}
    cp = f"DataTime={moment:%Y%m%d%H%M%S};" + ";".join(f"{codes[p]}-Avg={v},{codes[p]}-Flag=N" for p, v in values.items())
    return build("22", "2061", cp, qn=f"20200103080000{n:03d}", pw=PW, mn=mn, flag=5)


def _send(packets: list[bytes]) -> list[str]:
    """Send ``packets`` to a real gateway over one TCP connection; the QNs acknowledged (once stored)."""
    async def check(gateway):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        writer.write(b"".join(packets))
        await writer.drain()
        answered = await replies(reader, len(packets))
        writer.close()
        return [r.qn for r in answered]

    return run(with_gateway(check))


def _county_ranking(user) -> dict[str, tuple]:
    api = APIClient()
    api.force_authenticate(user)
    rows = api.get("/api/air/statistics/", {"level": "county", "from": DAY.isoformat(), "to": DAY.isoformat(),
                                            "by": "composite", "edition": "2026"}).json()
    return {r["name"]: (r["rank"], r["composite_index"]) for r in rows}


def test_a_late_station_hour_from_a_device_is_checked_and_changes_the_daily_result_and_the_ranking(world, tmp_path):
    zm = Station.objects.create(code="ZM01", name="中牟", kind="county", region=world.regions["county_a"])
    Station.objects.create(code="XY01", name="荥阳", kind="county", region=world.regions["county_b"])
    hours = [dt.datetime(2020, 1, 1) + dt.timedelta(hours=h) for h in range(48)]
    # 中牟 is the cleaner county, but its noon hour of the 2nd has not come in yet
    _csv(tmp_path / "hours.csv", [("ZM01", t, _values(t.hour, 0)) for t in hours if t != LATE]
         + [("XY01", t, _values(t.hour, 4)) for t in hours])
    import_hourly([tmp_path / "hours.csv"], SourceLayout.objects.create(name="network"))
    before = DailyResult.objects.get(subject="station", station=zm, date=DAY, edition="2026")
    ranking = _county_ranking(world.people["city_office"])
    assert ranking["中牟县"][0] == 1 and ranking["荥阳市"][0] == 2
    assert not QualityFinding.objects.exists()

    # the late hour: a haze hour (plausible) with an SO2 reading no analyser gives
    late = {**_values(12, 0), "so2": 2500.0, "pm10": 420.0, "pm25": 240.0}
    device = _device(zm, "010000A8900016F0001600A1")
    assert _send([_hour_packet(device.mn, 1, LATE, late)]) == ["20200103080000001"]
    assert ingest().air_hours == 1

    hour = AirHour.objects.get(station=zm, time=LATE.replace(tzinfo=dt.UTC) - dt.timedelta(hours=8))
    assert (hour.pm25, hour.so2, hour.batch_id) == (240.0, 2500.0, None)
    assert hour.so2_flag == "suspect" and hour.pm25_flag == "N"  # quality control ran on the device's hour
    finding = QualityFinding.objects.get(station=zm, pollutant="so2", rule="out_of_range")
    assert finding.status == "open" and finding.start == hour.time
    after = DailyResult.objects.get(subject="station", station=zm, date=DAY, edition="2026")
    assert after.pm25 > before.pm25 and after.pm10 > before.pm10  # the day was recomputed with the hour
    assert after.so2 == pytest.approx(before.so2)  # ... but without its suspect SO2
    county = DailyResult.objects.get(subject="region", place=world.regions["county_a"], date=DAY, edition="2026")
    assert county.pm25 == after.pm25  # and so was the county the station counts for
    ranking_after = _county_ranking(world.people["city_office"])
    assert ranking_after["中牟县"][1] > ranking["中牟县"][1]
    assert ranking_after["中牟县"][0] == 2 and ranking_after["荥阳市"][0] == 1


def test_a_device_and_a_file_get_the_same_quality_findings_for_the_same_values(world, tmp_path):
    """The same day of values, once from a file for one station and once from a device for another:
    one door, one hook, the same findings and the same flags."""
    by_file = Station.objects.create(code="ZM01", name="中牟", kind="county", region=world.regions["county_a"])
    by_device = Station.objects.create(code="XY01", name="荥阳", kind="county", region=world.regions["county_b"])
    hours = [dt.datetime(2020, 1, 1) + dt.timedelta(hours=h) for h in range(24)]
    day = {t: {**_values(t.hour, 0), **({"pm25": 57} if 6 <= t.hour < 18 else {}),  # stuck for 12 hours
               **({"so2": 2500} if t.hour == 20 else {})}  # above what an analyser measures
           for t in hours}
    _csv(tmp_path / "day.csv", [("ZM01", t, v) for t, v in day.items()])
    import_hourly([tmp_path / "day.csv"], SourceLayout.objects.create(name="file"))
    device = _device(by_device, "010000A8900016F0001600B2")
    assert len(_send([_hour_packet(device.mn, n, t, v) for n, (t, v) in enumerate(day.items())])) == 24
    assert ingest().air_hours == 24

    def found(station):
        return sorted(QualityFinding.objects.filter(station=station).values_list(
            "pollutant", "rule", "start", "end", "hours", "detail", "status"))

    def flags(station):
        return list(AirHour.objects.filter(station=station).order_by("time").values_list(
            "time", "so2_flag", "pm25_flag", "pm10_flag"))

    assert {(f[0], f[1]) for f in found(by_file)} >= {("pm25", "stuck"), ("so2", "out_of_range")}
    assert found(by_device) == found(by_file)
    assert flags(by_device) == flags(by_file)
    assert DailyResult.objects.filter(subject="station", station=by_device, date=hours[0].date()).exists()
