"""What the home page shows of a place's air: its AQI now, and its place among its peers this month.

Both come from the stores the air pages read (the latest stored hour; the stored daily results),
through the policy, and say how old they are: a place without data is "no data", never a number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db.models import Max

from gongjian import clock
from gongjian.analytics.airquality import hourly_aqi
from gongjian.periods import Period, PeriodKind
from gongjian.regions import policy
from gongjian.regions.models import Region, RegionLevel
from gongjian.standards.hj633 import category
from gongjian.standards.hj663 import spatial_mean

from .evaluation import region_membership
from .hours import load_hourly
from .models import AirHour, Station
from .results import data_bounds, ranking_table

__all__ = ["PeerRank", "RegionNow", "peer_rank", "region_now"]

#: The ranking level a region's peers are ranked at (the counties of a city; the towns of a county).
_LEVELS = {RegionLevel.CITY: "city", RegionLevel.COUNTY: "county", RegionLevel.TOWN: "town"}


@dataclass(frozen=True)
class RegionNow:
    """A region's AQI at the latest stored hour (HJ 633 on the mean of its counting stations, as the
    real-time page computes it); ``at`` is that hour, ``None`` when no station has any hour."""

    region: Region
    at: dt.datetime | None
    aqi: int | None = None
    level: int | None = None
    category: str | None = None
    primary: str = ""


def hours_until(stations, latest: dt.datetime) -> tuple[pl.DataFrame, dt.datetime]:
    """The stations' hours of ``latest``'s day and the day before, up to ``latest`` (the window the
    real-time AQI's 24-hour and 8-hour means read), and ``latest`` as the frames' naive local hour."""
    day, hour = clock.day_of(latest), clock.naive_local(latest)
    return load_hourly(stations, day - dt.timedelta(days=1), day).filter(pl.col("time") <= hour), hour


def regions_at(hourly: pl.DataFrame, regions: list[Region], hour: dt.datetime) -> dict[int, dict]:
    """Each region's real-time AQI row at ``hour`` by region pk: the HJ 663 spatial mean of its
    stations' hours, then HJ 633's hourly AQI (the real-time page and the home page read this)."""
    membership = region_membership(regions)
    if not membership.height:
        return {}
    now = hourly_aqi(spatial_mean(hourly, membership).collect(), "auto", key="region").filter(pl.col("time") == hour)
    return {r["region"]: r for r in now.iter_rows(named=True)}


def region_now(user, region: Region) -> RegionNow:
    """``region``'s AQI now, from the stations in it that ``user`` sees."""
    stations = list(policy.visible(user, Station.objects.filter(region__path__startswith=region.path))
                    .exclude(kind="met"))
    latest = AirHour.objects.filter(station__in=stations, time__lte=clock.now()).aggregate(t=Max("time"))["t"]
    if latest is None:
        return RegionNow(region, latest)
    hourly, hour = hours_until(stations, latest)
    row = regions_at(hourly, [region], hour).get(region.pk, {})
    aqi = row.get("aqi")
    if aqi is None:
        return RegionNow(region, latest)
    found = category(aqi)
    return RegionNow(region, latest, aqi, found.level, found.name_zh, ",".join(row.get("primary_pollutants") or []))


@dataclass(frozen=True)
class PeerRank:
    """``region``'s place by composite index among the regions ranked with it over ``period``
    (the month to the last day with daily results); ``rank`` is ``None`` where it has no index."""

    region: Region
    period: Period
    rank: int | None
    of: int
    composite_index: float | None
    as_of: dt.date


def peer_rank(user, region: Region) -> PeerRank | None:
    """The ranking page's month-to-date composite-index ranking at ``region``'s level, as ``user``
    sees it (the peers a person is shown are the ranking's and the policy's rule, not this one's);
    ``None`` where there are no daily results or the level is not ranked."""
    level, bounds = _LEVELS.get(region.level), data_bounds(user)
    if level is None or bounds is None:
        return None
    last = bounds[1]
    period = Period.containing(PeriodKind.MONTH, last).until(last)
    table = ranking_table(user, level, period, "composite", "auto")
    rows = table.to_dicts() if table.height else []
    own = next((r for r in rows if r.get("key") == str(region.pk)), None)
    return PeerRank(region, period, own and own.get("rank"), sum(r.get("rank") is not None for r in rows),
                    own and own.get("composite_index"), last)
