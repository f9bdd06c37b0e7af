"""Scorecards of counties and departments from the ledger and the cases (the air-quality part is
tested on the demo's year of data in the page test of the full demo build), and configured rules."""

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import polars as pl

from gongjian import clock
from gongjian.periods import Period, PeriodKind
from gongjian.tasks import importing, scorecards, supervision, tracking
from gongjian.tasks.models import AccountabilityRule
from tests.tasks.test_ledger import PLAN

BJ = ZoneInfo("Asia/Shanghai")


def _world_with_work(world):
    office = world.people["city_office"]
    with clock.as_of(dt.datetime(2021, 3, 1, 9, tzinfo=BJ)):
        plan = importing.adopt(importing.propose(PLAN, "plan.txt", world.regions["city"], office), office)
        late = supervision.open_case(world.regions["county_b"], "逾期", "task", office)
        supervision.assign(late, world.organisations["county_b"], dt.date(2021, 3, 20), "交办", office)
    with clock.as_of(dt.datetime(2021, 3, 25, 9, tzinfo=BJ)):
        tracking.complete(plan.tasks.get(number="3").milestones.get(), office)  # due 2021-03-31: on time
    return plan


def test_counties_and_departments_scored_on_deadlines_and_cases(world):
    _world_with_work(world)
    card = scorecards.build(world.people["city_office"], world.regions["city"], "counties",
                            Period.containing(PeriodKind.MONTH, dt.date(2021, 3, 15)), dt.date(2021, 4, 1))
    rows = {r["name"]: r for r in card.table.to_dicts()}
    # 中牟县 answers for task 3 through its town (韩寺镇), met on time; 荥阳市 too, and has the overdue case
    assert (rows["中牟县"]["due"], rows["中牟县"]["on_time"], rows["中牟县"]["cases_due"]) == (1, 1, 0)
    assert (rows["荥阳市"]["cases_due"], rows["荥阳市"]["cases_on_time"]) == (1, 0)
    # no air data in this world: quality is no data for both. 中牟县 has deadlines only (tasks 30 and
    # overdue 10 of 100 points, under 60 %): not ranked, where it used to score 100. 荥阳市 also has its
    # case, not closed on time: (30 + 10 + 0) / 60 x 100 = 66.7, ranked first.
    assert rows["中牟县"]["score_quality"] is None and rows["中牟县"]["score_cases"] is None
    assert (rows["中牟县"]["total"], rows["中牟县"]["place"], rows["中牟县"]["missing"]) == (None, None, ["quality", "cases"])
    assert (rows["荥阳市"]["score_cases"], rows["荥阳市"]["total"], rows["荥阳市"]["place"]) == (0.0, 66.7, 1)
    departments = scorecards.build(world.people["city_office"], world.regions["city"], "departments",
                                   Period.containing(PeriodKind.YEAR_TO_DATE, dt.date(2021, 12, 31)), dt.date(2022, 1, 1))
    transport = next(r for r in departments.table.to_dicts() if r["name"] == "郑州市交通运输局")
    assert (transport["due"], transport["on_time"], transport["overdue"]) == (1, 0, 1)  # 每年9月底前, not completed
    # a department is assessed on deadlines and cases only: 40 of 60 points carry data, (0 + 8) / 40 x 100
    assert (transport["weight_assessed"], transport["total"], transport["place"]) == (60.0, 20.0, 1)


def test_configured_rules_replace_the_defaults_for_the_region_and_below(world):
    assert [r.kind for r in scorecards.rules_for(world.regions["county_a"])] == ["rising", "behind", "bottom"]
    AccountabilityRule.objects.create(region=world.regions["city"], name="连续两月末位", kind="bottom",
                                      consequence="约谈", months=2)
    assert [(r.name, r.months) for r in scorecards.rules_for(world.regions["county_a"])] == [("连续两月末位", 2)]


def test_scorecard_page_and_excel(world, client):
    _world_with_work(world)
    client.force_login(world.people["city_office"])
    page = client.get("/tasks/scorecard/?units=counties&kind=monthly&date=2021-03-15")
    assert page.status_code == 200 and "荥阳市" in page.content.decode()
    excel = client.get("/tasks/scorecard/?units=departments&kind=yearly&date=2021-12-31&format=xlsx")
    sheets = pl.read_excel(io.BytesIO(excel.content), sheet_id=0)
    assert len(sheets) == 2 and "郑州市交通运输局" in next(iter(sheets.values())).to_series(0).to_list()
    client.force_login(world.people["enterprise_e1"])
    assert client.get("/tasks/scorecard/").status_code == 403


def test_scorecard_page_states_the_rule_and_lists_the_unranked_with_why(world, client):
    _world_with_work(world)
    client.force_login(world.people["city_office"])
    page = client.get("/tasks/scorecard/?units=counties&kind=monthly&date=2021-03-15").content.decode()
    assert "评分规则" in page and "不计满分" in page and "60%" in page  # the rule, in Chinese, on the page
    ranked = page[page.index('id="scores"'):page.index('id="unranked"')]
    unranked = page[page.index('id="unranked"'):]
    assert "荥阳市" in ranked and "66.7" in ranked and "无数据" in ranked  # its quality: no data
    assert "中牟县" in unranked and "中牟县" not in ranked
    assert "环境质量、督办按期销号无数据" in unranked and "有数据分项的权重合计40分（应评100分），不足60%" in unranked
    chart = json.loads(page.split('id="score-chart" type="application/json">')[1].split("</script>")[0])
    assert chart["yAxis"]["data"] == ["荥阳市"] and chart["xAxis"]["max"] == 100
    assert round(sum(s["data"][0] for s in chart["series"]), 1) == 66.7  # the bar ends at the table's total


def test_a_month_without_data_says_so(world, client):
    client.force_login(world.people["city_office"])
    page = client.get("/tasks/scorecard/?units=counties&kind=monthly&date=2021-06-15").content.decode()
    assert "本期没有单位具备足够数据参与排名" in page and 'id="score-chart"' not in page
