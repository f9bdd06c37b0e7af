"""The registry pages of this app: declarations only (see gongjian.core.registry)."""

from gongjian.core.registry import Entry, register

from .models import WaterSection

ENTRIES = [
    register(Entry(WaterSection, ["code", "name", "water_body", "control_level", "region"],
                   ["code", "name", "water_body", "region__name"],
                   ["code", "name", "water_body", "kind", "control_level", "region", "latitude", "longitude"],
                   section="water", select_related=["region"], import_key=("code",))),
]
