"""The monitoring series of sources, declared once for :mod:`gongjian.core.series`: what the HJ 212
ingest and the meter imports write, what the compliance checks read, and the enterprises' daily
emissions that the daily report of a warning reads."""

from gongjian.core import series

from .models import DailyEmission
from .monitoring import DeviceSample, MeterReading

__all__ = ["DAILY_EMISSIONS", "READINGS", "SAMPLES"]

#: One value of one HJ 212 code from one device per resolution and period start, with its data flag.
SAMPLES = series.declare(series.SeriesKind(name="sources.sample", model=DeviceSample,
                                           keys=("device_id", "resolution", "code"), time="start",
                                           values=("value", "flag")))
#: Mean power of a meter per interval start, and what sent it (``file``, ``api``, ``gateway``).
READINGS = series.declare(series.SeriesKind(name="sources.reading", model=MeterReading, keys=("meter_id",),
                                            time="start", values=("kw", "source")))
#: One enterprise's emissions and production status per day, from online monitoring or reported by
#: the enterprise (:class:`~gongjian.sources.models.DailyEmission`); a daily kind: its periods are dates.
DAILY_EMISSIONS = series.declare(series.SeriesKind(
    name="sources.daily_emission", model=DailyEmission, keys=("enterprise_id",), time="date",
    values=("source", "production", "load_percent", "so2", "nox", "pm", "vocs", "exceedance_hours")))
