"""The real-time and station pages say how old the stations' hours are, overall and per station, and
the hourly feed check opens one outage per silent station (gongjian.air.feeds)."""

import datetime as dt
import re

import polars as pl
import pytest

from gongjian import clock
from gongjian.air.feeds import check_feeds
from gongjian.air.kinds import HOURLY
from gongjian.air.models import Station, StationOutage
from gongjian.core import series
from gongjian.regions.models import Person

NOW = "2020-12-31T23:30"


def _hours(station: Station, first: str, last: str) -> None:
    times = pl.datetime_range(dt.datetime.fromisoformat(first), dt.datetime.fromisoformat(last), "1h", eager=True)
    series.write(HOURLY, pl.DataFrame({"station_id": [station.pk] * len(times), "time": times,
                                       "pm25": [40.0] * len(times), "pm10": [80.0] * len(times)}), source="api")


@pytest.fixture
def stations(world, settings, django_capture_on_commit_callbacks):
    settings.GONGJIAN_STALE_AFTER = {**settings.GONGJIAN_STALE_AFTER, "air.hourly": "2h"}
    fresh = Station.objects.create(code="F01", name="新站", kind="county", region=world.regions["county_a"])
    silent = Station.objects.create(code="S01", name="停报站", kind="county", region=world.regions["county_a"])
    with django_capture_on_commit_callbacks(execute=True):
        _hours(fresh, "2020-12-31T18:00", "2020-12-31T23:00")
        _hours(silent, "2020-12-31T15:00", "2020-12-31T19:00")
    return fresh, silent


def _row(page: str, name: str) -> str:
    return next(row for row in re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S) if f">{name}</a>" in row)


def _now_page(client) -> str:
    client.force_login(Person.objects.get(username="city_office"))
    with clock.as_of(NOW):
        return client.get("/air/now/").content.decode().replace("\xa0", " ")


def test_a_silent_station_is_flagged_in_its_row_and_the_fresh_one_is_not(client, stations):
    page = _now_page(client)
    assert "数据截至 2020-12-31 23:00，30 分钟前" in page  # the page's newest hour: current
    assert '<p class="freshness" data-freshness="air.hourly"' in page
    assert 'id="stale-stations"' in page and "1 个站点超过阈值时间没有上报小时数据" in page
    silent, fresh = _row(page, "停报站"), _row(page, "新站")
    assert silent.startswith('<tr class="stale">') and "2020-12-31 19:00" in silent and "已过时 · 4 小时前" in silent
    assert 'class="stale"' not in fresh and "30 分钟前" in fresh and "已过时" not in fresh


def test_the_threshold_is_the_configured_one(client, stations, settings):
    settings.GONGJIAN_STALE_AFTER = {**settings.GONGJIAN_STALE_AFTER, "air.hourly": "5h"}
    page = _now_page(client)
    assert 'class="stale"' not in _row(page, "停报站") and 'id="stale-stations"' not in page


def test_the_whole_page_is_stale_when_every_feed_stopped(client, stations):
    client.force_login(Person.objects.get(username="city_office"))
    with clock.as_of("2021-01-02T09:00"):
        page = client.get("/air/now/").content.decode().replace("\xa0", " ")
    assert '<p class="freshness stale" data-freshness="air.hourly" role="alert">数据截至 2020-12-31 23:00' in page
    assert "数据已过时" in page and all('class="stale"' in _row(page, n) for n in ("新站", "停报站"))


def test_the_station_page_says_how_old_its_hours_are(client, stations):
    fresh, silent = stations
    client.force_login(Person.objects.get(username="city_office"))
    with clock.as_of(NOW):
        check_feeds()
        page = client.get(f"/air/station/{silent.pk}/data/?year=2020").content.decode().replace("\xa0", " ")
        other = client.get(f"/air/station/{fresh.pk}/data/?year=2020").content.decode()
    assert 'class="freshness stale"' in page and "数据截至 2020-12-31 19:00，4 小时前" in page
    assert 'id="outage"' in page and 'id="outage"' not in other and 'class="freshness stale"' not in other


def test_a_missing_feed_opens_one_outage_and_closes_it_when_hours_come(stations, django_capture_on_commit_callbacks):
    fresh, silent = stations
    with clock.as_of(NOW):
        assert check_feeds() == 1
        assert check_feeds() == 0  # the next hour's run: the same outage, not a second one
    outage = StationOutage.objects.get()
    assert outage.station == silent and outage.resumed is None
    assert outage.last_hour == clock.parse_as_of("2020-12-31T19:00") and outage.found == clock.parse_as_of(NOW)
    with django_capture_on_commit_callbacks(execute=True):
        _hours(silent, "2021-01-01T02:00", "2021-01-01T03:00")
    with clock.as_of("2021-01-01T03:30"):
        assert check_feeds() == 1  # the other station has been silent since 23:00 by now
    outage.refresh_from_db()
    assert outage.resumed == clock.parse_as_of("2021-01-01T02:00")  # closed by the first hour back
    assert [o.station for o in StationOutage.objects.filter(resumed__isnull=True)] == [fresh]


def test_the_quality_page_lists_open_outages_in_scope(client, stations):
    with clock.as_of(NOW):
        check_feeds()
    client.force_login(Person.objects.get(username="city_office"))
    with clock.as_of(NOW):
        page = client.get("/air/quality/?month=2020-12").content.decode()
    assert 'id="outage-list"' in page and "停报站" in _row(page, "停报站")
    client.force_login(Person.objects.get(username="county_b_office"))
    with clock.as_of(NOW):
        page = client.get("/air/quality/?month=2020-12").content.decode()
    assert "停报站" not in page  # another county's outage is not theirs
