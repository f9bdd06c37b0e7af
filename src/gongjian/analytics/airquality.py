"""Air-quality evaluation from hourly data: daily AQI, period statistics, composite index.

The one pipeline every page, ranking, target and CLI uses (no other code re-implements a rule):

    hourly --daily_aqi--> daily (values + AQI) --assign_periods--> --period_evaluation--> statistics

Inputs are Polars frames: hourly values with a group key (a station or a region), ``time``
(naive Beijing time, start of the hour) and ``so2, no2, co, o3, pm10, pm25`` (µg/m3, CO mg/m3;
null = missing or invalid). With ``edition="auto"`` each day is evaluated under the edition in
force on it and period statistics under :func:`~gongjian.standards.editions.period_edition`;
``"2012"`` or ``"2026"`` evaluate everything under one edition, to compare across the switch.
"""

from __future__ import annotations

import polars as pl

from gongjian.periods import CALENDAR_KINDS, Period, PeriodKind
from gongjian.standards import composite, gb3095, hj633, hj663
from gongjian.standards.editions import (
    EDITIONS,
    check_edition,
    edition_expr,
    limits_phase,
    period_edition_expr,
)

__all__ = ["assign_periods", "daily_aqi", "hourly_aqi", "period_evaluation"]


def daily_aqi(hourly: pl.DataFrame | pl.LazyFrame, edition: str = "auto", key: str = "station") -> pl.DataFrame:
    """Valid daily values, IAQIs and daily AQI per ``key`` and day, with the ``edition`` used."""
    check_edition(edition)
    daily = hj663.daily_values(hourly, key).with_columns(edition_expr(pl.col("date"), edition).alias("edition")).collect()
    parts = [hj633.aqi_columns(daily.filter(pl.col("edition") == ed), hj633.DAILY_INDICATORS[ed], ed)
             for ed in EDITIONS if (daily["edition"] == ed).any()]
    if not parts:
        return hj633.aqi_columns(daily, hj633.DAILY_INDICATORS["2026"], "2026")
    return pl.concat(parts, how="diagonal_relaxed").sort(key, "date")


def hourly_aqi(hourly: pl.DataFrame | pl.LazyFrame, edition: str = "auto", key: str = "station") -> pl.DataFrame:
    """The real-time AQI of every hour, under the edition in force on the hour's day (or the one named)."""
    check_edition(edition)
    lf = hourly.lazy()
    if edition == "auto":
        lf = lf.with_columns(edition_expr(pl.col("time").dt.date()).alias("_edition"))
        editions = [ed for ed in EDITIONS if lf.select((pl.col("_edition") == ed).any()).collect().item()]
    else:
        editions = [edition]
    parts = []
    for ed in editions:
        indicators = hj663.hourly_indicators(lf, ed, key)
        if edition == "auto":
            indicators = indicators.filter(edition_expr(pl.col("time").dt.date()) == ed)
        parts.append(hj633.aqi_columns(indicators, hj633.HOURLY_INDICATORS[ed], ed)
                     .with_columns(pl.lit(ed).alias("edition")).collect())
    return pl.concat(parts, how="diagonal_relaxed").sort(key, "time")


def assign_periods(daily: pl.DataFrame, period: Period | PeriodKind | str) -> pl.DataFrame:
    """Label each day with ``period`` (its :attr:`~gongjian.periods.Period.key`), ``period_start``
    and ``period_end``.

    Given one :class:`~gongjian.periods.Period`, only its days are kept, all in that period. Given a
    calendar kind (day, week, dekad, month, quarter, half-year, year), every day falls in the period
    of that kind holding it; a year-to-date or custom period has to be given as a ``Period``. The
    boundaries come from :mod:`gongjian.periods`, once per distinct date, joined back to the rows.
    """
    d = pl.col("date")
    if isinstance(period, Period):
        return daily.filter(d.is_between(period.start, period.end)).with_columns(
            pl.lit(period.key).alias("period"), pl.lit(period.start).alias("period_start"),
            pl.lit(period.end).alias("period_end"))
    kind = PeriodKind(period)
    if kind not in CALENDAR_KINDS:
        raise ValueError(f"a {kind} period is given as a Period (gongjian.periods), not by its kind")
    days = daily["date"].unique().drop_nulls().to_list()
    periods = [Period.containing(kind, day) for day in days]
    lookup = pl.DataFrame({"date": days, "period": [p.key for p in periods],
                           "period_start": [p.start for p in periods], "period_end": [p.end for p in periods]},
                          schema={"date": pl.Date, "period": pl.String, "period_start": pl.Date, "period_end": pl.Date})
    return daily.join(lookup, on="date", how="inner", maintain_order="left")


def period_evaluation(daily: pl.DataFrame, kind: PeriodKind | str, key: str = "station", edition: str = "auto",
                      divisors: dict[str, float] | None = None, weights: dict[str, float] | None = None) -> pl.DataFrame:
    """Statistics, composite index and (for years) attainment per ``key`` and period.

    ``daily`` comes from :func:`daily_aqi` and :func:`assign_periods`; ``kind`` is the periods'
    (``Period.kind``), whose validity rule applies (:func:`~gongjian.standards.hj663.period_validity`). ``edition`` is the one the
    days were evaluated under; the statistics record the edition of each period
    (:func:`~gongjian.standards.editions.period_edition`), whose GB 3095 limits judge attainment.
    """
    stats = hj663.period_statistics(daily, [key, "period", "period_start", "period_end"], kind).collect()
    stats = composite.composite_index(stats, divisors, weights)
    stats = stats.with_columns(period_edition_expr(pl.col("period_end"), edition).alias("edition"))
    if kind == "year" and stats.height:
        parts = []
        for (ed, end), part in stats.group_by("edition", "period_end"):
            parts.append(gb3095.annual_attainment(part, limits_phase(end, ed)))
        stats = pl.concat(parts, how="diagonal_relaxed")
    return stats.sort(key, "period_start")
