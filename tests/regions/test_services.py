"""Bad input gets a clear error and saves nothing: regions, aliases, people, boundaries."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongjian.core.problems import InvalidInput
from gongjian.regions.models import (
    Organisation,
    OrganisationAlias,
    Person,
    Region,
    RegionLevel,
    Role,
)
from gongjian.regions.services import (
    add_alias,
    add_region,
    import_boundaries,
    import_regions_csv,
    register_person,
    resolve_organisation,
)

SQUARE = {"type": "Polygon", "coordinates": [[[113.9, 34.6], [114.1, 34.6], [114.1, 34.8], [113.9, 34.8], [113.9, 34.6]]]}


def test_duplicate_region_code_is_refused(world):
    before = Region.objects.count()
    with pytest.raises(ValidationError) as err:
        add_region(world.regions["city"], name="另一个县", level=RegionLevel.COUNTY, kind="county", code="410122")
    assert "410122" in str(err.value)
    assert Region.objects.count() == before


def test_database_also_refuses_duplicate_code(world):
    region = Region(name="x", level=RegionLevel.COUNTY, kind="county", code="410122")
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.add_child(world.regions["city"], instance=region)


@pytest.mark.parametrize(("level", "code", "message"), [
    (RegionLevel.COUNTY, "41012", "6 digits"),
    (RegionLevel.COUNTY, "41O122", "digits only"),
    (RegionLevel.TOWN, "410122", "9 or 12"),
])
def test_region_code_shape(world, level, code, message):
    parent = world.regions["county_a"] if level == RegionLevel.TOWN else world.regions["city"]
    with pytest.raises(ValidationError, match=message):
        add_region(parent, name="新区", level=level, kind="county", code=code)


def test_region_level_must_sit_below_parent(world):
    with pytest.raises(ValidationError, match="cannot sit under"):
        add_region(world.regions["town_a1"], name="错县", level=RegionLevel.COUNTY, kind="county")
    with pytest.raises(ValidationError, match="Only a province"):
        add_region(None, name="孤市", level=RegionLevel.CITY, kind="prefecture_city")


def test_import_regions_csv_adds_a_subtree(world):
    data = ("code,name,level,kind,parent_code\n"
            "410183,新密市,county,county_city,410100\n"
            "410183100,青屏街街道,town,subdistrict,410183\n")
    created = import_regions_csv(data)
    assert [r.name for r in created] == ["新密市", "青屏街街道"]
    assert created[1].path.startswith(created[0].path) and created[1].depth == created[0].depth + 1


def test_import_regions_csv_lists_every_problem_and_saves_nothing(world):
    before = Region.objects.count()
    data = ("code,name,level,kind,parent_code\n"
            "410183,新密市,county,county_city,410100\n"
            "410122,重复,county,county,410100\n"        # row 3: code stored already
            "410183,又重复,county,county,410100\n"       # row 4: repeats row 2
            "410185,登封市,prefecture,county_city,410100\n"  # row 5: bad level
            "410186,某县,county,planet,999999\n")        # row 6: bad kind, unknown parent
    with pytest.raises(InvalidInput) as err:
        import_regions_csv(data, source="bad.csv")
    found = {(p.row, p.field) for p in err.value.problems}
    assert found == {(3, "code"), (4, "code"), (5, "level"), (6, "kind"), (6, "parent_code")}
    assert "bad.csv, row 3, column code" in str(err.value)
    assert Region.objects.count() == before


def test_import_regions_csv_rolls_back_on_a_tree_rule(world):
    before = Region.objects.count()
    data = ("code,name,level,kind,parent_code\n"
            "410183,新密市,county,county_city,410100\n"
            "410184,新郑市,county,county_city,410183\n")  # a county under a county
    with pytest.raises(InvalidInput) as err:
        import_regions_csv(data)
    assert err.value.problems[0].row == 3
    assert Region.objects.count() == before


def test_missing_column(world):
    with pytest.raises(InvalidInput, match="missing column"):
        import_regions_csv("code,name\n1,x\n")


def test_person_without_jurisdiction_is_refused(world):
    with pytest.raises(ValidationError) as err:
        register_person(username="nobody", password=None, role=Role.CAMPAIGN_OFFICE, jurisdiction=None)
    assert "jurisdiction" in err.value.message_dict
    assert not Person.objects.filter(username="nobody").exists()


def test_database_refuses_person_without_jurisdiction(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(username="sneaky", role=Role.CAMPAIGN_OFFICE)


@pytest.mark.parametrize(("role", "region", "org", "field"), [
    (Role.ENTERPRISE, "town_a1", None, "organisation"),
    (Role.ENTERPRISE, "town_a1", "county_a", "organisation"),     # not an enterprise
    (Role.DEPARTMENT, "city", None, "organisation"),
    (Role.TOWN_GOVERNMENT, "county_a", "county_a", "jurisdiction"),  # not a town
    (Role.CAMPAIGN_OFFICE, "county_a", "county_b", "organisation"),  # organisation elsewhere
])
def test_role_requirements(world, role, region, org, field):
    with pytest.raises(ValidationError) as err:
        register_person(username="x", password=None, role=role, jurisdiction=world.regions[region],
                        organisation=world.organisations[org] if org else None)
    assert field in err.value.message_dict


def test_alias_clashing_with_another_organisations_name_is_refused(world):
    city, transport = world.organisations["city"], world.organisations["transport"]
    with pytest.raises(ValidationError, match="name of another organisation"):
        add_alias(city, "郑州市交通运输局")
    with pytest.raises(ValidationError, match="already names"):
        add_alias(transport, "市环保局")  # already an alias of the environment bureau
    with pytest.raises(ValidationError, match="differ"):
        add_alias(city, "郑州市生态环境局")
    assert OrganisationAlias.objects.filter(organisation=transport).count() == 0


def test_organisation_named_like_an_existing_alias_is_refused(world):
    org = Organisation(name="市环保局", kind="department", region=world.regions["city"])
    with pytest.raises(ValidationError, match="alias of another organisation"):
        org.full_clean()


@pytest.mark.parametrize(("name", "context", "expected", "rule"), [
    ("郑州市生态环境局", "city", "郑州市生态环境局", "exact"),
    ("市环保局", "county_a", "郑州市生态环境局", "exact"),              # an alias, found in an ancestor
    ("市生态环境局", "city", "郑州市生态环境局", "level prefix"),       # 市 + bare name
    ("市 交通 运输局", "county_a", "郑州市交通运输局", "level prefix"),  # OCR spaces
    ("环保局", "city", "郑州市生态环境局", "renamed"),                  # 2018 rename, city's own name
    ("县人民政府", "town_a1", "中牟县人民政府", "level prefix"),
])
def test_resolve_organisation(world, name, context, expected, rule):
    resolution = resolve_organisation(name, world.regions[context])
    assert resolution.status == "resolved", resolution
    assert resolution.organisation.name == expected
    assert resolution.rule.startswith(rule)


def test_unresolved_name_is_never_guessed(world):
    resolution = resolve_organisation("市宇宙管理局", world.regions["city"])
    assert resolution.status == "unresolved" and resolution.organisation is None


def test_ambiguous_name_lists_candidates(world):
    city = world.regions["city"]
    bare = Organisation.objects.create(name="水务局", kind="department", region=city)
    full = Organisation.objects.create(name="郑州市水务局", kind="department", region=city)
    resolution = resolve_organisation("水务局", city)
    assert resolution.status == "ambiguous"
    assert set(resolution.candidates) == {bare, full}
    assert resolution.organisation is None


def test_literal_reading_comes_before_a_level_prefix(world):
    # 市场监管局 begins with 市 but is the market regulator, not a city's "场监管局"
    market = Organisation.objects.create(name="郑州市市场监督管理局", kind="department", region=world.regions["city"])
    add_alias(market, "市场监管局")
    assert resolve_organisation("市场监管局", world.regions["county_a"]).organisation == market


def test_import_boundaries_attaches_geometry(world):
    data = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "410122"}, "geometry": SQUARE}]})
    [region] = import_boundaries(data)
    region.refresh_from_db()
    assert region.boundary == SQUARE


@pytest.mark.parametrize(("doc", "message"), [
    ("{not json", "not valid JSON"),
    (json.dumps({"type": "Point", "coordinates": [1, 2]}), "not a GeoJSON Feature"),
    (json.dumps({"type": "FeatureCollection", "features": []}), "no features"),
    (json.dumps({"type": "Feature", "properties": {"code": "410122"},
                 "geometry": {"type": "Point", "coordinates": [113.9, 34.6]}}), "not Polygon"),
    (json.dumps({"type": "Feature", "properties": {"code": "410122"},
                 "geometry": {"type": "Polygon", "coordinates": [[[113.9, 34.6], [114.1, 34.6], [113.9, 34.6]]]}}),
     "at least 4"),
    (json.dumps({"type": "Feature", "properties": {"code": "410122"},
                 "geometry": {"type": "Polygon", "coordinates": [[[113.9, 34.6], [114.1, 34.6], [114.1, 34.8], [113.9, 34.8]]]}}),
     "end where it starts"),
    (json.dumps({"type": "Feature", "properties": {"code": "410122"},
                 "geometry": {"type": "Polygon", "coordinates": [[[34.6, 113.9], [34.6, 114.1], [34.8, 114.1], [34.6, 113.9]]]}}),
     "outside longitude"),
    (json.dumps({"type": "Feature", "properties": {"code": "999999"}, "geometry": SQUARE}), "no region has code"),
])
def test_invalid_geojson_is_refused_whole(world, doc, message):
    with pytest.raises(InvalidInput, match=message):
        import_boundaries(doc, source="z.geojson")
    assert not Region.objects.exclude(boundary=None).exists()


def test_one_bad_feature_refuses_the_whole_file(world):
    data = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "410122"}, "geometry": SQUARE},
        {"type": "Feature", "properties": {"code": "410182"}, "geometry": {"type": "LineString", "coordinates": []}}]})
    with pytest.raises(InvalidInput) as err:
        import_boundaries(data, source="two.geojson")
    assert [(p.row, p.field) for p in err.value.problems] == [(2, "geometry")]
    assert not Region.objects.exclude(boundary=None).exists()
