"""Theil-Sen trends openair's way, on series whose slope is known."""

import datetime as dt

import numpy as np
import polars as pl
import pytest
from scipy.stats import theilslopes

from gongjian.analytics.trend import block_indices, monthly, theil_sen, trend


def test_theil_sen_by_hand():
    # pairwise slopes 2, 0.5, 4/3, -1, 1, 3: median (1 + 4/3) / 2; intercept median(y) - b median(x)
    slope, intercept = theil_sen(np.array([0.0, 1, 2, 3]), np.array([1.0, 3, 2, 5]))
    assert slope == pytest.approx(7 / 6)
    assert intercept == pytest.approx(2.5 - 7 / 6 * 1.5)


def test_theil_sen_agrees_with_scipy():
    rng = np.random.default_rng(3)
    x = np.sort(rng.uniform(0, 100, 60))
    y = 0.3 * x + rng.standard_t(2, 60)
    assert theil_sen(x, y)[0] == pytest.approx(theilslopes(y, x)[0])


def test_block_indices_are_runs_of_consecutive_positions():
    picks = block_indices(20, 50, 4, np.random.default_rng(1))
    assert picks.shape == (50, 20) and picks.min() >= 0 and picks.max() <= 19
    runs = picks[:, :20].reshape(50, 5, 4)
    assert (np.diff(runs, axis=2) == 1).all()


def daily_series(slope_per_year, years=6, seasonal=0.0, seed=0):
    rng = np.random.default_rng(seed)
    days = pl.date_range(dt.date(2015, 1, 1), dt.date(2015 + years - 1, 12, 31), eager=True)
    t = np.arange(len(days)) / 365.0
    doy = days.dt.ordinal_day().to_numpy()
    y = 60 + slope_per_year * t + seasonal * np.cos(2 * np.pi * doy / 365) + rng.normal(0, 8, len(days))
    return pl.DataFrame({"date": days, "normalised": y})


def test_monthly_means():
    series = pl.DataFrame({"date": [dt.date(2020, 1, 1), dt.date(2020, 1, 31), dt.date(2020, 2, 3)],
                           "normalised": [1.0, 3.0, None]})
    months = monthly(series, "normalised")
    assert months.to_dicts() == [{"month": dt.date(2020, 1, 1), "value": 2.0}]


@pytest.mark.parametrize("autocor", [False, True])
def test_a_known_slope_is_within_its_interval(autocor):
    result = trend(daily_series(-3.0), autocor=autocor)
    assert result.months == 72
    assert result.lower <= -3.0 <= result.upper
    assert result.slope == pytest.approx(-3.0, abs=0.6)
    assert result.p_value < 0.01
    assert result.percent == pytest.approx(100 * result.slope / (result.intercept + result.slope / 365 * (
        dt.date(2015, 1, 1) - dt.date(1970, 1, 1)).days), rel=1e-9)


def test_no_slope_is_not_significant():
    result = trend(daily_series(0.0, seed=4))
    assert result.lower <= 0 <= result.upper
    assert result.p_value > 0.05


def test_deseasonalising_narrows_the_interval_of_a_seasonal_series():
    series = daily_series(-2.0, seasonal=25.0, seed=2)
    raw, deseasoned = trend(series), trend(series, deseason=True)
    assert deseasoned.upper - deseasoned.lower < 0.5 * (raw.upper - raw.lower)
    assert deseasoned.lower <= -2.0 <= deseasoned.upper


def test_the_interval_bounds_are_regci_order_statistics():
    """nboot 599, alpha 0.05: the 16th and the 584th of the sorted resampled slopes (1-based)."""
    series = daily_series(-3.0, seed=6)
    result = trend(series, nboot=599, seed=8)
    months = monthly(series, "normalised")
    x = months["month"].cast(pl.Int32).to_numpy().astype(float)
    y = months["value"].to_numpy()
    picks = block_indices(len(y), 599, 1, np.random.default_rng(8))
    slopes = np.sort([theil_sen(x[i], y[i])[0] for i in picks]) * 365
    assert (result.lower, result.upper) == (pytest.approx(slopes[15]), pytest.approx(slopes[583]))


def test_too_short():
    with pytest.raises(ValueError, match="at least 6"):
        trend(daily_series(1.0, years=1).head(100))


def test_deseasonalising_needs_two_of_every_month():
    with pytest.raises(ValueError, match="at least two years"):
        trend(daily_series(1.0, years=1), deseason=True)
