"""The water API: samples, stored months, a period's evaluation and the county ranking, each scoped by
the policy; bad parameters answered 400 naming them; every route in the OpenAPI schema."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def _api(person) -> APIClient:
    api = APIClient()
    api.force_authenticate(person)
    return api


def test_samples_of_a_section_with_flags(world, measured):
    rows = _api(world.people["city_office"]).get("/api/water/samples/", {"section": "WS-A", **MARCH}).json()
    assert sorted((r["item"], r["value"], r["flag"], r["section"]) for r in rows) == [
        ("codmn", 5.0, "valid", "WS-A"), ("nh3n", 1.3, "valid", "WS-A"), ("tp", 0.1, "valid", "WS-A")]
    assert rows[0]["time"].startswith("2026-03-10T09:00")
    one = _api(world.people["city_office"]).get("/api/water/samples/", {"section": "WS-A", "item": "tp", **MARCH})
    assert [r["item"] for r in one.json()] == ["tp"]


def test_a_county_gets_its_sections_and_a_404_for_another(world, measured):
    api = _api(world.people["county_a_office"])
    assert api.get("/api/water/samples/", {"section": "WS-B", **MARCH}).status_code == 404
    months = api.get("/api/water/section-months/", MARCH).json()
    assert {m["section"] for m in months} == {"WS-A", "WS-L"}
    evaluation = api.get("/api/water/evaluation/", {"period": "2026-M03"}).json()
    assert {r["section"] for r in evaluation["results"]} == {"WS-A", "WS-L"}
    assert api.get("/api/water/evaluation/", {"period": "2026-M03",
                                              "region": world.regions["county_b"].pk}).status_code == 404


def test_section_months_and_evaluation_carry_the_classes(world, measured):
    api = _api(world.people["city_office"])
    months = {m["section"]: m for m in api.get("/api/water/section-months/", MARCH).json()}
    assert (months["WS-A"]["water_class"], months["WS-A"]["target_class"], months["WS-A"]["meets_target"]) == (4, 3, False)
    assert months["WS-A"]["items_above"] == {"nh3n": pytest.approx(0.3)}
    evaluation = api.get("/api/water/evaluation/", {"period": "2026-M03"}).json()
    # classes Ⅳ, Ⅱ, Ⅲ: 66.7 % at Ⅲ or better, 0 % worse than Ⅴ, one of two targets met
    assert (evaluation["share_iii_or_better"], evaluation["share_worse_than_v"], evaluation["attainment"]) == (
        66.7, 0.0, 50.0)
    assert evaluation["method"] == "mean" and evaluation["evaluated"] == 3  # fewer than five sections


def test_ranking_is_published_among_the_counties(world, measured):
    rows = _api(world.people["county_a_office"]).get("/api/water/ranking/", {"year": 2026}).json()
    assert [(r["name"], r["rank"], r["attainment"]) for r in rows] == [("荥阳市", 1, 100.0), ("中牟县", 2, 0.0)]
    assert _api(world.people["enterprise_e1"]).get("/api/water/ranking/", {"year": 2026}).status_code == 403


def test_enterprise_sees_no_section(world, measured):
    api = _api(world.people["enterprise_e1"])
    assert api.get("/api/water/samples/", {"section": "WS-A", **MARCH}).status_code == 403  # SEE_WATER
    assert api.get("/api/water/section-months/", MARCH).json() == []


def test_bad_parameters_name_themselves(world, measured):
    api = _api(world.people["city_office"])
    assert "section" in api.get("/api/water/samples/", MARCH).json()
    assert "to" in api.get("/api/water/samples/", {"section": "WS-A", "from": "2026-03-01", "to": "2025-01-01"}).json()
    assert "period" in api.get("/api/water/evaluation/", {"period": "2026-W10"}).json()
    assert "period" in api.get("/api/water/evaluation/", {"period": "soon"}).json()


def test_openapi_lists_the_water_routes(world, client):
    client.force_login(world.people["city_office"])
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/water/samples/", "/api/water/section-months/", "/api/water/evaluation/", "/api/water/ranking/"):
        assert path in schema, path
