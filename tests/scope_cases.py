"""The scope matrix: for every registry model, records placed on each side of every scope
rule, and for every kind of user, which of those places they must see.

Each app adds a factory for each model it registers; ``test_every_registry_model_has_a_case``
fails when a registry model has none, so no page can go untested.

Places (see ``conftest.World``): ``city``, ``county_a``, ``town_a1``, ``e1`` (an enterprise in
town A1), ``county_b``, ``town_b1``, ``e2`` (an enterprise in town B1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from gongjian.air.models import AirQualityTarget, ExceptionalEvent, Station
from gongjian.emergency.models import Measure, ReductionList, WarningEpisode, WarningStandard
from gongjian.regions.models import Organisation, OrganisationAlias, Person, Region, RegionGroup
from gongjian.sources.models import (
    ConstructionSite,
    EmissionLimit,
    EmissionUnit,
    Enterprise,
    InventoryItem,
    Meter,
    MonitoringDevice,
    ProductionLine,
)
from gongjian.tasks.models import AccountabilityRule, Indicator, Plan

ALL = {"city", "county_a", "town_a1", "e1", "county_b", "town_b1", "e2"}

#: What each user must see, independent of the policy's code. ``owned`` are the places an
#: enterprise user sees when the model has an owner; ``public`` marks the public reviewer.
EXPECTED = {
    "city_office": ALL,
    "city_bureau": ALL,
    "department": ALL,
    "county_a_office": {"county_a", "town_a1", "e1"},
    "county_b_office": {"county_b", "town_b1", "e2"},
    "town_a1_gov": {"town_a1", "e1"},
    "enterprise_e1": "owned:e1",
    "enterprise_e2": "owned:e2",
    "public_city": "public",
}


#: For models whose records bind the regions below them (Scope(inherited=True)): the places above each
#: user's jurisdiction, which such users also see.
ABOVE = {"county_a_office": {"city"}, "county_b_office": {"city"}, "town_a1_gov": {"city", "county_a"}}


def expected_places(user: str, owned: bool, public: bool, inherited: bool = False) -> set[str]:
    rule = EXPECTED[user]
    if rule == "public":
        return ALL if public else set()
    if isinstance(rule, str):  # an enterprise
        return {rule.split(":")[1]} if owned else set()
    return rule | (ABOVE.get(user, set()) if inherited else set())


def _regions(w):
    return {p: w.regions[p] for p in ("city", "county_a", "town_a1", "county_b", "town_b1")}


def _organisations(w):
    return {p: w.organisations[p] for p in ALL}


def _aliases(w):
    return {p: OrganisationAlias.objects.create(organisation=o, alias=f"别名{p}") for p, o in _organisations(w).items()}


def _targets(w):
    return {p: AirQualityTarget.objects.create(region=r, year=2020, metric="pm25_mean", value=Decimal("50"))
            for p, r in _regions(w).items()}


def _stations(w):
    return {p: Station.objects.create(code=f"ST-{p}", name=f"站{p}", kind="town", region=r)
            for p, r in _regions(w).items()}


def _events(w):
    moment = dt.datetime(2020, 3, 28, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return {p: ExceptionalEvent.objects.create(kind="dust", region=r, start=moment, end=moment, description="沙尘")
            for p, r in _regions(w).items()}


def _groups(w):
    group = RegionGroup.objects.create(slug="g", name="组")
    return {p: group for p in ALL - {"e1", "e2"}}  # reference data: not tied to one place


def _people(w):
    return {"city": w.people["city_office"], "county_a": w.people["county_a_office"],
            "town_a1": w.people["town_a1_gov"], "e1": w.people["enterprise_e1"],
            "county_b": w.people["county_b_office"], "town_b1": Person.objects.create(
                username="b1", role="town_government", jurisdiction=w.regions["town_b1"]),
            "e2": w.people["enterprise_e2"]}


def _place_region(w, place):
    return w.regions[{"e1": "town_a1", "e2": "town_b1"}.get(place, place)]


def _enterprises(w):
    out = {}
    for place in ALL:
        organisation = w.organisations[place] if place in ("e1", "e2") else Organisation.objects.create(
            name=f"企业{place}", kind="enterprise", region=w.regions[place])
        out[place] = Enterprise.objects.create(organisation=organisation, industry="cement", performance_class="C")
    return out


def _lines(w):
    return {p: ProductionLine.objects.create(enterprise=e, name="1号线") for p, e in _enterprises(w).items()}


def _units(w):
    return {p: EmissionUnit.objects.create(enterprise=e, name="窑尾") for p, e in _enterprises(w).items()}


def _inventory(w):
    return {p: InventoryItem.objects.create(year=2019, category="point", unit=u, region=u.enterprise.organisation.region,
                                            basis="cems", so2=Decimal("1")) for p, u in _units(w).items()}


def _sites(w):
    return {p: ConstructionSite.objects.create(name=f"工地{p}", region=_place_region(w, p), kind="housing",
                                               area=Decimal("1000"), builder=w.organisations.get(p) if p in ("e1", "e2") else None)
            for p in ALL}


def _devices(w):
    units, sites = _units(w), _sites(w)
    out = {}
    for n, p in enumerate(sorted(ALL)):
        if p in ("e1", "e2"):
            out[p] = MonitoringDevice.objects.create(mn=f"MN{n:022d}", password="123456", kind="stack", unit=units[p],
                                                     region=units[p].enterprise.organisation.region)
        else:
            out[p] = MonitoringDevice.objects.create(mn=f"MN{n:022d}", password="123456", kind="dust", site=sites[p],
                                                     region=sites[p].region)
    return out


def _limits(w):
    return {p: EmissionLimit.objects.create(unit=u, code="a21026", limit=35.0, reference_o2=10.0)
            for p, u in _units(w).items()}


def _meters(w):
    return {p: Meter.objects.create(enterprise=line.enterprise, number=f"M{p}", name="生产用电", purpose="production",
                                    line=line, rated_kw=1000) for p, line in _lines(w).items()}


def _plans(w):
    return {p: Plan.objects.create(region=_place_region(w, p), title=f"方案{p}", first_year=2021, last_year=2021)
            for p in ALL}


def _indicators(w):
    return {p: Indicator.objects.create(plan=plan, name="优良天数比率", baseline="60", target="≥65", kind="binding")
            for p, plan in _plans(w).items()}


def _rules(w):
    return {p: AccountabilityRule.objects.create(region=_place_region(w, p), name=f"规则{p}", kind="bottom",
                                                 consequence="约谈") for p in ALL}


def _standards(w):
    return {p: WarningStandard.objects.create(name=f"标准{p}", region=_place_region(w, p), valid_from=dt.date(2018, 8, 1))
            for p in ALL}


def _lists(w):
    return {p: ReductionList.objects.create(region=_place_region(w, p), year=2020, number=n, inventory_year=2019)
            for n, p in enumerate(sorted(ALL), start=1)}


def _measures(w):
    enterprises, lists = _enterprises(w), _lists(w)
    return {p: Measure.objects.create(reduction_list=lists[p], level="orange", kind="stop", enterprise=enterprises[p]) for p in ALL}


def _warnings(w):
    standards = _standards(w)
    moment = dt.datetime(2020, 1, 14, 20, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return {p: WarningEpisode.objects.create(region=_place_region(w, p), level="orange", started_at=moment, status="lifted",
                                             standard=standards[p]) for p in ALL}


#: model -> (factory(world) -> {place: record}, has an owner, public)
CASES: dict[type, tuple[Callable, bool, bool]] = {
    Region: (_regions, False, True),
    Organisation: (_organisations, True, True),
    OrganisationAlias: (_aliases, True, True),
    AirQualityTarget: (_targets, False, True),
    Station: (_stations, False, True),
    ExceptionalEvent: (_events, False, False),
    Person: (_people, True, False),
    Enterprise: (_enterprises, True, False),
    ProductionLine: (_lines, True, False),
    EmissionUnit: (_units, True, False),
    InventoryItem: (_inventory, True, False),
    ConstructionSite: (_sites, True, False),
    MonitoringDevice: (_devices, True, False),
    EmissionLimit: (_limits, True, False),
    Plan: (_plans, False, False),
    Indicator: (_indicators, False, False),
    AccountabilityRule: (_rules, False, False),
    Meter: (_meters, True, False),
    WarningStandard: (_standards, False, True),
    ReductionList: (_lists, False, False),
    Measure: (_measures, True, False),
    WarningEpisode: (_warnings, False, True),
}

#: Models declared Scope(inherited=True), written out here independently of the declarations.
INHERITED = {WarningStandard, WarningEpisode, Plan, Indicator, AccountabilityRule}

#: Models that are the same for every staff user (reference data), with the roles that see none.
REFERENCE = {RegionGroup: _groups}
