"""The registry pages of this app: declarations only (see gongjian.core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongjian.core.registry import Entry, register, register_page

from .models import Measure, ReductionList, WarningEpisode, WarningStandard

ENTRIES = [
    register(Entry(WarningStandard, ["name", "region", "valid_from", "yellow_days", "orange_days", "red_days"],
                   ["name", "region__name"],
                   ["name", "region", "valid_from", "heavy_aqi", "severe_aqi", "top_aqi", "blue_days", "yellow_days",
                    "orange_days", "orange_severe_days", "red_days", "red_severe_days", "red_on_top",
                    "yellow_so2", "yellow_nox", "yellow_pm", "yellow_vocs", "orange_so2", "orange_nox", "orange_pm",
                    "orange_vocs", "red_so2", "red_nox", "red_pm", "red_vocs"],
                   section="emergency", select_related=["region"])),
    register(Entry(ReductionList, ["region", "year", "number", "status", "inventory_year", "approved_at"],
                   ["region__name", "note"], section="emergency", select_related=["region"],
                   detail_links=[(_("Reductions and measures"), "emergency:list")])),
    register(Entry(Measure, ["reduction_list", "level", "enterprise", "site", "kind", "load_percent"],
                   ["enterprise__organisation__name", "site__name", "note"],
                   ["reduction_list", "level", "kind", "enterprise", "unit", "lines", "site", "load_percent", "note"],
                   section="emergency", select_related=["reduction_list__region", "enterprise__organisation", "site"])),
    register(Entry(WarningEpisode, ["region", "level", "status", "started_at", "lifted_at"], ["region__name"],
                   section="emergency", select_related=["region"], path_name="warning",
                   detail_links=[(_("Episode and daily reports"), "emergency:warning_reports"),
                                 (_("Episode evaluation"), "emergency:warning_evaluation")])),
]

for label, url_name in ((_("Warnings"), "emergency:dashboard"), (_("Notices"), "emergency:notices")):
    register_page("emergency", label, url_name)
