"""Reading hourly meteorology (per station or meteorological site) from CSV or Excel, checking
everything: columns ``station,time,wind_speed,wind_direction,temperature,humidity,pressure,rain``
(m/s, degrees from north, °C, %, hPa, mm); time as for air data (:mod:`gongjian.air.hourly_io`).
Every problem is named by file, row and column; nothing is returned unless all rows are sound."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from gongjian.core.imports import problems_from_mask
from gongjian.core.problems import InvalidInput, Problem

from .hourly_io import (
    MET_COLUMNS,
    NA_VALUES,
    Layout,
    _duplicates,
    _time_expr,
    open_table,
    station_problems,
)

__all__ = ["MET_RANGES", "read_met"]
#: Physically possible values; anything outside is refused, not stored.
MET_RANGES = {"wind_speed": (0, 75), "wind_direction": (0, 360), "temperature": (-60, 60), "humidity": (0, 100),
              "pressure": (500, 1100), "rain": (0, 500)}
#: Problems listed per check and file.
LIMIT = 1000


def read_met(paths: list[Path], layout: Layout | None = None, check_station=None) -> pl.DataFrame:
    """All files as one frame ``station, time`` (naive Beijing time, start of the hour) and :data:`MET_COLUMNS`."""
    layout = layout or Layout()
    problems: list[Problem] = []
    frames = []
    for path in map(Path, paths):
        source = path.name
        raw = open_table(path, [layout.source(c) for c in MET_COLUMNS], layout, problems)
        if raw is None:
            continue
        time, time_sources = _time_expr(raw, layout)
        checked = raw.with_row_index("_row", offset=2).select(
            pl.col("_row"), pl.col(layout.source("station")).str.strip_chars().alias("station"), time.alias("time"),
            pl.concat_str([pl.col(c) for c in time_sources], separator=" ").alias("_time_text"),
            *(pl.col(layout.source(c)).str.strip_chars().alias(f"_{c}_text") for c in MET_COLUMNS))
        checked = checked.with_columns(
            pl.when(pl.col(f"_{c}_text").is_null() | pl.col(f"_{c}_text").is_in(NA_VALUES)).then(None)
            .otherwise(pl.col(f"_{c}_text").cast(pl.Float64, strict=False)).alias(c) for c in MET_COLUMNS)
        problems += problems_from_mask(checked, pl.col("time").is_null(), ",".join(time_sources),
                                       lambda r: _("time %(time)r is not a local date and time (YYYY-MM-DDTHH:MM)") % {"time": r["_time_text"]}, source,
                                       limit=LIMIT)
        for c in MET_COLUMNS:
            column = layout.source(c)
            text = pl.col(f"_{c}_text")
            problems += problems_from_mask(checked, text.is_not_null() & ~text.is_in(NA_VALUES) & pl.col(c).is_null(),
                                           column, lambda r, c=c: _("%(value)r is not a number") % {"value": r[f"_{c}_text"]}, source,
                                           limit=LIMIT)
            low, high = MET_RANGES[c]
            problems += problems_from_mask(checked, (pl.col(c) < low) | (pl.col(c) > high), column,
                                           lambda r, c=c, low=low, high=high: _("%(value)s is outside %(low)s..%(high)s") % {
                                               "value": r[c], "low": low, "high": high},
                                           source, limit=LIMIT)
        if check_station is not None:
            problems += station_problems(checked, check_station, layout.source("station"), source)
        shift = pl.duration(hours=1) if layout.hour_label == "end" else pl.duration(hours=0)
        frames.append(checked.select("station", (pl.col("time") - shift).alias("time"), *MET_COLUMNS,
                                     pl.lit(source).alias("_source"), "_row"))
    if frames and not problems:
        problems.extend(_duplicates(pl.concat(frames)))
    if problems:
        raise InvalidInput(problems)
    return pl.concat(frames).drop("_source", "_row").sort("station", "time")
