"""The air pages under an as-of moment written with an offset (``GONGJIAN_AS_OF=2026-03-05T10:00+08:00``):
the clock's moment then carries a fixed-offset tzinfo, which has no zone name; the pages take the
zone from ``clock.zone()``, never from the moment (they called ``.key`` on it and failed)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongjian import clock
from gongjian.air.models import Station

AS_OF = "2026-03-05T10:00+08:00"


def _pages(world) -> list[str]:
    station, region = Station.objects.get(code="ZM01"), world.regions["county_a"]
    return [reverse("air:now"), reverse("air:station", args=[station.pk]), reverse("air:region", args=[region.pk]),
            reverse("air:rankings"), reverse("air:targets"), reverse("air:quality")]


def test_pages_with_an_offset_in_clock_as_of(data, world, client):
    cache.clear()  # the station's charts are cached per version: compute them here
    client.force_login(world.people["city_office"])
    with clock.as_of(AS_OF):
        assert clock.now().tzinfo != clock.zone()  # a fixed offset, not the named zone
        for url in _pages(world):
            response = client.get(url, {"year": "2020"} if "station" in url or "region" in url else {})
            assert response.status_code == 200, url
        station = client.get(_pages(world)[1], {"year": "2020"})
        assert 'data-chart="diurnal"' in station.content.decode()  # the charts were computed, not skipped


@pytest.mark.parametrize("page", ["air:now", "air:rankings"])
def test_pages_with_the_setting(data, world, client, settings, page):
    cache.clear()
    settings.GONGJIAN_AS_OF = AS_OF
    client.force_login(world.people["city_office"])
    assert client.get(reverse(page)).status_code == 200
