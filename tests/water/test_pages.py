"""The water pages as each kind of person meets them: a city office sees every section, a county its
own (another county's section page is 404, its alarm opens no case), a public reviewer the public
page only, an enterprise none. The figures on the pages are worked out by hand here from GB 3838-2002
Table 1 and 环办〔2011〕22号, independently of the code."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gongjian.tasks.models import SupervisionCase
from gongjian.water.models import WaterAlarm, WaterSample
from tests.water.fixtures import MARCH, write

pytestmark = pytest.mark.django_db

PAGES = ["water:overview", "water:ranking", "water:targets", "water:alarms", "water:import", "water:public"]
MONTH = {"period": "month", "end": "2026-03-31"}


def _page(client, person, name, *args, **params):
    client.force_login(person)
    return client.get(reverse(name, args=args), params)


def test_city_sees_every_section_with_its_class_target_and_the_rates(world, measured, client):
    response = _page(client, world.people["city_office"], "water:overview", **MONTH)
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.context["rows"]}
    assert {c: (r["class_name"], r["target_name"], r["meets_target"]) for c, r in rows.items()} == {
        "WS-A": ("Ⅳ", "Ⅲ", False), "WS-B": ("Ⅱ", "Ⅲ", True), "WS-L": ("Ⅲ", "", None)}
    assert rows["WS-A"]["items_above"] == "氨氮 0.30倍"  # (1.3 - 1.0) / 1.0
    rates = response.context["rates"]
    # classes Ⅳ, Ⅱ, Ⅲ: two of three at Ⅲ or better, none worse than Ⅴ; of the two with a target, one met
    assert (rates["evaluated"], rates["share_iii_or_better"], rates["share_worse_than_v"], rates["attainment"]) == (
        3, Decimal("66.7"), Decimal("0.0"), Decimal("50.0"))
    page = response.content.decode()
    assert "data-chart=\"class-grid\"" in page and 'id="sections"' in page and "freshness" in page


def test_quarter_and_year_are_the_means_of_their_samples(world, measured, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # April: NH3-N 0.5, so the quarter's mean is 0.9 (Ⅲ)
        write(measured["a"], [("nh3n", MARCH + dt.timedelta(days=30), 0.5)])
    quarter = _page(client, world.people["city_office"], "water:overview", period="quarter", end="2026-03-31")
    assert {r["code"]: r["class_name"] for r in quarter.context["rows"]}["WS-A"] == "Ⅳ"  # Q1 holds March only
    year = _page(client, world.people["city_office"], "water:overview", period="year", end="2026-12-31")
    assert {r["code"]: r["class_name"] for r in year.context["rows"]}["WS-A"] == "Ⅲ"  # (1.3 + 0.5) / 2 = 0.9


def test_a_county_sees_only_its_sections(world, measured, client):
    person = world.people["county_a_office"]
    response = _page(client, person, "water:overview", **MONTH)
    assert {r["code"] for r in response.context["rows"]} == {"WS-A", "WS-L"}
    assert "须水" not in response.content.decode()
    assert _page(client, person, "water:section", measured["a"].pk).status_code == 200
    assert _page(client, person, "water:section", measured["b"].pk).status_code == 404


def test_section_page_has_its_months_item_series_samples_targets_and_alarms(world, measured, client):
    response = _page(client, world.people["city_office"], "water:section", measured["a"].pk, year=2026, item="nh3n")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-chart="class-chart"' in page and 'data-chart="item-chart"' in page
    march = next(m for m in response.context["months"] if m["month"] == dt.date(2026, 3, 1))
    assert (march["class_name"], march["target"], march["meets"]) == ("Ⅳ", "Ⅲ", False)
    assert len(response.context["samples"]) == 3 and response.context["targets"] == [(2026, "Ⅲ")]
    assert [a.section_id for a in response.context["alarms"]] == [measured["a"].pk]
    assert response.context["item_chart"]["series"][0]["markLine"]["data"][0]["yAxis"] == 1.0  # NH3-N's Ⅲ limit


def test_ranking_states_its_rule_and_ranks_counties_by_attainment(world, measured, client):
    response = _page(client, world.people["county_a_office"], "water:ranking", year=2026)
    rows = {r["region"].name: r for r in response.context["rows"]}
    # the year of A is March alone (Ⅳ, misses), the lake has no target: county A 0 %; B met: 100 %
    assert (rows["荥阳市"]["rank"], rows["荥阳市"]["attainment"]) == (1, Decimal("100.0"))
    assert (rows["中牟县"]["rank"], rows["中牟县"]["attainment"]) == (2, Decimal("0.0"))
    page = response.content.decode()
    assert 'id="ranking-rule"' in page and 'class="own"' in page


def test_targets_page_compares_the_schedule_with_the_year_to_date(world, measured, client):
    response = _page(client, world.people["city_office"], "water:targets", year=2026)
    city = response.context["rows"][0]
    # 2 of 3 sections at Ⅲ or better (66.7 %) against at least 80 %: not met; none worse than Ⅴ (≤ 10 %): met
    assert (city["region"], city["share_iii_or_better"], city["share_iii_or_better_met"],
            city["share_worse_than_v_met"]) == (world.regions["city"], Decimal("66.7"), False, True)
    counties = {r["region"].name: r for r in response.context["rows"][1:]}
    assert counties["荥阳市"]["share_iii_or_better"] == Decimal("100.0")  # the city's schedule binds its counties
    assert counties["荥阳市"]["share_iii_or_better_met"] is True


def test_a_county_opens_a_case_on_its_own_alarm_and_not_on_another(world, measured, client):
    alarm = WaterAlarm.objects.get(section=measured["a"])
    client.force_login(world.people["county_b_office"])
    assert alarm not in client.get(reverse("water:alarms")).context["alarms"]
    assert client.post(reverse("water:open_case", args=[alarm.pk])).status_code == 404
    assert not SupervisionCase.objects.exists()
    client.force_login(world.people["county_a_office"])
    listed = client.get(reverse("water:alarms"))
    assert alarm in listed.context["alarms"] and f"water/alarms/{alarm.pk}/case/" in listed.content.decode()
    response = client.post(reverse("water:open_case", args=[alarm.pk]))
    case = SupervisionCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:case", args=[case.pk])
    alarm.refresh_from_db()
    assert alarm.status == "case_opened" and case.region == world.regions["county_a"]


def test_a_town_government_may_not_open_a_case(world, measured, client):
    alarm = WaterAlarm.objects.get(section=measured["a"])
    client.force_login(world.people["town_a1_gov"])
    assert client.post(reverse("water:open_case", args=[alarm.pk])).status_code == 403
    assert not SupervisionCase.objects.exists()


def test_public_reviewer_sees_the_monthly_classes_only(world, measured, client):
    from gongjian import clock
    from gongjian.periods import Period
    from gongjian.water import monthly

    with clock.as_of("2026-04-02T09:00:00+08:00"):  # the public is shown the published months only
        monthly.publish_month(world.regions["city"], Period.parse("2026-M03"), world.people["city_office"])
    person = world.people["public_city"]
    response = _page(client, person, "water:public", year=2026)
    assert response.status_code == 200
    rows = {r["name"]: [m["class_name"] for m in r["months"]] for r in response.context["rows"]}
    assert rows["陈桥"][2] == "Ⅳ" and rows["须水"][2] == "Ⅱ" and rows["陈桥"][0] == ""  # no data in January
    page = response.content.decode()
    assert "氨氮" not in page and "1.3" not in page  # no item, no value
    for name in ("water:overview", "water:targets", "water:alarms", "water:import"):
        assert _page(client, person, name).status_code == 403, name
    assert _page(client, person, "water:section", measured["a"].pk).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_an_enterprise_is_refused_every_water_page(world, measured, client, name):
    assert _page(client, world.people["enterprise_e1"], name).status_code == 403


def test_import_page_saves_a_clean_file_and_nothing_of_a_bad_one(world, sections, client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.people["city_office"])
    before = WaterSample.objects.count()
    bad = "section,date,item,value\nWS-A,2026-03-10,氨氮,0.8\nWS-A,2026-03-10,总磷,-0.1\nWS-B,2026-03-10,铁锈,1\n"
    response = client.post(reverse("water:import"), {"file": SimpleUploadedFile("bad.csv", bad.encode(), "text/csv")})
    assert response.status_code == 400 and WaterSample.objects.count() == before
    problems = response.context["problems"]
    assert {(p.row, p.field) for p in problems} >= {(3, "value"), (4, "item")}
    assert 'id="problems"' in response.content.decode()
    good = "section,date,item,value\nWS-A,2026-03-10,氨氮,0.8\nWS-A,2026-03-10,总磷,0.1\n"
    response = client.post(reverse("water:import"), {"file": SimpleUploadedFile("good.csv", good.encode(), "text/csv")})
    assert response.status_code == 200 and response.context["saved"] == 2
    assert WaterSample.objects.count() == before + 2


def test_import_page_refuses_a_county_a_section_of_another(world, sections, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.people["county_a_office"])
    text = "section,date,item,value\nWS-B,2026-03-10,氨氮,0.8\n"
    response = client.post(reverse("water:import"), {"file": SimpleUploadedFile("b.csv", text.encode(), "text/csv")})
    assert response.status_code == 400 and not WaterSample.objects.exists()


def test_bad_period_is_a_400_naming_it(world, measured, client):
    assert _page(client, world.people["city_office"], "water:overview", period="fortnight").status_code == 400


@pytest.mark.parametrize("name", ["water:overview", "water:ranking", "water:targets", "water:alarms", "water:import",
                                  "water:public", "water:section"])
def test_every_water_page_is_all_chinese(world, measured, client, name):
    from lxml import html as lxml_html

    from tests.language import untranslated

    args = [measured["a"].pk] if name == "water:section" else []
    person = world.people["public_city" if name == "water:public" else "city_office"]
    response = _page(client, person, name, *args, year=2026, **MONTH)
    assert response.status_code == 200
    # the page's own content (the menu is every app's, checked by the every-page walk)
    main = lxml_html.fromstring(response.content.decode()).xpath("//main")[0]
    assert untranslated(f"<html><body>{lxml_html.tostring(main, encoding='unicode')}</body></html>") == []
