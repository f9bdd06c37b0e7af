"""Source monitoring on the real database: packets into series, the checks into alarms, electricity
readings in, verification notices through to their result, and the scope of all of it (the
warning's electricity rules: tests/emergency/test_obedience.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian import clock
from gongjian.air.models import AirHour, Station
from gongjian.core.problems import InvalidInput
from gongjian.regions import policy
from gongjian.sources import checks, verification
from gongjian.sources.ingest import ingest
from gongjian.sources.meters import import_readings
from gongjian.sources.models import MonitoringDevice, ReceivedPacket
from gongjian.sources.monitoring import Alarm, DeviceSample, EmissionLimit, Meter, MeterReading
from gongjian.standards.hj212 import build
from tests.sources.fixtures import store_readings

BJ = ZoneInfo("Asia/Shanghai")


def _stored(device, cn, cp, qn, flag=4):
    raw = build("31", cn, cp, qn=qn, pw=device.password, mn=device.mn, flag=flag)
    return ReceivedPacket.objects.create(device=device, peer="test", received=dt.datetime.now(dt.UTC), status="stored",
                                         raw=raw, mn=device.mn, qn=qn, st="31", cn=cn)


def test_ingest_files_cems_station_hours_and_2005_codes_and_says_why_a_packet_is_unusable(world, plants):
    stack = MonitoringDevice.objects.create(mn="A" * 24, password="123456", kind="stack", unit=plants["e1"].kiln,
                                            region=world.regions["town_a1"])
    station = Station.objects.create(code="ST1", name="站", kind="national", region=world.regions["county_a"])
    air = MonitoringDevice.objects.create(mn="B" * 24, password="123456", kind="air_station", station=station,
                                          region=world.regions["county_a"])
    _stored(stack, "2061", "DataTime=20201209090000;a21026-Avg=18.5,a21026-Flag=N;a19001-Avg=10.0,a19001-Flag=N",
            "20201209100000001")
    old = build("31", "2061", "DataTime=20201209100000;02-Avg=21.0,02-Flag=N", pw="123456", mn="A" * 24, flag=1)
    ReceivedPacket.objects.create(device=stack, peer="t", received=dt.datetime.now(dt.UTC), status="stored", raw=old,
                                  mn="A" * 24, qn="", st="31", cn="2061")
    _stored(stack, "2061", "DataTime=2020120909;a21026-Avg=1", "20201209100000002")  # a bad DataTime
    _stored(air, "2061", "DataTime=20201209090000;a21026-Avg=9,a21026-Flag=N;a34004-Avg=46,a34004-Flag=N;"
                         "a34002-Avg=80,a34002-Flag=N", "20201209100000003")
    result = ingest()
    assert (result.packets, result.unusable) == (4, 1)
    assert ReceivedPacket.objects.get(qn="20201209100000002").reason.startswith("CP unusable: DataTime")
    assert DeviceSample.objects.get(device=stack, code="a21026", start=dt.datetime(2020, 12, 9, 10, tzinfo=BJ)).value == 21.0
    hour = AirHour.objects.get(station=station)
    assert (hour.time, hour.so2, hour.pm25, hour.pm10, hour.co) == (dt.datetime(2020, 12, 9, 9, tzinfo=BJ), 9, 46, 80, None)
    assert ingest().packets == 0  # nothing is read twice


def _cems(device, start, minutes, so2, o2=10.0, flow=50.0):
    rows = []
    for n in range(minutes):
        moment = start + dt.timedelta(minutes=n)
        value = so2(n) if callable(so2) else so2
        rows += [DeviceSample(device=device, resolution="m", start=moment, code=c, value=v, flag="N")
                 for c, v in (("a21026", value), ("a19001", o2), ("a00000", flow + n % 4), ("a21002", 50 + n % 7),
                              ("a34013", 3 + n % 3))]
    DeviceSample.objects.bulk_create(rows)


def test_checks_find_exceedance_at_the_reference_o2_and_a_flat_line_once(world, plants):
    kiln = plants["e1"].kiln
    device = MonitoringDevice.objects.create(mn="C" * 24, password="123456", kind="stack", unit=kiln,
                                             region=world.regions["town_a1"])
    EmissionLimit.objects.create(unit=kiln, code="a21026", limit=35.0, reference_o2=10.0)
    start = dt.datetime(2020, 12, 9, 8, tzinfo=BJ)
    # 30 at 15 % O2 is 30 x (21 - 10) / (21 - 15) = 55 at 10 %: above 35 for minutes 20-29 only
    _cems(device, start, 120, lambda n: 30.0 if 20 <= n < 30 else 10 + n % 5, o2=15.0)
    window = (dt.datetime(2020, 12, 9, 8), dt.datetime(2020, 12, 9, 10))
    assert checks.run_checks(world.regions["city"], *window) == 1
    alarm = Alarm.objects.get()
    assert (alarm.rule, alarm.intervals, round(alarm.peak, 1), alarm.threshold) == ("exceedance", 10, 55.0, 35.0)
    assert alarm.start == dt.datetime(2020, 12, 9, 8, 20, tzinfo=BJ) and alarm.enterprise == plants["e1"].enterprise
    assert checks.run_checks(world.regions["city"], *window) == 0  # idempotent
    kiln.thresholds = {"flat_intervals": 10}
    kiln.save()
    DeviceSample.objects.filter(code="a21002").update(value=50.0)
    assert checks.run_checks(world.regions["city"], *window) == 2  # NOx held at 50, and SO2's 10 minutes at 30
    assert {(a.series, a.intervals) for a in Alarm.objects.filter(rule="flat_line")} == {("nox", 120), ("so2", 10)}


def test_readings_file_all_or_nothing_with_every_bad_row(world, plants, tmp_path):
    meter = Meter.objects.create(enterprise=plants["e1"].enterprise, number="M1", name="生产", purpose="production",
                                 line=plants["e1"].line1)
    path = tmp_path / "readings.csv"
    path.write_text("表号,时间,功率\nM1,2020-12-08 12:00,800\nM9,2020-12-08 12:15,800\nM1,noon,1\nM1,2020-12-08 12:30,-5\n"
                    "M1,2020-12-08 12:00,7\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        import_readings(path, world.people["city_bureau"])
    # each problem names the column by its header in the file
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "表号"), (4, "时间"), (5, "功率"), (6, "时间")]
    assert MeterReading.objects.count() == 0
    path.write_text("表号,时间,功率\nM1,2020-12-08 12:00,800\nM1,2020-12-08 12:15,790.5\n", encoding="utf-8")
    assert import_readings(path, world.people["city_bureau"]) == 2
    with pytest.raises(InvalidInput):  # another county's office does not see the meter
        import_readings(path, world.people["county_b_office"])
    with pytest.raises(PermissionDenied):  # an enterprise does not supply its own electricity data
        import_readings(path, world.people["enterprise_e1"])
    assert meter.readings.count() == 2


def test_readings_api(world, plants, client):
    Meter.objects.create(enterprise=plants["e1"].enterprise, number="M1", name="生产", purpose="production",
                         line=plants["e1"].line1)
    client.force_login(world.people["city_bureau"])
    bad = client.post("/api/sources/meter-readings/", [{"meter": "M1", "start": "x", "kw": 1}], content_type="application/json")
    assert bad.status_code == 400 and bad.json()["problems"][0]["field"] == "start"
    good = client.post("/api/sources/meter-readings/", [{"meter": "M1", "start": "2020-12-08T12:00", "kw": 812.5}],
                       content_type="application/json")
    assert good.status_code == 201 and MeterReading.objects.get().kw == 812.5
    client.force_login(world.people["enterprise_e1"])
    assert client.post("/api/sources/meter-readings/", [{"meter": "M1", "start": "2020-12-08T12:15", "kw": 1}],
                       content_type="application/json").status_code == 403


def _alarm(world, plants, key="e1", town="town_a1"):
    return Alarm.objects.create(rule="control_off_while_producing", region=world.regions[town],
                                enterprise=plants[key].enterprise, subject="1号线", series="kw",
                                start=dt.datetime(2020, 12, 8, 14, tzinfo=BJ), end=dt.datetime(2020, 12, 8, 20, tzinfo=BJ),
                                intervals=24, evidence="production up to 900 kW while control draws 0.5 kW",
                                fingerprint=f"x|{key}")


def test_verification_notice_from_alarm_to_result_and_scope(world, plants, client):
    mine, theirs = _alarm(world, plants), _alarm(world, plants, "e2", "town_b1")
    office, town = world.people["city_office"], world.people["town_a1_gov"]
    with clock.as_of(dt.datetime(2020, 12, 9, 9, tzinfo=BJ)):
        with pytest.raises(ValidationError):  # a deadline in the past
            verification.issue([mine], world.organisations["town_a1"], clock.now() - dt.timedelta(hours=1), "核查", office)
        with pytest.raises(PermissionDenied):  # the county office of another county
            verification.issue([mine], world.organisations["town_a1"], clock.now() + dt.timedelta(days=1), "核查",
                               world.people["county_b_office"])
        notice = verification.issue([mine], world.organisations["town_a1"], clock.now() + dt.timedelta(days=1),
                                    "请核查治污设施是否停运", office)
        assert Alarm.objects.get(pk=mine.pk).status == "notified"
        with pytest.raises(PermissionDenied):
            verification.report(notice, confirmed=True, finding="x", measures="y", by=world.people["county_b_office"])
        with pytest.raises(ValidationError):  # a confirmed breach needs the measures taken
            verification.report(notice, confirmed=True, finding="治污设施未运行", measures="", by=town)
        verification.report(notice, confirmed=True, finding="治污设施未运行", measures="责令整改", by=town)
        verification.close(notice, office)
    assert Alarm.objects.get(pk=mine.pk).status == "confirmed" and notice.status == "closed"
    assert set(policy.visible(world.people["county_b_office"], Alarm.objects.all())) == {theirs}
    assert not policy.visible(world.people["county_b_office"], type(notice).objects.all()).exists()
    client.force_login(world.people["county_b_office"])
    assert client.get(f"/sources/notices/{notice.pk}/").status_code == 404
    assert client.get(f"/sources/alarms/{mine.pk}/").status_code == 404
    client.force_login(town)
    page = client.get(f"/sources/notices/{notice.pk}/")
    assert page.status_code == 200 and "治污设施未运行" in page.content.decode()
    client.force_login(world.people["enterprise_e1"])
    assert [a["id"] for a in client.get("/api/sources/alarms/").json()["results"]] == [mine.pk]


def test_alarm_pages_send_a_notice(world, plants, client):
    alarm = _alarm(world, plants)
    client.force_login(world.people["city_office"])
    page = client.get("/sources/alarms/")
    assert page.status_code == 200 and "1号线" in page.content.decode()
    response = client.post("/sources/alarms/", {"alarm": [alarm.pk], "recipient": world.organisations["town_a1"].pk,
                                                "deadline": "2099-01-01T12:00", "instructions": "请核查"})
    assert response.status_code == 302
    assert Alarm.objects.get(pk=alarm.pk).notice is not None
    assert client.get(response["Location"]).status_code == 200
    bad = client.post("/sources/alarms/", {"alarm": [], "recipient": world.organisations["town_a1"].pk,
                                           "deadline": "2099-01-01T12:00", "instructions": "x"})
    assert bad.status_code == 400


def test_checks_compare_flow_with_the_lines_power_and_find_a_drop_when_a_notice_is_issued(world, plants):
    e1 = plants["e1"]
    device = MonitoringDevice.objects.create(mn="E" * 24, password="123456", kind="stack", unit=e1.kiln,
                                             region=world.regions["town_a1"])
    meter = Meter.objects.create(enterprise=e1.enterprise, number="P1", name="生产", purpose="production",
                                 line=e1.line1, rated_kw=1000)
    start = dt.datetime(2020, 12, 9, 8, tzinfo=BJ)
    _cems(device, start, 120, lambda n: 10 + n % 5)
    DeviceSample.objects.filter(code="a21002", start__gte=start + dt.timedelta(minutes=60)).update(value=10.0)
    store_readings(meter, start, 2, lambda n: 800.0 if n < 4 else 0.5)  # the line's power gone at 09:00, the flow not
    alarm = _alarm(world, plants)
    with clock.as_of(dt.datetime(2020, 12, 9, 9, tzinfo=BJ)):
        verification.issue([alarm], world.organisations["town_a1"], clock.now() + dt.timedelta(days=1), "核查",
                           world.people["city_office"])
    checks.run_checks(world.regions["city"], dt.datetime(2020, 12, 9, 8), dt.datetime(2020, 12, 9, 10))
    found = {a.rule: a for a in Alarm.objects.exclude(pk=alarm.pk)}
    assert set(found) == {"flow_without_power", "drop_at_inspection", "flat_line"}  # NOx held at 10 after it
    assert found["flow_without_power"].start == dt.datetime(2020, 12, 9, 9, tzinfo=BJ)
    assert "before the announcement at 2020-12-09 09:00:00" in found["drop_at_inspection"].evidence
