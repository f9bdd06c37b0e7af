"""The monitoring series of sources, declared once for :mod:`gongjian.core.series`: what the HJ 212
ingest and the meter imports write, and what the compliance checks read."""

from gongjian.core import series

from .monitoring import DeviceSample, MeterReading

__all__ = ["READINGS", "SAMPLES"]

#: One value of one HJ 212 code from one device per resolution and period start, with its data flag.
SAMPLES = series.declare(series.SeriesKind(name="sources.sample", model=DeviceSample,
                                           keys=("device_id", "resolution", "code"), time="start",
                                           values=("value", "flag")))
#: Mean power of a meter per interval start, and what sent it (``file``, ``api``, ``gateway``).
READINGS = series.declare(series.SeriesKind(name="sources.reading", model=MeterReading, keys=("meter_id",),
                                            time="start", values=("kw", "source")))
