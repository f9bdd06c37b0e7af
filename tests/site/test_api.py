"""The API: token authentication, OpenAPI docs, and writes held to the same policy as pages."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gongjian.air.models import AirQualityTarget
from gongjian.regions import tokens
from gongjian.regions.models import OrganisationAlias


@pytest.fixture
def api():
    return APIClient()


def _target(world, region):
    return {"region": world.regions[region].pk, "year": 2021, "metric": "pm25_mean", "value": "48.0"}


def test_token_authentication(world, api):
    _record, token = tokens.issue(world.people["county_a_office"], "test")
    assert api.get(reverse("air-targets-list")).status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("air-targets-list")).status_code == 200


def test_editor_writes_inside_own_jurisdiction(world, api):
    api.force_authenticate(world.people["county_a_office"])
    response = api.post(reverse("air-targets-list"), _target(world, "town_a1"), format="json")
    assert response.status_code == 201, response.content
    assert AirQualityTarget.objects.get(pk=response.json()["id"]).value == Decimal("48.0")


def test_editor_cannot_write_outside_jurisdiction_and_nothing_is_saved(world, api):
    api.force_authenticate(world.people["county_a_office"])
    response = api.post(reverse("air-targets-list"), _target(world, "county_b"), format="json")
    assert response.status_code == 403
    assert not AirQualityTarget.objects.exists()


def test_editor_cannot_move_a_record_out_of_jurisdiction(world, api):
    target = AirQualityTarget.objects.create(region=world.regions["county_a"], year=2021, metric="pm10_mean", value=80)
    api.force_authenticate(world.people["county_a_office"])
    url = reverse("air-targets-detail", args=[target.pk])
    assert api.patch(url, {"region": world.regions["county_b"].pk}, format="json").status_code == 403
    target.refresh_from_db()
    assert target.region == world.regions["county_a"]


@pytest.mark.parametrize("username", ["town_a1_gov", "enterprise_e1", "public_city", "department"])
def test_non_editors_cannot_write(world, api, username):
    api.force_authenticate(world.people[username])
    assert api.post(reverse("air-targets-list"), _target(world, "town_a1"), format="json").status_code == 403


def test_alias_clash_is_a_400_naming_the_field(world, api):
    api.force_authenticate(world.people["city_office"])
    response = api.post(reverse("organisation-aliases-list"),
                        {"organisation": world.organisations["city"].pk, "alias": "郑州市交通运输局"}, format="json")
    assert response.status_code == 400
    assert "alias" in response.json()
    assert not OrganisationAlias.objects.filter(alias="郑州市交通运输局").exists()


def test_invalid_value_is_a_400(world, api):
    api.force_authenticate(world.people["city_office"])
    body = {**_target(world, "city"), "metric": "good_ratio", "value": "120"}
    response = api.post(reverse("air-targets-list"), body, format="json")
    assert response.status_code == 400 and "value" in response.json()


def test_openapi_schema_and_docs_are_served_locally_to_signed_in_people(world, client):
    for name in ("api-schema", "api-docs", "api-redoc"):  # the data model is not for anyone on the network
        assert client.get(reverse(name)).status_code in (401, 403), name
    client.force_login(world.people["city_office"])
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/air/targets/" in schema.content and b"/api/regions/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "drf_spectacular_sidecar" in docs or "/static/" in docs
    assert "cdn." not in docs and "unpkg" not in docs


def test_region_api_gives_parent_ids(world, api):
    api.force_authenticate(world.people["city_office"])
    rows = {r["name"]: r for r in api.get(reverse("regions-list")).json()["results"]}
    assert rows["韩寺镇"]["parent"] == world.regions["county_a"].pk
    assert rows["郑州市"]["parent"] == world.regions["province"].pk
