"""Meteorological normalisation on a constructed station whose answer is known: the pollutant is a
weather effect (wind disperses, humidity adds) plus a step of -20 µg/m3 on a known day plus noise.
The normalised series must lose the weather (no correlation with the wind left) and keep the step,
which the break finder must then date within its interval."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from gongjian.analytics import breakpoints
from gongjian.analytics import normalise as nm

STEP_DAY = dt.date(2021, 3, 1)
STEP = -20.0
FAST = {"num_iterations": 150, "num_leaves": 63}


def station(days=540, seed=7, step=STEP):
    rng = np.random.default_rng(seed)
    hours = days * 24
    time = pl.datetime_range(dt.datetime(2020, 6, 1), dt.datetime(2020, 6, 1) + dt.timedelta(hours=hours - 1),
                             "1h", eager=True)
    day = np.arange(hours) // 24
    daily_wind = rng.gamma(2.0, 1.2, size=days)  # the day's weather regime
    wind = np.clip(daily_wind[day] + rng.normal(0, 0.3, hours), 0, None)
    humidity = np.clip(60 + 20 * np.sin(np.arange(days) / 9.0)[day] + rng.normal(0, 5, hours), 5, 100)
    doy = time.dt.ordinal_day().to_numpy()
    temperature = 12 - 14 * np.cos(2 * np.pi * (doy - 15) / 365) + rng.normal(0, 2, hours)
    weather_effect = 90 * np.exp(-wind / 2.0) + 0.4 * (humidity - 60)
    after = (time.dt.date() >= STEP_DAY).to_numpy()
    pm25 = 40 + weather_effect + step * after + rng.normal(0, 4, hours)
    return pl.DataFrame({
        "time": time, "pm25": pm25, "wind_speed": wind, "humidity": humidity, "temperature": temperature,
        "wind_direction": rng.uniform(0, 360, hours), "pressure": 1010 + rng.normal(0, 5, hours),
        "rain": np.zeros(hours),
    })


@pytest.fixture(scope="module")
def frame():
    return station()


@pytest.fixture(scope="module")
def model(frame):
    return nm.fit(frame, "pm25", seed=1, params=FAST)


@pytest.fixture(scope="module")
def normalised(model, frame):
    return nm.normalise(model, frame, samples=200, seed=3)


def test_fit_reports_out_of_sample_skill_and_its_settings(model, frame):
    assert model.n_train + model.n_test == frame.height
    assert model.n_test == pytest.approx(0.2 * frame.height, abs=1)
    assert model.r2 > 0.85
    assert model.version.startswith("lightgbm ")
    assert model.params["num_iterations"] == 150 and model.params["seed"] == 1
    # the hold-out R² recomputed by hand from the stored hold-out rows
    h = model.holdout
    ss_res = ((h["observed"] - h["predicted"]) ** 2).sum()
    ss_tot = ((h["observed"] - h["observed"].mean()) ** 2).sum()
    assert model.r2 == pytest.approx(1 - ss_res / ss_tot)


def test_normalisation_removes_the_weather_and_keeps_the_step(frame, normalised):
    days = nm.daily(normalised).join(
        frame.group_by(pl.col("time").dt.date().alias("date")).agg(pl.col("wind_speed").mean()), on="date")
    observed_r = np.corrcoef(days["observed"], days["wind_speed"])[0, 1]
    normalised_r = np.corrcoef(days["normalised"], days["wind_speed"])[0, 1]
    assert observed_r < -0.6  # the raw series is driven by the wind
    assert abs(normalised_r) < 0.15  # the normalised one is not
    before = days.filter(pl.col("date") < STEP_DAY - dt.timedelta(days=14))["normalised"].mean()
    after = days.filter(pl.col("date") >= STEP_DAY + dt.timedelta(days=14))["normalised"].mean()
    assert after - before == pytest.approx(STEP, abs=3)
    assert (days["lower"] <= days["normalised"]).all() and (days["normalised"] <= days["upper"]).all()


def test_the_break_is_found_within_its_interval(normalised):
    """The step is the largest break, dated within its interval; its size is the true one within
    the model's shrinkage (the size interval is the normalised series', given the model). BIC on a
    smooth, autocorrelated normalised series may add small breaks (docs/air-quality-engine.md)."""
    found = breakpoints.find(nm.daily(normalised), hac=True)
    step = max(found.breaks, key=lambda b: abs(b.size))
    assert step.lower <= STEP_DAY - dt.timedelta(days=1) <= step.upper
    assert abs((step.date - (STEP_DAY - dt.timedelta(days=1))).days) <= 7
    assert step.size == pytest.approx(STEP, abs=1.5)
    assert all(abs(b.size) < abs(STEP) / 2 for b in found.breaks if b is not step)


def test_the_fast_matrix_is_the_model_on_every_draw(model, frame):
    """The interval-deduplicated design gives exactly what predicting every (time, draw) gives."""
    design = nm._design(frame, model.features)
    draws = design[np.random.default_rng(0).integers(0, len(design), size=25)]
    trend, _ = nm._times(frame, model)
    picked = trend[:: len(trend) // 40]
    matrix = nm._expectation_matrix(model, picked, draws, mean_only=False)
    for k in range(0, len(picked), 7):
        rows = draws.copy()
        rows[:, model.features.index("trend")] = picked[k]
        np.testing.assert_allclose(matrix[k], model.booster.predict(rows), rtol=0, atol=1e-9)


def test_the_estimates_approach_the_exact_expectation(model, frame):
    """Both Monte Carlo formulations estimate the mean over every row's weather; ours (shared,
    stratified draws) and rmweather's (fresh draws per time) both land near it."""
    small = frame.filter(pl.col("time").dt.date() < dt.date(2020, 8, 1))
    at = small["time"].gather(np.arange(0, small.height, 97))
    exact = nm.expectation(model, small, at)["normalised"].to_numpy()
    ours = nm.normalise(model, small, samples=300, seed=5).filter(pl.col("time").is_in(at.implode()))
    direct = nm.normalise_direct(model, small, samples=20, seed=5).filter(pl.col("time").is_in(at.implode()))
    spread = nm.normalise(model, small, samples=300, seed=5)["upper"].mean()
    assert np.sqrt(np.mean((ours["normalised"].to_numpy() - exact) ** 2)) < 0.05 * spread
    assert np.sqrt(np.mean((direct["normalised"].to_numpy() - exact) ** 2)) < 0.15 * spread


