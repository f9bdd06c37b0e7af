"""Theil-Sen trend with its uncertainty, as openair's ``TheilSen`` computes it.

openair (Carslaw, D.C. and Ropkins, K. (2012) openair -- an R package for air quality data analysis,
Environ. Model. Softw. 27-28:52-61; ``TheilSen``, ``MKstats`` and Wilcox's ``regci`` / ``tsp1reg``):

* the series is averaged to calendar months (``avg.time = "month"``; a month with any value counts);
* optionally deseasonalised (``deseason = TRUE``). openair uses STL; here each calendar month's mean
  anomaly (its mean over the years minus the mean of all months) is subtracted, which removes the
  same fixed seasonal cycle without STL's slowly changing one;
* the slope is the Theil-Sen estimate, the median of the pairwise slopes (y_j - y_i)/(x_j - x_i)
  over pairs with x_j > x_i, the intercept median(y) - slope * median(x) (Wilcox's ``tsp1reg``);
  x in days, the slope reported per year (x 365, as openair);
* its interval: ``nboot`` (599) bootstrap resamples of the (x, y) pairs, by moving blocks of
  round(n^(1/3)) months when ``autocor`` (Buhlmann and Kunsch 1994, openair's ``autocor = TRUE``),
  else of single months; the bounds are the sorted resampled slopes number round(alpha/2 nboot) + 1
  and nboot - round(alpha/2 nboot); the p-value 2 min(p, 1 - p) with p the share of resampled slopes
  below zero (ties counted half), all as ``regci``;
* the slope in % per year relative to the fitted value at the start of the series, with its bounds.

Pure: NumPy on a Polars frame; no Django, no clock.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import polars as pl

__all__ = ["Trend", "block_indices", "monthly", "theil_sen", "trend"]

DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class Trend:
    slope: float  # per year
    lower: float
    upper: float
    p_value: float
    intercept: float  # at day 0 (1970-01-01), per day of x
    percent: float  # slope as % per year of the fitted value at the start
    percent_lower: float
    percent_upper: float
    months: int
    start: dt.date
    end: dt.date
    deseason: bool
    autocor: bool
    nboot: int
    alpha: float


def theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(slope, intercept): the median pairwise slope and median(y) - slope * median(x)."""
    dx = x[None, :] - x[:, None]
    dy = y[None, :] - y[:, None]
    use = dx > 0
    if not use.any():
        return math.nan, math.nan
    slope = float(np.median(dy[use] / dx[use]))
    return slope, float(np.median(y) - slope * np.median(x))


def block_indices(n: int, nboot: int, block: int, rng: np.random.Generator) -> np.ndarray:
    """``nboot`` x n resampled positions: moving blocks of ``block`` consecutive positions, the
    block starts drawn with replacement from 0..n-block, concatenated and cut to n."""
    starts = rng.integers(0, n - block + 1, size=(nboot, math.ceil(n / block)))
    return (starts[:, :, None] + np.arange(block)[None, None, :]).reshape(nboot, -1)[:, :n]


def monthly(series: pl.DataFrame, column: str, time: str = "date") -> pl.DataFrame:
    """Calendar-month means (``month`` as the first day of the month, ``value``)."""
    return series.select(pl.col(time).cast(pl.Date).dt.truncate("1mo").alias("month"),
                         pl.col(column).cast(pl.Float64).fill_nan(None).alias("value")).group_by(
        "month").agg(pl.col("value").mean()).drop_nulls().sort("month")


def trend(series: pl.DataFrame, column: str = "normalised", *, time: str = "date", deseason: bool = False,
          autocor: bool = False, nboot: int = 599, alpha: float = 0.05, seed: int = 0) -> Trend:
    """The Theil-Sen trend of ``column`` (monthly means of ``series``), openair's way."""
    for name in (time, column):
        if name not in series.columns:
            raise ValueError(f"missing column {name!r}")
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    months = monthly(series, column, time)
    if months.height < 6:
        raise ValueError(f"{months.height} month(s) with data: a trend needs at least 6")
    y = months["value"].to_numpy()
    if deseason:
        calendar = months["month"].dt.month().to_numpy()
        if np.bincount(calendar, minlength=13)[1:].min() < 2:
            raise ValueError("deseasonalising needs every calendar month in at least two years")
        anomaly = {m: y[calendar == m].mean() - y.mean() for m in np.unique(calendar)}
        y = y - np.array([anomaly[m] for m in calendar])
    x = (months["month"].cast(pl.Int32)).to_numpy().astype(float)  # days since 1970-01-01
    slope, intercept = theil_sen(x, y)
    block = round(len(y) ** (1 / 3)) if autocor else 1
    rng = np.random.default_rng(seed)
    boot = np.array([theil_sen(x[i], y[i])[0] for i in block_indices(len(y), nboot, block, rng)])
    ordered = np.sort(boot)  # a resample of all-equal x gives no slope: nan sorts last, as R's NA
    low, high = round(alpha / 2 * nboot), nboot - round(alpha / 2 * nboot) - 1
    share = (np.sum(boot < 0) + 0.5 * np.sum(boot == 0)) / nboot
    start_value = intercept + slope * x[0]

    def percent(per_day: float) -> float:
        return 100 * per_day * DAYS_PER_YEAR / start_value if start_value else math.nan

    return Trend(slope=slope * DAYS_PER_YEAR, lower=float(ordered[low]) * DAYS_PER_YEAR,
                 upper=float(ordered[high]) * DAYS_PER_YEAR, p_value=float(2 * min(share, 1 - share)),
                 intercept=intercept, percent=percent(slope), percent_lower=percent(float(ordered[low])),
                 percent_upper=percent(float(ordered[high])), months=len(y),
                 start=months["month"][0], end=months["month"][-1], deseason=deseason, autocor=autocor,
                 nboot=nboot, alpha=alpha)
