"""The registry pages of this app: declarations only (see gongjian.site.registry)."""

from django.utils.translation import gettext_lazy as _

from gongjian.site.registry import Entry, register, register_page

from .models import AirQualityTarget, Station

ENTRIES = [
    register(Entry(AirQualityTarget, ["region", "year", "metric", "value", "source"], ["region__name", "source"],
                   ["region", "year", "metric", "value", "source", "note"], section="air",
                   select_related=["region"])),
    register(Entry(Station, ["name", "code", "kind", "region", "assessment", "status"], ["name", "code", "region__name"],
                   ["code", "name", "kind", "region", "latitude", "longitude", "operator", "status", "assessment"],
                   section="air", select_related=["region"], detail_links=[(_("Data and charts"), "air:station")])),
]

for label, url_name in ((_("Now"), "air:now"), (_("Rankings"), "air:rankings"), (_("Target progress"), "air:targets"),
                        (_("Data quality"), "air:quality")):
    register_page("air", label, url_name)
