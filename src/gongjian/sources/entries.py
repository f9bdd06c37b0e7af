"""The registry pages of this app: declarations only (see gongjian.core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongjian.core.registry import Entry, register, register_page

from .models import (
    ConstructionSite,
    EmissionLimit,
    EmissionUnit,
    Enterprise,
    InventoryItem,
    Meter,
    MonitoringDevice,
    ProductionLine,
)

ENTRIES = [
    register(Entry(Enterprise, ["organisation", "industry", "performance_class", "exemption", "key_vehicle_user"],
                   ["organisation__name", "organisation__credit_code", "permit_number"],
                   ["organisation", "industry", "performance_class", "exemption", "exemption_reason",
                    "key_vehicle_user", "permit_number", "latitude", "longitude", "annual_output"],
                   section="sources", select_related=["organisation", "organisation__region"],
                   detail_links=[(_("Measure sheet"), "emergency:sheet")])),
    register(Entry(ProductionLine, ["enterprise", "name", "process", "capacity", "output_share"],
                   ["name", "enterprise__organisation__name"],
                   ["enterprise", "name", "process", "capacity", "output_share"], section="sources",
                   select_related=["enterprise__organisation"])),
    register(Entry(EmissionUnit, ["enterprise", "name", "kind", "line"], ["name", "enterprise__organisation__name"],
                   ["enterprise", "line", "name", "kind", "capacity", "thresholds"], section="sources",
                   select_related=["enterprise__organisation", "line"])),
    register(Entry(ConstructionSite, ["name", "region", "kind", "site_class", "area"], ["name", "region__name"],
                   ["name", "region", "builder", "kind", "site_class", "area", "start", "end", "thresholds"],
                   section="sources",
                   select_related=["region"])),
    register(Entry(InventoryItem, ["year", "category", "region", "unit", "site", "name", "so2", "nox", "pm", "vocs"],
                   ["name", "unit__name", "site__name", "region__name"],
                   ["year", "category", "unit", "site", "region", "name", "activity", "basis", "so2", "nox", "pm",
                    "pm10", "pm25", "vocs"], section="sources",
                   select_related=["region", "unit__enterprise__organisation", "site"])),
    register(Entry(MonitoringDevice, ["mn", "kind", "region", "station", "unit", "site", "meter", "interval", "last_seen",
                                      "active"],
                   ["mn", "station__name", "unit__name", "site__name"],
                   ["mn", "password", "kind", "edition", "interval", "region", "station", "unit", "site", "meter",
                    "active"],
                   section="sources", select_related=["region", "station", "unit__enterprise__organisation", "site",
                                                      "meter"], import_key=("mn",))),
    register(Entry(EmissionLimit, ["unit", "code", "limit", "reference_o2", "basis"], ["unit__name", "code"],
                   ["unit", "code", "limit", "reference_o2", "basis"], section="sources", import_key=("unit", "code"),
                   select_related=["unit__enterprise__organisation"])),
    register(Entry(Meter, ["enterprise", "number", "name", "purpose", "line", "unit", "rated_kw"],
                   ["number", "name", "enterprise__organisation__name"],
                   ["enterprise", "number", "name", "purpose", "line", "unit", "rated_kw"], section="sources",
                   import_key=("number",),
                   select_related=["enterprise__organisation", "line", "unit"])),
]

register_page("sources", _("Emission inventory"), "sources:inventory")
register_page("sources", _("Alarms"), "sources:alarms")
register_page("sources", _("Verification notices"), "sources:notices")
