"""Derived air-quality results the pages, exports and API share: rankings for any level and
period, target progress, the span of stored data. Computed from stored daily results through the
engine and cached per scope until the next recomputation (:class:`~gongjian.air.models.ResultsVersion`)."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl
from django.core.cache import cache
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy

from gongjian import clock
from gongjian.analytics import targets as progress
from gongjian.analytics.ranking import RANKINGS, improvement, rank
from gongjian.periods import Period
from gongjian.regions import policy
from gongjian.regions.models import RegionLevel

from .evaluation import evaluate_period, read_daily, results_version
from .models import AirQualityTarget, DailyResult, TargetMetric

__all__ = ["LEVELS", "cached", "data_bounds", "ranking_table", "stored_edition", "target_progress"]

LEVELS = {"county": gettext_lazy("counties"), "town": gettext_lazy("towns"), "station": gettext_lazy("stations"),
          "city": gettext_lazy("peer cities")}


def data_bounds(user) -> tuple[dt.date, dt.date] | None:
    span = policy.visible(user, DailyResult.objects.all()).aggregate(first=Min("date"), last=Max("date"))
    if span["last"] is None:
        return None
    return span["first"], min(span["last"], clock.today())


def stored_edition(edition: str, day: dt.date) -> str:
    """Stored daily results exist per concrete edition; ``auto`` means the one in force on ``day``."""
    from gongjian.standards.editions import edition_for

    return edition_for(day, edition)


def _scope_key(user) -> str:
    """Users with the same role, jurisdiction and organisation see the same records."""
    return f"{user.is_superuser}:{getattr(user, 'role', '')}:{user.jurisdiction_id}:{user.organisation_id}"


def cached(kind: str, user, *parts, compute):
    """``compute()`` once per scope, arguments and version of the daily results (per web process)."""
    raw = ":".join(str(p) for p in (kind, results_version(), _scope_key(user), *parts))
    key = f"air:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"  # safe for any cache backend
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=3600)
    return value


def _level_results(user, level: str):
    visible = policy.visible(user, DailyResult.objects.all())
    if level == "station":
        return visible.filter(subject="station").exclude(station__kind__in=["met", "micro"])
    levels = {"county": RegionLevel.COUNTY, "town": RegionLevel.TOWN, "city": RegionLevel.CITY}
    if level not in levels:  # a request's level is checked where it is read (gongjian.core.params.choice)
        raise ValueError(f"unknown level {level!r}: one of {', '.join(LEVELS)}")
    return visible.filter(subject="region", place__level=levels[level])


def ranking_table(user, level: str, period: Period, by: str, edition: str,
                  exclude_events: bool = False) -> pl.DataFrame:
    """The ranking a page, an export and the API show: statistics of ``period`` per station or
    region, with the improvement against the same period a year earlier, ranked with ties.
    Derived from stored daily results only, so it is cached until they change."""
    if by not in RANKINGS:  # a request's ranking is checked where it is read (gongjian.core.params.choice)
        raise ValueError(f"unknown ranking {by!r}: one of {', '.join(RANKINGS)}")
    return cached("ranking", user, level, period.kind, period.key, by, edition, exclude_events,
                  compute=lambda: _ranking_table(user, level, period, by, edition, exclude_events))


def _ranking_table(user, level: str, period: Period, by: str, edition: str, exclude_events: bool) -> pl.DataFrame:
    stored = stored_edition(edition, period.end)
    results = _level_results(user, level)
    stats = evaluate_period(read_daily(results, stored, period.start, period.end, exclude_events), period, stored)
    if stats.is_empty():
        return stats
    last = period.same_period_last_year()
    baseline = evaluate_period(read_daily(results, stored, last.start, last.end, exclude_events), last, stored)
    if baseline.is_empty():
        stats = stats.with_columns(pl.lit(None, dtype=pl.Float64).alias("improvement"))
    else:
        stats = improvement(stats, baseline, "key")
    return rank(stats, by)


METRIC_FUNCS = {TargetMetric.PM25_MEAN: "pm25", TargetMetric.PM10_MEAN: "pm10"}


def target_progress(user, year: int, as_of: dt.date, edition: str, exclude_events: bool = False) -> list[dict]:
    """Progress of every visible target of ``year`` as of ``as_of``, from the regions' daily results
    (cached until they or the targets change)."""
    targets_version = AirQualityTarget.objects.aggregate(v=Max("updated"))["v"]
    return cached("targets", user, year, as_of, edition, exclude_events, targets_version,
                  compute=lambda: _target_progress(user, year, as_of, edition, exclude_events))


def _target_progress(user, year: int, as_of: dt.date, edition: str, exclude_events: bool) -> list[dict]:
    whole = Period.of_year(year)
    stored = stored_edition(edition, whole.end)
    # the year so far, the whole year once it is over; no day of it when as_of is before it begins
    span = whole.until(as_of) if whole.start <= as_of else None
    rows = []
    targets = policy.visible(user, AirQualityTarget.objects.filter(year=year).select_related("region"))
    for target in targets.order_by("region__path", "metric"):
        daily = read_daily(DailyResult.objects.filter(subject="region", place=target.region), stored,
                           span.start, span.end, exclude_events) if span else pl.DataFrame()
        value = float(target.value)
        metric = TargetMetric(target.metric)
        if daily.is_empty():
            result = progress.Progress(metric, value, None, None, None, "no_data", 0, 0)
        elif metric in METRIC_FUNCS:
            result = progress.mean_progress(metric, value, year, as_of, daily[METRIC_FUNCS[metric]].drop_nulls().to_list())
        else:
            # good and heavy days, the good-day ratio and the composite index as HJ 663 publishes them
            stats = evaluate_period(daily, span, stored).row(0, named=True)
            if metric == TargetMetric.GOOD_DAYS:
                result = progress.count_progress(metric, int(value), year, as_of, stats["good_days"], upper=False)
            elif metric == TargetMetric.HEAVY_DAYS:
                result = progress.count_progress(metric, int(value), year, as_of, stats["heavy_days"], upper=True)
            elif metric == TargetMetric.GOOD_RATIO:
                result = progress.ratio_progress(value, year, as_of, stats["good_days"], stats["valid_days"])
            else:
                result = progress.composite_progress(value, year, as_of, stats["composite_index"])
        rows.append({"region": target.region.name, "region_id": target.region_id, "metric": metric.value,
                     "metric_label": str(metric.label), "target_value": value, "source": target.source,
                     "ytd": _round(result.year_to_date), "schedule": _round(result.on_schedule),
                     "allowance": _round(result.allowance), "status": result.status, "note": result.note,
                     "days_elapsed": result.days_elapsed, "days_remaining": result.days_remaining})
    return rows


def _round(value):
    return None if value is None else round(float(value), 1)


