"""Evaluation over months, quarters and years, the rates and the proportion method of a region, the
county ranking and the plans' target schedule, on constructed sections whose answers are worked out
by hand here (GB 3838-2002 Table 1 NH3-N limits Ⅰ..Ⅴ: 0.15, 0.5, 1.0, 1.5, 2.0 mg/L)."""

import datetime as dt
from decimal import Decimal

import pytest

from gongjian.periods import Period
from gongjian.water import services
from gongjian.water.models import SectionTarget, WaterSection, WaterTargetSchedule
from tests.water.fixtures import MARCH, write

pytestmark = pytest.mark.django_db

#: NH3-N of five sections and the class each gives: Ⅰ, Ⅱ, Ⅲ, Ⅳ, 劣Ⅴ.
FIVE = [(0.1, 1), (0.4, 2), (0.9, 3), (1.4, 4), (2.5, 6)]


@pytest.fixture
def five(world, django_capture_on_commit_callbacks):
    made = []
    for n, (value, _cls) in enumerate(FIVE):
        section = WaterSection.objects.create(code=f"WS-5{n}", name=f"断面{n}", water_body="贾鲁河",
                                              control_level="city", region=world.regions["county_a"])
        SectionTarget.objects.create(section=section, year=2026, target_class=3)
        with django_capture_on_commit_callbacks(execute=True):
            write(section, [("nh3n", MARCH, value)])
        made.append(section)
    return made


def test_a_region_summary_has_the_rates_and_the_proportion_state(world, five):
    summary = services.region_summary(world.regions["county_a"], "2026-M03", world.people["county_a_office"])
    assert [r["water_class"] for r in summary["results"]] == [c for _v, c in FIVE]
    # Ⅰ–Ⅲ: 3 of 5 = 60.0 %; 劣Ⅴ: 1 of 5 = 20.0 %; target Ⅲ met by 3 of 5 = 60.0 %
    assert (summary["share_iii_or_better"], summary["share_worse_than_v"], summary["attainment"]) == (
        Decimal("60.0"), Decimal("20.0"), Decimal("60.0"))
    # 5 sections: the proportion method; Ⅰ–Ⅲ < 75 % and 20 % ≤ 劣Ⅴ < 40 %: 中度污染
    assert summary["method"] == "proportion" and summary["state"].name_zh == "中度污染"
    # a county sees its own sections only, the county B office none of these
    assert services.region_summary(world.regions["county_a"], "2026-M03", world.people["county_b_office"])[
        "sections"] == 0


def test_a_quarter_and_a_year_are_the_means_of_their_samples(world, sections, django_capture_on_commit_callbacks):
    a = sections["a"]
    with django_capture_on_commit_callbacks(execute=True):
        write(a, [("nh3n", dt.datetime(2026, 1, 10), 0.4), ("nh3n", dt.datetime(2026, 2, 10), 0.9),
                  ("nh3n", dt.datetime(2026, 3, 10), 1.7), ("nh3n", dt.datetime(2026, 7, 10), 0.2)])
    by = {p: services.evaluate([a], p)[0] for p in ("2026-M02", "2026-Q1", "2026-Q2", "2026")}
    assert by["2026-M02"]["water_class"] == 3
    # Q1: (0.4 + 0.9 + 1.7) / 3 = 1.0 -> Ⅲ (the limit is met); the year: 3.2 / 4 = 0.8 -> Ⅲ
    assert (by["2026-Q1"]["water_class"], by["2026-Q1"]["means"]["nh3n"]) == (3, pytest.approx(1.0))
    assert (by["2026"]["water_class"], by["2026"]["meets_target"]) == (3, True)
    assert (by["2026-Q2"]["water_class"], by["2026-Q2"]["meets_target"], by["2026-Q2"]["samples"]) == (None, None, 0)


def test_counties_are_ranked_by_their_sections_for_every_county(world, sections, django_capture_on_commit_callbacks):
    extra = WaterSection.objects.create(code="WS-A2", name="中牟二", water_body="贾鲁河", control_level="city",
                                        region=world.regions["town_a1"])
    SectionTarget.objects.create(section=extra, year=2026, target_class=3)
    with django_capture_on_commit_callbacks(execute=True):
        write(sections["a"], [("nh3n", MARCH, 0.4)])   # Ⅱ, meets Ⅲ
        write(extra, [("nh3n", MARCH, 1.4)])           # Ⅳ, misses Ⅲ
        write(sections["b"], [("nh3n", MARCH, 0.9)])   # Ⅲ, meets Ⅲ
    for viewer in ("county_a_office", "city_office"):
        rows = {r["region"].name: r for r in services.county_ranking(world.regions["city"], 2026, world.people[viewer])}
        # county B: 1 of 1 meets (100 %); county A: 1 of 2 (50 %), Ⅰ–Ⅲ 1 of 2 (the reservoir has no data)
        assert (rows["荥阳市"]["rank"], rows["荥阳市"]["attainment"]) == (1, Decimal("100.0"))
        assert (rows["中牟县"]["rank"], rows["中牟县"]["attainment"], rows["中牟县"]["share_iii_or_better"],
                rows["中牟县"]["sections"], rows["中牟县"]["evaluated"]) == (2, Decimal("50.0"), Decimal("50.0"), 3, 2)
    assert services.county_ranking(world.regions["city"], 2026, world.people["enterprise_e1"]) == []


def test_the_target_schedule_is_tracked_for_the_year(world, sections, django_capture_on_commit_callbacks):
    WaterTargetSchedule.objects.create(region=world.regions["city"], year=2026,
                                       share_iii_or_better_min=Decimal("60"), share_worse_than_v_max=Decimal("10"))
    with django_capture_on_commit_callbacks(execute=True):
        write(sections["a"], [("nh3n", MARCH, 0.4)])   # Ⅱ
        write(sections["b"], [("nh3n", MARCH, 1.4)])   # Ⅳ
        write(sections["lake"], [("nh3n", MARCH, 2.5)])  # 劣Ⅴ
    progress = services.target_progress(world.regions["city"], 2026, as_of=dt.date(2026, 6, 30))
    # Ⅰ–Ⅲ 1 of 3 = 33.3 % < 60 %: not met; 劣Ⅴ 1 of 3 = 33.3 % > 10 %: not met
    assert (progress["share_iii_or_better"], progress["share_iii_or_better_met"]) == (Decimal("33.3"), False)
    assert (progress["share_worse_than_v"], progress["share_worse_than_v_met"]) == (Decimal("33.3"), False)
    assert progress["period"] == Period.of_year(2026).until(dt.date(2026, 6, 30)).key
    # the county has no schedule of its own: the city's binds it; its sections: Ⅱ and 劣Ⅴ
    county = services.target_progress(world.regions["county_a"], 2026, as_of=dt.date(2026, 6, 30))
    assert county["schedule"].region == world.regions["city"] and county["share_iii_or_better"] == Decimal("50.0")
    # a year the plans set nothing for, and one not begun
    none = services.target_progress(world.regions["city"], 2027, as_of=dt.date(2026, 6, 30))
    assert (none["schedule"], none["share_iii_or_better"], none["share_iii_or_better_met"]) == (None, None, None)
