"""Quality checks of hourly station data on arrival (HJ 818-2018 practice: values a reviewer must see).

Each check finds *runs* of consecutive station-hours and returns them as findings with their
evidence; nothing is changed here. The air app marks the hours of a finding ``suspect`` (they leave
the statistics) until a reviewer confirms them invalid or overrides them as valid.

Checks (thresholds in :class:`Thresholds`, all configurable):

* ``out_of_range``: below zero or above the plausible maximum of the pollutant;
* ``stuck``: the same non-missing value for many consecutive hours;
* ``pm25_above_pm10``: PM2.5 above PM10 beyond measurement tolerance (PM2.5 is part of PM10);
* ``spike``: a jump up and straight back down within one hour;
* ``gap``: a long run of missing hours (reported, nothing to flag);
* ``neighbours``: a station far from the median of the other stations of its group, for many hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from gongjian.standards.hj663 import POLLUTANTS

from .runs import runs

__all__ = ["CHECKS", "Thresholds", "check_hours"]

CHECKS = ("out_of_range", "stuck", "pm25_above_pm10", "spike", "gap", "neighbours")


@dataclass(frozen=True)
class Thresholds:
    maximum: dict[str, float] = field(default_factory=lambda: {
        "so2": 2000, "no2": 1000, "co": 50, "o3": 1000, "pm10": 3000, "pm25": 1500})
    #: hours of one unchanged value before it is suspect; coarse resolutions repeat legitimately
    #: (CO is reported to 0.1 mg/m3, SO2 often sits at a few µg/m3)
    stuck_hours: dict[str, int] = field(default_factory=lambda: {
        "so2": 12, "no2": 8, "co": 24, "o3": 8, "pm10": 8, "pm25": 8})
    pm_tolerance: float = 10.0  # µg/m3 ...
    pm_ratio: float = 1.1  # ... and PM2.5 > 1.1 x PM10
    spike: dict[str, float] = field(default_factory=lambda: {
        "so2": 300, "no2": 200, "co": 5, "o3": 200, "pm10": 400, "pm25": 250})
    gap_hours: int = 24
    neighbour_ratio: float = 1.8
    neighbour_min_difference: float = 30.0
    neighbour_hours: int = 12


def _complete(hourly: pl.DataFrame) -> pl.DataFrame:
    span = hourly.group_by("station").agg(pl.col("time").min().alias("a"), pl.col("time").max().alias("b"))
    grid = span.select("station", pl.datetime_ranges("a", "b", interval="1h").alias("time")).explode("time")
    return grid.join(hourly, on=["station", "time"], how="left").sort("station", "time")


def _runs(frame: pl.DataFrame, condition: pl.Expr, check: str, pollutant: str, min_hours: int,
          detail: pl.Expr) -> pl.DataFrame:
    """Runs of consecutive hours where ``condition`` holds, at least ``min_hours`` long."""
    # the detail is computed over the whole series first: it may look at the hours around the run
    found = runs(frame.with_columns(detail.alias("_detail")), condition, key="station",
                 aggregates=[pl.col("_detail").first().alias("detail")])
    return found.filter(pl.col("length") >= min_hours).select(
        "station", pl.lit(pollutant).alias("pollutant"), pl.lit(check).alias("check"), "start", "end",
        pl.col("length").alias("hours"), "detail")


def _stuck(frame: pl.DataFrame, p: str, min_hours: int) -> pl.DataFrame:
    """Runs of one unchanged, non-missing value (a missing hour ends a run)."""
    v = pl.col(p)
    changed = (v != v.shift().over("station")).fill_null(True)
    runs = frame.with_columns(changed.cum_sum().over("station").alias("_run")).filter(v.is_not_null())
    return runs.group_by("station", "_run").agg(
        pl.col("time").min().alias("start"), pl.col("time").max().alias("end"), pl.len().alias("hours"),
        pl.format("value={}", v.first()).alias("detail"),
    ).filter(pl.col("hours") >= min_hours).select(
        "station", pl.lit(p).alias("pollutant"), pl.lit("stuck").alias("check"), "start", "end", "hours", "detail")


def check_hours(hourly: pl.DataFrame, groups: pl.DataFrame | None = None,
                thresholds: Thresholds = Thresholds()) -> pl.DataFrame:
    """Findings for hourly data (``station, time`` and the six pollutants, nulls missing).

    ``groups`` (``station, group``) enables the neighbour check among stations of the same group.
    Returns ``station, pollutant, check, start, end, hours, detail`` sorted by station and start;
    ``detail`` is the evidence as ``name=value`` pairs joined by ``;`` (``value=52.0;median=20.5``),
    in no language: the app words it in the reader's (``gongjian.air.findings.evidence``).
    """
    frame = _complete(hourly.select("station", "time", *POLLUTANTS))
    found = []
    for p in POLLUTANTS:
        v = pl.col(p)
        found.append(_runs(frame, (v < 0) | (v > thresholds.maximum[p]), "out_of_range", p, 1,
                           pl.format(f"value={{}};maximum={thresholds.maximum[p]}", v)))
        found.append(_stuck(frame, p, thresholds.stuck_hours[p]))
        jump = thresholds.spike[p]
        found.append(_runs(frame, ((v - v.shift().over("station")) > jump) & ((v - v.shift(-1).over("station")) > jump),
                           "spike", p, 1, pl.format("value={};before={};after={}", v,
                                                     v.shift().over("station"), v.shift(-1).over("station"))))
        found.append(_runs(frame, v.is_null(), "gap", p, thresholds.gap_hours,
                           pl.lit(f"hours={thresholds.gap_hours}")))
    above = (pl.col("pm25") > pl.col("pm10") * thresholds.pm_ratio) & (pl.col("pm25") - pl.col("pm10") > thresholds.pm_tolerance)
    found.append(_runs(frame, above, "pm25_above_pm10", "pm25", 1,
                       pl.format("pm25={};pm10={}", pl.col("pm25"), pl.col("pm10"))))
    if groups is not None:
        found.extend(_neighbours(frame, groups, thresholds))
    return pl.concat(found).sort("station", "start", "pollutant", "check")


def _neighbours(frame: pl.DataFrame, groups: pl.DataFrame, t: Thresholds) -> list[pl.DataFrame]:
    joined = frame.join(groups.select("station", "group"), on="station", how="inner")
    found = []
    for p in ("pm25", "pm10", "no2", "o3"):
        median = joined.group_by("group", "time").agg(pl.col(p).median().alias("_median"), pl.col(p).count().alias("_n"))
        with_median = joined.join(median, on=["group", "time"], how="left").sort("station", "time")
        v, m = pl.col(p), pl.col("_median")
        far = (pl.col("_n") >= 3) & ((v - m).abs() > t.neighbour_min_difference) & (
            (v > m * t.neighbour_ratio) | (v * t.neighbour_ratio < m))
        found.append(_runs(with_median, far, "neighbours", p, t.neighbour_hours,
                           pl.format("value={};median={}", v, m)))
    return found
