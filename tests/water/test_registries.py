"""The water app's registries through the generic registry tests (tests/registry_cases.py)."""

import datetime as dt

import polars as pl
from django.urls import reverse

from gongjian.core import series
from gongjian.water.models import SectionTarget, WaterSection, WaterTargetSchedule
from tests.registry_cases import RegistryTests


class TestWaterSection(RegistryTests):
    model = WaterSection
    new = {"code": "WS-new"}
    changes = {"name": "贾鲁河中牟陈桥"}
    invalid = {"latitude": "200"}
    csv_rows = [{"code": "WS-c1"}, {"code": "WS-c2"}]
    csv_invalid = {"control_level": "county"}
    csv_update = {"name": "贾鲁河中牟陈桥"}


class TestSectionTargetRegistry(RegistryTests):
    model = SectionTarget
    new = {"year": 2027}
    changes = {"target_class": "2"}
    invalid = {"target_class": "6"}
    csv_rows = [{"year": 2028}, {"year": 2029}]
    csv_invalid = {"year": "1990"}
    csv_update = {"target_class": "2"}


class TestWaterTargetSchedule(RegistryTests):
    model = WaterTargetSchedule
    new = {"year": 2027}
    changes = {"share_iii_or_better_min": "90.0"}
    invalid = {"share_worse_than_v_max": "120"}
    csv_rows = [{"year": 2028}, {"year": 2029}]
    csv_invalid = {"share_iii_or_better_min": "many"}
    csv_update = {"share_worse_than_v_max": "5.0"}


def test_a_section_with_samples_is_not_deleted_from_its_page(world, client):
    """Samples are a series without history: the section's delete page refuses to take them along."""
    section = WaterSection.objects.create(code="WS-del", name="断面", water_body="贾鲁河", control_level="city",
                                          region=world.regions["county_a"])
    series.write("water.sample", pl.DataFrame({"section_id": [section.pk], "item": ["nh3n"],
                                               "time": [dt.datetime(2026, 3, 5, 10)], "value": [0.5]}), source="demo")
    client.force_login(world.people["county_a_office"])
    response = client.post(reverse("water:watersection_delete", args=[section.pk]))
    assert response.status_code == 409 and 'id="unrecorded"' in response.content.decode()
    assert WaterSection.objects.filter(pk=section.pk).exists() and section.samples.count() == 1


# --- the water ledgers ---------------------------------------------------------------

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


class TestDrinkingWaterSource(RegistryTests):
    model = DrinkingWaterSource
    new = {"code": "DS-new"}
    changes = {"name": "尖岗水库水源地"}
    invalid = {"supply_scale": "-1"}
    csv_rows = [{"code": "DS-c1"}, {"code": "DS-c2"}]
    csv_invalid = {"kind": "sea"}
    csv_update = {"served_population": "120000"}


class TestProtectionZone(RegistryTests):
    model = ProtectionZone
    new = {"level": "second"}
    changes = {"area_km2": "2.5"}
    invalid = {"area_km2": "-3"}
    csv_rows = [{"level": "second"}, {"level": "quasi"}]
    csv_invalid = {"level": "third"}


class TestSourceProblem(RegistryTests):
    model = SourceProblem
    new = {"title": "二级保护区内网箱养殖"}
    changes = {"deadline": "2020-10-31"}
    invalid = {"deadline": "2019-01-01"}
    csv_rows = [{"title": "问题一"}, {"title": "问题二"}]
    csv_invalid = {"kind": "nothing"}


class TestBlackOdorousWaterBody(RegistryTests):
    model = BlackOdorousWaterBody
    new = {"code": "BO-new"}
    changes = {"target_year": "2020"}
    invalid = {"length_km": "-1"}
    csv_rows = [{"code": "BO-c1"}, {"code": "BO-c2"}]
    csv_invalid = {"target_year": "1900"}
    csv_update = {"responsible_units": "中牟县住建局"}


class TestBlackOdorousSurvey(RegistryTests):
    model = BlackOdorousSurvey
    new = {"point": "P2"}
    changes = {"do_mg_l": "0.1"}
    invalid = {"nh3n_mg_l": "-2"}
    csv_rows = [{"point": "P2"}, {"point": "P3"}]
    csv_invalid = {"transparency_cm": "clear"}


class TestOutfall(RegistryTests):
    model = Outfall
    new = {"name": "新排污口"}
    changes = {"discharger": "中牟县污水处理厂"}
    invalid = {"latitude": "95"}
    csv_rows = [{"name": "排污口c1"}, {"name": "排污口c2"}]
    csv_invalid = {"kind": "river"}


class TestOutfallLimit(RegistryTests):
    model = OutfallLimit
    new = {"item": "nh3n"}
    changes = {"value": "40"}
    invalid = {"value": "-5"}
    csv_rows = [{"item": "nh3n"}, {"item": "tp"}]
    csv_invalid = {"item": "lead"}


class TestOutfallResult(RegistryTests):
    """Read only: results enter through the monthly results page (tests/water/test_outfalls.py)."""

    model = OutfallResult