def test_expected_and_the_effect_of_measures():
    """Trained on business as usual; an episode 6 days long with 15 µg/m3 taken off by measures:
    the effect is found, with a band that holds it."""
    usual = station(days=400, seed=11, step=0.0)
    model = nm.fit(usual, "pm25", seed=2, params=FAST)
    episode = station(days=430, seed=12, step=0.0).filter(
        pl.col("time").is_between(dt.datetime(2021, 7, 10), dt.datetime(2021, 7, 15, 23)))
    episode = episode.with_columns(pl.col("pm25") - 15)
    expected = nm.expected(model, episode)
    assert expected.len() == episode.height
    np.testing.assert_allclose(expected.to_numpy(), model.booster.predict(nm._design(episode, model.features)))
    result = nm.effect(model, episode, level=0.9)
    assert result.days == 6
    assert result.lower <= -15 <= result.upper
    assert result.upper < 0  # the band excludes "no effect"
    assert result.mean_difference == pytest.approx(result.mean_observed - result.mean_expected)


@pytest.mark.parametrize("change, message", [
    (lambda f: f.drop("humidity"), "missing column(s): humidity"),
    (lambda f: f.with_columns(pl.col("time").cast(pl.String)), "must be a datetime"),
    (lambda f: f.with_columns(pl.col("wind_speed").cast(pl.String)), "'wind_speed' must be numeric"),
    (lambda f: f.head(30), "30 row(s) with pm25"),
])
def test_bad_input_is_named(frame, change, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        nm.fit(change(frame), "pm25")


def test_missing_time_names_the_row(frame):
    broken = frame.head(100).with_columns(
        pl.when(pl.int_range(pl.len()) == 4).then(None).otherwise(pl.col("time")).alias("time"))
    with pytest.raises(ValueError, match="row 5: time is missing"):
        nm.fit(broken, "pm25")
