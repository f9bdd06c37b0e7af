"""The inventory's totals: whole-society, per category and per county (the inventory page reads them
from the sources services, one implementation)."""

from decimal import Decimal

from django.urls import reverse

from gongjian.regions import policy
from gongjian.sources.models import InventoryItem
from gongjian.sources.services import (
    inventory_by_category,
    inventory_by_county,
    whole_society_totals,
)


def _items(world):
    r = world.regions
    for region, category, so2 in (("town_a1", "area", "7"), ("county_a", "mobile", "5"), ("county_b", "area", "3"),
                                  ("town_b1", "area", "2"), ("city", "mobile", "11")):
        InventoryItem.objects.create(year=2019, category=category, region=r[region], name=f"{region} {category}",
                                     basis="factor", so2=Decimal(so2))
    InventoryItem.objects.create(year=2018, category="area", region=r["town_a1"], name="older", basis="factor",
                                 so2=Decimal("100"))


def test_totals_per_category_and_per_county(world):
    _items(world)
    items = InventoryItem.objects.filter(year=2019)
    by_category = inventory_by_category(items)
    assert list(by_category) == ["area", "mobile"]
    assert (by_category["area"]["so2"], by_category["mobile"]["so2"]) == (Decimal("12"), Decimal("16"))
    per_county = {region.name: sums["so2"] for region, sums in inventory_by_county(items)}
    # a town's item counts for its county; the city's own item stays with the city (above county level)
    assert per_county == {"郑州市": Decimal("11"), "中牟县": Decimal("12"), "荥阳市": Decimal("5")}


def test_a_county_user_sees_only_its_county(world, client):
    _items(world)
    user = world.people["county_a_office"]
    per_county = inventory_by_county(policy.visible(user, InventoryItem.objects.filter(year=2019)))
    assert [(region.name, sums["so2"]) for region, sums in per_county] == [("中牟县", Decimal("12"))]
    client.force_login(user)
    page = client.get(reverse("sources:inventory"), {"year": 2019}).content.decode()
    assert "中牟县" in page and "荥阳市" not in page


def test_whole_society_totals_are_the_region_and_everything_below(world):
    _items(world)
    assert whole_society_totals(world.regions["city"], 2019)["so2"] == Decimal("28")
    assert whole_society_totals(world.regions["county_a"], 2019)["so2"] == Decimal("12")
    assert whole_society_totals(world.regions["county_a"], 2018)["so2"] == Decimal("100")
    assert whole_society_totals(world.regions["town_b1"], 2017) == dict.fromkeys(("so2", "nox", "pm", "vocs"), Decimal("0"))
