"""Black-odorous water bodies: the level judged from the surveys by the guideline (worked out by hand
below), the status found -> rectifying -> eliminated -> long-term stable with evidence at each step,
the half-yearly list frozen when published, and the scope of pages and API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from gongjian import clock
from gongjian.core.ledger import advance
from gongjian.periods import Period
from gongjian.water import blackodorous
from gongjian.water.ledgers import BlackOdorousList, BlackOdorousSurvey, BlackOdorousWaterBody
from tests.site.test_uploads import png

BJ = dt.timezone(dt.timedelta(hours=8))
GOOD = {"transparency_cm": 40, "do_mg_l": 5, "orp_mv": 120, "nh3n_mg_l": 1}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _body(w, county="county_a", code="BO-1"):
    return BlackOdorousWaterBody.objects.create(code=code, name="七里河东段", region=w.regions[county], length_km=2.4,
                                                start_point="京港澳高速", end_point="入贾鲁河口", target_year=2020)


def _survey(body, day, point, **values):
    return BlackOdorousSurvey.objects.create(body=body, sampled=day, point=point, **{**GOOD, **values})


def _photo():
    return SimpleUploadedFile("survey.png", png(), content_type="image/png")


def test_the_level_follows_the_guideline_from_the_points_along_the_water(world):
    body = _body(world)
    days = [dt.date(2020, 5, 4), dt.date(2020, 5, 8), dt.date(2020, 5, 12)]
    # P1: DO below 0.2 in 2 of 3 samplings: a heavy share of 2/3 >= 60 % -> heavy.
    for day, do in zip(days, (0.1, 0.1, 0.5), strict=True):
        _survey(body, day, "P1", do_mg_l=do)
    # P2: every indicator in the light band (transparency 20 cm, DO 1.0, ORP -100, NH3-N 10) -> light.
    for day in days:
        _survey(body, day, "P2", transparency_cm=20, do_mg_l=1.0, orp_mv=-100, nh3n_mg_l=10)
    # P10 (after P2 along the water): 20 cm deep, transparency 7.9 < 40 % x 20 = 8 in every sampling -> heavy.
    for day in days:
        _survey(body, day, "P10", transparency_cm=7.9, depth_cm=20)
    body.refresh_from_db()
    # 2 heavy points of 3: 2/3 >= 60 % -> the body is heavy (no 3 heavy points in a row: no heavy reach).
    assert body.level == "heavy"
    result = blackodorous.judge(body, save=False)
    assert result.heavy_share == pytest.approx(2 / 3) and result.heavy_reaches == () and result.enough
    # a survey a month later with every point light: the body is light; the May survey is outside its window
    later = [dt.date(2020, 7, 1), dt.date(2020, 7, 4), dt.date(2020, 7, 7)]
    for point in ("P1", "P2", "P3"):
        for day in later:
            _survey(body, day, point, do_mg_l=1.5)
    body.refresh_from_db()
    assert body.level == "light"
    for point in ("P1", "P2", "P3"):  # after the works: every result better than the light band
        for day in (dt.date(2020, 11, 2), dt.date(2020, 11, 5), dt.date(2020, 11, 9)):
            _survey(body, day, point)
    body.refresh_from_db()
    assert body.level == ""


def test_a_body_never_surveyed_has_no_level(world):
    body = _body(world)
    result = blackodorous.judge(body)
    assert result.grade is None and body.level == ""


def test_status_moves_found_rectifying_eliminated_stable_with_evidence(world):
    body = _body(world)
    office = world.people["county_a_office"]
    with pytest.raises(ValidationError, match="cannot move to eliminated"):
        advance(body, "eliminated", office, "已消除", _photo())
    advance(body, "rectifying", office, "控源截污、清淤疏浚")
    with pytest.raises(ValidationError, match="needs evidence"):
        advance(body, "eliminated", office, "已消除")
    advance(body, "eliminated", office, "连续监测不黑臭", _photo())
    advance(body, "stable", office, "公众满意度评议通过", _photo())
    body.refresh_from_db()
    assert body.status == "stable"
    assert list(body.steps.values_list("source", "status")) == [("found", "rectifying"), ("rectifying", "eliminated"),
                                                                ("eliminated", "stable")]
    assert all(s.evidence for s in body.steps.exclude(status="rectifying"))
    advance(body, "rectifying", office, "返黑")  # black-odorous again: back to rectification
    assert body.status == "rectifying"


def test_the_half_yearly_list_is_the_status_at_the_half_years_end_and_frozen(world):
    a, b = _body(world), _body(world, "county_b", "BO-2")
    office = world.people["city_office"]
    with clock.as_of(dt.datetime(2020, 11, 3, 9, tzinfo=BJ)):
        advance(a, "rectifying", office, "开工")
    with clock.as_of(dt.datetime(2021, 1, 4, 9, tzinfo=BJ)):
        advance(a, "eliminated", office, "已消除", _photo())  # after the half-year: not in its list
        published = blackodorous.publish_list(world.regions["city"], Period.parse("2020-H2"), office)
        with pytest.raises(ValidationError, match="covers a half-year"):
            blackodorous.publish_list(world.regions["city"], Period.parse("2020-Q4"), office)
        with pytest.raises(ValidationError, match="has not ended"):
            blackodorous.publish_list(world.regions["city"], Period.parse("2021-H1"), office)
    rows = {r["code"]: r for r in published.content["bodies"]}
    assert rows["BO-1"]["status"] == "being rectified" and rows["BO-2"]["status"] == "found"
    assert rows["BO-1"]["length_km"] == 2.4 and rows["BO-1"]["target_year"] == 2020
    assert published.content["counts"] == {"being rectified": 1, "found": 1}
    b.name = "改名"
    b.save()
    published.refresh_from_db()
    assert published.content["bodies"][1]["name"] == "七里河东段"
    with pytest.raises(ValueError):
        published.save()


def test_scope_county_a_cannot_see_or_advance_county_bs_body_and_the_public_sees_only_the_list(world, client):
    b = _body(world, "county_b", "BO-2")
    with clock.as_of(dt.datetime(2021, 1, 4, 9, tzinfo=BJ)):
        published = blackodorous.publish_list(world.regions["county_b"], Period.parse("2020-H2"),
                                              world.people["county_b_office"])
    client.force_login(world.people["county_a_office"])
    steps = reverse("water:black_odorous_steps", args=[b.pk])
    assert client.get(steps).status_code == 404
    assert client.post(steps, {"to": "rectifying", "note": "越权"}).status_code == 404
    assert client.get(reverse("water:bo_list", args=[published.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(world.people["county_a_office"])
    assert api.post(f"/api/water/black-odorous/{b.pk}/steps/", {"to": "rectifying", "note": "越权"}).status_code == 404
    bad = api.post("/api/water/black-odorous-surveys/", {"body": b.pk, "sampled": "2020-06-01", "point": "P1",
                                                         "transparency_cm": 10, "do_mg_l": 1, "orp_mv": 0,
                                                         "nh3n_mg_l": 9})
    assert bad.status_code in (400, 403)  # a body it does not see, or a record placed outside: refused
    api.force_authenticate(world.people["county_b_office"])
    negative = api.post("/api/water/black-odorous-surveys/", {"body": b.pk, "sampled": "2020-06-01", "point": "P1",
                                                              "transparency_cm": 10, "do_mg_l": 1, "orp_mv": 0,
                                                              "nh3n_mg_l": -9})
    assert negative.status_code == 400 and "nh3n_mg_l" in negative.json()
    b.refresh_from_db()
    assert b.status == "found" and b.steps.count() == 0 and not BlackOdorousSurvey.objects.exists()
    client.force_login(world.people["public_city"])
    assert client.get(reverse("water:black_odorous_list")).status_code == 403
    assert client.get(steps).status_code == 404
    shown = client.get(reverse("water:bo_list", args=[published.pk])).content.decode()
    assert "七里河东段" in shown and "2020年下半年" in shown
    listed = client.get(reverse("water:bo_lists")).content.decode()
    assert reverse("water:bo_list", args=[published.pk]) in listed and 'id="publish-form"' not in listed
    api.force_authenticate(world.people["public_city"])
    assert [x["id"] for x in api.get("/api/water/black-odorous-lists/").json()["results"]] == [published.pk]
    assert api.get("/api/water/black-odorous/").json()["results"] == []
    assert BlackOdorousList.objects.count() == 1
