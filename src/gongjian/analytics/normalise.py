"""Meteorological normalisation of a station's series (Grange & Carslaw 2019), fast.

A gradient-boosting model (LightGBM) learns the pollutant from time and weather; the
*weather-normalised* series is, for each time, the model's expectation over weather drawn from the
whole period; the *expected* series is the model's prediction under the weather actually observed
(the business-as-usual counterfactual of an episode evaluation).

Method, as rmweather does it (Grange, S.K., Carslaw, D.C., Lewis, A.C., Boleti, E. and Hueglin, C.
(2018) Random forest meteorological normalisation models for Swiss PM10 trend analysis, Atmos. Chem.
Phys. 18:6223-6239; Grange, S.K. and Carslaw, D.C. (2019) Using meteorological normalisation to
detect interventions in air quality time series, Sci. Total Environ. 653:578-588):

* explanatory variables: the time variables ``trend`` (rmweather's ``date_unix``; here days since
  1970-01-01), ``doy`` (``day_julian``), ``weekday`` (Monday = 1) and ``hour``, plus the weather;
* the rows are split at random 80/20 into training and testing sets (``rmw_prepare_data``'s
  ``split_into_sets``); the model is trained on the training set and its R² is out of sample, on the
  testing set; rows without the pollutant are dropped; missing weather stays missing (LightGBM
  routes it; rmweather imputes the median instead);
* normalising (``rmw_normalise``): every explanatory variable except the trend is resampled, with
  replacement, from the whole period, and the predictions are averaged over ``samples`` draws:

  .. math:: \\hat y_{norm}(t) = \\frac{1}{S} \\sum_{s=1}^{S} F(trend_t, w_s)

What is fast here. rmweather draws new weather for every time and predicts N x S rows (35,064 hours
x 300 = 10.5 million predictions per station-4-years). Here the S draws are shared by all times
(common random numbers: the same expectation, estimated without bias) and stratified over the
period (one at a random place in each 1/S of it). A tree ensemble depends on the trend only through
its trend thresholds -- LightGBM bins every feature, so there are at most ``max_bin`` - 1 of them --
so the times fall into at most 255 intervals within which the prediction for a draw is the same:
the design is one row per (interval, draw), 255 x 300 rows predicted in one multi-threaded call,
and every time takes its interval's row. That is exact for the shared draws (no resolution is lost:
the hourly series is computed); the one approximation is the Monte Carlo error of the draws, mostly
a common offset of the whole series. ``normalise_direct`` is rmweather's formulation and
``expectation`` the exact mean over every row's weather, kept for the benchmark and the tests,
which measure the difference (bench/normalise.py, docs/performance.md).

Pure: Polars in and out; no Django, no clock.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

if TYPE_CHECKING:  # LightGBM is imported where a model is fitted: every `gongjian air` command loads this module
    import lightgbm as lgb

__all__ = [
    "DEFAULT_PARAMS", "TIME_FEATURES", "WEATHER", "Effect", "Model", "daily", "effect", "expectation",
    "expected", "fit", "normalise", "normalise_direct",
]

#: Weather variables by default: the columns the air importer's meteorology reader gives
#: (m/s, degrees from north, °C, %, hPa, mm).
WEATHER = ("temperature", "humidity", "wind_speed", "wind_direction", "pressure", "rain")
#: rmweather's time variables: date_unix, day_julian, weekday, hour.
TIME_FEATURES = ("trend", "doy", "weekday", "hour")
#: LightGBM settings: chosen on the Beijing bench (12 stations, out-of-sample R² above the
#: rmweather-style forest's at every station, see docs/performance.md); min_data_in_leaf 5 as
#: rmweather's min_node_size.
DEFAULT_PARAMS = {
    "objective": "regression", "learning_rate": 0.1, "num_leaves": 127, "min_data_in_leaf": 5,
    "num_iterations": 300, "max_bin": 255, "force_col_wise": True, "deterministic": True, "verbose": -1,
}
_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class Model:
    """A fitted normalisation model with what is needed to judge and reproduce it."""

    booster: lgb.Booster = field(repr=False)
    pollutant: str
    features: tuple[str, ...]  # column order of the design matrix
    weather: tuple[str, ...]
    time_features: tuple[str, ...]
    r2: float  # out of sample, on the testing set
    rmse: float
    n_train: int
    n_test: int
    seed: int
    params: dict
    version: str  # "lightgbm 4.7.0"
    holdout: pl.DataFrame = field(repr=False)  # time, observed, predicted of the testing set

    def describe(self) -> dict:
        """The figures a report states: R², RMSE, set sizes, the library and its settings."""
        return {"pollutant": self.pollutant, "r2": self.r2, "rmse": self.rmse, "n_train": self.n_train,
                "n_test": self.n_test, "features": list(self.features), "seed": self.seed,
                "version": self.version, "params": dict(self.params)}


def _check(frame: pl.DataFrame, columns: tuple[str, ...] | list[str]) -> None:
    missing = [c for c in ("time", *columns) if c not in frame.columns]
    if missing:
        raise ValueError(f"missing column(s): {', '.join(missing)}")
    if not isinstance(frame.schema["time"], pl.Datetime):
        raise ValueError(f"column 'time' must be a datetime, not {frame.schema['time']}")
    nulls = frame["time"].is_null()
    if nulls.any():
        raise ValueError(f"row {int(nulls.arg_true()[0]) + 1}: time is missing")
    for c in columns:
        if not frame.schema[c].is_numeric() and frame.schema[c] != pl.Null:
            raise ValueError(f"column {c!r} must be numeric, not {frame.schema[c]}")


def _design(frame: pl.DataFrame, features: tuple[str, ...]) -> np.ndarray:
    time = pl.col("time")
    derived = {
        "trend": time.dt.epoch("us").cast(pl.Float64) / (_SECONDS_PER_DAY * 1e6),
        "doy": time.dt.ordinal_day(), "weekday": time.dt.weekday(), "hour": time.dt.hour(),
    }
    exprs = [(derived[f] if f in derived else pl.col(f)).cast(pl.Float64).alias(f) for f in features]
    return frame.select(exprs).to_numpy().astype(np.float64, copy=False)


def fit(frame: pl.DataFrame, pollutant: str, *, weather: tuple[str, ...] = WEATHER,
        time_features: tuple[str, ...] = TIME_FEATURES, seed: int = 0, train_fraction: float = 0.8,
        params: dict | None = None) -> Model:
    """Train the model of ``pollutant`` on time and weather; R² on a random hold-out set.

    ``frame``: one station's rows, ``time`` (a datetime, the start of the hour), the pollutant and
    the ``weather`` columns. Rows without the pollutant are left out; a missing weather value is
    allowed. ``train_fraction`` of the rows, drawn at random with ``seed``, train the model and the
    rest test it (rmweather's 80/20 split).
    """
    unknown = [f for f in time_features if f not in TIME_FEATURES]
    if unknown:
        raise ValueError(f"unknown time feature(s) {unknown}; known: {', '.join(TIME_FEATURES)}")
    if not 0 < train_fraction < 1:
        raise ValueError("train_fraction must be between 0 and 1")
    _check(frame, (pollutant, *weather))
    rows = frame.filter(pl.col(pollutant).is_not_null() & pl.col(pollutant).is_not_nan())
    if rows.height < 50:
        raise ValueError(f"{rows.height} row(s) with {pollutant}: at least 50 are needed to train a model")
    features = (*time_features, *weather)
    x = _design(rows, features)
    y = rows[pollutant].cast(pl.Float64).to_numpy()
    order = np.random.default_rng(seed).permutation(len(y))
    n_train = int(round(train_fraction * len(y)))
    train, test = np.sort(order[:n_train]), np.sort(order[n_train:])
    import lightgbm as lgb

    settings = {**DEFAULT_PARAMS, **(params or {}), "seed": seed}
    rounds = settings.pop("num_iterations")
    booster = lgb.train(settings, lgb.Dataset(x[train], y[train], feature_name=list(features),
                                              free_raw_data=True), num_boost_round=rounds)
    predicted = booster.predict(x[test])
    residual = y[test] - predicted
    total = float(((y[test] - y[test].mean()) ** 2).sum())
    r2 = 1 - float((residual ** 2).sum()) / total if total > 0 else math.nan
    holdout = pl.DataFrame({"time": rows["time"].gather(test), "observed": y[test], "predicted": predicted})
    return Model(booster=booster, pollutant=pollutant, features=features, weather=tuple(weather),
                 time_features=tuple(time_features), r2=r2, rmse=float(np.sqrt((residual ** 2).mean())),
                 n_train=len(train), n_test=len(test), seed=seed,
                 params={**settings, "num_iterations": rounds}, version=f"lightgbm {lgb.__version__}",
                 holdout=holdout)


def _trend_thresholds(model: Model) -> list[np.ndarray]:
    """Per tree, the sorted thresholds of its splits on the trend (empty where it has none)."""
    if "trend" not in model.features:
        return []
    index = str(model.features.index("trend"))
    result = []
    for block in model.booster.model_to_string().split("\nTree=")[1:]:
        features = re.search(r"^split_feature=(.*)$", block, re.M)
        if features is None:  # a single leaf
            result.append(np.empty(0))
            continue
        thresholds = re.search(r"^threshold=(.*)$", block, re.M).group(1).split()
        result.append(np.unique([float(t) for f, t in zip(features.group(1).split(), thresholds, strict=True)
                                 if f == index]))
    return result


def _expectation_matrix(model: Model, trend: np.ndarray, draws: np.ndarray, *, mean_only: bool) -> np.ndarray:
    """F(trend_k, w_s) for the sorted distinct ``trend`` values (K) and the weather ``draws`` (S rows
    of the design, trend column ignored): a K x S matrix, or its row means with ``mean_only``.

    The model changes with the trend only at its trend thresholds (at most ``max_bin`` - 1 of them,
    LightGBM bins every feature), so the times fall into few intervals within which every tree gives
    the same output: the design is one row per (interval, draw), predicted in one multi-threaded call,
    and every time takes its interval's row. Exact: nothing is interpolated."""
    booster = model.booster
    if "trend" not in model.features:
        row = booster.predict(draws)
        return np.full(len(trend), row.mean()) if mean_only else np.tile(row, (len(trend), 1))
    column = model.features.index("trend")
    thresholds = _trend_thresholds(model)
    union = np.unique(np.concatenate(thresholds)) if thresholds else np.empty(0)
    interval = np.searchsorted(union, trend, side="left")  # LightGBM: left when value <= threshold
    used, first, position = np.unique(interval, return_index=True, return_inverse=True)
    result = np.empty((len(used),) if mean_only else (len(used), len(draws)))
    chunk = max(1, 2_000_000 // len(draws))  # rows per predict call: bounded memory for the exact mean
    for start in range(0, len(used), chunk):
        reps = trend[first[start:start + chunk]]
        rows = np.repeat(draws[None, :, :], len(reps), axis=0)
        rows[:, :, column] = reps[:, None]
        values = booster.predict(rows.reshape(-1, draws.shape[1])).reshape(len(reps), len(draws))
        result[start:start + chunk] = values.mean(axis=1) if mean_only else values
    return result[position]


def _times(frame: pl.DataFrame, model: Model) -> tuple[np.ndarray, np.ndarray]:
    """The distinct trend values of ``frame`` (sorted) and each row's index into them."""
    trend = _design(frame.select("time"), ("trend",))[:, 0]
    distinct, inverse = np.unique(trend, return_inverse=True)
    return distinct, inverse


def normalise(model: Model, frame: pl.DataFrame, *, samples: int = 300, seed: int = 0,
              band: tuple[float, float] = (0.05, 0.95), sampling: str = "stratified") -> pl.DataFrame:
    """The weather-normalised series at every time of ``frame``.

    ``samples`` rows of ``frame`` are drawn with replacement (rmweather's ``n_samples``), and all
    their explanatory variables except the trend stand in for the weather at every time. Columns:
    ``time``, ``observed`` (the pollutant, where ``frame`` has it), ``normalised`` (the mean over the
    draws), ``lower`` and ``upper`` (the ``band`` quantiles of the predictions over the draws: the
    range the concentration would take at that time under the period's weather), ``samples``.
    """
    _check(frame, model.weather)
    if frame.is_empty():
        raise ValueError("no rows to normalise")
    if samples < 1:
        raise ValueError("samples must be at least 1")
    if not 0 <= band[0] < band[1] <= 1:
        raise ValueError(f"band must be two quantiles low < high in 0..1, not {band}")
    if sampling not in ("stratified", "random"):
        raise ValueError(f"sampling must be 'stratified' or 'random', not {sampling!r}")
    design = _design(frame.sort("time"), model.features)
    rng = np.random.default_rng(seed)
    if sampling == "random":
        picks = rng.integers(0, len(design), size=samples)
    else:  # one draw at a random place in each 1/samples of the period
        picks = ((np.arange(samples) + rng.random(samples)) * len(design) / samples).astype(np.int64)
    draws = design[np.minimum(picks, len(design) - 1)]
    distinct, inverse = _times(frame, model)
    matrix = _expectation_matrix(model, distinct, draws, mean_only=False)
    low, high = np.quantile(matrix, band, axis=1)
    observed = frame[model.pollutant] if model.pollutant in frame.columns else pl.repeat(None, frame.height,
                                                                                          dtype=pl.Float64, eager=True)
    return pl.DataFrame({
        "time": frame["time"], "observed": observed.cast(pl.Float64),
        "normalised": matrix.mean(axis=1)[inverse], "lower": low[inverse], "upper": high[inverse],
    }).with_columns(pl.lit(samples, dtype=pl.Int32).alias("samples")).sort("time")


def normalise_direct(model: Model, frame: pl.DataFrame, *, samples: int = 300, seed: int = 0) -> pl.DataFrame:
    """rmweather's formulation, for comparison: each of ``samples`` rounds resamples the whole
    frame's non-trend variables, row by row, and predicts every row (N x samples predictions);
    columns ``time`` and ``normalised`` (the mean over the rounds)."""
    _check(frame, model.weather)
    design = _design(frame, model.features)
    rng = np.random.default_rng(seed)
    trend = model.features.index("trend") if "trend" in model.features else None
    total = np.zeros(len(design))
    for _ in range(samples):
        rows = design[rng.integers(0, len(design), size=len(design))]
        if trend is not None:
            rows[:, trend] = design[:, trend]
        total += model.booster.predict(rows)
    return pl.DataFrame({"time": frame["time"], "normalised": total / samples}).sort("time")


def expectation(model: Model, frame: pl.DataFrame, at: pl.Series | None = None) -> pl.DataFrame:
    """The exact expectation the draws estimate: the mean prediction over *every* row of ``frame``
    as the weather, at the times ``at`` (default: every time of ``frame``); columns ``time``,
    ``normalised``. The reference against which ``normalise`` and ``normalise_direct`` are measured."""
    _check(frame, model.weather)
    design = _design(frame, model.features)
    times = frame.select("time") if at is None else pl.DataFrame({"time": at})
    distinct, inverse = _times(times, model)
    means = _expectation_matrix(model, distinct, design, mean_only=True)
    return pl.DataFrame({"time": times["time"], "normalised": means[inverse]}).sort("time")


def expected(model: Model, frame_weather: pl.DataFrame) -> pl.Series:
    """The business-as-usual prediction under the given (observed) weather, row by row: what the
    model, trained on ordinary periods, expects at those times in that weather."""
    _check(frame_weather, model.weather)
    return pl.Series("expected", model.booster.predict(_design(frame_weather, model.features)))


@dataclass(frozen=True)
class Effect:
    """Observed minus expected over a period (an episode), with its uncertainty band."""

    series: pl.DataFrame  # time, observed, expected, difference
    days: int
    mean_observed: float
    mean_expected: float
    mean_difference: float  # the measures' effect: negative = lower than the weather alone explains
    lower: float
    upper: float
    level: float
    windows: int  # hold-out windows the band was drawn from


def effect(model: Model, frame: pl.DataFrame, *, level: float = 0.9) -> Effect:
    """The mean of observed - expected over ``frame``'s hours, with a ``level`` band.

    The band is the model's own error over a period as long as this one. From the hold-out rows
    (never seen in training), the mean residual (observed - predicted) is taken over every window of
    L consecutive calendar days, L the number of days in ``frame``: a moving-block bootstrap with
    one block of L days per replicate, keeping the errors' day-to-day correlation (weather regimes
    last days). The effect is ``mean_difference - e`` for a window error ``e``, so its band is
    ``mean_difference - q_high(e) .. mean_difference - q_low(e)``. Assumes the episode's error is like
    an ordinary period's; the hold-out rows neighbour training rows in time, so the band is a lower
    bound on the error of a period the model has never seen.
    """
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    _check(frame, (model.pollutant, *model.weather))
    series = frame.select("time", pl.col(model.pollutant).cast(pl.Float64).alias("observed")).with_columns(
        expected(model, frame)).with_columns((pl.col("observed") - pl.col("expected")).alias("difference"))
    valid = series.filter(pl.col("difference").is_not_null() & pl.col("difference").is_not_nan())
    if valid.is_empty():
        raise ValueError(f"no hour with {model.pollutant} observed: nothing to compare")
    days = valid["time"].dt.date().n_unique()
    residual = model.holdout.group_by(pl.col("time").dt.date().alias("day")).agg(
        (pl.col("observed") - pl.col("predicted")).sum().alias("sum"), pl.len().alias("n")).sort("day")
    calendar = pl.DataFrame({"day": pl.date_range(residual["day"].min(), residual["day"].max(), eager=True)})
    filled = calendar.join(residual, on="day", how="left").fill_null(0)
    sums = np.concatenate([[0.0], np.cumsum(filled["sum"].to_numpy(), dtype=float)])
    counts = np.concatenate([[0], np.cumsum(filled["n"].to_numpy())])
    if len(filled) < days:
        raise ValueError(f"the hold-out set spans {len(filled)} day(s), fewer than the {days} compared")
    n = counts[days:] - counts[:-days]
    errors = (sums[days:] - sums[:-days])[n > 0] / n[n > 0]
    low, high = np.quantile(errors, [(1 - level) / 2, 1 - (1 - level) / 2])
    mean_difference = float(valid["difference"].mean())
    return Effect(series=series, days=days, mean_observed=float(valid["observed"].mean()),
                  mean_expected=float(valid["expected"].mean()), mean_difference=mean_difference,
                  lower=mean_difference - float(high), upper=mean_difference - float(low), level=level,
                  windows=len(errors))


def daily(series: pl.DataFrame, columns: tuple[str, ...] = ("observed", "normalised", "lower", "upper")) -> pl.DataFrame:
    """Calendar-day means of a normalised series (``date`` and the ``columns`` present), the
    resolution break points and trends are found at."""
    present = [c for c in columns if c in series.columns]
    return series.group_by(pl.col("time").dt.date().alias("date")).agg(
        pl.col(c).mean() for c in present).sort("date")
