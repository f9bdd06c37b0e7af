"""Air pages and API over stored data: scope, and the same numbers as the engine's command line."""

import datetime as dt

import polars as pl
import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from gongjian.air.models import QualityFinding, SourceLayout, Station
from gongjian.air.services import import_hourly
from tests.air.conftest import HEADER

PAGES = ["air:now", "air:rankings", "air:targets", "air:quality"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_render(data, world, client, page):
    client.force_login(world.people["city_office"])
    response = client.get(reverse(page), {"end": "2020-02-09", "period": "month", "as_of": "2020-01-31",
                                          "month": "2020-01"})
    assert response.status_code == 200


def test_station_and_region_pages_have_their_charts(data, world, client):
    client.force_login(world.people["city_office"])
    station = Station.objects.get(code="ZM01")
    page = client.get(reverse("air:station", args=[station.pk])).content.decode()
    for chart in ("series", "calendar", "diurnal", "capture"):
        assert f'data-chart="{chart}"' in page
    region = client.get(reverse("air:region", args=[world.regions["county_a"].pk])).content.decode()
    assert 'data-chart="series"' in region and "HS01" not in region  # a county counts its county stations


def test_town_user_sees_only_its_town(data, world, client):
    client.force_login(world.people["town_a1_gov"])
    now = client.get(reverse("air:now")).content.decode()
    assert "HS01" in now and "ZM01" not in now and "XY01" not in now
    api = APIClient()
    api.force_authenticate(world.people["town_a1_gov"])
    assert api.get("/api/air/daily/", {"station": "HS01", "from": "2020-01-01", "to": "2020-01-05"}).json()
    assert api.get("/api/air/daily/", {"station": "ZM01", "from": "2020-01-01", "to": "2020-01-05"}).json() == []
    assert api.get("/api/air/hourly/", {"station": "XY01", "from": "2020-01-01", "to": "2020-01-01"}).status_code == 404
    ranked = api.get("/api/air/statistics/", {"level": "station", "from": "2020-01-01", "to": "2020-01-31"}).json()
    assert [r["key"] for r in ranked] == ["HS01"]
    other = Station.objects.get(code="ZM01")
    assert client.get(reverse("air:station", args=[other.pk])).status_code == 404


def test_api_rejects_bad_parameters(data, world):
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    assert api.get("/api/air/daily/", {"station": "ZM01", "from": "2020-01-01", "to": "2019-01-01"}).json() == {
        "to": ["查询参数 to 的值“2019-01-01”早于 from"]}
    assert "level" in api.get("/api/air/statistics/", {"level": "planet", "from": "2020-01-01", "to": "2020-01-02"}).json()
    assert api.get("/api/air/statistics/").status_code == 400


def _export_stored(path) -> None:
    """The stored hours with their data flags (quality control flagged some on arrival), as the
    command line reads them."""
    from gongjian.air.services import load_hourly

    stored = load_hourly(Station.objects.all(), dt.date(2020, 1, 1), dt.date(2020, 2, 9), mask=False)
    stored.with_columns(pl.col("time").dt.strftime("%Y-%m-%dT%H:%M")).write_csv(path)


def test_pages_and_api_equal_the_command_line(data, world, tmp_path):
    """Station and county statistics and ranks from the API equal `gongjian air rank` on the same
    data: the stored hours with the flags quality control gave them."""
    assert QualityFinding.objects.exists()  # so the flags matter
    data = tmp_path / "stored.csv"
    _export_stored(data)
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    served = {r["key"]: r for r in api.get("/api/air/statistics/", {
        "level": "station", "from": "2020-01-01", "to": "2020-01-31", "edition": "2012"}).json()}
    out = tmp_path / "rank.csv"
    call_command("air", "rank", str(data), "--from", "2020-01-01", "--to", "2020-01-31", "--edition", "2012",
                 "--out", str(out))
    cli = {r["station"]: r for r in pl.read_csv(out).iter_rows(named=True)}
    assert set(served) == set(cli) == {"ZM01", "HS01", "XY01"}
    for code, row in cli.items():
        for column in ("rank", "composite_index", "pm25", "pm10", "so2", "no2", "co_p95", "o3_8h_p90", "good_ratio",
                       "valid_days"):
            assert served[code][column] == row[column], (code, column)
    regions = tmp_path / "regions.csv"
    regions.write_text("station,region\nZM01,中牟县\nXY01,荥阳市\n", encoding="utf-8")
    out_regions = tmp_path / "rank-regions.csv"
    call_command("air", "rank", str(data), "--from", "2020-01-01", "--to", "2020-01-31", "--edition", "2012",
                 "--regions", str(regions), "--out", str(out_regions))
    county = {r["name"]: r for r in api.get("/api/air/statistics/", {
        "level": "county", "from": "2020-01-01", "to": "2020-01-31", "edition": "2012"}).json()}
    for row in pl.read_csv(out_regions).iter_rows(named=True):
        assert county[row["region"]]["composite_index"] == row["composite_index"]
        assert county[row["region"]]["pm25"] == row["pm25"]


def test_review_through_the_page(world, client, tmp_path, django_capture_on_commit_callbacks):
    Station.objects.create(code="ZM01", name="ZM01", kind="county", region=world.regions["county_a"])
    lines = [HEADER] + [f"ZM01,2020-01-01T{h:02d}:00,{8 + h % 5},{30 + h % 7},0.{5 + h % 4},{40 + h % 9},{90 + h % 11},"
                        f"{57 if h < 12 else 30 + h % 4}\n" for h in range(24)]
    path = tmp_path / "stuck.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        import_hourly([path], SourceLayout.objects.create(name="t"))
    finding = QualityFinding.objects.get()
    client.force_login(world.people["town_a1_gov"])
    assert client.post(reverse("air:review", args=[finding.pk]), {"decision": "confirm"}).status_code in (403, 404)
    client.force_login(world.people["county_a_office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("air:review", args=[finding.pk]), {"decision": "confirm", "note": "log"})
    assert response.status_code == 200 and "county_a_office" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == "confirmed"


def test_cached_rankings_follow_corrections(data, world, tmp_path, django_capture_on_commit_callbacks):
    """Rankings are cached per scope until the daily results change; a correction changes them."""
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    query = {"level": "station", "from": "2020-01-01", "to": "2020-01-31", "edition": "2012", "by": "pm25"}
    before = {r["key"]: r["pm25"] for r in api.get("/api/air/statistics/", query).json()}
    assert before == {r["key"]: r["pm25"] for r in api.get("/api/air/statistics/", query).json()}  # cached
    lines = [HEADER] + [f"ZM01,2020-01-{d:02d}T{h:02d}:00,10,35,0.6,60,300,150\n" for d in range(1, 32) for h in range(24)]
    fixed = tmp_path / "fixed.csv"
    fixed.write_text("".join(lines), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        import_hourly([fixed], SourceLayout.objects.get())
    after = {r["key"]: r["pm25"] for r in api.get("/api/air/statistics/", query).json()}
    assert after["XY01"] == before["XY01"] and after["ZM01"] != before["ZM01"]


def test_region_page_of_a_region_without_sub_regions(data, world, client):
    """A town has no regions below it: its page reads no child series (an empty ``IN``) and still
    answers, rather than failing where Django compiles no SQL for a filter that can match nothing."""
    client.force_login(world.people["city_office"])
    assert client.get(reverse("air:region", args=[world.regions["town_b1"].pk])).status_code == 200
