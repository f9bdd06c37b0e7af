"""The registry pages of the water ledgers (declarations only, see gongjian.core.registry); the
records whose status moves link to their steps page (gongjian.core.ledger)."""

from django.utils.translation import gettext_lazy as _

from gongjian.core.registry import Entry, register, register_page

from .ledgers import (
    BlackOdorousSurvey,
    BlackOdorousWaterBody,
    DrinkingWaterSource,
    Outfall,
    OutfallLimit,
    OutfallResult,
    ProtectionZone,
    SourceProblem,
)

STEPS = _("Steps")

LEDGER_ENTRIES = [
    register(Entry(DrinkingWaterSource, ["code", "name", "kind", "thousand_ton", "region", "intake"],
                   ["code", "name", "region__name"],
                   ["code", "name", "kind", "thousand_ton", "region", "served_population", "supply_scale", "intake"],
                   section="water", select_related=["region", "intake"], import_key=("code",),
                   path_name="drinking_source")),
    register(Entry(ProtectionZone, ["source", "level", "area_km2", "markers_required", "markers_set"],
                   ["source__name", "source__code", "description"],
                   ["source", "level", "area_km2", "description", "markers_required", "markers_set"],
                   section="water", select_related=["source"],
                   path_name="protection_zone")),
    register(Entry(SourceProblem, ["source", "kind", "title", "deadline", "status"],
                   ["title", "source__name", "responsible"],
                   ["source", "kind", "title", "found_on", "deadline", "responsible"],
                   section="water", select_related=["source"], path_name="source_problem",
                   detail_links=[(STEPS, "water:source_problem_steps")])),
    register(Entry(BlackOdorousWaterBody, ["code", "name", "region", "level", "target_year", "status"],
                   ["code", "name", "location", "region__name"],
                   ["code", "name", "region", "location", "start_point", "end_point", "length_km", "area_km2",
                    "responsible_units", "target_year"],
                   section="water", select_related=["region"], import_key=("code",), path_name="black_odorous",
                   detail_links=[(STEPS, "water:black_odorous_steps")])),
    register(Entry(BlackOdorousSurvey, ["body", "sampled", "point", "transparency_cm", "do_mg_l", "orp_mv", "nh3n_mg_l"],
                   ["body__name", "body__code", "point"],
                   ["body", "sampled", "point", "transparency_cm", "do_mg_l", "orp_mv", "nh3n_mg_l", "depth_cm"],
                   section="water", select_related=["body"],
                   path_name="bo_survey")),
    register(Entry(Outfall, ["code", "name", "kind", "size", "region", "receiving_water", "status"],
                   ["code", "name", "receiving_water", "discharger", "region__name"],
                   ["name", "region", "receiving_water", "section", "kind", "size", "discharger", "latitude", "longitude"],
                   section="water", select_related=["region"], path_name="outfall",
                   detail_links=[(STEPS, "water:outfall_steps"), (_("Monthly results"), "water:outfall_results")])),
    register(Entry(OutfallLimit, ["outfall", "item", "value", "lower", "source"],
                   ["outfall__name", "outfall__code", "source"],
                   ["outfall", "item", "value", "lower", "source"],
                   section="water", select_related=["outfall"],
                   path_name="outfall_limit")),
    #: Results enter only through the monthly results page (gongjian.water.outfalls.record_results),
    #: which judges them and raises the alarms: the registry lists and exports them.
    register(Entry(OutfallResult, ["outfall", "sampled", "item", "value", "limit", "over_limit", "limit_source"],
                   ["outfall__name", "outfall__code"], section="water", select_related=["outfall"],
                   path_name="outfall_result")),
]

for label, url_name in ((_("Drinking-water sources evaluated"), "water:drinking"),
                        (_("Drinking-water disclosures"), "water:disclosures"),
                        (_("Black-odorous lists"), "water:bo_lists")):
    register_page("water", label, url_name)
