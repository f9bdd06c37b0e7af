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

import datetime as dt

import polars as pl

from gongjian.standards import composite, gb3095, hj633, hj663
from gongjian.standards.editions import (
    EDITIONS,
    check_edition,
    edition_expr,
    limits_phase,
    period_edition_expr,
)

__all__ = ["PERIOD_KINDS", "assign_periods", "daily_aqi", "hourly_aqi", "period_evaluation"]

PERIOD_KINDS = ("day", "week", "dekad", "month", "quarter", "year", "ytd", "custom")


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


def _dekad_start(date: pl.Expr) -> pl.Expr:
    day = date.dt.day()
    return date.dt.truncate("1mo").dt.offset_by(pl.when(day > 20).then(pl.lit("20d")).when(day > 10)
                                                  .then(pl.lit("10d")).otherwise(pl.lit("0d")))


def assign_periods(daily: pl.DataFrame, kind: str, *, start: dt.date | None = None, end: dt.date | None = None,
                   as_of: dt.date | None = None) -> pl.DataFrame:
    """Label each day with ``period``, ``period_start`` and ``period_end`` for a period kind.

    ``day``, ``week`` (ISO, Monday first), ``dekad`` (旬: days 1-10, 11-20, 21-end), ``month``,
    ``quarter``, ``year``, ``ytd`` (1 January to ``as_of``, which is required) and ``custom``
    (``start``..``end``, required). Days outside ``start``/``end`` (or after ``as_of``) are dropped.
    """
    if kind not in PERIOD_KINDS:
        raise ValueError(f"period kind must be one of {', '.join(PERIOD_KINDS)}, not {kind!r}")
    d = pl.col("date")
    if kind == "custom":
        if start is None or end is None:
            raise ValueError("a custom period needs start and end")
        daily = daily.filter(d.is_between(start, end))
        return daily.with_columns(pl.lit(f"{start}..{end}").alias("period"), pl.lit(start).alias("period_start"),
                                  pl.lit(end).alias("period_end"))
    if kind == "ytd":
        if as_of is None:
            raise ValueError("a year-to-date period needs as_of")
        daily = daily.filter((d.dt.year() == as_of.year) & (d <= as_of))
        return daily.with_columns(pl.lit(f"{as_of.year}-YTD").alias("period"),
                                  pl.lit(dt.date(as_of.year, 1, 1)).alias("period_start"), pl.lit(as_of).alias("period_end"))
    if start is not None:
        daily = daily.filter(d >= start)
    if end is not None:
        daily = daily.filter(d <= end)
    if kind == "day":
        first, label = d, d.cast(pl.String)
        last = d
    elif kind == "week":
        first = d.dt.truncate("1w")
        last = first.dt.offset_by("6d")
        label = pl.format("{}-W{}", d.dt.iso_year(), d.dt.week().cast(pl.String).str.zfill(2))
    elif kind == "dekad":
        first = _dekad_start(d)
        last = pl.when(d.dt.day() > 20).then(d.dt.month_end()).otherwise(first.dt.offset_by("9d"))
        label = pl.format("{}-D{}", d.dt.strftime("%Y-%m"), (first.dt.day() // 10 + 1).cast(pl.String))
    elif kind == "month":
        first, last, label = d.dt.truncate("1mo"), d.dt.month_end(), d.dt.strftime("%Y-%m")
    elif kind == "quarter":
        first = d.dt.truncate("1q")
        last = first.dt.offset_by("3mo").dt.offset_by("-1d")
        label = pl.format("{}-Q{}", d.dt.year(), d.dt.quarter())
    else:  # year
        first = d.dt.truncate("1y")
        last = first.dt.offset_by("1y").dt.offset_by("-1d")
        label = d.dt.year().cast(pl.String)
    return daily.with_columns(label.alias("period"), first.alias("period_start"), last.alias("period_end"))


def period_evaluation(daily: pl.DataFrame, kind: str, key: str = "station", edition: str = "auto",
                      divisors: dict[str, float] | None = None, weights: dict[str, float] | None = None) -> pl.DataFrame:
    """Statistics, composite index and (for years) attainment per ``key`` and period.

    ``daily`` comes from :func:`daily_aqi` and :func:`assign_periods`. ``edition`` is the one the
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
