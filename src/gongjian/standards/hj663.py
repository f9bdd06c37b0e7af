"""HJ 663 / GB 3095: from hourly values to valid daily values and period statistics.

Time convention (DESIGN.md): an hourly value is labelled by the **start** of its hour, in Beijing
time, so hours 00..23 of a natural day belong to that day. HJ 663 labels hours by their end
("16时" = 15:00-16:00); the 17 O3 8-hour windows it takes for the daily maximum, labelled 08:00 to
24:00, are here the windows whose last hour starts at 07..23, i.e. entirely inside the natural day
(GB 3095-2026 §3 "日最大8小时平均": within a natural day).

Rules (GB 3095-2026 Table 4 = GB 3095-2012 Table 4; HJ 663-2013 §6):

* daily mean (SO2, NO2, CO, PM10, PM2.5): mean of the day's valid hourly values, valid with >= 20;
* 8-hour moving mean: valid with >= 6 valid hours of the 8;
* O3 daily maximum 8-hour value: maximum over the day's 17 windows, valid with >= 14 valid windows,
  or with fewer when that maximum already exceeds the 8-hour limit;
* O3 daily maximum 1-hour value: see :data:`~gongjian.standards.gb3095.MIN_O3_1H_MAX_HOURS`;
* period means: mean of the valid daily values; a year needs >= 324 valid days and >= 27 in every
  month (>= 25 in February), :func:`gongjian.standards.gb3095.min_month_days`; a month >= 27 (25);
  see :func:`period_validity` for the other periods;
* good-day and heavy-pollution-day ratios: % of valid days, one decimal, half-even (:func:`day_ratio`);
* percentiles (HJ 663-2013 §8.2): k = 1 + (n-1)p/100, m_p = X(s) + (X(s+1)-X(s))(k-s), s = floor(k)
  (numpy's and Polars' "linear" method): CO 95th of daily means, O3 90th of daily maximum 8-hour
  values, SO2/NO2 98th, PM10/PM2.5 95th;
* reported concentrations rounded per GB/T 8170: integers, CO to one decimal (HJ 633-2026 §4.2.2).

Invalid data never enter statistics (GB 3095-2026 §6.4): :func:`mask_flagged` turns every value
whose data flag is not a valid one into null before any of the functions below see it.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from .gb3095 import (
    LIMITS,
    MIN_8H_HOURS,
    MIN_DAILY_HOURS,
    MIN_MDA8_WINDOWS,
    MIN_O3_1H_MAX_HOURS,
    MIN_YEAR_DAYS,
    min_month_days,
)
from .hj212 import VALID_DATA_FLAGS
from .rounding import round_half_even, round_half_even_expr, scaled_half_even_expr

__all__ = [
    "MEAN_POLLUTANTS", "POLLUTANTS", "PERCENTILES", "VALID_FLAGS", "daily_values", "day_ratio", "exclude_events",
    "hourly_indicators", "mask_flagged",
    "period_statistics", "period_validity", "round_concentration", "spatial_mean",
]

POLLUTANTS = ("so2", "no2", "co", "o3", "pm10", "pm25")
#: Pollutants evaluated by daily means.
MEAN_POLLUTANTS = ("so2", "no2", "co", "pm10", "pm25")
#: Decimal places of reported concentrations (HJ 633-2026 §4.2.2; HJ 663 practice before it).
DECIMALS = {"co": 1}
#: The statistic -> (daily column, percentile) for period statistics (HJ 663-2013 Table 2).
PERCENTILES = {
    "so2_p98": ("so2", 98), "no2_p98": ("no2", 98), "pm10_p95": ("pm10", 95), "pm25_p95": ("pm25", 95),
    "co_p95": ("co", 95), "o3_8h_p90": ("o3_8h", 90),
}
# The O3 limits are the same in every phase of GB 3095 (2012, 2026 transition and final).
_O3_8H_LIMIT = LIMITS["2012"]["o3"]["8h"]
_O3_1H_LIMIT = LIMITS["2012"]["o3"]["1h"]
#: Start hours of the last hour of the 17 daily-maximum 8-hour windows (HJ 663: 08:00..24:00).
MDA8_LAST_HOURS = range(7, 24)


#: Data flags that keep a value in the statistics: HJ 212's valid ones
#: (:data:`~gongjian.standards.hj212.VALID_DATA_FLAGS`, §6.2) and this project's review flag "valid".
#: Every other flag excludes the value: the other HJ 212 flags (:class:`~gongjian.standards.hj212.DataFlag`)
#: and the review flags "invalid", "calibration", "maintenance", "suspect" (a suspect value stays out
#: until a reviewer confirms it valid).
VALID_FLAGS = (*VALID_DATA_FLAGS, "valid")


def mask_flagged(hourly: pl.DataFrame | pl.LazyFrame, flag_suffix: str = "_flag"):
    """Null every value whose flag column (``<pollutant>_flag``) holds a flag outside
    :data:`VALID_FLAGS`; an empty flag counts as valid. Flag columns are dropped."""
    columns = hourly.collect_schema().names() if isinstance(hourly, pl.LazyFrame) else hourly.columns
    flagged = [p for p in POLLUTANTS if f"{p}{flag_suffix}" in columns]
    masks = [pl.when(pl.col(f"{p}{flag_suffix}").is_null() | pl.col(f"{p}{flag_suffix}").is_in(VALID_FLAGS) |
                     (pl.col(f"{p}{flag_suffix}") == "")).then(pl.col(p)).alias(p) for p in flagged]
    return hourly.with_columns(masks).drop(f"{p}{flag_suffix}" for p in flagged)


def exclude_events(hourly: pl.DataFrame | pl.LazyFrame, events: pl.DataFrame, key: str = "station"):
    """Null every value of the listed stations inside accepted exceptional events.

    HJ 663-2026 introduces exceptional events but its exclusion method was not available (see
    docs/air-quality-engine.md). This project removes the affected station-hours of every pollutant,
    as the dust rule of 环办监测〔2016〕120号 removes dust days, and the days then follow the normal
    validity rules. ``events``: ``key``, ``start``, ``end`` (naive Beijing times, inclusive).
    """
    if events.is_empty():
        return hourly
    marked = hourly.lazy().join(events.lazy().select(key, "start", "end"), on=key, how="left").with_columns(
        pl.col("time").is_between(pl.col("start"), pl.col("end")).fill_null(False).alias("_in_event"))
    flagged = marked.group_by(key, "time").agg(pl.col("_in_event").any())
    result = hourly.lazy().join(flagged, on=[key, "time"], how="left").with_columns(
        pl.when(pl.col("_in_event")).then(None).otherwise(pl.col(p)).alias(p) for p in POLLUTANTS).drop("_in_event")
    return result if isinstance(hourly, pl.LazyFrame) else result.collect()


def round_concentration(expr: pl.Expr, pollutant: str) -> pl.Expr:
    """GB/T 8170 rounding of a concentration: integer µg/m3 (Int64), CO one decimal mg/m3 (Float64)."""
    decimals = DECIMALS.get(pollutant.split("_")[0], 0)
    return scaled_half_even_expr(expr, 0) if decimals == 0 else round_half_even_expr(expr, decimals)


def _complete_hours(lf: pl.LazyFrame, key: str) -> pl.LazyFrame:
    """Every hour of every day from each group's first to last day, missing hours as null rows, in
    time order within each group, so that moving windows span real clock hours.

    Groups whose rows already are exactly those hours (the usual case: one row per hour, gaps as
    nulls) pass through untouched; only groups with absent rows are joined against a full grid,
    since the join costs far more than the data themselves (bench/aqi_national.py).
    """
    frame = lf.collect()
    spans = frame.group_by(key).agg(
        pl.len().alias("rows"), pl.col("time").n_unique().alias("hours"),
        pl.col("time").min().alias("first"), pl.col("time").max().alias("last"),
    ).with_columns(
        pl.col("first").dt.truncate("1d").alias("first_day"),
        (pl.col("last").dt.truncate("1d") + pl.duration(hours=23)).alias("last_hour"),
    )
    whole = ((pl.col("rows") == pl.col("hours")) & (pl.col("first") == pl.col("first_day"))
             & (pl.col("last") == pl.col("last_hour"))
             & (pl.col("rows") == (pl.col("last_hour") - pl.col("first_day")).dt.total_hours() + 1))
    gappy = spans.filter(~whole)
    parts = []
    if gappy.height < spans.height:
        complete = frame if gappy.is_empty() else frame.filter(~pl.col(key).is_in(gappy[key].implode()))
        in_order = complete.select(((pl.col("time").diff() > pl.duration(hours=0)) | (pl.col(key) != pl.col(key).shift()))
                                   .fill_null(True).all()).item()
        parts.append(complete if in_order else complete.sort(key, "time"))
    if not gappy.is_empty():
        grid = gappy.select(pl.col(key), pl.datetime_ranges("first_day", "last_hour", interval="1h").alias("time")) \
            .explode("time")
        rows = frame.filter(pl.col(key).is_in(gappy[key].implode()))
        parts.append(grid.join(rows, on=[key, "time"], how="left").sort(key, "time"))
    return pl.concat(parts).lazy()


def _moving(pollutant: str, hours: int, minimum: int, key: str) -> pl.Expr:
    return pl.col(pollutant).rolling_mean(hours, min_samples=minimum).over(key)


def daily_values(hourly: pl.DataFrame | pl.LazyFrame, key: str = "station") -> pl.LazyFrame:
    """Valid daily values per ``key`` and date from hourly values.

    Returns columns ``key, date``; ``so2, no2, co, pm10, pm25`` (daily means), ``o3_1h`` (daily
    maximum 1-hour), ``o3_8h`` (daily maximum 8-hour), each rounded and null when invalid;
    ``hours_<p>`` (valid hours), ``windows_o3_8h`` (valid 8-hour windows of the 17); ``invalid``
    (why each null value is invalid, or null when all are valid).
    """
    lf = _complete_hours(hourly.lazy().select(key, "time", *POLLUTANTS), key)
    lf = lf.with_columns(
        pl.col("time").dt.date().alias("date"),
        pl.col("time").dt.hour().alias("hour"),
        _moving("o3", 8, MIN_8H_HOURS, key).alias("o3_8h_moving"),
    )
    in_window = pl.col("hour") >= MDA8_LAST_HOURS.start
    aggregates = []
    for p in MEAN_POLLUTANTS:
        aggregates += [pl.col(p).mean().alias(f"{p}_raw"), pl.col(p).count().alias(f"hours_{p}")]
    aggregates += [
        pl.col("o3").max().alias("o3_1h_raw"), pl.col("o3").count().alias("hours_o3"),
        pl.col("o3_8h_moving").filter(in_window).max().alias("o3_8h_raw"),
        pl.col("o3_8h_moving").filter(in_window).count().alias("windows_o3_8h"),
    ]
    daily = lf.group_by(key, "date").agg(aggregates)

    values, reasons = [], []
    for p in MEAN_POLLUTANTS:
        ok = pl.col(f"hours_{p}") >= MIN_DAILY_HOURS
        values.append(pl.when(ok).then(round_concentration(pl.col(f"{p}_raw"), p)).alias(p))
        reasons.append(pl.when(~ok).then(pl.format(f"{p}: {{}} valid hours < {MIN_DAILY_HOURS}", f"hours_{p}")))
    o3_1h = round_concentration(pl.col("o3_1h_raw"), "o3")
    # fill_null: a day without any valid hour (or window) has no maximum, and is simply invalid
    ok_1h = (pl.col("hours_o3") >= MIN_O3_1H_MAX_HOURS) | (o3_1h > _O3_1H_LIMIT).fill_null(False)
    values.append(pl.when(ok_1h).then(o3_1h).alias("o3_1h"))
    reasons.append(pl.when(~ok_1h).then(pl.format(f"o3_1h: {{}} valid hours < {MIN_O3_1H_MAX_HOURS}", "hours_o3")))
    mda8 = round_concentration(pl.col("o3_8h_raw"), "o3")
    ok_8h = (pl.col("windows_o3_8h") >= MIN_MDA8_WINDOWS) | (mda8 > _O3_8H_LIMIT).fill_null(False)
    values.append(pl.when(ok_8h).then(mda8).alias("o3_8h"))
    reasons.append(pl.when(~ok_8h).then(
        pl.format(f"o3_8h: {{}} valid 8-hour windows < {MIN_MDA8_WINDOWS}", "windows_o3_8h")))
    invalid = pl.concat_list(reasons).list.drop_nulls().list.join("; ")
    counts = [f"hours_{p}" for p in (*MEAN_POLLUTANTS, "o3")] + ["windows_o3_8h"]
    return (daily.with_columns(values)
            .with_columns(pl.when(invalid != "").then(invalid).alias("invalid"))
            .select(key, "date", "so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25", *counts, "invalid")
            .sort(key, "date"))


def hourly_indicators(hourly: pl.DataFrame | pl.LazyFrame, edition: str, key: str = "station") -> pl.LazyFrame:
    """The concentrations the real-time (hourly) AQI indexes, per ``key`` and hour.

    2026 (HJ 633-2026 §4.1.2): the six 1-hour values. 2012 (HJ 633-2012 §5.3): 1-hour SO2, NO2, CO,
    O3, the O3 8-hour moving mean (>= 6 of 8 hours) and the PM10 and PM2.5 24-hour moving means
    (>= 20 of 24 hours, the daily-mean minimum); ``so2`` is the SO2 24-hour moving mean, which indexes
    SO2 when its 1-hour value exceeds 800. Columns are named as :mod:`gongjian.standards.hj633` expects.
    """
    lf = _complete_hours(hourly.lazy().select(key, "time", *POLLUTANTS), key)
    one_hour = [pl.col("so2").alias("so2_1h"), pl.col("no2").alias("no2_1h"),
                pl.col("co").alias("co_1h"), pl.col("o3").alias("o3_1h")]
    if edition == "2026":
        columns = [*one_hour, pl.col("pm10"), pl.col("pm25")]
    elif edition == "2012":
        columns = [*one_hour, _moving("o3", 8, MIN_8H_HOURS, key).alias("o3_8h"),
                   _moving("pm10", 24, MIN_DAILY_HOURS, key).alias("pm10"),
                   _moving("pm25", 24, MIN_DAILY_HOURS, key).alias("pm25"),
                   _moving("so2", 24, MIN_DAILY_HOURS, key).alias("so2"),
                   pl.col("pm10").alias("pm10_1h"), pl.col("pm25").alias("pm25_1h")]
    else:
        raise ValueError(f"hourly_indicators needs edition '2012' or '2026', not {edition!r}")
    names = [c.meta.output_name() for c in columns]
    return lf.select(key, "time", *columns).with_columns(round_concentration(pl.col(n), n) for n in names)


def spatial_mean(hourly: pl.DataFrame | pl.LazyFrame, membership: pl.DataFrame | pl.LazyFrame,
                 min_stations: int = 1, station: str = "station", region: str = "region") -> pl.LazyFrame:
    """Hourly values of regions from their stations' hourly values.

    HJ 663-2013 §5.2: a city's (or county's) concentration is the arithmetic mean of its assessment
    stations' valid concentrations; each hour is averaged first and the region's daily and period
    values then follow from its own hourly series exactly as for a station, never as an average of
    station averages. ``membership`` maps ``station`` to ``region`` (a station may count for several
    regions). An hour needs ``min_stations`` valid stations per pollutant (HJ 663's own minimum share
    was not available; the default, 1, is documented in docs/air-quality-engine.md).
    """
    joined = hourly.lazy().join(membership.lazy().select(station, region), on=station, how="inner")
    aggregates = []
    for p in POLLUTANTS:
        aggregates.append(pl.when(pl.col(p).count() >= min_stations).then(pl.col(p).mean()).alias(p))
    return joined.group_by(region, "time").agg(aggregates).sort(region, "time")


def day_ratio(days: int | pl.Expr, valid_days: int | pl.Expr) -> Decimal | None | pl.Expr:
    """A share of valid days as published: the good-day ratio (优良天数比例) or the heavy-pollution
    day ratio, in % of the days with a daily AQI, to one decimal by GB/T 8170 half-even rounding.

    .. math::

        R = \\operatorname{round}_{0.1}\\left(100\\,\\frac{d}{n}\\right)

    Parameters
    ----------
    days : int or polars.Expr
        Days counted (AQI <= 100 for the good-day ratio, AQI > 200 for heavy pollution).
    valid_days : int or polars.Expr
        Days with a valid daily AQI.

    Returns
    -------
    decimal.Decimal, None or polars.Expr
        The published percentage; None (null) without valid days. A scalar is computed exactly in
        decimal arithmetic, a column through :func:`~gongjian.standards.rounding.round_half_even_expr`;
        both round 254/363 = 69.97... % to 70.0 and an exact half (1401/2000 = 70.05 %) to the even 70.0.

    Notes
    -----
    Targets and rankings compare this published figure, never the unrounded share: a year
    published at 70.0 % meets a 70 % target.

    >>> day_ratio(254, 363), day_ratio(0, 0)
    (Decimal('70.0'), None)
    """
    if isinstance(days, pl.Expr) or isinstance(valid_days, pl.Expr):
        days, valid_days = (e if isinstance(e, pl.Expr) else pl.lit(e) for e in (days, valid_days))
        return pl.when(valid_days > 0).then(round_half_even_expr(days / valid_days * 100, 1))
    if valid_days <= 0:
        return None
    return round_half_even(Decimal(100 * days) / Decimal(valid_days), 1)


def period_validity(kind: str, days: pl.Expr, month_days_ok: pl.Expr) -> pl.Expr:
    """Whether a period statistic meets the standard's minimum, in one place.

    ``kind``: ``year`` (>= 324 valid days and every month >= 27, February >= 25; GB 3095 Table 4),
    ``month`` (>= 27, February >= 25: the monthly condition inside that rule), ``quarter`` (every
    month meets the monthly condition; a project rule, no standard defines quarters), or any other
    period (day, week, dekad, year-to-date, custom), for which no standard sets a minimum: valid
    when at least one valid day exists, with capture reported beside it.
    ``month_days_ok`` is true when every month of the period meets its monthly minimum.
    """
    if kind == "year":
        return (days >= MIN_YEAR_DAYS) & month_days_ok
    if kind in ("month", "quarter"):
        return month_days_ok
    return days >= 1


def period_statistics(daily: pl.DataFrame | pl.LazyFrame, keys: list[str], kind: str) -> pl.LazyFrame:
    """Statistics of each group of daily values (one group per ``keys``, e.g. station and year).

    ``daily`` has the columns of :func:`daily_values` plus ``aqi`` (daily AQI, null when not
    published). Returns per group: means ``so2, no2, pm10, pm25``; percentiles (:data:`PERCENTILES`);
    ``days_<p>`` (valid days per statistic), ``days`` (calendar days in the data), ``valid_days``
    (days with an AQI), ``good_days`` (AQI <= 100), ``good_ratio`` (% of valid days, one decimal),
    ``heavy_days`` (AQI > 200), ``heavy_ratio``; ``valid_<stat>`` per statistic (the rule of
    :func:`period_validity`).
    """
    lf = daily.lazy().with_columns(pl.col("date").dt.month().alias("_month"), pl.col("date").dt.year().alias("_year"))
    stats = {p: (p, None) for p in ("so2", "no2", "pm10", "pm25")} | {k: v for k, v in PERCENTILES.items()}
    # days per month per source column, to apply the monthly minimum
    month_counts = lf.group_by(*keys, "_year", "_month").agg(
        *(pl.col(c).count().alias(f"m_{c}") for c in {c for c, _ in stats.values()}))
    month_ok = month_counts.with_columns(
        (pl.col(f"m_{c}") >= min_month_days(pl.col("_month"))).alias(f"ok_{c}")
        for c in {c for c, _ in stats.values()}
    ).group_by(*keys).agg(pl.col(f"ok_{c}").all() for c in {c for c, _ in stats.values()})

    aggregates = [pl.len().alias("days"), pl.col("aqi").count().alias("valid_days"),
                  (pl.col("aqi") <= 100).sum().alias("good_days"), (pl.col("aqi") > 200).sum().alias("heavy_days")]
    for name, (column, percentile) in stats.items():
        value = pl.col(column).mean() if percentile is None else pl.col(column).quantile(percentile / 100, "linear")
        aggregates += [round_concentration(value, column).alias(name), pl.col(column).count().alias(f"days_{name}")]
    result = lf.group_by(*keys).agg(aggregates).join(month_ok, on=keys, how="left")
    result = result.with_columns(
        day_ratio(pl.col("good_days"), pl.col("valid_days")).alias("good_ratio"),
        day_ratio(pl.col("heavy_days"), pl.col("valid_days")).alias("heavy_ratio"),
        *(period_validity(kind, pl.col(f"days_{name}"), pl.col(f"ok_{column}")).alias(f"valid_{name}")
          for name, (column, _) in stats.items()),
    )
    if {"period_start", "period_end"} <= set(keys):
        calendar = (pl.col("period_end") - pl.col("period_start")).dt.total_days() + 1
        result = result.with_columns(calendar.alias("calendar_days")).with_columns(
            round_half_even_expr(pl.col(f"days_{name}") / pl.col("calendar_days") * 100, 1).alias(f"capture_{name}")
            for name in stats)
    return result.drop(f"ok_{c}" for c in {c for c, _ in stats.values()}).sort(keys)
