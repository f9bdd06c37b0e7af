"""The registry pages of this app: declarations only (see gongjian.site.registry)."""

from gongjian.site.registry import Entry, register

from .models import AirQualityTarget, Station

ENTRIES = [
    register(Entry(AirQualityTarget, ["region", "year", "metric", "value", "source"], ["region__name", "source"],
                   ["region", "year", "metric", "value", "source", "note"], section="air",
                   select_related=["region"])),
    register(Entry(Station, ["name", "code", "kind", "region", "assessment", "status"], ["name", "code", "region__name"],
                   ["code", "name", "kind", "region", "latitude", "longitude", "operator", "status", "assessment"],
                   section="air", select_related=["region"])),
]
