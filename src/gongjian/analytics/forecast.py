"""Daily air-quality forecasts: days 1-3 in detail, days 4-7 as a trend, from the history and a
meteorological forecast (issue 18).

One gradient-boosted model (LightGBM) per pollutant and lead day predicts the daily concentration of
the target day from the recent observed daily concentrations, the season and weekday, and the
weather forecast for the target day. The AQI, the IAQIs, the primary pollutants and the level of a
forecast are computed from the forecast concentrations by :mod:`gongjian.standards.hj633` (the one
home of those rules); nothing here re-implements them.

Conventions
-----------
* ``issued`` is the day the forecast is issued. Lead ``L`` (1..7) is the target day ``issued + L``.
  The history is used up to and including ``issued`` (lag 0 is the issue day: in operation its
  daily value from the hours available at issue time, in the bench the full day).
* Concentrations are daily values as :func:`gongjian.analytics.airquality.daily_aqi` gives them
  (µg/m³; CO mg/m³; O3 the daily maximum 8-hour mean ``o3_8h``). Missing is null, never zero.
* A forecast row carries a point value and an AQI range ``aqi_low..aqi_high`` for every lead, as
  bulletins give them ("AQI 75–105", 良至轻度污染); days 4-7 are published as the range (trend).

The range
---------
When a model is trained, the last ``calibration`` share of the issue days (time-ordered, default
20 %) is held out: the models are fitted on the earlier days, early-stopped on the held-out ones,
and the ratio ``observed AQI / forecast AQI`` of every held-out station-day is collected per lead.
Its quantiles ``(1 - coverage) / 2`` and ``(1 + coverage) / 2`` (default coverage 0.5, the central
half) are the range factors of that lead; the models are then refitted on all days with the
early-stopped number of trees. A forecast's range is ``floor5(aqi × low factor) .. ceil5(aqi × high
factor)`` (rounded outwards to multiples of 5, as bulletins write them), kept on the scale
(0 .. :data:`gongjian.standards.hj633.AQI_TOP`) and always containing the point value.
Multiplicative factors because forecast errors grow with the level; they widen with the lead
because the held-out errors do.

Meteorological forecast layout (:data:`FEATURES`)
-------------------------------------------------
One row per ``site`` (a station code) or ``region`` (a region code), ``issued`` (date of issue) and
``time`` (an hour, start of the hour, naive Beijing time; or a day). Columns, all optional except the
keys, at least one variable required:

=========================  =====  ==================================  ==================
column                     unit   meaning                             daily value
=========================  =====  ==================================  ==================
``temperature``            °C     air temperature at 2 m               mean
``humidity``               %      relative humidity                    mean
``wind_speed``             m/s    wind speed at 10 m                   mean
``wind_direction``         °      direction the wind blows from        vector mean (u, v)
``boundary_layer_height``  m      planetary boundary-layer height      mean
``precipitation``          mm     precipitation in the hour or day     sum
``pressure``               hPa    surface pressure                     mean
=========================  =====  ==================================  ==================

Hourly rows are aggregated to days by :func:`daily_weather`; a day with rows is a day with weather
(a variable with no value on a day is null, never zero). ``rain`` is read as ``precipitation``, so
the observed-meteorology files of ``gongjian.air`` (:mod:`gongjian.air.met_io`) fit as they are.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from gongjian.standards import hj633, hj663
from gongjian.standards.editions import EDITIONS, check_edition, edition_expr
from gongjian.standards.rounding import round_half_even_expr

__all__ = [
    "FEATURES", "KEYS", "LEADS", "POLLUTANTS", "ForecastModel", "MetVariable", "aqi_of", "check_weather",
    "daily_weather", "hindcast", "predict", "range_levels", "train",
]

#: The daily concentrations forecast (hj633 daily indicator names).
POLLUTANTS = ("so2", "no2", "co", "o3_8h", "pm10", "pm25")
#: Lead days: 1-3 detailed, 4-7 trend.
LEADS = range(1, 8)
DETAILED_LEADS = (1, 2, 3)
#: Columns that name the place of a row, in the order they are looked for.
KEYS = ("station", "site", "region")
#: Days of own-pollutant history used as features (lag 0 = the issue day).
LAGS = 7
MODEL_FAMILY = "gongjian-forecast-1"


@dataclass(frozen=True)
class MetVariable:
    """One column of the meteorological forecast an office imports."""

    name: str
    unit: str
    daily: str  # how hourly values make the daily one: "mean", "sum" or "vector"
    lowest: float
    highest: float
    meaning: str


FEATURES = (
    MetVariable("temperature", "°C", "mean", -60, 60, "air temperature at 2 m"),
    MetVariable("humidity", "%", "mean", 0, 100, "relative humidity"),
    MetVariable("wind_speed", "m/s", "mean", 0, 75, "wind speed at 10 m"),
    MetVariable("wind_direction", "°", "vector", 0, 360, "direction the wind blows from"),
    MetVariable("boundary_layer_height", "m", "mean", 0, 10000, "planetary boundary-layer height"),
    MetVariable("precipitation", "mm", "sum", 0, 500, "precipitation in the hour or day"),
    MetVariable("pressure", "hPa", "mean", 400, 1100, "surface pressure"),
)
_BY_NAME = {v.name: v for v in FEATURES}
#: Daily weather columns the models can use (wind direction becomes the mean wind vector u, v).
WEATHER_COLUMNS = ("temperature", "humidity", "wind_speed", "wind_u", "wind_v", "boundary_layer_height",
                   "precipitation", "pressure")


def _key(frame: pl.DataFrame, key: str | None) -> str:
    if key is not None:
        if key not in frame.columns:
            raise ValueError(f"no column {key!r} (columns: {', '.join(frame.columns)})")
        return key
    for name in KEYS:
        if name in frame.columns:
            return name
    raise ValueError(f"no place column: one of {', '.join(KEYS)} is needed (columns: {', '.join(frame.columns)})")


#: Other names of the layout's columns (``rain``: the observed-meteorology files of gongjian.air).
ALIASES = {"rain": "precipitation"}


def _aliased(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({a: n for a, n in ALIASES.items() if a in frame.columns and n not in frame.columns})


def check_weather(frame: pl.DataFrame, key: str | None = None) -> list[tuple[int, str, str]]:
    """Problems of a meteorological forecast frame, as ``(row, column, message)`` (row 1 = first
    data row); an empty list when it follows the layout (:data:`FEATURES`)."""
    problems: list[tuple[int, str, str]] = []
    frame = _aliased(frame)
    try:
        key = _key(frame, key)
    except ValueError as exc:
        return [(0, "", str(exc))]
    if "time" not in frame.columns and "date" not in frame.columns:
        problems.append((0, "time", "no column time (an hour or a day)"))
    for name in ("time", "date"):
        if name in frame.columns and frame.schema[name] == pl.String:
            parsed = frame.with_row_index("_row", 1).with_columns(
                pl.col(name).str.to_datetime(strict=False).alias("_parsed"))
            for row, value in parsed.filter(pl.col("_parsed").is_null()).select("_row", name).head(50).iter_rows():
                problems.append((row, name, f"{value!r} is not a time (YYYY-MM-DD HH:MM) or a day (YYYY-MM-DD)"))
    present = [v for v in FEATURES if v.name in frame.columns]
    if not present and not {"wind_u", "wind_v"} & set(frame.columns):
        problems.append((0, "", "no weather variable: one of " + ", ".join(v.name for v in FEATURES)))
    for v in present:
        column = frame[v.name]
        if not column.dtype.is_numeric():
            problems.append((0, v.name, f"{v.name} is not numeric ({column.dtype})"))
            continue
        bad = frame.with_row_index("_row", 1).filter(
            pl.col(v.name).is_not_null() & ~pl.col(v.name).is_between(v.lowest, v.highest))
        for row, value in bad.select("_row", v.name).head(50).iter_rows():
            problems.append((row, v.name, f"{value} {v.unit} is outside {v.lowest}..{v.highest} {v.unit}"))
    return problems


def daily_weather(frame: pl.DataFrame, key: str | None = None) -> pl.DataFrame:
    """Daily weather per place (and ``issued``, when the frame has it) and ``date``, from hourly or
    daily rows in the layout of :data:`FEATURES`: means, the precipitation sum and the mean wind
    vector ``wind_u, wind_v`` (m/s, towards east and north) from speed and direction."""
    frame = _aliased(frame)
    key = _key(frame, key)
    problems = check_weather(frame, key)
    if problems:
        row, column, message = problems[0]
        raise ValueError(f"row {row}, column {column or '-'}: {message}" + (
            f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    name = "time" if "time" in frame.columns else "date"
    dtype = frame.schema[name]
    if isinstance(dtype, pl.Datetime):
        day = pl.col(name).dt.date()
    elif dtype == pl.Date:
        day = pl.col(name)
    elif dtype == pl.String:
        day = pl.col(name).str.to_datetime(strict=False).dt.date()
    else:
        raise ValueError(f"column {name}: {dtype} is neither a time nor a date")
    lf = frame.lazy().with_columns(day.alias("_date"))
    if "wind_direction" in frame.columns:
        speed = pl.col("wind_speed") if "wind_speed" in frame.columns else pl.lit(1.0)
        radians = pl.col("wind_direction").cast(pl.Float64).radians()
        # a wind from the north (0°) blows towards the south: u = -s sin(d), v = -s cos(d)
        lf = lf.with_columns((-speed * radians.sin()).alias("wind_u"), (-speed * radians.cos()).alias("wind_v"))
    groups = [key, *(["issued"] if "issued" in frame.columns else []), "_date"]
    aggregates = []
    for name in WEATHER_COLUMNS:
        if name in ("wind_u", "wind_v"):
            if "wind_direction" in frame.columns or name in frame.columns:  # (already daily: kept)
                aggregates.append(pl.col(name).mean())
        elif name in frame.columns:
            how = _BY_NAME[name].daily
            # a sum over no values is no data, not 0 mm
            aggregates.append(pl.when(pl.col(name).count() > 0).then(pl.col(name).sum()).alias(name)
                              if how == "sum" else pl.col(name).cast(pl.Float64).mean())
    out = lf.group_by(groups).agg(aggregates).rename({"_date": "date"}).collect()
    if key == "site":
        out = out.rename({"site": "station"})
    return out.sort([c for c in ("station", "region", "issued", "date") if c in out.columns])


def aqi_of(frame: pl.DataFrame, date: str = "date", edition: str = "auto", prefix: str = "iaqi_") -> pl.DataFrame:
    """IAQIs, AQI, level, category and primary pollutants of rows of daily concentrations
    (:data:`POLLUTANTS`), by :func:`gongjian.standards.hj633.aqi_columns` under the edition in force
    on each row's ``date`` (or the one named). The O3 1-hour maximum is not forecast: under the 2012
    edition the AQI of a forecast is that of the six indicators here."""
    check_edition(edition)
    indicators = tuple(p for p in POLLUTANTS if p in frame.columns)
    if frame.is_empty():
        return hj633.aqi_columns(frame, indicators, "2026", prefix).with_columns(pl.lit(None, pl.String).alias("edition"))
    frame = frame.with_row_index("_order").with_columns(edition_expr(pl.col(date), edition).alias("edition"))
    parts = [hj633.aqi_columns(frame.filter(pl.col("edition") == ed), indicators, ed, prefix)
             for ed in EDITIONS if (frame["edition"] == ed).any()]
    return pl.concat(parts, how="diagonal_relaxed").sort("_order").drop("_order")


def range_levels(low: int, high: int) -> str:
    """The level(s) an AQI range spans, as bulletins write them: 良, 良至轻度污染."""
    first, last = hj633.category(low), hj633.category(high)
    return first.name_zh if first.level == last.level else f"{first.name_zh}至{last.name_zh}"


@dataclass
class ForecastModel:
    """Trained forecast models: ``boosters[(pollutant, lead)]`` and the range factors per lead."""

    key: str
    leads: tuple[int, ...]
    features: dict[str, tuple[str, ...]]  # per pollutant
    weather: tuple[str, ...]
    places: tuple[str, ...]
    boosters: dict = field(repr=False)
    range_factors: dict[int, tuple[float, float]]
    coverage: float
    version: str
    trained_from: dt.date
    trained_to: dt.date
    rows: int
    calibration_days: int


def _grid(history: pl.DataFrame, key: str, end: dt.date | None = None) -> pl.DataFrame:
    """Every day from each place's first to its last (or ``end``), with its concentrations (null
    where none): shifts by row are then shifts by day."""
    bounds = history.group_by(key).agg(pl.col("date").min().alias("_lo"), pl.col("date").max().alias("_hi"))
    if end is not None:
        bounds = bounds.with_columns(pl.lit(end).alias("_hi"))
    grid = bounds.with_columns(pl.date_ranges("_lo", "_hi", "1d").alias("date")).explode("date").select(key, "date")
    values = history.select(key, "date", *[p for p in POLLUTANTS if p in history.columns])
    grid = grid.join(values, on=[key, "date"], how="left")
    for p in POLLUTANTS:
        if p not in grid.columns:
            grid = grid.with_columns(pl.lit(None, pl.Float64).alias(p))
    return grid.with_columns(pl.col(p).cast(pl.Float64) for p in POLLUTANTS).sort(key, "date")


def _history_features(grid: pl.DataFrame, key: str) -> pl.DataFrame:
    """Per place and origin day: each pollutant's lags 0..6 and 3- and 7-day means (a model uses
    its own pollutant's and the other pollutants' lag 0)."""
    columns = []
    for p in POLLUTANTS:
        columns += [pl.col(p).shift(k).over(key).alias(f"{p}_lag{k}") for k in range(LAGS)]
        columns.append(pl.col(p).rolling_mean(3, min_samples=1).over(key).alias(f"{p}_mean3"))
        columns.append(pl.col(p).rolling_mean(7, min_samples=1).over(key).alias(f"{p}_mean7"))
    return grid.with_columns(columns)


def _calendar(target: pl.Expr) -> list[pl.Expr]:
    angle = 2 * math.pi * target.dt.ordinal_day().cast(pl.Float64) / 365.25
    return [angle.sin().alias("doy_sin"), angle.cos().alias("doy_cos"),
            target.dt.weekday().cast(pl.Float64).alias("weekday")]


def _lead_frame(origins: pl.DataFrame, weather: pl.DataFrame, key: str, lead: int, names: tuple[str, ...]) -> pl.DataFrame:
    """Origins with their lead-``lead`` target day, calendar and the weather of the target day and
    of the day before it (``<variable>_prev``)."""
    frame = origins.with_columns((pl.col("date") + pl.duration(days=lead)).alias("target"))
    frame = frame.with_columns(_calendar(pl.col("target")))
    w = weather.select(key, "date", *names)
    frame = frame.join(w.rename({"date": "target"}), on=[key, "target"], how="left")
    prev = w.rename({n: f"{n}_prev" for n in names}).with_columns((pl.col("date") + pl.duration(days=1)).alias("target"))
    return frame.join(prev.drop("date"), on=[key, "target"], how="left")


def _feature_names(pollutant: str, weather: tuple[str, ...]) -> tuple[str, ...]:
    """The features of one pollutant's models: the place, its own lags 0..6 and 3- and 7-day means,
    the other pollutants' lag 0, the target day's season and weekday, and the weather of the target
    day and of the day before it."""
    history = [f"{pollutant}_lag{k}" for k in range(LAGS)] + [f"{pollutant}_mean{n}" for n in (3, 7)]
    history += [f"{p}_lag0" for p in POLLUTANTS if p != pollutant]
    return ("place", *history, "doy_sin", "doy_cos", "weekday", *weather, *[f"{n}_prev" for n in weather])


def _matrix(frame: pl.DataFrame, features: tuple[str, ...], places: dict[str, int], key: str) -> np.ndarray:
    codes = frame[key].cast(pl.String).replace_strict(places, default=None, return_dtype=pl.Float64)
    return frame.with_columns(codes.alias("place")).select(
        pl.col(f).cast(pl.Float64) for f in features).to_numpy()


_PARAMS = {
    "objective": "regression", "learning_rate": 0.08, "num_leaves": 31, "min_data_in_leaf": 20, "max_bin": 63,
    "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
    "verbosity": -1, "seed": 20250718, "deterministic": True, "force_col_wise": True,
}


def train(history_daily: pl.DataFrame, met_daily: pl.DataFrame, *, leads=LEADS, key: str | None = None,
          coverage: float = 0.5, calibration: float = 0.2, max_trees: int = 300, threads: int = 1,
          edition: str = "auto") -> ForecastModel:
    """Train one LightGBM model per pollutant and lead.

    Parameters
    ----------
    history_daily : key (``station`` or ``region``), ``date`` and the daily concentrations
        :data:`POLLUTANTS` (µg/m³, CO mg/m³; null = no valid value).
    met_daily : key, ``date`` and daily weather (:func:`daily_weather` of the observed or forecast
        weather; for training, the weather that happened, so the models learn its effect).
    leads : lead days to train (default 1..7).
    coverage : share of held-out outcomes a range covers (see the module notes).
    calibration : time-ordered share of issue days held out to early-stop and size the ranges.
    max_trees : the most boosting rounds (early stopping after 30 rounds without gain).
    threads : LightGBM threads. One by default: on a busy machine, more OpenMP threads than free
        cores spin against each other (a 200-tree fit took 6.7 s with one thread, 129 s with two,
        on our loaded 2-core machine).

    Targets are modelled as ``log1p(concentration)`` (errors proportional to the level); rows whose
    target is missing (null) are left out of that model.
    """
    import lightgbm as lgb

    key = _key(history_daily, key)
    if not 0 < coverage < 1 or not 0 < calibration < 1:
        raise ValueError("coverage and calibration are shares between 0 and 1")
    leads = tuple(sorted(set(leads)))
    if not leads or leads[0] < 1:
        raise ValueError("leads are whole days from 1")
    met_daily = met_daily.rename({"site": key}) if "site" in met_daily.columns and key != "site" else met_daily
    weather = tuple(n for n in WEATHER_COLUMNS if n in met_daily.columns)
    if not weather:
        raise ValueError("met_daily has no weather column: " + ", ".join(WEATHER_COLUMNS))
    grid = _grid(history_daily, key)
    if grid.is_empty():
        raise ValueError("history_daily has no rows")
    origins = _history_features(grid, key)
    features = {p: _feature_names(p, weather) for p in POLLUTANTS}
    places = {str(p): i for i, p in enumerate(sorted(grid[key].cast(pl.String).unique().to_list()))}
    days = origins["date"].unique().sort()
    if days.len() < 30:
        raise ValueError(f"{days.len()} days of history; at least 30 are needed to train")
    split = days[int(days.len() * (1 - calibration))]
    params = {**_PARAMS, "num_threads": threads}
    targets = grid.select(key, pl.col("date").alias("target"), *[pl.col(p).alias(f"y_{p}") for p in POLLUTANTS])
    boosters, factors = {}, {}
    for lead in leads:
        frame = _lead_frame(origins, met_daily, key, lead, weather).join(targets, on=[key, "target"], how="left")
        held = frame.filter(pl.col("date") >= split).select(key, "target", *[f"y_{p}" for p in POLLUTANTS])
        for p in POLLUTANTS:
            boosters[(p, lead)], predicted = _fit(frame, split, p, lead, features[p], places, key, params, max_trees)
            held = held.with_columns(pl.Series(p, predicted))
        factors[lead] = _range_factors(held, coverage, edition)
    version = (f"{MODEL_FAMILY} lightgbm-{lgb.__version__} {key}s={len(places)} "
               f"trained {days[0]}..{days[-1]} coverage={coverage}")
    return ForecastModel(key=key, leads=leads, features=features, weather=weather, places=tuple(places),
                         boosters=boosters, range_factors=factors, coverage=coverage, version=version,
                         trained_from=days[0], trained_to=days[-1], rows=origins.height,
                         calibration_days=int((days >= split).sum()))


def _fit(frame: pl.DataFrame, split: dt.date, p: str, lead: int, features: tuple[str, ...], places: dict[str, int],
         key: str, params: dict, max_trees: int):
    """One pollutant's model for one lead: early-stopped on the issue days from ``split``, then
    refitted on all days with that many trees. Returns it and its forecasts for the held-out rows
    (fitted without them)."""
    import lightgbm as lgb

    y = f"y_{p}"
    fit, hold = frame.filter((pl.col("date") < split) & (pl.col(y) >= 0)), frame.filter((pl.col("date") >= split) & (pl.col(y) >= 0))
    if fit.height < 20 or hold.height < 5:
        raise ValueError(f"too few days with {p} to train lead {lead} ({fit.height} + {hold.height})")
    train_set = lgb.Dataset(_matrix(fit, features, places, key), np.log1p(fit[y].to_numpy()), feature_name=list(features),
                            categorical_feature=["place"], free_raw_data=False)
    valid_set = lgb.Dataset(_matrix(hold, features, places, key), np.log1p(hold[y].to_numpy()), reference=train_set)
    early = lgb.train(params, train_set, max_trees, valid_sets=[valid_set], callbacks=[lgb.early_stopping(30, verbose=False)])
    trees = max(early.best_iteration or max_trees, 20)
    held_out = frame.filter(pl.col("date") >= split)
    predicted = np.clip(np.expm1(early.predict(_matrix(held_out, features, places, key), num_iteration=trees)), 0, None)
    everything = frame.filter(pl.col(y) >= 0)
    full = lgb.Dataset(_matrix(everything, features, places, key), np.log1p(everything[y].to_numpy()),
                       feature_name=list(features), categorical_feature=["place"])
    return lgb.train(params, full, trees), predicted


def _range_factors(held: pl.DataFrame, coverage: float, edition: str) -> tuple[float, float]:
    """Quantiles of observed AQI / forecast AQI over the held-out station-days."""
    forecast = aqi_of(held.select("target", *POLLUTANTS), "target", edition)["aqi"]
    observed = aqi_of(held.select("target", *[pl.col(f"y_{p}").alias(p) for p in POLLUTANTS]), "target", edition)["aqi"]
    ratio = pl.DataFrame({"f": forecast, "o": observed}).filter((pl.col("f") > 0) & pl.col("o").is_not_null())
    ratio = (ratio["o"] / ratio["f"]).cast(pl.Float64)
    if ratio.len() < 5:
        return (1.0, 1.0)
    lo = float(ratio.quantile((1 - coverage) / 2, "linear"))
    hi = float(ratio.quantile((1 + coverage) / 2, "linear"))
    return (min(lo, 1.0), max(hi, 1.0))


def _prepare_weather(model: ForecastModel, met: pl.DataFrame) -> pl.DataFrame:
    key = model.key
    if key not in met.columns and not (key == "station" and "site" in met.columns):
        raise ValueError(f"the weather forecast has no column {key!r}")
    weather = daily_weather(met, "site" if key not in met.columns else key)
    missing = [n for n in model.weather if n not in weather.columns]
    if missing:
        raise ValueError(f"the weather forecast lacks {', '.join(missing)}, which the model was trained with")
    return weather


def predict(model: ForecastModel, history_daily: pl.DataFrame, met_forecast: pl.DataFrame, issued: dt.date,
            *, edition: str = "auto") -> pl.DataFrame:
    """Forecast every place of ``history_daily`` for each lead of ``model`` from ``issued``.

    ``met_forecast`` is the weather forecast in the layout of :data:`FEATURES` (hourly or daily;
    rows of other issues are ignored when it has an ``issued`` column) or :func:`daily_weather`'s
    output. History after ``issued`` is ignored. Returns one row per place and target ``day``:
    ``issued, lead, detailed`` (days 1-3), ``weather`` (whether the target day had a weather
    forecast; without one the model still forecasts, from the history alone), the six
    concentrations, ``iaqi_*``, ``aqi``, ``level``, ``category``, ``primary_pollutants``,
    ``aqi_low``, ``aqi_high``, ``level_low``, ``level_high``, ``levels`` (良至轻度污染) and
    ``range_text`` ("AQI 75–105"); concentrations are rounded as the daily report rounds them
    (integers, CO one decimal).
    """
    weather = _prepare_weather(model, met_forecast)
    if "issued" in weather.columns:
        weather = weather.filter(pl.col("issued").cast(pl.Date) == issued).drop("issued")
    history = history_daily.filter(pl.col("date") <= issued)
    if history.is_empty():
        raise ValueError(f"no history up to {issued}")
    return _forecast(model, _grid(history, model.key, end=issued), weather, [issued], edition)


def hindcast(model: ForecastModel, history_daily: pl.DataFrame, met_daily: pl.DataFrame, issued_days,
             *, edition: str = "auto") -> pl.DataFrame:
    """:func:`predict` for many issue days at once, as a verification or a back-fill runs it: the
    forecast issued on day ``d`` uses the history up to ``d`` only, and the weather of
    ``met_daily`` (one row per place and day, no ``issued``: e.g. the observed weather as a stand-in
    for a forecast, or the latest forecast of each day)."""
    weather = _prepare_weather(model, met_daily)
    if "issued" in weather.columns:
        raise ValueError("hindcast takes one weather row per place and day (no issued column); use predict")
    days = sorted(set(issued_days))
    if not days:
        raise ValueError("no issue days")
    return _forecast(model, _grid(history_daily.filter(pl.col("date") <= days[-1]), model.key, end=days[-1]),
                     weather, days, edition)


def _forecast(model: ForecastModel, grid: pl.DataFrame, weather: pl.DataFrame, issued_days: list[dt.date],
              edition: str) -> pl.DataFrame:
    key = model.key
    origins = _history_features(grid, key).filter(pl.col("date").is_in(issued_days))
    if origins.is_empty():
        raise ValueError("no place has history on the issue day(s)")
    places = {p: i for i, p in enumerate(model.places)}
    rows = []
    for lead in model.leads:
        frame = _lead_frame(origins, weather, key, lead, model.weather)
        out = frame.select(key, pl.col("date").alias("issued"), pl.col("target").alias("day")).with_columns(
            pl.lit(lead, pl.Int32).alias("lead"), pl.lit(lead in DETAILED_LEADS).alias("detailed"),
            frame.select(pl.any_horizontal(pl.col(n).is_not_null() for n in model.weather)).to_series().alias("weather"))
        for p in POLLUTANTS:
            x = _matrix(frame, model.features[p], places, key)
            value = np.clip(np.expm1(model.boosters[(p, lead)].predict(x, num_threads=1)), 0, None)
            out = out.with_columns(round_half_even_expr(pl.lit(pl.Series(p, value)), hj663.DECIMALS.get(p, 0)).alias(p))
        rows.append(out)
    result = aqi_of(pl.concat(rows), "day", edition)
    lows = {lead: f[0] for lead, f in model.range_factors.items()}
    highs = {lead: f[1] for lead, f in model.range_factors.items()}
    low = (pl.col("aqi") * pl.col("lead").replace_strict(lows, return_dtype=pl.Float64) / 5).floor() * 5
    high = (pl.col("aqi") * pl.col("lead").replace_strict(highs, return_dtype=pl.Float64) / 5).ceil() * 5
    # the range stays on the scale (0..AQI_TOP: HJ 633 defines no AQI above 500), and holds the point
    result = result.with_columns(
        pl.min_horizontal(low.clip(0, hj633.AQI_TOP), pl.col("aqi")).cast(pl.Int64).alias("aqi_low"),
        pl.max_horizontal(high.clip(0, hj633.AQI_TOP), pl.col("aqi")).cast(pl.Int64).alias("aqi_high"))
    names = {c.level: c.name_zh for c in hj633.CATEGORIES}
    result = result.with_columns(hj633.level_expr(pl.col("aqi_low")).alias("level_low"),
                                 hj633.level_expr(pl.col("aqi_high")).alias("level_high"))
    first_name = pl.col("level_low").replace_strict(names, default=None, return_dtype=pl.String)
    last_name = pl.col("level_high").replace_strict(names, default=None, return_dtype=pl.String)
    result = result.with_columns(
        pl.format("AQI {}–{}", "aqi_low", "aqi_high").alias("range_text"),
        pl.when(pl.col("level_low") == pl.col("level_high")).then(first_name)
        .otherwise(pl.format("{}至{}", first_name, last_name)).alias("levels"))
    first = [key, "issued", "day", "lead", "detailed", "weather"]
    return result.select(*first, *[c for c in result.columns if c not in first]).sort(key, "issued", "lead")
