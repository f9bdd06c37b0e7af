"""Derived air-quality results the pages, exports and API share: rankings for any level and
period, target progress, the span of stored data. Computed from stored daily results through the
engine and cached per scope until a recomputation of what they are derived from (the versions of
:class:`~gongjian.air.models.ResultsVersion` per station, region and month)."""

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

from .evaluation import evaluate_period, read_daily, results_version, version_names
from .models import AirQualityTarget, DailyResult, TargetMetric

__all__ = ["LEVELS", "cached", "data_bounds", "ranking_table", "stored_edition", "target_progress"]

#: Each ranking (``gongjian.analytics.ranking.RANKINGS``) as the page and the chart name it.
RANKING_NAMES = {"composite": gettext_lazy("composite index"), "pm25": gettext_lazy("PM2.5 concentration"),
                 "pm10": gettext_lazy("PM10 concentration"), "good_ratio": gettext_lazy("share of good days"),
                 "improvement": gettext_lazy("improvement on last year")}

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


def cached(kind: str, user, *parts, compute, follows: list[str] | None = None):
    """``compute()`` once per scope, arguments and version of the daily results it is derived from
    (per web process): ``follows`` names the versions (:func:`~gongjian.air.evaluation.version_names`:
    the stations, regions and months it reads), so that a recomputation of other stations or other
    months leaves it cached; without ``follows`` any recomputation makes it stale."""
    raw = ":".join(str(p) for p in (kind, results_version(follows), _scope_key(user), *parts))
    key = f"air:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"  # safe for any cache backend
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=3600)
    return value


def _level_results(user, level: str):
    """The daily results a ranking of ``level`` reads: the regions' among their peers, as the policy
    publishes rankings (a county sees the city's counties); the stations', detail below the county,
    only where the person sees them."""
    if level == "station":
        return policy.visible(user, DailyResult.objects.filter(subject="station")).exclude(
            station__kind__in=["met", "micro"])
    levels = {"county": RegionLevel.COUNTY, "town": RegionLevel.TOWN, "city": RegionLevel.CITY}
    if level not in levels:  # a request's level is checked where it is read (gongjian.core.params.choice)
        raise ValueError(f"unknown level {level!r}: one of {', '.join(LEVELS)}")
    return policy.visible_for_ranking(user, DailyResult.objects.filter(subject="region", place__level=levels[level]),
                                      levels[level])


def ranking_table(user, level: str, period: Period, by: str, edition: str,
                  exclude_events: bool = False) -> pl.DataFrame:
    """The ranking a page, an export and the API show: statistics of ``period`` per station or
    region, with the improvement against the same period a year earlier, ranked with ties.
    Derived from stored daily results only, so it is cached until they change."""
    if by not in RANKINGS:  # a request's ranking is checked where it is read (gongjian.core.params.choice)
        raise ValueError(f"unknown ranking {by!r}: one of {', '.join(RANKINGS)}")
    last = period.same_period_last_year()  # a ranking reads every peer's results of both periods
    follows = version_names(last.start, last.end, network=True) + version_names(period.start, period.end, network=True)
    return cached("ranking", user, level, period.kind, period.key, by, edition, exclude_events,
                  compute=lambda: _ranking_table(user, level, period, by, edition, exclude_events), follows=follows)


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


def target_progress(user, year: int, as_of: dt.date, edition: str, exclude_events: bool = False,
                    peers_level: int | None = None) -> list[dict]:
    """Progress of every visible target of ``year`` as of ``as_of``, from the regions' daily results
    (cached until they or the targets change). With ``peers_level`` (an assessment of units of that
    level, such as the county scorecard), the targets of the units ranked with the user's own
    (:func:`gongjian.regions.policy.visible_for_ranking`), so that every unit is judged on the same rule."""
    targets_version = AirQualityTarget.objects.aggregate(v=Max("updated"))["v"]
    # the results of the target regions the person sees, this year and the baseline year before it
    follows = version_names(Period.of_year(year - 1).start, Period.of_year(year).end,
                            regions=_visible_targets(user, year, peers_level).values_list("region_id", flat=True))
    return cached("targets", user, year, as_of, edition, exclude_events, targets_version, peers_level,
                  compute=lambda: _target_progress(user, year, as_of, edition, exclude_events, peers_level),
                  follows=follows)


