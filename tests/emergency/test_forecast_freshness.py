"""A forecast older than its threshold (GONGJIAN_STALE_AFTER["forecast"], from the start of its issue
day) proposes no warning: the dashboard says there is no current forecast and when the old one was
issued, and a decision records no proposed level from it."""

import datetime as dt

import pytest

from gongjian import clock
from gongjian.emergency import episodes
from gongjian.emergency.models import Forecast

ISSUED = dt.date(2020, 12, 8)
HEAVY = [170, 215, 240, 305, 190, 120, 90]  # the demo's December forecast: orange


@pytest.fixture
def forecast(world, standard, settings):
    settings.GONGJIAN_STALE_AFTER = {**settings.GONGJIAN_STALE_AFTER, "forecast": "48h"}
    Forecast.objects.bulk_create(Forecast(region=world.regions["city"], issued_on=ISSUED,
                                          day=ISSUED + dt.timedelta(days=i), aqi=a) for i, a in enumerate(HEAVY))
    return world.regions["city"]


def test_a_current_forecast_proposes_and_an_old_one_does_not(forecast):
    assert episodes.proposed_level(forecast, clock.parse_as_of("2020-12-08T18:00")).level == "orange"
    assert episodes.proposed_level(forecast, clock.parse_as_of("2020-12-09T23:59")).level == "orange"  # 47:59
    assert episodes.proposed_level(forecast, clock.parse_as_of("2020-12-10T00:01")) is None  # 48:01
    assert episodes.proposed_level(forecast, clock.parse_as_of("2020-12-31T23:30")) is None


def _dashboard(client, world, moment: str) -> str:
    client.force_login(world.people["city_office"])
    with clock.as_of(moment):
        return client.get("/emergency/").content.decode()


def test_the_dashboard_says_there_is_no_current_forecast(client, world, forecast):
    page = _dashboard(client, world, "2020-12-31T23:30")
    assert 'id="no-current-forecast"' in page and "最近一次预报发布于 2020-12-08" in page
    assert 'id="proposed"' not in page  # nothing proposed from it
    assert '<p class="freshness stale" data-freshness="forecast"' in page and "预报发布于 2020-12-08" in page


def test_the_dashboard_proposes_from_a_current_forecast(client, world, forecast):
    page = _dashboard(client, world, "2020-12-08T18:00")
    assert 'id="no-current-forecast"' not in page and 'id="proposed"' in page
    assert '<p class="freshness" data-freshness="forecast"' in page


def test_a_decision_records_no_proposal_from_a_stale_forecast(world, forecast):
    office = world.people["city_office"]
    issued = episodes.act(forecast, "issue", "orange", clock.parse_as_of("2020-12-08T18:00"), office, "重度污染")
    lifted = episodes.act(forecast, "lift", "", clock.parse_as_of("2020-12-12T12:00"), office, "冷空气过境")
    assert issued.proposed_level == "orange" and lifted.proposed_level == ""
