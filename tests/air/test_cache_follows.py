"""Cached pages follow what they are derived from (issue 16): a recomputation of station A's days
leaves the cached pages of region B valid (B's station page, B's targets) and makes those of A's
station and region stale; a ranking, which reads every peer, is stale after any recomputation of
its months, and a recomputation of other months leaves it cached."""

import datetime as dt

import polars as pl
import pytest
from django.urls import reverse

from gongjian.air import results, views
from gongjian.air.evaluation import compute_daily, results_version, version_names
from gongjian.air.models import AirQualityTarget, Station
from gongjian.air.tasks import recompute
from gongjian.core import series
from gongjian.periods import Period
from gongjian.regions import policy
from gongjian.regions.models import Region

START = dt.datetime(2020, 1, 1)
DAY = dt.date(2020, 1, 3)


@pytest.fixture
def places(world, django_capture_on_commit_callbacks, settings):
    settings.GONGJIAN_AS_OF = "2020-01-07T12:00"
    a = Station.objects.create(code="A01", name="甲站", kind="county", assessment=True,
                               region=world.regions["county_a"])
    b = Station.objects.create(code="B01", name="乙站", kind="county", assessment=True,
                               region=world.regions["county_b"])
    rows = [{"station_id": s.pk, "time": START + dt.timedelta(hours=h), "so2": 9.0, "no2": 30.0 + h % 7, "co": 0.6,
             "o3": 50.0 + h % 11, "pm10": 80.0 + i, "pm25": 40.0 + h % 5 + i}
            for i, s in enumerate((a, b)) for h in range(24 * 6)]
    with django_capture_on_commit_callbacks():
        series.write("air.hourly", pl.DataFrame(rows, schema_overrides={"time": pl.Datetime("us")}), source="file")
    compute_daily(dt.date(2020, 1, 1), dt.date(2020, 1, 6))
    for region in ("county_a", "county_b"):
        AirQualityTarget.objects.create(region=world.regions[region], year=2020, metric="pm25_mean", value=50)
    return a, b


def _counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_versions_follow_stations_regions_and_months(places, world):
    a, b = places
    own_a = version_names(DAY, DAY, stations=[a.pk], regions=[a.region_id])
    own_b = version_names(DAY, DAY, stations=[b.pk], regions=[b.region_id])
    february = version_names(dt.date(2020, 2, 1), dt.date(2020, 2, 1), network=True)
    january = version_names(DAY, DAY, network=True)
    before = {n: results_version(n) for n in ("a", "b")} | {"a": results_version(own_a), "b": results_version(own_b)}
    feb, jan, city = results_version(february), results_version(january), results_version(
        version_names(DAY, DAY, regions=[world.regions["city"].pk]))
    recompute(DAY.isoformat(), DAY.isoformat(), [a.pk])
    assert results_version(own_a) != before["a"] and results_version(own_b) == before["b"]
    # the city counts A's station; the network's January changed, its February did not
    assert results_version(version_names(DAY, DAY, regions=[world.regions["city"].pk])) != city
    assert results_version(january) != jan and results_version(february) == feb
    assert results_version(own_a)[0] == 2 and version_names(dt.date(2019, 12, 30), dt.date(2020, 2, 2)) == []
    assert version_names(dt.date(2019, 12, 30), dt.date(2020, 2, 2), stations=[7]) == [
        "station 7 2019-12", "station 7 2020-01", "station 7 2020-02"]


def test_a_station_page_survives_a_recomputation_of_another_region(places, world, client, monkeypatch):
    a, b = places
    charts = _counting(monkeypatch, views, "_station_charts")
    client.force_login(world.people["city_office"])
    for station in (a, b):
        assert client.get(reverse("air:station", args=[station.pk]) + "?year=2020").status_code == 200
    assert len(charts) == 2
    for station in (a, b):
        client.get(reverse("air:station", args=[station.pk]) + "?year=2020")
    assert len(charts) == 2  # both cached
    recompute(DAY.isoformat(), DAY.isoformat(), [a.pk])  # a late hour of A's day
    client.get(reverse("air:station", args=[b.pk]) + "?year=2020")
    assert len(charts) == 2  # B's page is still valid
    client.get(reverse("air:station", args=[a.pk]) + "?year=2020")
    assert len(charts) == 3 and charts[-1][0] == a  # A's was recomputed


def test_targets_of_region_b_survive_a_recomputation_of_region_a(places, world, monkeypatch):
    a, b = places
    progress = _counting(monkeypatch, results, "_target_progress")
    people = {name: world.people[name] for name in ("county_a_office", "county_b_office", "city_office")}

    def look():
        return {name: results.target_progress(person, 2020, dt.date(2020, 1, 6), "auto") for name, person in people.items()}

    first = look()
    assert len(progress) == 3 and [r["region"] for r in first["county_b_office"]] == [world.regions["county_b"].name]
    look()
    assert len(progress) == 3
    recompute(DAY.isoformat(), DAY.isoformat(), [a.pk])
    look()
    # county B's cached progress stays; county A's and the city's (which sees A's target) are recomputed
    assert [args[0].username for args in progress[3:]] == ["county_a_office", "city_office"]
    recompute(DAY.isoformat(), DAY.isoformat(), [b.pk])
    look()
    assert [args[0].username for args in progress[5:]] == ["county_b_office", "city_office"]


def test_a_ranking_follows_its_months_and_every_peer(places, world, monkeypatch):
    a, _ = places
    tables = _counting(monkeypatch, results, "_ranking_table")
    person = world.people["county_b_office"]
    january = Period.custom(dt.date(2020, 1, 1), dt.date(2020, 1, 6))
    results.ranking_table(person, "county", january, "composite", "auto")
    results.ranking_table(person, "county", january, "composite", "auto")
    assert len(tables) == 1
    recompute("2020-03-02", "2020-03-02", [a.pk])  # another month (and not last year's January)
    results.ranking_table(person, "county", january, "composite", "auto")
    assert len(tables) == 1
    recompute(DAY.isoformat(), DAY.isoformat(), [a.pk])  # a peer's day in the period
    results.ranking_table(person, "county", january, "composite", "auto")
    assert len(tables) == 2


def test_the_now_page_follows_the_regions_its_person_sees(places, world, client, monkeypatch):
    """County B's office sees B's stations and the regions above them that the policy shows it; a
    recomputation of A's day changes county A and the city (which counts A's station)."""
    a, b = places
    tables = _counting(monkeypatch, views, "_now_tables")
    person = world.people["county_b_office"]
    client.force_login(person)
    assert client.get(reverse("air:now")).status_code == 200
    client.get(reverse("air:now"))
    assert len(tables) == 1 and [s.pk for s in tables[0][1]] == [b.pk]
    sees_city = policy.visible(person, Region.objects.filter(pk=world.regions["city"].pk)).exists()
    recompute("2020-01-06", "2020-01-06", [a.pk])
    client.get(reverse("air:now"))
    assert len(tables) == (2 if sees_city else 1)
    recompute("2020-01-06", "2020-01-06", [b.pk])
    client.get(reverse("air:now"))
    assert len(tables) == (3 if sees_city else 2)
    recompute("2019-12-01", "2019-12-01", [b.pk])  # long before the latest hour's two days
    client.get(reverse("air:now"))
    assert len(tables) == (3 if sees_city else 2)
