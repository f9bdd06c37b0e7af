"""The hourly source checks are a job of the one scheduler (gongjian.core.schedules): run by
django-q, it does what `gongjian monitoring check` does for the last hour."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler

from gongjian import clock
from gongjian.core import schedules
from gongjian.sources.models import MonitoringDevice
from gongjian.sources.monitoring import Alarm, DeviceSample, EmissionLimit

BJ = ZoneInfo("Asia/Shanghai")


def _exceedance(world, plants):
    """SO2 above its limit from 09:20 to 09:30 on 9 December 2020 at the e1 kiln's stack."""
    kiln = plants["e1"].kiln
    device = MonitoringDevice.objects.create(mn="C" * 24, password="123456", kind="stack", unit=kiln,
                                             region=world.regions["town_a1"])
    EmissionLimit.objects.create(unit=kiln, code="a21026", limit=35.0, reference_o2=10.0)
    start = dt.datetime(2020, 12, 9, 9, tzinfo=BJ)
    DeviceSample.objects.bulk_create(
        DeviceSample(device=device, resolution="m", start=start + dt.timedelta(minutes=n), code=code, value=value, flag="N")
        for n in range(60) for code, value in (("a21026", 30.0 if 20 <= n < 30 else 10 + n % 5), ("a19001", 15.0),
                                               ("a00000", 50.0 + n % 4), ("a21002", 50 + n % 7), ("a34013", 3 + n % 3)))


def _alarms():
    return sorted((a.rule, a.series, a.start, a.end, a.intervals, a.enterprise_id) for a in Alarm.objects.all())


def test_the_hourly_check_run_by_django_q_does_what_the_command_does(world, plants):
    _exceedance(world, plants)
    with clock.as_of("2020-12-09T10:05+08:00"):
        schedules.sync()
        Schedule.objects.exclude(name="sources: checks of the last hour").delete()
        Schedule.objects.update(next_run=timezone.now() - dt.timedelta(minutes=1))  # due now
        scheduler()  # what the worker does each cycle; Q_CLUSTER["sync"] runs the task here
    by_job = _alarms()
    assert [(rule, series) for rule, series, *_ in by_job if rule == "exceedance"] == [("exceedance", "so2")]
    Alarm.objects.all().delete()
    with clock.as_of("2020-12-09T10:05+08:00"):
        call_command("monitoring", "check", "--region", "410100", "--from", "2020-12-09T09:00", "--to",
                     "2020-12-09T10:00")
    assert _alarms() == by_job
