"""The one scheduler of all periodic work: each domain app declares its jobs, django-q runs them.

An app lists its periodic jobs in its AppConfig (:attr:`gongjian.core.apps.DomainApp.schedules`)::

    schedules = (Job("tasks: deadline reminders", "gongjian.tasks.tracking.remind", DAILY, at=dt.time(7)),)

``gongjian setup`` calls :func:`sync`, which keeps one django-q ``Schedule`` row per declared job;
the job worker that ``gongjian serve`` starts beside the web server (``gongjian worker`` elsewhere)
runs them. No job needs cron. Each job calls an importable function of its app, so the same work
runs by hand through the app's command or service.

Work that must run all the time (reading the gateway's packets into series) is a :data:`MINUTELY`
job that works for most of its minute and returns (django-q's scheduler looks at its schedules once
a minute, so that is as often as a job can be started): the job worker then runs it continuously,
and a job that stops (a failure, a restart) is started again within the minute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.module_loading import import_string

from gongjian import clock

__all__ = ["DAILY", "HOURLY", "MINUTELY", "Job", "declared", "first_run", "sync"]

#: How often a job runs: every minute, every hour at ``at``'s minute, or every day at ``at``.
MINUTELY, HOURLY, DAILY = "minutely", "hourly", "daily"
SCHEDULES = (MINUTELY, HOURLY, DAILY)


@dataclass(frozen=True)
class Job:
    """One periodic job: its unique ``name`` (the schedule's name), the dotted path of the function it
    calls (``func``, with ``kwargs``), how often (``schedule``: :data:`MINUTELY`, :data:`HOURLY` or
    :data:`DAILY`) and when (``at``: the time of day, for hourly jobs the minute past the hour; a
    minutely job ignores it)."""

    name: str
    func: str
    schedule: str
    at: dt.time = dt.time(0, 0)
    kwargs: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.schedule not in SCHEDULES:
            raise ValueError(f"job {self.name!r}: schedule must be one of {', '.join(map(repr, SCHEDULES))}, "
                             f"not {self.schedule!r}")


def declared() -> list[Job]:
    """Every job the installed domain apps declare, in ``INSTALLED_APPS`` order; a function that
    cannot be imported or a name used twice is an error here, not at 00:30 in the worker."""
    from .apps import domain_apps

    jobs = [job for app in domain_apps() for job in app.schedules]
    names = [job.name for job in jobs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"jobs declared twice: {twice}")
    for job in jobs:
        import_string(job.func)
    return jobs


def first_run(job: Job, now: dt.datetime) -> dt.datetime:
    """The first moment after ``now`` (Beijing time) at which ``job`` is due."""
    now = clock.local(now)
    if job.schedule == MINUTELY:
        return now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if job.schedule == HOURLY:
        due = now.replace(minute=job.at.minute, second=0, microsecond=0)
        return due if due > now else due + dt.timedelta(hours=1)
    due = now.replace(hour=job.at.hour, minute=job.at.minute, second=0, microsecond=0)
    return due if due > now else due + dt.timedelta(days=1)


def _on_time(next_run: dt.datetime | None, job: Job) -> bool:
    """Whether a stored next run still falls at the job's declared time."""
    if next_run is None:
        return False
    due = clock.local(next_run)
    if job.schedule == MINUTELY:
        return due.second == 0 and due.microsecond == 0
    return due.minute == job.at.minute and (job.schedule == HOURLY or due.hour == job.at.hour)


def sync() -> list[str]:
    """Create or update the django-q schedule of every declared job, and remove the schedules of this
    project's functions that no app declares any more. Idempotent: one row per job, whose next run
    is kept while it falls at the declared time (running ``gongjian setup`` again delays nothing).
    Returns the names of the jobs scheduled."""
    from django_q.models import Schedule

    types = {MINUTELY: Schedule.MINUTES, HOURLY: Schedule.HOURLY, DAILY: Schedule.DAILY}
    jobs = declared()
    now = clock.now()
    for job in jobs:
        values = {"func": job.func, "kwargs": repr(job.kwargs) if job.kwargs else None,
                  "schedule_type": types[job.schedule], "minutes": 1 if job.schedule == MINUTELY else None,
                  "repeats": -1}
        stored = Schedule.objects.filter(name=job.name).values_list("schedule_type", "next_run").first()
        if stored is None or stored[0] != values["schedule_type"] or not _on_time(stored[1], job):
            values["next_run"] = first_run(job, now)
        Schedule.objects.update_or_create(name=job.name, defaults=values)
    Schedule.objects.filter(func__startswith="gongjian.").exclude(name__in=[job.name for job in jobs]).delete()
    return [job.name for job in jobs]
