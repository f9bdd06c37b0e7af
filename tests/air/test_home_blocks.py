"""The home page's air blocks on imported hours: a county's AQI now (the latest stored hour, from its
counting stations) and its place among the counties this month, each saying how old it is; a place
without data says "no data"."""

import datetime as dt

from django.urls import reverse

from gongjian import clock
from gongjian.air import services

AS_OF = "2020-02-03T12:30:00+08:00"


def test_a_countys_aqi_now_and_its_rank(world, data):
    county = world.regions["county_a"]
    with clock.as_of(AS_OF):
        now = services.region_now(world.people["county_a_office"], county)
        ranked = services.peer_rank(world.people["city_office"], county)
    assert clock.local(now.at) == clock.attach(dt.datetime(2020, 2, 3, 12)) and now.aqi is not None and now.category
    assert ranked.of == 2 and ranked.rank in (1, 2) and ranked.period.start == dt.date(2020, 2, 1)
    assert ranked.as_of == dt.date(2020, 2, 3)
    with clock.as_of(AS_OF):  # a county is ranked among the city's counties (the policy's peers rule)
        own = services.peer_rank(world.people["county_a_office"], county)
    assert (own.rank, own.of) == (ranked.rank, 2)


def test_the_home_page_shows_aqi_rank_and_their_age(world, data, client):
    client.force_login(world.people["county_a_office"])
    with clock.as_of(AS_OF):
        page = client.get(reverse("home")).content.decode()
        label = services.peer_rank(world.people["county_a_office"], world.regions["county_a"]).period.label()
    assert "AQI " in page and "2020-02-03 12:00" in page
    assert 'id="home-rank"' in page and label in page


def test_stations_a_person_does_not_see_give_no_data(world, data):
    with clock.as_of(AS_OF):
        now = services.region_now(world.people["county_b_office"], world.regions["town_a1"])
    assert now.aqi is None  # county B's person sees no station of town A1
