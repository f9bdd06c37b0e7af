"""The registry pages of this app: declarations only (see gongjian.core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongjian.core import chapters
from gongjian.core.registry import Entry, register, register_page

from .chapters import build_chapter
from .models import SectionTarget, WaterSection, WaterTargetSchedule

ENTRIES = [
    register(Entry(WaterSection, ["code", "name", "water_body", "control_level", "region"],
                   ["code", "name", "water_body", "region__name"],
                   ["code", "name", "water_body", "kind", "control_level", "region", "responsible_units", "latitude",
                    "longitude"],
                   section="water", select_related=["region"], import_key=("code",),
                   detail_links=[(_("Results and charts"), "water:section")])),
    register(Entry(SectionTarget, ["section", "year", "target_class"], ["section__code", "section__name"],
                   ["section", "year", "target_class"], section="water", select_related=["section"],
                   ordering=["section__code", "-year"], import_key=("section", "year"))),
    register(Entry(WaterTargetSchedule, ["region", "year", "share_iii_or_better_min", "share_worse_than_v_max"],
                   ["region__name", "source"],
                   ["region", "year", "share_iii_or_better_min", "share_worse_than_v_max", "source"],
                   section="water", select_related=["region"], import_key=("region", "year"))),
]

from .ledger_entries import LEDGER_ENTRIES  # noqa: E402  the ledgers of drinking water, black-odorous water, outfalls

ENTRIES += LEDGER_ENTRIES

for label, url_name in [(_("Water quality"), "water:overview"), (_("County ranking"), "water:ranking"),
                        (_("Water target schedule"), "water:targets"), (_("Water alarms"), "water:alarms"),
                        (_("Import water results"), "water:import"), (_("Monthly classes (public)"), "water:public")]:
    register_page("water", label, url_name)

#: The water chapter of the weekly dispatch and the monthly bulletin (gongjian.core.chapters).
chapters.declare(chapters.Chapter("water", build_chapter, order=50))
