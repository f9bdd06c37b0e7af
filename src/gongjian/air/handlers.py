"""What follows new station hours, whoever brought them (a file, an HJ 212 device, the API).

One handler of :func:`gongjian.core.series.on_new_data`, called once the write has committed:
quality control of the touched hours (:mod:`gongjian.air.quality`, with a day of context before
them, so that a run that began the day before is found whole), then the recomputation of the
touched days' daily results (:func:`gongjian.air.tasks.enqueue_recompute`) for the stations and
the regions they count for, which the rankings and target progress are derived from. A late hour
is therefore checked and counted like any other.

Registered from :class:`gongjian.air.apps.AirConfig` and imported by no other module, so the
hook closes no import circle between the modules it calls.
"""

from __future__ import annotations

import datetime as dt

from gongjian import clock
from gongjian.core import series

from .models import QualityFinding, Station
from .quality import run_quality_checks
from .tasks import enqueue_recompute

__all__ = ["check_and_recompute"]


@series.on_new_data("air.hourly")
def check_and_recompute(written: series.Written) -> list[QualityFinding]:
    """Quality control, then the recomputation, of what ``written`` touched, per group of stations
    touched over the same days (a gateway chunk: the current hour of most stations, and the late
    hours of a few). Returns the new findings."""
    findings: list[QualityFinding] = []
    spans = written.spans().group_by("first_day", "last_day", maintain_order=True).agg("station_id")
    for first, last, station_ids in spans.iter_rows():
        stations = Station.objects.filter(pk__in=station_ids).select_related("region")
        found = run_quality_checks(stations, first - dt.timedelta(days=1), last, written.user)
        findings += found
        # a run found in the day of context changed that day's flags too
        start = min([first, *(clock.day_of(f.start) for f in found)])
        enqueue_recompute(start, last, station_ids)
    return findings
