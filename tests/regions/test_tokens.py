"""API tokens through the pages and the API: made by their person and shown once, stored as a digest,
masked afterwards, accepted by the API until revoked and refused from the next request on; nobody
revokes another's token."""

import hashlib
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gongjian.regions.models import ApiToken

TOKEN = re.compile(r"<code>(gj_[A-Za-z0-9_-]{40,})</code>")


def _create(client, person, name="县站数据报送"):
    client.force_login(person)
    response = client.post(reverse("regions:tokens"), {"name": name})
    assert response.status_code == 200
    return TOKEN.search(response.content.decode()).group(1)


def test_create_use_revoke_refuse(world, client):
    person = world.people["county_a_office"]
    token = _create(client, person)
    record = ApiToken.objects.get(person=person)
    assert record.digest == hashlib.sha256(token.encode()).hexdigest() and token not in {record.digest, record.prefix}
    page = client.get(reverse("regions:tokens")).content.decode()
    assert token not in page and record.masked in page  # shown once, masked afterwards

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("air-targets-list")).status_code == 200
    record.refresh_from_db()
    assert record.last_used is not None

    assert client.post(reverse("regions:token_revoke"), {"token": record.pk}).status_code == 302
    record.refresh_from_db()
    assert record.revoked is not None
    assert api.get(reverse("air-targets-list")).status_code in (401, 403)


def test_a_wrong_token_is_refused(world):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token gj_not-a-token")
    assert api.get(reverse("air-targets-list")).status_code in (401, 403)


def test_nobody_revokes_anothers_token(world, client):
    token = _create(client, world.people["county_a_office"])
    record = ApiToken.objects.get()
    client.force_login(world.people["county_b_office"])
    response = client.post(reverse("regions:token_revoke"), {"token": record.pk})
    assert response.status_code == 400  # an invalid choice, as if the token did not exist
    record.refresh_from_db()
    assert record.revoked is None
    assert world.people["county_a_office"].username not in response.content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("air-targets-list")).status_code == 200


@pytest.mark.parametrize("username", ["public_city", "enterprise_e1"])
def test_every_role_has_its_own_tokens(world, client, username):
    _create(client, world.people[username])
    assert ApiToken.objects.filter(person=world.people[username], revoked__isnull=True).count() == 1
