"""The warning's electricity rules on the real database: during a warning, a stopped line that draws
power, control equipment switched off while producing, and a flow that does not fall as the
reduction list says become alarms of the warning."""

import datetime as dt
from zoneinfo import ZoneInfo

from gongjian.emergency import episodes, services
from gongjian.emergency.models import Measure
from gongjian.emergency.obedience import check_episode
from gongjian.sources.models import MonitoringDevice
from gongjian.sources.monitoring import Alarm, DeviceSample, Meter
from tests.sources.fixtures import store_readings

BJ = ZoneInfo("Asia/Shanghai")


def test_a_stopped_line_drawing_power_and_control_off_are_found_during_the_warning(world, plants, draft):
    e1, e2 = plants["e1"], plants["e2"]
    Measure.objects.create(reduction_list=draft, level="orange", kind="stop_lines", enterprise=e1.enterprise).lines.add(e1.line1)
    Measure.objects.create(reduction_list=draft, level="orange", kind="limit", enterprise=e2.enterprise, load_percent=50)
    services.submit(draft, world.people["city_bureau"])
    services.approve(draft, world.people["city_office"])
    meters = {}
    for key, plant in (("e1", e1), ("e2", e2)):
        for line in (plant.line1, plant.line2):
            for purpose in ("production", "control"):
                meters[key, line.name, purpose] = Meter.objects.create(
                    enterprise=plant.enterprise, number=f"{key}-{line.pk}-{purpose}", name=purpose, purpose=purpose,
                    line=line, rated_kw=1000 if purpose == "production" else 200)
    start = dt.datetime(2020, 12, 8, 12, tzinfo=BJ)
    for (key, line, purpose), meter in meters.items():
        if (key, line, purpose) == ("e1", "1号线", "production"):
            store_readings(meter, start, 12, 900.0)  # the stopped line runs on
        elif (key, purpose) == ("e1", "production"):
            store_readings(meter, start, 12, 800.0)
        elif key == "e2" and purpose == "production":
            store_readings(meter, start, 12, 450.0)  # keeps under its 50 %
        elif (key, line) == ("e2", "2号线"):
            store_readings(meter, start, 12, lambda n: 150.0 if n < 8 else 0.5)  # control switched off at 14:00
        else:
            store_readings(meter, start, 12, 150.0)
    cems = MonitoringDevice.objects.create(mn="D" * 24, password="123456", kind="stack", unit=e2.kiln,
                                           region=world.regions["town_b1"])
    DeviceSample.objects.bulk_create(  # the kiln's NOx flow falls 10 % where the 50 % limit removes half
        DeviceSample(device=cems, resolution="h", start=start + dt.timedelta(hours=h), code=code,
                     value=value if code == "a21002" else (50.0 if h < 0 else 45.0))
        for h in range(-12, 12) for code, value in (("a21002", 80.0), ("a00000", 0)))
    episode = episodes.act(world.regions["city"], "issue", "orange", start, world.people["city_office"], "test").warning
    found = check_episode(episode, until=start + dt.timedelta(hours=12))
    rules = {(a.rule, a.enterprise_id) for a in Alarm.objects.all()}
    assert rules == {("stopped_line_drawing_power", e1.enterprise.pk), ("control_off_while_producing", e2.enterprise.pk),
                     ("reduction_not_matching", e2.enterprise.pk)}
    assert found == 3 and all(list(a.warnings.all()) == [episode] for a in Alarm.objects.all())
    assert "fell 10.0% where the list removes 50.0%" in Alarm.objects.get(rule="reduction_not_matching").evidence
    assert Alarm.objects.get(rule="control_off_while_producing").start == dt.datetime(2020, 12, 8, 14, tzinfo=BJ)
