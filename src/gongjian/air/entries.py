"""The registry pages of this app: declarations only (see gongjian.site.registry)."""

from gongjian.site.registry import Entry, register

from .models import AirQualityTarget

ENTRIES = [
    register(Entry(AirQualityTarget, ["region", "year", "metric", "value", "source"], ["region__name", "source"],
                   ["region", "year", "metric", "value", "source", "note"], section="air",
                   select_related=["region"])),
]
