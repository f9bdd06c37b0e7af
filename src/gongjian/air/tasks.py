"""Jobs of the air app, run by the job worker (django-q2), never in the web process.

* after midnight: yesterday's daily results for every station and region (:func:`daily_after_midnight`,
  declared in :attr:`gongjian.air.apps.AirConfig.schedules`);
* after an import or a quality review: the affected days recomputed for the stations concerned and
  every region they count for (:func:`enqueue_recompute`).
"""

from __future__ import annotations

import datetime as dt

from django_q.tasks import async_task

from gongjian import clock

from .evaluation import compute_daily, regions_with_stations
from .models import Station

__all__ = ["daily_after_midnight", "enqueue_recompute", "recompute"]


def recompute(start: str, end: str, station_ids: list[int] | None = None) -> int:
    """Recompute daily results from ``start`` to ``end`` (ISO dates) for ``station_ids`` (default all)
    and the regions they count for."""
    stations = Station.objects.select_related("region")
    if station_ids is not None:
        stations = stations.filter(pk__in=station_ids)
    stations = list(stations)
    paths = [s.region.path for s in stations]
    regions = [r for r in regions_with_stations() if any(p.startswith(r.path) for p in paths)]
    return compute_daily(dt.date.fromisoformat(start), dt.date.fromisoformat(end), stations, regions)


def enqueue_recompute(start: dt.date, end: dt.date, station_ids: list[int]) -> None:
    async_task("gongjian.air.tasks.recompute", start.isoformat(), end.isoformat(), sorted(station_ids),
               task_name=f"air daily {start}..{end}", group="air-recompute")


def daily_after_midnight() -> int:
    """Yesterday's (and, until its last hour arrives, today's) daily results for everything."""
    today = clock.today()
    return recompute((today - dt.timedelta(days=1)).isoformat(), today.isoformat())

