"""Sources the tests of several apps stand on: two plants with lines, units and their inventory, a
construction site, mobile and area sources; and meter readings stored in bulk."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from gongjian.sources.models import (
    ConstructionSite,
    EmissionUnit,
    Enterprise,
    InventoryItem,
    ProductionLine,
)
from gongjian.sources.monitoring import MeterReading


@dataclass
class Plant:
    enterprise: Enterprise
    kiln: EmissionUnit
    mill: EmissionUnit
    trucks: EmissionUnit
    line1: ProductionLine
    line2: ProductionLine


@pytest.fixture
def plants(world):
    """e1 (C-class cement, 中牟县) and e2 (D-class casting, 荥阳市), each with two lines, a kiln, a mill
    and trucks in the 2019 inventory; a construction site; mobile and area sources."""
    out = {}
    for key, industry, cls in (("e1", "cement", "C"), ("e2", "casting", "D")):
        enterprise = Enterprise.objects.create(organisation=world.organisations[key], industry=industry,
                                               performance_class=cls, annual_output=Decimal("10000"))
        line1 = ProductionLine.objects.create(enterprise=enterprise, name="1号线", output_share=Decimal("0.6"))
        line2 = ProductionLine.objects.create(enterprise=enterprise, name="2号线", output_share=Decimal("0.4"))
        kiln = EmissionUnit.objects.create(enterprise=enterprise, line=line1, name="窑尾")
        mill = EmissionUnit.objects.create(enterprise=enterprise, line=line2, name="磨机")
        trucks = EmissionUnit.objects.create(enterprise=enterprise, name="运输车辆", kind="transport")
        region = enterprise.organisation.region
        for unit, values in ((kiln, (40, 300, 60, 5)), (mill, (10, 50, 40, 1)), (trucks, (0, 20, 4, 1))):
            InventoryItem.objects.create(year=2019, category="point", unit=unit, region=region, basis="cems",
                                         **dict(zip(("so2", "nox", "pm", "vocs"), map(Decimal, values), strict=True)))
        out[key] = Plant(enterprise, kiln, mill, trucks, line1, line2)
    site = ConstructionSite.objects.create(name="韩寺工地", region=world.regions["town_a1"], kind="housing",
                                           area=Decimal("50000"))
    InventoryItem.objects.create(year=2019, category="site", site=site, region=site.region, activity="earthwork",
                                 basis="factor", pm=Decimal("12"))
    InventoryItem.objects.create(year=2019, category="site", site=site, region=site.region, activity="other",
                                 basis="factor", pm=Decimal("8"))
    InventoryItem.objects.create(year=2019, category="mobile", region=world.regions["county_a"], name="重型柴油货车",
                                 basis="factor", nox=Decimal("630"), pm=Decimal("20"), vocs=Decimal("30"),
                                 so2=Decimal("0"))
    InventoryItem.objects.create(year=2019, category="area", region=world.regions["county_b"], name="民用燃煤",
                                 basis="survey", so2=Decimal("100"), nox=Decimal("0"), pm=Decimal("50"), vocs=Decimal("10"))
    out["site"] = site
    return out


def store_readings(meter, start: dt.datetime, hours: int, kw) -> None:
    """Quarter-hour readings of ``meter`` for ``hours`` from ``start``; ``kw`` a value or ``kw(n)``."""
    MeterReading.objects.bulk_create(MeterReading(meter=meter, start=start + dt.timedelta(minutes=15 * n),
                                                  kw=kw(n) if callable(kw) else kw) for n in range(hours * 4))
