"""The air app's time-series stores, declared once for :mod:`gongjian.core.series`: every writer
(file import, the HJ 212 ingest, the demo) and every reader names them, never the tables."""

from gongjian.core import series

from .hourly_io import MET_COLUMNS
from .models import POLLUTANTS, AirHour, MetHour

__all__ = ["FLAG_COLUMNS", "HOURLY", "MET"]

FLAG_COLUMNS = tuple(f"{p}_flag" for p in POLLUTANTS)

#: Station hours of the six basic pollutants with their data flags; ``batch_id`` names the file
#: import that last wrote the hour (none for a device's hour).
HOURLY = series.declare(series.SeriesKind(name="air.hourly", model=AirHour, keys=("station_id",),
                                          values=(*POLLUTANTS, *FLAG_COLUMNS, "batch_id")))
#: Meteorological hours of a station or meteorological site.
MET = series.declare(series.SeriesKind(name="air.met", model=MetHour, keys=("station_id",), values=MET_COLUMNS))
