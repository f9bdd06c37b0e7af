"""Reading the station hours back for the engine: the one reader the evaluation, the quality
checks and the pages share. It stands apart from :mod:`.services` so that the services can offer
the results (rankings, target progress) to other apps without the results' modules importing the
services back."""

from __future__ import annotations

import datetime as dt

import polars as pl

from gongjian import clock
from gongjian.core import series

from .kinds import FLAG_COLUMNS, HOURLY
from .models import POLLUTANTS

__all__ = ["load_hourly"]


def load_hourly(stations, start: dt.date, end: dt.date, *, mask: bool = True) -> pl.DataFrame:
    """Hourly values of ``stations`` (a queryset or list) from ``start`` to ``end`` inclusive, as the
    engine takes them: ``station`` (code), ``time`` (naive Beijing time), the six pollutants; flagged
    values nulled unless ``mask`` is false (then the flag columns are kept)."""
    codes = {s.pk: s.code for s in stations}
    frame = series.read(HOURLY, {"station_id": list(codes)}, *clock.day_bounds(start, end), [*POLLUTANTS, *FLAG_COLUMNS])
    frame = frame.select(pl.col("station_id").replace_strict(codes, return_dtype=pl.String).alias("station"), "time",
                         *POLLUTANTS, *FLAG_COLUMNS)
    if not mask:
        return frame.sort("station", "time")
    from gongjian.standards.hj663 import mask_flagged

    return mask_flagged(frame).sort("station", "time")
