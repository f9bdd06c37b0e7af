"""The scope-matrix cases of the water app's registry models (see tests/scope_cases.py)."""

from decimal import Decimal

from gongjian.water.models import SectionTarget, WaterSection, WaterTargetSchedule
from tests.regions import scope_cases as regions_cases


def sections(w):
    return {p: WaterSection.objects.create(code=f"WS-{p}", name=f"断面{p}", water_body="贾鲁河", control_level="city",
                                           region=r) for p, r in regions_cases.regions(w).items()}


def targets(w):
    return {p: SectionTarget.objects.create(section=s, year=2026, target_class=3) for p, s in sections(w).items()}


def schedules(w):
    return {p: WaterTargetSchedule.objects.create(region=r, year=2026, share_iii_or_better_min=Decimal("80"),
                                                  share_worse_than_v_max=Decimal("10"))
            for p, r in regions_cases.regions(w).items()}


#: model -> (factory(world) -> {place: record}, has an owner, public)
CASES = {WaterSection: (sections, False, True), SectionTarget: (targets, False, True),
         WaterTargetSchedule: (schedules, False, True)}
#: Scope(inherited=True): a city's schedule binds its counties.
INHERITED = {WaterTargetSchedule}


# --- the water ledgers ---------------------------------------------------------------

import datetime as dt  # noqa: E402

from gongjian.water.ledgers import (  # noqa: E402
    BlackOdorousSurvey,
    BlackOdorousWaterBody,
    DrinkingWaterSource,
    Outfall,
    OutfallLimit,
    OutfallResult,
    ProtectionZone,
    SourceProblem,
)


def drinking_sources(w):
    return {p: DrinkingWaterSource.objects.create(code=f"DS-{p}", name=f"水源{p}", kind="reservoir", region=r)
            for p, r in regions_cases.regions(w).items()}


def zones(w):
    return {p: ProtectionZone.objects.create(source=s, level="first", area_km2=1.5)
            for p, s in drinking_sources(w).items()}


def source_problems(w):
    return {p: SourceProblem.objects.create(source=s, kind="project", title="保护区内违法建设", found_on=dt.date(2020, 3, 1),
                                            deadline=dt.date(2020, 9, 30)) for p, s in drinking_sources(w).items()}


def black_odorous(w):
    return {p: BlackOdorousWaterBody.objects.create(code=f"BO-{p}", name=f"黑臭{p}", region=r, length_km=1.2)
            for p, r in regions_cases.regions(w).items()}


def bo_surveys(w):
    return {p: BlackOdorousSurvey.objects.create(body=b, sampled=dt.date(2020, 6, 1), point="P1", transparency_cm=12,
                                                 do_mg_l=1.1, orp_mv=-50, nh3n_mg_l=9) for p, b in black_odorous(w).items()}


def outfalls(w):
    return {p: Outfall.objects.create(name=f"排污口{p}", region=r, receiving_water="贾鲁河", kind="municipal")
            for p, r in regions_cases.regions(w).items()}


def outfall_limits(w):
    return {p: OutfallLimit.objects.create(outfall=o, item="cod", value=50, source="GB 18918-2002 一级A")
            for p, o in outfalls(w).items()}


def outfall_results(w):
    return {p: OutfallResult.objects.create(outfall=o, sampled=dt.date(2020, 6, 1), item="cod", value=30,
                                            recorded_by=w.people["city_office"], recorded=dt.datetime(2020, 6, 2, tzinfo=dt.UTC))
            for p, o in outfalls(w).items()}


CASES.update({DrinkingWaterSource: (drinking_sources, False, False), ProtectionZone: (zones, False, False),
              SourceProblem: (source_problems, False, False), BlackOdorousWaterBody: (black_odorous, False, False),
              BlackOdorousSurvey: (bo_surveys, False, False), Outfall: (outfalls, False, False),
              OutfallLimit: (outfall_limits, False, False), OutfallResult: (outfall_results, False, False)})
