"""A heavy-pollution warning has one name (GLOSSARY.md: "warning") in its registry pages, its own
pages, their URL names and the API; the pages' old addresses lead to the new ones."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse
from rest_framework.test import APIClient

from gongjian.emergency import episodes


def _warning(world, standard):
    at = dt.datetime(2020, 12, 8, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    return episodes.act(world.regions["city"], "issue", "orange", at, world.people["city_office"], "test").warning


def test_pages_url_names_and_api_say_warning(world, standard, client):
    warning = _warning(world, standard)
    urls = {name: reverse(f"emergency:warning_{name}", args=args) for name, args in (
        ("list", []), ("detail", [warning.pk]), ("history", [warning.pk]), ("reports", [warning.pk]),
        ("report", [warning.pk, "2020-12-08"]))}
    assert urls == {"list": "/emergency/warning/", "detail": f"/emergency/warning/{warning.pk}/",
                    "history": f"/emergency/warning/{warning.pk}/history/",
                    "reports": f"/emergency/warning/{warning.pk}/reports/",
                    "report": f"/emergency/warning/{warning.pk}/reports/2020-12-08/"}
    client.force_login(world.people["city_office"])
    for url in urls.values():
        assert client.get(url).status_code == 200, url
    assert f'href="{urls["reports"]}"' in client.get(urls["detail"]).content.decode()
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    assert reverse("emergency-warnings-detail", args=[warning.pk]) == f"/api/emergency/warnings/{warning.pk}/"
    assert api.get(f"/api/emergency/warnings/{warning.pk}/").status_code == 200


def test_the_old_addresses_redirect(world, standard, client):
    warning = _warning(world, standard)
    client.force_login(world.people["city_office"])
    old = client.get(f"/emergency/episode/{warning.pk}/")
    assert (old.status_code, old["Location"]) == (301, f"/emergency/warning/{warning.pk}/reports/")
    old = client.get(f"/emergency/episode/{warning.pk}/report/2020-12-08/")
    assert (old.status_code, old["Location"]) == (301, f"/emergency/warning/{warning.pk}/reports/2020-12-08/")


def test_the_old_registry_addresses_redirect(world, standard, client):
    warning = _warning(world, standard)
    client.force_login(world.people["city_office"])
    for old, new in (("/emergency/warningepisode/?q=1", "/emergency/warning/?q=1"),
                     (f"/emergency/warningepisode/{warning.pk}/", f"/emergency/warning/{warning.pk}/"),
                     (f"/emergency/warningepisode/{warning.pk}/history/", f"/emergency/warning/{warning.pk}/history/")):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old


def test_renamed_api_fields_are_still_answered_read_only(world, standard):
    """Clients written before the rename (2026-12) keep reading ``list_version``; writes use the new name."""
    warning = _warning(world, standard)
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    body = api.get(f"/api/emergency/warnings/{warning.pk}/").json()
    assert "reduction_list" in body and body["list_version"] == body["reduction_list"]
