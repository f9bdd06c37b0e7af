"""Reading the Beijing multi-site layout (UCI "Beijing Multi-Site Air-Quality Data", Zhang et al.
2017): one file per station with ``year,month,day,hour``, the six pollutants in µg/m3 (CO too) and the
station's weather ``TEMP`` (°C), ``PRES`` (hPa), ``DEWP`` (dew point, °C), ``RAIN`` (mm), ``wd`` (a
16-point compass direction) and ``WSPM`` (m/s).

Pollutants go through the air importer's reader (:func:`gongjian.air.hourly_io.read_hourly`, every
check included); the weather is read here into the meteorology columns (:data:`MET_COLUMNS`):
compass points become degrees (N = 0, NNE = 22.5, ...; ``cv``, calm and variable, is no direction),
relative humidity comes from temperature and dew point (Magnus formula, Alduchov and Eskridge 1996:
a = 17.625, b = 243.04 °C). Every problem is named by file, row and column; nothing is returned
unless all rows are sound.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from gongjian.core.imports import problems_from_mask
from gongjian.core.problems import InvalidInput, Problem

from .hourly_io import MET_COLUMNS, NA_VALUES, Layout, open_table, read_hourly
from .met_io import MET_RANGES

__all__ = ["BEIJING", "COMPASS", "read_beijing"]

BEIJING = Layout(columns={"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"},
                 units={"co": "ug/m3"}, time_columns=("year", "month", "day", "hour"))
#: 16-point compass -> degrees from north.
COMPASS = {name: i * 22.5 for i, name in enumerate(
    ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"))}
_NUMBERS = {"TEMP": "temperature", "PRES": "pressure", "DEWP": "dew_point", "RAIN": "rain", "WSPM": "wind_speed"}
_MAGNUS_A, _MAGNUS_B = 17.625, 243.04


def relative_humidity(temperature: pl.Expr, dew_point: pl.Expr) -> pl.Expr:
    """RH [%] from air temperature and dew point [°C] (Magnus), at most 100."""
    saturation = lambda t: (_MAGNUS_A * t / (_MAGNUS_B + t)).exp()  # noqa: E731
    return (100 * saturation(dew_point) / saturation(temperature)).clip(upper_bound=100.0)


def read_beijing(paths: list[Path]) -> pl.DataFrame:
    """``station, time``, the six pollutants (canonical units) and :data:`MET_COLUMNS`."""
    air = read_hourly(paths, BEIJING)
    problems: list[Problem] = []
    frames = []
    for path in map(Path, paths):
        source = path.name
        raw = open_table(path, [*_NUMBERS, "wd"], BEIJING, problems)
        if raw is None:
            continue
        y, m, d, h = (pl.col(c).str.strip_chars().cast(pl.Int32, strict=False) for c in BEIJING.time_columns)
        frame = raw.with_row_index("_row", offset=2).with_columns(
            pl.col("station").str.strip_chars(), pl.datetime(y, m, d, h).alias("time"),
            *(pl.col(c).str.strip_chars().alias(f"_{c}") for c in (*_NUMBERS, "wd")))
        frame = frame.with_columns(
            *(pl.when(pl.col(f"_{c}").is_null() | pl.col(f"_{c}").is_in(NA_VALUES)).then(None)
              .otherwise(pl.col(f"_{c}").cast(pl.Float64, strict=False)).alias(name) for c, name in _NUMBERS.items()),
            pl.col("_wd").replace_strict(COMPASS, default=None, return_dtype=pl.Float64).alias("wind_direction"))
        for c, name in _NUMBERS.items():
            text = pl.col(f"_{c}")
            problems += problems_from_mask(frame, text.is_not_null() & ~text.is_in(NA_VALUES) & pl.col(name).is_null(),
                                           c, lambda r, c=c: _("%(value)r is not a number") % {"value": r[f"_{c}"]}, source)
            if name in MET_RANGES:
                low, high = MET_RANGES[name]
                problems += problems_from_mask(frame, (pl.col(name) < low) | (pl.col(name) > high), c,
                                               lambda r, n=name, low=low, high=high: _("%(value)s is outside %(low)s..%(high)s") % {
                                                   "value": r[n], "low": low, "high": high}, source)
        wd = pl.col("_wd")
        problems += problems_from_mask(frame, wd.is_not_null() & ~wd.is_in([*NA_VALUES, "cv"]) & pl.col("wind_direction").is_null(),
                                       "wd", lambda r: _("%(value)r is not a compass point (N, NNE, ..., NNW)") % {"value": r["_wd"]},
                                       source)
        frames.append(frame.select("station", "time", *(n for n in _NUMBERS.values()), "wind_direction"))
    if problems:
        raise InvalidInput(problems)
    weather = pl.concat(frames).with_columns(
        relative_humidity(pl.col("temperature"), pl.col("dew_point")).alias("humidity")).select(
        "station", "time", *MET_COLUMNS)
    return air.join(weather, on=["station", "time"], how="left")
