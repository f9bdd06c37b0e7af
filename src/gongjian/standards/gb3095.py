"""GB 3095 ambient air-quality limits and data-validity minimums.

Limits: GB 3095-2012 Table 1 (Grade II, as amended 2018) and GB 3095-2026 Table 1, transition
phase (to 2030-12-31) and final phase (from 2031-01-01). Units µg/m3 except CO in mg/m3.
Validity: GB 3095-2026 Table 4 (the same numbers as GB 3095-2012 Table 4).

Exceedance and attainment are always judged against these limits, never from IAQI > 100: in
phase 2 several daily limits lie below the IAQI-100 breakpoints (air-quality-2026.md §3.1).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .editions import limits_phase

__all__ = ["LIMITS", "MIN_DAILY_HOURS", "MIN_8H_HOURS", "MIN_FEBRUARY_DAYS", "MIN_MDA8_WINDOWS", "MIN_MONTH_DAYS",
           "MIN_O3_1H_MAX_HOURS", "MIN_YEAR_DAYS", "annual_attainment", "limit", "min_month_days"]

#: Grade II limits by phase, pollutant and averaging period ("annual", "daily", "8h", "1h").
LIMITS: dict[str, dict[str, dict[str, float]]] = {
    # GB 3095-2012 Table 1, Grade II (unchanged by the 2018 amendment, which changed the reference state)
    "2012": {
        "so2": {"annual": 60, "daily": 150, "1h": 500},
        "no2": {"annual": 40, "daily": 80, "1h": 200},
        "co": {"daily": 4, "1h": 10},
        "o3": {"8h": 160, "1h": 200},
        "pm10": {"annual": 70, "daily": 150},
        "pm25": {"annual": 35, "daily": 75},
    },
    # GB 3095-2026 Table 1, Grade II, transition limits (2026-03-01 .. 2030-12-31)
    "2026-1": {
        "so2": {"annual": 60, "daily": 150, "1h": 500},
        "no2": {"annual": 40, "daily": 80, "1h": 200},
        "co": {"daily": 4, "1h": 10},
        "o3": {"8h": 160, "1h": 200},
        "pm10": {"annual": 60, "daily": 120},
        "pm25": {"annual": 30, "daily": 60},
    },
    # GB 3095-2026 Table 1, Grade II, final limits (from 2031-01-01)
    "2026-2": {
        "so2": {"annual": 20, "daily": 50, "1h": 150},
        "no2": {"annual": 30, "daily": 50, "1h": 200},
        "co": {"daily": 4, "1h": 10},
        "o3": {"8h": 160, "1h": 200},
        "pm10": {"annual": 50, "daily": 100},
        "pm25": {"annual": 25, "daily": 50},
    },
}

#: Table 4: a daily mean needs at least 20 hourly values.
MIN_DAILY_HOURS = 20
#: Table 4: an 8-hour mean needs at least 6 hourly values.
MIN_8H_HOURS = 6
#: HJ 663-2013 §6.1.2 (kept in HJ 663-2026 as reported, air-quality-2026.md §4): the daily maximum
#: 8-hour value needs at least 14 valid 8-hour values among the day's 17 windows, unless the
#: maximum of fewer already exceeds the 8-hour limit.
MIN_MDA8_WINDOWS = 14
#: No standard states a minimum for the daily maximum 1-hour O3 (used in the 2012 daily AQI).
#: This project applies the daily-mean minimum (20 hours) with the same "unless it already exceeds
#: the 1-hour limit" clause as the 8-hour maximum. Documented in docs/air-quality-engine.md.
MIN_O3_1H_MAX_HOURS = 20
#: Table 4: an annual mean needs at least 324 daily values ...
MIN_YEAR_DAYS = 324


#: Table 4: ... and at least 27 daily values in every month ...
MIN_MONTH_DAYS = 27
#: ... except February, which needs 25.
MIN_FEBRUARY_DAYS = 25


def min_month_days(month: int | pl.Expr) -> int | pl.Expr:
    """The fewest valid daily values a month needs for the annual mean (GB 3095-2026 Table 4, the
    same in GB 3095-2012 Table 4: ">= 324 daily values a year and >= 27 in every month, >= 25 in
    February"; shared/standards/air-quality.md §2.3).

    Parameters
    ----------
    month : int or polars.Expr
        Month number 1..12, a scalar or an integer column.

    Returns
    -------
    int or polars.Expr
        :data:`MIN_FEBRUARY_DAYS` for February, :data:`MIN_MONTH_DAYS` otherwise.

    Notes
    -----
    GB 3095 has no monthly row; HJ 663 applies this per-month condition to monthly means as well
    (:func:`gongjian.standards.hj663.period_validity`).

    >>> min_month_days(2), min_month_days(3)
    (25, 27)
    """
    if isinstance(month, pl.Expr):
        return pl.when(month == 2).then(pl.lit(MIN_FEBRUARY_DAYS)).otherwise(pl.lit(MIN_MONTH_DAYS))
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month!r}")
    return MIN_FEBRUARY_DAYS if month == 2 else MIN_MONTH_DAYS


def limit(pollutant: str, period: str, day: dt.date, edition: str = "auto") -> float:
    """The Grade II limit in force on ``day`` (for ``edition``)."""
    return LIMITS[limits_phase(day, edition)][pollutant][period]


def annual_attainment(frame: pl.DataFrame | pl.LazyFrame, phase: str):
    """Add ``attain_<item>`` and ``attainment`` for annual statistics under the limits of ``phase``.

    Items (HJ 663-2013 §8.3; MEE bulletins): SO2, NO2, PM10, PM2.5 annual means against the annual
    limits; CO 95th percentile against the daily limit; O3 daily-maximum-8-hour 90th percentile
    against the 8-hour limit. An item whose statistic is invalid (``valid_<stat>`` false) is null,
    and so is the overall ``attainment`` then; it is true only when all six attain. Whether the
    SO2/NO2/PM percentiles must also meet the daily limits is not confirmed and is not required here.
    """
    limits = LIMITS[phase]
    items = {"so2": ("so2", limits["so2"]["annual"]), "no2": ("no2", limits["no2"]["annual"]),
             "pm10": ("pm10", limits["pm10"]["annual"]), "pm25": ("pm25", limits["pm25"]["annual"]),
             "co": ("co_p95", limits["co"]["daily"]), "o3": ("o3_8h_p90", limits["o3"]["8h"])}
    exprs = [pl.when(pl.col(f"valid_{stat}") & pl.col(stat).is_not_null()).then(pl.col(stat) <= value)
             .alias(f"attain_{item}") for item, (stat, value) in items.items()]
    lf = frame.lazy().with_columns(exprs).with_columns(
        pl.when(pl.all_horizontal(pl.col(f"attain_{i}").is_not_null() for i in items))
        .then(pl.all_horizontal(pl.col(f"attain_{i}") for i in items)).alias("attainment"))
    return lf if isinstance(frame, pl.LazyFrame) else lf.collect()
