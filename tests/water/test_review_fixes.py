"""The reviewer's defects in the water app (issue 17), each pinned by a test that failed before the
fix: raw samples and live evaluations kept from the public, the public monthly classes published and
frozen, the section page for total nitrogen at a river, a lake's limits in a region's state, lists
not publishable on their period's last day, the black-odorous list as at the period's end."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from gongjian import clock
from gongjian.periods import Period
from gongjian.water import blackodorous, drinking, monthly, services
from gongjian.water.ledgers import BlackOdorousSurvey, BlackOdorousWaterBody, PublishedMonth
from tests.water.fixtures import MARCH, write

pytestmark = pytest.mark.django_db

BJ = dt.timezone(dt.timedelta(hours=8))
MARCH_RANGE = {"from": "2026-03-01", "to": "2026-03-31"}


def _api(person) -> APIClient:
    api = APIClient()
    api.force_authenticate(person)
    return api


# --- 1: the public reads no raw samples and no live evaluation ---------------------------------

def test_the_public_gets_no_samples_and_no_live_evaluation_through_the_api(world, measured):
    public = _api(world.people["public_city"])
    assert public.get("/api/water/samples/", {"section": "WS-A", **MARCH_RANGE}).status_code == 403
    assert public.get("/api/water/evaluation/", {"period": "2026-M03"}).status_code == 403
    office = _api(world.people["city_office"])
    assert office.get("/api/water/samples/", {"section": "WS-A", **MARCH_RANGE}).status_code == 200
    assert office.get("/api/water/evaluation/", {"period": "2026-M03"}).status_code == 200


# --- 2: the public monthly classes are published and frozen --------------------------------------

def test_the_public_sees_only_published_months_frozen_at_publication(world, measured, client,
                                                                     django_capture_on_commit_callbacks):
    person, office, city = world.people["public_city"], world.people["city_office"], world.regions["city"]
    public = _api(person)
    # nothing published: the stored (running) months are not shown
    assert public.get("/api/water/section-months/", MARCH_RANGE).json() == []
    client.force_login(person)
    rows = {r["name"]: r["months"][2]["class_name"] for r in client.get(reverse("water:public"),
                                                                         {"year": 2026}).context["rows"]}
    assert rows["陈桥"] == "" and rows["须水"] == ""
    translation.activate("en")  # the page requests above left Chinese active
    with clock.as_of(dt.datetime(2026, 3, 31, 12, tzinfo=BJ)), pytest.raises(ValidationError, match="has not ended"):
        monthly.publish_month(city, Period.parse("2026-M03"), office)  # its last day is still running
    with clock.as_of(dt.datetime(2026, 4, 2, 9, tzinfo=BJ)):
        with pytest.raises(ValidationError, match="cover a month"):
            monthly.publish_month(city, Period.parse("2026-Q1"), office)
        first = monthly.publish_month(city, Period.parse("2026-M03"), office)
    sections = {s["code"]: s for s in first.content["sections"]}
    assert (sections["WS-A"]["class"], sections["WS-A"]["target_class"], sections["WS-A"]["meets_target"]) == (4, 3, False)
    # a late sample: NH3-N mean (1.3 + 2.5) / 2 = 1.9 > 1.5: the stored March of WS-A becomes Ⅴ ...
    with django_capture_on_commit_callbacks(execute=True):
        write(measured["a"], [("nh3n", MARCH + dt.timedelta(days=5), 2.5)])
    assert services.section_months([measured["a"].pk], dt.date(2026, 3, 1), dt.date(2026, 3, 1)).get().water_class == 5
    # ... but the public is still shown what was published
    months = {m["section"]: m for m in public.get("/api/water/section-months/", MARCH_RANGE).json()}
    assert months["WS-A"]["water_class"] == 4 and months["WS-A"]["edition"] == 1
    assert "computed_at" not in months["WS-A"] and months["WS-B"]["water_class"] == 2
    rows = {r["name"]: r["months"][2]["class_name"] for r in client.get(reverse("water:public"),
                                                                         {"year": 2026}).context["rows"]}
    assert rows["陈桥"] == "Ⅳ" and rows["须水"] == "Ⅱ"
    # a correction is a new edition; the first stays as it was
    with clock.as_of(dt.datetime(2026, 4, 3, 9, tzinfo=BJ)):
        second = monthly.publish_month(city, Period.parse("2026-M03"), office)
    assert second.number == 2
    first.refresh_from_db()
    assert {s["code"]: s["class"] for s in first.content["sections"]}["WS-A"] == 4
    assert {m["section"]: m["water_class"] for m in public.get("/api/water/section-months/",
                                                               MARCH_RANGE).json()}["WS-A"] == 5
    with pytest.raises(ValueError, match="not changed"):
        first.save()


def test_publishing_a_month_is_a_post_for_the_office_only(world, measured, client, settings):
    settings.GONGJIAN_AS_OF = "2026-04-02T09:00:00+08:00"
    city = world.regions["city"]
    client.force_login(world.people["public_city"])
    assert client.post(reverse("water:published_months"), {"region": city.pk, "period": "2026-M03"}).status_code == 403
    client.force_login(world.people["county_a_office"])
    response = client.post(reverse("water:published_months"), {"region": city.pk, "period": "2026-M03"})
    assert response.status_code in (400, 403) and not PublishedMonth.objects.exists()
    client.force_login(world.people["city_office"])
    response = client.post(reverse("water:published_months"), {"region": city.pk, "period": "2026-M03"})
    assert response.status_code == 302
    record = PublishedMonth.objects.get()
    client.force_login(world.people["public_city"])
    shown = client.get(reverse("water:published_month", args=[record.pk]))
    assert shown.status_code == 200 and "陈桥" in shown.content.decode()
    assert client.get(reverse("water:published_month", args=[record.pk]), {"format": "xlsx"}).status_code == 200


# --- 3: the section page for total nitrogen at a river ---------------------------------------------

def test_section_page_shows_total_nitrogen_at_a_river_without_a_limit(world, sections, client,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        write(sections["a"], [("tn", MARCH, 2.1), ("nh3n", MARCH, 0.4)])
    client.force_login(world.people["city_office"])
    response = client.get(reverse("water:section", args=[sections["a"].pk]), {"year": 2026, "item": "tn"})
    assert response.status_code == 200
    assert "markLine" not in response.context["item_chart"]["series"][0]  # no Table 1 limit for a river's TN


# --- 6: a lake's total phosphorus on the lake limits in a region's state ------------------------------

def test_a_lake_section_is_judged_on_lake_limits_in_the_region_state(world, sections,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        write(sections["lake"], [("tp", MARCH, 0.08)])
    summary = services.region_summary(world.regions["county_a"], "2026-M03", world.people["county_a_office"])
    # one section (the lake), so the mean method: TP 0.08 is lake class Ⅳ (0.05 < 0.08 ≤ 0.1), not river Ⅱ
    assert summary["method"] == "mean" and summary["state"].name_zh == "轻度污染"
    assert [r["water_class"] for r in summary["results"] if r["water_class"] is not None] == [4]


# --- 7: no list published on its period's last day ----------------------------------------------------

def test_lists_are_not_published_on_the_last_day_of_their_period(world):
    office, city = world.people["city_office"], world.regions["city"]
    with clock.as_of(dt.datetime(2020, 12, 31, 20, tzinfo=BJ)):
        with pytest.raises(ValidationError, match="from 2021-01-01 on"):
            drinking.publish_disclosure(city, Period.parse("2020-Q4"), office)
        with pytest.raises(ValidationError, match="from 2021-01-01 on"):
            blackodorous.publish_list(city, Period.parse("2020-H2"), office)
    with clock.as_of(dt.datetime(2021, 1, 1, 0, 30, tzinfo=BJ)):
        assert drinking.publish_disclosure(city, Period.parse("2020-Q4"), office).number == 1
        assert blackodorous.publish_list(city, Period.parse("2020-H2"), office).number == 1


# --- 8: the black-odorous list as at the period's end ------------------------------------------------

HEAVY = {"transparency_cm": 5, "do_mg_l": 0.1, "orp_mv": -300, "nh3n_mg_l": 20}
GOOD = {"transparency_cm": 40, "do_mg_l": 5, "orp_mv": 120, "nh3n_mg_l": 1}


def test_the_list_gives_the_level_as_it_stood_at_the_period_end_in_few_queries(world, django_assert_max_num_queries):
    bodies = [BlackOdorousWaterBody.objects.create(code=f"BO-{n}", name=f"河{n}", region=world.regions["county_a"],
                                                   length_km=1.0) for n in range(4)]
    body = bodies[0]
    for day in (dt.date(2020, 12, 1), dt.date(2020, 12, 5), dt.date(2020, 12, 9)):
        for point in ("P1", "P2", "P3"):
            BlackOdorousSurvey.objects.create(body=body, sampled=day, point=point, **HEAVY)
    body.refresh_from_db()
    assert body.level == "heavy"
    for day in (dt.date(2021, 2, 1), dt.date(2021, 2, 5), dt.date(2021, 2, 9)):  # after the half-year
        for point in ("P1", "P2", "P3"):
            BlackOdorousSurvey.objects.create(body=body, sampled=day, point=point, **GOOD)
    body.refresh_from_db()
    assert body.level == ""  # no longer black-odorous today
    with django_assert_max_num_queries(8):  # not one query per body
        content = blackodorous.list_content(world.regions["city"], Period.parse("2020-H2"))
    rows = {r["code"]: r for r in content["bodies"]}
    assert rows["BO-0"]["level"] == "heavy black-odorous"  # as it stood on 2020-12-31
    assert rows["BO-1"]["level"] is None  # never surveyed: no level


# --- 19: the drinking-water evaluation is a water page -----------------------------------------------

def test_the_drinking_water_evaluation_page_is_refused_to_the_public(world, client):
    client.force_login(world.people["public_city"])
    assert client.get(reverse("water:drinking")).status_code == 403
    assert client.get(reverse("water:disclosures")).status_code == 200  # the published disclosures stay open
    client.force_login(world.people["city_office"])
    assert client.get(reverse("water:drinking")).status_code == 200


# --- 5: importing a file again keeps the reviewers' flags -------------------------------------------

def _file(tmp_path, body: str, header: str = "section,date,item,value,unit\n"):
    path = tmp_path / "results.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_a_file_imported_again_is_refused_and_keeps_the_reviewers_flag(world, sections, tmp_path,
                                                                       django_capture_on_commit_callbacks):
    from gongjian.core.problems import InvalidInput
    from gongjian.water.models import WaterSample

    person = world.people["county_a_office"]
    body = "WS-A,2026-03-10,氨氮,1.2,mg/L\nWS-A,2026-03-10,总磷,0.1,mg/L\n"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_samples(_file(tmp_path, body), person) == 2
        services.flag_samples(sections["a"], "nh3n", [dt.datetime(2026, 3, 10)], "invalid", "采样瓶污染", person)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput) as raised:
        services.import_samples(_file(tmp_path, body + "WS-A,2026-03-11,氨氮,0.5,mg/L\n"), person)
    problems = {p.row: p for p in raised.value.problems}
    assert set(problems) == {2, 3} and all(p.source == "results.csv" for p in problems.values())
    assert "stored already" in problems[2].message and "invalid" in problems[2].message
    with pytest.raises(InvalidInput) as raised:  # another value: a correction, not an import
        services.import_samples(_file(tmp_path, "WS-A,2026-03-10,总磷,0.3,mg/L\n"), person)
    assert "correction" in raised.value.problems[0].message and raised.value.problems[0].row == 2
    frame = services.samples_frame([sections["a"].pk], None, None).sort("item")
    assert frame.select("item", "value", "flag").rows() == [("nh3n", 1.2, "invalid"), ("tp", 0.1, "valid")]
    assert WaterSample.objects.count() == 2  # nothing of the refused files saved


# --- 17: the file's kind and target columns agree with the registry ----------------------------------

def test_kind_and_target_columns_that_disagree_with_the_registry_are_refused(world, sections, tmp_path):
    from gongjian.core.problems import InvalidInput
    from gongjian.water.models import WaterSample

    person = world.people["county_a_office"]
    header = "section,date,item,value,unit,kind,target\n"
    body = ("WS-A,2026-03-10,氨氮,1.2,mg/L,river,III\n"  # agrees: WS-A is a river with a Ⅲ target in 2026
            "WS-L,2026-03-10,氨氮,0.3,mg/L,lake,\n"  # WS-L is a reservoir
            "WS-A,2026-03-11,氨氮,1.1,mg/L,river,II\n")  # the registry says Ⅲ
    with pytest.raises(InvalidInput) as raised:
        services.import_samples(_file(tmp_path, body, header), person)
    found = {(p.row, p.field) for p in raised.value.problems}
    assert found == {(3, "kind"), (4, "target")}, [str(p) for p in raised.value.problems]
    assert not WaterSample.objects.exists()
    good = "WS-A,2026-03-10,氨氮,1.2,mg/L,river,III\nWS-L,2026-03-10,氨氮,0.3,mg/L,水库,\n"
    assert services.import_samples(_file(tmp_path, good, header), person) == 2


# --- 21: the weekly dispatch reports the last whole month, not the running one -----------------------

def test_a_weekly_dispatch_in_a_running_month_reports_the_last_month_that_ended(world, measured,
                                                                                django_capture_on_commit_callbacks):
    from gongjian.periods import PeriodKind
    from gongjian.tasks import bulletins

    with django_capture_on_commit_callbacks(execute=True):
        write(measured["a"], [("nh3n", dt.datetime(2026, 2, 10, 9), 0.4)])  # February: WS-A at Ⅱ
    week = Period.containing(PeriodKind.WEEK, dt.date(2026, 3, 18))  # 16-22 March: March is half-sampled
    chapter = next(c for c in bulletins.build(world.people["city_office"], week).chapters if c.key == "water")
    assert dict(chapter.summary)["评价月份"] == "2026年2月"
    month = Period.containing(PeriodKind.MONTH, dt.date(2026, 3, 20))  # the monthly bulletin of March: March
    chapter = next(c for c in bulletins.build(world.people["city_office"], month).chapters if c.key == "water")
    assert dict(chapter.summary)["评价月份"] == "2026年3月"