def _visible_targets(user, year: int, peers_level: int | None):
    of_year = AirQualityTarget.objects.filter(year=year)
    return policy.visible_for_ranking(user, of_year, peers_level) if peers_level else policy.visible(user, of_year)


def _target_progress(user, year: int, as_of: dt.date, edition: str, exclude_events: bool,
                     peers_level: int | None = None) -> list[dict]:
    whole = Period.of_year(year)
    stored = stored_edition(edition, whole.end)
    # the year so far, the whole year once it is over; no day of it when as_of is before it begins
    span = whole.until(as_of) if whole.start <= as_of else None
    rows = []
    for target in _visible_targets(user, year, peers_level).select_related("region").order_by("region__path", "metric"):
        daily = read_daily(DailyResult.objects.filter(subject="region", place=target.region), stored,
                           span.start, span.end, exclude_events) if span else pl.DataFrame()
        value = float(target.value)
        metric = TargetMetric(target.metric)
        seasonal = span and (metric in METRIC_FUNCS or metric in (TargetMetric.GOOD_DAYS, TargetMetric.HEAVY_DAYS))
        base = _baseline(target.region, year, stored, exclude_events) if seasonal else None
        if daily.is_empty():
            result = progress.Progress(metric, value, None, None, None, "no_data", 0, 0)
        elif metric in METRIC_FUNCS:
            column = METRIC_FUNCS[metric]
            result = progress.mean_progress(
                metric, value, year, as_of, daily[column].drop_nulls().to_list(),
                baseline=list(base.drop_nulls(column).select("date", column).iter_rows()) if base is not None else None)
        else:
            # good and heavy days, the good-day ratio and the composite index as HJ 663 publishes them
            stats = evaluate_period(daily, span, stored).row(0, named=True)
            if metric == TargetMetric.GOOD_DAYS:
                result = progress.count_progress(metric, int(value), year, as_of, stats["good_days"], upper=False,
                                                 baseline_share=_share_by_now(base, span, stored, "good_days"))
            elif metric == TargetMetric.HEAVY_DAYS:
                result = progress.count_progress(metric, int(value), year, as_of, stats["heavy_days"], upper=True,
                                                 baseline_share=_share_by_now(base, span, stored, "heavy_days"))
            elif metric == TargetMetric.GOOD_RATIO:
                result = progress.ratio_progress(value, year, as_of, stats["good_days"], stats["valid_days"])
            else:
                result = progress.composite_progress(value, year, as_of, stats["composite_index"])
        rows.append({"region": target.region.name, "region_id": target.region_id, "metric": metric.value,
                     "metric_label": str(metric.label), "target_value": value, "source": target.source,
                     "ytd": _round(result.year_to_date), "schedule": _round(result.on_schedule),
                     "allowance": _round(result.allowance), "allowance_strict": _round(result.allowance_strict),
                     "status": result.status, "basis": result.basis,
                     "baseline_year": year - 1 if result.basis == "seasonal" else None,
                     "days_elapsed": result.days_elapsed, "days_remaining": result.days_remaining})
    return rows


def _baseline(region, year: int, stored: str, exclude_events: bool) -> pl.DataFrame | None:
    """The daily results of a target's baseline year (the year before it) where they can set the
    season (:func:`gongjian.analytics.targets.usable_baseline`); ``None`` otherwise."""
    whole = Period.of_year(year - 1)
    daily = read_daily(DailyResult.objects.filter(subject="region", place=region), stored, whole.start, whole.end,
                       exclude_events)
    return daily if not daily.is_empty() and progress.usable_baseline(daily["date"].to_list()) else None


def _share_by_now(base: pl.DataFrame | None, span: Period, stored: str, column: str) -> float | None:
    """The share of the baseline year's count (``good_days``, ``heavy_days``, as HJ 663 counts
    them) reached by the date ``span`` ends on, a year earlier; ``None`` without a baseline or when
    the baseline year counted none (no season to follow)."""
    if base is None:
        return None
    by_now = span.same_period_last_year()
    whole = Period.of_year(by_now.start.year)
    year_count = evaluate_period(base, whole, stored).row(0, named=True)[column]
    upto = base.filter(pl.col("date") <= by_now.end)
    if not year_count or upto.is_empty():
        return None
    return (evaluate_period(upto, by_now, stored).row(0, named=True)[column] or 0) / year_count


def _round(value):
    return None if value is None else round(float(value), 1)


