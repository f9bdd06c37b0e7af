"""API of the water ledgers: three-line viewsets; a ledger record's steps at ``<pk>/steps/`` (GET
lists, POST moves: gongjian.core.ledger.StepsAPI); results and published lists read only (results
enter through gongjian.water.outfalls.record_results, lists are published from their pages)."""

from gongjian.core.api import CleanModelSerializer, ScopedModelViewSet, ScopedReadOnlyViewSet
from gongjian.core.ledger import StepsAPI

from .ledgers import (
    BlackOdorousList,
    BlackOdorousSurvey,
    BlackOdorousWaterBody,
    DrinkingDisclosure,
    DrinkingWaterSource,
    Outfall,
    OutfallLimit,
    OutfallResult,
    ProtectionZone,
    SourceProblem,
)


def _serializer(model, fields, base=CleanModelSerializer):
    meta = type("Meta", (), {"model": model, "fields": fields,
                             "read_only_fields": [f for f in ("status", "level", "code") if f in fields
                                                  and not model._meta.get_field(f).editable]})
    return type(f"{model.__name__}Serializer", (base,), {"Meta": meta})


def _viewset(model, fields, *, steps=False, read_only=False, order=("pk",)):
    bases = (ScopedReadOnlyViewSet,) if read_only else ((StepsAPI, ScopedModelViewSet) if steps else (ScopedModelViewSet,))
    return type(f"{model.__name__}ViewSet", bases, {
        "queryset": model.objects.order_by(*order), "serializer_class": _serializer(model, fields)})


LEDGER_ROUTES = [
    ("water/drinking-sources", _viewset(DrinkingWaterSource, ["id", "code", "name", "kind", "thousand_ton", "region",
                                                              "served_population", "supply_scale", "intake"])),
    ("water/protection-zones", _viewset(ProtectionZone, ["id", "source", "level", "area_km2", "description",
                                                         "markers_required", "markers_set"])),
    ("water/source-problems", _viewset(SourceProblem, ["id", "source", "kind", "title", "found_on", "deadline",
                                                       "responsible", "status"], steps=True)),
    ("water/drinking-disclosures", _viewset(DrinkingDisclosure, ["id", "region", "period", "number", "published",
                                                                 "published_by", "content"], read_only=True,
                                            order=("-published", "-number"))),
    ("water/black-odorous", _viewset(BlackOdorousWaterBody, ["id", "code", "name", "region", "location", "start_point",
                                                             "end_point", "length_km", "area_km2", "responsible_units",
                                                             "level", "target_year", "status"], steps=True)),
    ("water/black-odorous-surveys", _viewset(BlackOdorousSurvey, ["id", "body", "sampled", "point", "transparency_cm",
                                                                  "do_mg_l", "orp_mv", "nh3n_mg_l", "depth_cm"])),
    ("water/black-odorous-lists", _viewset(BlackOdorousList, ["id", "region", "period", "number", "published",
                                                              "published_by", "content"], read_only=True,
                                           order=("-published", "-number"))),
    ("water/outfalls", _viewset(Outfall, ["id", "code", "name", "region", "receiving_water", "section", "kind", "size",
                                          "discharger", "latitude", "longitude", "status"], steps=True)),
    ("water/outfall-limits", _viewset(OutfallLimit, ["id", "outfall", "item", "value", "lower", "source"])),
    ("water/outfall-results", _viewset(OutfallResult, ["id", "outfall", "sampled", "item", "value", "limit",
                                                       "limit_source", "over_limit", "recorded"], read_only=True)),
]
