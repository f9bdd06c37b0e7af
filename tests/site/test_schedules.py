"""One scheduler for all periodic work: the jobs the domain apps declare become django-q schedules,
which `gongjian setup` keeps (a job run by django-q: tests/sources/test_check_job.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_q.models import Schedule

from gongjian import clock
from gongjian.core import schedules
from gongjian.core.schedules import DAILY, HOURLY, MINUTELY, Job

BJ = ZoneInfo("Asia/Shanghai")
JOBS = {  # name -> (function, django-q schedule type, first run after 2020-12-09 10:05 Beijing time)
    "air: daily results after midnight": ("gongjian.air.tasks.daily_after_midnight", Schedule.DAILY,
                                          dt.datetime(2020, 12, 10, 0, 30, tzinfo=BJ)),
    "air: stations without hours": ("gongjian.air.feeds.check_feeds", Schedule.HOURLY,
                                    dt.datetime(2020, 12, 9, 10, 20, tzinfo=BJ)),
    "sources: checks of the last hour": ("gongjian.sources.tasks.check_last_hour", Schedule.HOURLY,
                                         dt.datetime(2020, 12, 9, 10, 10, tzinfo=BJ)),
    "sources: ingest received packets": ("gongjian.sources.tasks.ingest_continuously", Schedule.MINUTES,
                                         dt.datetime(2020, 12, 9, 10, 6, tzinfo=BJ)),
    "emergency: the day's forecast runs": ("gongjian.emergency.runs.issue_daily", Schedule.DAILY,
                                           dt.datetime(2020, 12, 10, 6, 0, tzinfo=BJ)),
    "tasks: deadline reminders": ("gongjian.tasks.tracking.remind", Schedule.DAILY,
                                  dt.datetime(2020, 12, 10, 7, 0, tzinfo=BJ)),
}


def _rows():
    return {s.name: (s.func, s.schedule_type, s.next_run, s.repeats) for s in Schedule.objects.all()}


def test_sync_creates_the_declared_schedules_once(db):
    Schedule.objects.create(name="old air job", func="gongjian.air.tasks.gone", schedule_type=Schedule.DAILY)
    Schedule.objects.create(name="someone else's", func="othersite.jobs.backup", schedule_type=Schedule.DAILY)
    with clock.as_of("2020-12-09T10:05+08:00"):
        assert sorted(schedules.sync()) == sorted(JOBS)
    expected = {name: (func, kind, first, -1) for name, (func, kind, first) in JOBS.items()}
    assert {k: v for k, v in _rows().items() if k in JOBS} == expected
    assert "old air job" not in _rows() and "someone else's" in _rows()
    with clock.as_of("2020-12-09T10:40+08:00"):  # again, later: nothing added, nothing delayed
        schedules.sync()
    assert {k: v for k, v in _rows().items() if k in JOBS} == expected
    assert Schedule.objects.count() == len(JOBS) + 1


def test_a_changed_time_moves_the_next_run(db):
    with clock.as_of("2020-12-09T10:05+08:00"):
        schedules.sync()
    Schedule.objects.filter(name="tasks: deadline reminders").update(next_run=dt.datetime(2020, 12, 10, 6, 0, tzinfo=BJ))
    with clock.as_of("2020-12-09T10:05+08:00"):
        schedules.sync()
    assert Schedule.objects.get(name="tasks: deadline reminders").next_run == dt.datetime(2020, 12, 10, 7, 0, tzinfo=BJ)


@pytest.mark.parametrize(("job", "now", "due"), [
    (Job("m", "x.y", MINUTELY), "2020-12-09T10:05:00", "2020-12-09T10:06"),
    (Job("m", "x.y", MINUTELY), "2020-12-09T10:05:59.5", "2020-12-09T10:06"),
    (Job("h", "x.y", HOURLY, at=dt.time(0, 10)), "2020-12-09T10:05", "2020-12-09T10:10"),
    (Job("h", "x.y", HOURLY, at=dt.time(0, 10)), "2020-12-09T10:10", "2020-12-09T11:10"),
    (Job("d", "x.y", DAILY, at=dt.time(0, 30)), "2020-12-09T00:29", "2020-12-09T00:30"),
    (Job("d", "x.y", DAILY, at=dt.time(0, 30)), "2020-12-09T23:59", "2020-12-10T00:30"),
])
def test_first_run_in_beijing_time(job, now, due):
    start = dt.datetime.fromisoformat(now).replace(tzinfo=BJ)
    assert schedules.first_run(job, start.astimezone(dt.UTC)) == dt.datetime.fromisoformat(due).replace(tzinfo=BJ)


def test_a_job_must_say_how_often():
    with pytest.raises(ValueError, match="schedule must be"):
        Job("x", "x.y", "weekly")



def test_a_minutely_job_is_a_django_q_schedule_of_one_minute(db):
    with clock.as_of("2020-12-09T10:05:30+08:00"):
        schedules.sync()
    row = Schedule.objects.get(name="sources: ingest received packets")
    assert (row.schedule_type, row.minutes) == (Schedule.MINUTES, 1)
    Schedule.objects.filter(pk=row.pk).update(next_run=dt.datetime(2020, 12, 9, 10, 7, tzinfo=BJ))
    with clock.as_of("2020-12-09T10:06:10+08:00"):  # a run due at a whole minute is kept
        schedules.sync()
    assert Schedule.objects.get(pk=row.pk).next_run == dt.datetime(2020, 12, 9, 10, 7, tzinfo=BJ)
