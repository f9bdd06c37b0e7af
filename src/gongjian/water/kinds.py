"""The water app's time-series store, declared once for :mod:`gongjian.core.series`: every writer
(a results file, an HJ 212 water station through the gateway, the API, the demo) and every reader
names it, never the table."""

from gongjian.core import series

from .models import WaterSample

__all__ = ["SAMPLES", "VALUES"]

VALUES = ("value", "below_limit", "flag", "source")

#: Section results per GB 3838 item, with their flags (:class:`~gongjian.water.models.SampleFlag`).
SAMPLES = series.declare(series.SeriesKind(name="water.sample", model=WaterSample, keys=("section_id", "item"),
                                           values=VALUES))
