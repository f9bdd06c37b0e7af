"""Jobs of the sources app, run by the job worker (django-q2) on the schedule the app declares
(:attr:`gongjian.sources.apps.SourcesConfig.schedules`, kept by :mod:`gongjian.core.schedules`)."""

from __future__ import annotations

import datetime as dt

from gongjian import clock
from gongjian.regions.models import Region

from . import checks

__all__ = ["check_last_hour"]


def check_last_hour() -> int:
    """The source rules over the last whole hour (Beijing time) for every region at the top of the
    tree, and the devices silent as of now: what ``gongjian monitoring check --region CODE --from
    HH:00 --to HH+1:00`` does for one region. Running it again finds nothing new (alarms are kept
    once); returns the number of new alarms."""
    now = clock.now()
    end = clock.naive_local(now).replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(hours=1)
    return sum(checks.run_checks(region, start, end, now=now) for region in Region.objects.get_root_nodes())
