"""A county user sees only their county's records, a town user only their town's, an
enterprise user only its own enterprise's, through the pages and through the API.
Expectations come from ``tests/scope_cases.py``, not from the policy's code."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gongjian.core.registry import REGISTRY
from tests.registry_cases import api_route
from tests.scope_cases import CASES, EXPECTED, INHERITED, REFERENCE, expected_places

USERS = sorted(EXPECTED)


def test_every_registry_model_has_a_case():
    missing = [m.__name__ for m in REGISTRY if m not in CASES and m not in REFERENCE]
    assert not missing, f"registry models without a scope-matrix case: {missing}"


def _api_list_url(model):
    route = api_route(model, writable=False)
    return reverse(f"{route}-list") if route else None


def _api_detail_url(model, pk):
    return reverse(f"{api_route(model, writable=False)}-detail", args=[pk])


@pytest.mark.parametrize("model", list(CASES), ids=lambda m: m.__name__)
def test_scope_matrix(world, client, model):
    """Every kind of user against one model's records (one world per model: building it per user and
    model made this the slowest file of the suite)."""
    factory, owned, public = CASES[model]
    records = factory(world)
    entry = REGISTRY[model]
    url = _api_list_url(model)
    for username in USERS:
        expected = expected_places(username, owned, public, inherited=model in INHERITED)
        user = world.people[username]
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        # the list page and the API list show exactly the expected records of the case
        page = client.get(reverse(entry.url_name("list")), {"page": 1}).content.decode()
        api_ids = {row["id"] for row in api.get(url + "?limit=1000").json()["results"]} if url else None
        for place, record in records.items():
            detail = reverse(entry.url_name("detail"), args=[record.pk])
            if place in expected:
                assert f'href="{detail}"' in page, f"{username} should see {place} on the {model.__name__} list"
                assert client.get(detail).status_code == 200, (username, place)
                if url:
                    assert record.pk in api_ids, f"{username} should get {place} from the {model.__name__} API"
                    assert api.get(_api_detail_url(model, record.pk)).status_code == 200, (username, place)
            else:
                assert f'href="{detail}"' not in page, f"{username} must not see {place} on the {model.__name__} list"
                assert client.get(detail).status_code == 404, (username, place)
                assert client.get(reverse(entry.url_name("history"), args=[record.pk])).status_code == 404
                if url:
                    assert record.pk not in api_ids, f"{username} must not get {place} from the {model.__name__} API"
                    assert api.get(_api_detail_url(model, record.pk)).status_code == 404, (username, place)


@pytest.mark.parametrize("username", USERS)
def test_reference_data_is_shared_by_staff_but_not_enterprises(world, client, username):
    for model, factory in REFERENCE.items():
        record = next(iter(factory(world).values()))
        client.force_login(world.people[username])
        status = client.get(reverse(REGISTRY[model].url_name("detail"), args=[record.pk])).status_code
        assert status == (404 if username.startswith("enterprise") else 200)


def test_anonymous_sees_nothing(world, client):
    assert client.get(reverse("regions:region_list")).status_code in (302, 403)
    assert APIClient().get(reverse("regions-list")).status_code in (401, 403)
