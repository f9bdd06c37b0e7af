"""The demo's water world: Zhengzhou's sections named in its 2020 plan with their targets, two years
of monthly results with the seasons (a section below its target in some winter months), an automatic
station with hourly readings, and the plan's target schedule."""

import datetime as dt

import pytest

from gongjian.demo import build
from gongjian.demo.builder import steps
from gongjian.demo.data import water as facts
from gongjian.sources.models import MonitoringDevice
from gongjian.water.models import (
    SectionMonth,
    SectionTarget,
    WaterAlarm,
    WaterSample,
    WaterSection,
    WaterTargetSchedule,
)

#: The steps the water world stands on; the others (a year of air hours, ...) are left out for speed.
NEEDED = frozenset({"regions", "organisations", "water sections and samples"})


@pytest.fixture
def demo(db):
    return build(progress=lambda line: None, skip=frozenset(s.name for s in steps()) - NEEDED)


def test_the_plans_sections_with_their_targets(demo):
    names = set(WaterSection.objects.values_list("name", flat=True))
    assert {"贾鲁河中牟陈桥", "双洎河新郑黄甫寨", "颍河登封白沙水库", "伊洛河巩义七里铺", "贾鲁河尖岗水库", "黄河花园口",
            "丈八沟梁家桥", "梅河老庄尚村"} <= names
    targets = {(t.section.code, t.year): t.target_class for t in SectionTarget.objects.select_related("section")}
    assert targets[("ZZ-NSBD-01", 2020)] == 2 and targets[("ZZ-GK-01", 2019)] == 3
    assert {y for _, y in targets} == {2019, 2020}
    zhongmou = WaterSection.objects.get(code="ZZ-GK-01")
    assert zhongmou.region.name == "中牟县" and zhongmou.responsible_units.filter(name="中牟县人民政府").exists()
    schedule = WaterTargetSchedule.objects.get()
    assert (schedule.region.name, schedule.year, schedule.share_iii_or_better_min) == ("郑州市", 2020, 100)


def test_two_years_of_monthly_results_with_a_section_below_its_target_in_winter(demo):
    sections = WaterSection.objects.count()
    months = SectionMonth.objects.exclude(water_class=None)
    assert months.count() == sections * 24  # every section, every month of 2019 and 2020
    missed = SectionMonth.objects.filter(section__code=facts.STRUGGLING, meets_target=False)
    assert missed.exists() and {m.month.month for m in missed} <= {12, 1, 2, 3}  # the dry winter months
    assert SectionMonth.objects.filter(section__code=facts.STRUGGLING, meets_target=True).exists()
    assert all(m.items_above for m in missed) and all("nh3n" in m.items_above or "tp" in m.items_above for m in missed)
    alarms = WaterAlarm.objects.filter(kind="section_below_target", section__code=facts.STRUGGLING)
    assert alarms.count() == missed.count()
    # ammonia in the dry months is higher than in the wet ones at the same section
    winter = [s.value for s in WaterSample.objects.filter(section__code="ZZ-SK-02", item="nh3n")
              if s.time.month in (1, 2)]
    summer = [s.value for s in WaterSample.objects.filter(section__code="ZZ-SK-02", item="nh3n")
              if s.time.month in (7, 8)]
    assert sum(winter) / len(winter) > sum(summer) / len(summer)


def test_an_automatic_station_with_hourly_readings_before_the_demo_moment(demo):
    device = MonitoringDevice.objects.get(kind="water_station")
    assert device.section.code == facts.STATION_SECTION and device.last_seen is not None
    hourly = WaterSample.objects.filter(section=device.section, time__gte=dt.datetime(2020, 12, 20, tzinfo=dt.UTC))
    assert hourly.filter(item="do").count() == facts.STATION_DAYS * 24
    assert set(hourly.values_list("item", flat=True)) == set(facts.STATION_ITEMS)
