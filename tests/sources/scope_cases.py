"""The scope-matrix cases of the sources app's registry models (see tests/scope_cases.py)."""

from decimal import Decimal

from gongjian.regions.models import Organisation
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
from tests.scope_cases import ALL, place_region


def enterprises(w):
    out = {}
    for place in ALL:
        organisation = w.organisations[place] if place in ("e1", "e2") else Organisation.objects.create(
            name=f"企业{place}", kind="enterprise", region=w.regions[place])
        out[place] = Enterprise.objects.create(organisation=organisation, industry="cement", performance_class="C")
    return out


def lines(w):
    return {p: ProductionLine.objects.create(enterprise=e, name="1号线") for p, e in enterprises(w).items()}


def units(w):
    return {p: EmissionUnit.objects.create(enterprise=e, name="窑尾") for p, e in enterprises(w).items()}


def inventory(w):
    return {p: InventoryItem.objects.create(year=2019, category="point", unit=u, region=u.enterprise.organisation.region,
                                            basis="cems", so2=Decimal("1")) for p, u in units(w).items()}


def sites(w):
    return {p: ConstructionSite.objects.create(name=f"工地{p}", region=place_region(w, p), kind="housing",
                                               area=Decimal("1000"), builder=w.organisations.get(p) if p in ("e1", "e2") else None)
            for p in ALL}


def devices(w):
    unit_of, site_of = units(w), sites(w)
    out = {}
    for n, p in enumerate(sorted(ALL)):
        if p in ("e1", "e2"):
            out[p] = MonitoringDevice.objects.create(mn=f"MN{n:022d}", password="123456", kind="stack", unit=unit_of[p],
                                                     region=unit_of[p].enterprise.organisation.region)
        else:
            out[p] = MonitoringDevice.objects.create(mn=f"MN{n:022d}", password="123456", kind="dust", site=site_of[p],
                                                     region=site_of[p].region)
    return out


def limits(w):
    return {p: EmissionLimit.objects.create(unit=u, code="a21026", limit=35.0, reference_o2=10.0)
            for p, u in units(w).items()}


def meters(w):
    return {p: Meter.objects.create(enterprise=line.enterprise, number=f"M{p}", name="生产用电", purpose="production",
                                    line=line, rated_kw=1000) for p, line in lines(w).items()}


#: model -> (factory(world) -> {place: record}, has an owner, public)
CASES = {
    Enterprise: (enterprises, True, False),
    ProductionLine: (lines, True, False),
    EmissionUnit: (units, True, False),
    InventoryItem: (inventory, True, False),
    ConstructionSite: (sites, True, False),
    MonitoringDevice: (devices, True, False),
    EmissionLimit: (limits, True, False),
    Meter: (meters, True, False),
}
