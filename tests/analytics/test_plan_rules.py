"""The rules added after the out-of-sample measurement of issue 15 (the Zhengzhou air and soil plans
read into the gold first): each a form that plans write, tested on a text written for the test."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjian.analytics.plannotes import split_names
from gongjian.analytics.plantext import deadlines, parse_plan


@pytest.mark.parametrize(("text", "due"), [
    ("2020 年全市秸秆综合利用率平均达到93.5%以上。", dt.date(2020, 12, 31)),  # a clause opening with the year
    ("确保夏秋零火点；2021年全市煤炭消费量控制在2085万吨以内。", dt.date(2021, 12, 31)),
    ("完成2020年度非正规垃圾堆存点排查整治工作。", dt.date(2020, 12, 31)),  # the year's work to complete
])
def test_a_year_that_holds_a_target_is_its_deadline(text, due):
    assert [d.due for d in deadlines(text, 2020)] == [due]


@pytest.mark.parametrize("text", [
    "煤炭消费量比2018年降低7%以上。",  # a base year
    "重点行业重点重金属排放量较2013年下降12%。",
    "对照2020年度目标开展考核。",  # a year's target named, no work to complete by it
    "南部垃圾焚烧厂正式投产后，半年内完成超低排放提标改造。",  # relative: within half a year of something
    "一年内完成整改。",
])
def test_a_base_year_a_named_year_and_a_relative_time_are_no_deadline(text):
    assert [d for d in deadlines(text, 2020) if d.due] == []


def test_the_year_end_is_still_read_where_no_relative_time_precedes_it():
    assert [d.due for d in deadlines("年内完成；年底前验收。", 2020)] == [dt.date(2020, 12, 31)] * 2


@pytest.mark.parametrize(("text", "names"), [
    ("新郑市、荥阳市、中牟县政府", ["新郑市政府", "荥阳市政府", "中牟县政府"]),  # 政府 shared back over places
    ("巩义市、荥阳市人民政府", ["巩义市人民政府", "荥阳市人民政府"]),
    ("新郑市、新密市、登封市", ["新郑市", "新密市", "登封市"]),  # nothing to share: as written
    ("市生态环境局、新郑市、中牟县政府", ["市生态环境局", "新郑市政府", "中牟县政府"]),
    ("市财政局、市场监管局、市供销社", ["市财政局", "市市场监管局", "市供销社"]),  # one 市 swallowed
    ("区工信办、市场监管局", ["区工信办", "区市场监管局"]),
    ("市市场监管局、市市场发展中心", ["市市场监管局", "市市场发展中心"]),
    ("市场监管局、市公安局", ["市场监管局", "市公安局"]),  # no prefix before it to carry: as written
])
def test_names_share_a_trailing_government_and_a_swallowed_level_prefix(text, names):
    found, flags, _duty = split_names(text)
    assert found == names and not flags


STANDING = """示范市2021年大气污染防治攻坚战实施方案

三、重点工作

1.工业企业差异化管理。推进综合评价。

牵头单位:市工信局

责任单位:各开发区管委会、县(市)区政府[以下各开发区管委会、县(市)区政府均为责任单位,不再列出]

2.垃圾焚烧发电超低排放改造。2021年底前完成。

牵头单位:市城管局

责任单位:新郑市、中牟县政府

3.锅炉低氮改造。9月底前完成（市生态环境局牵头，各县〔市、区〕政府负责落实）。

五、常规工作

按照三年行动计划明确的工作任务,由各相应牵头单位组织抓好落实。

六、工作要求

（一）加强组织领导。各配合单位要主动对接牵头单位。
"""


def test_a_standing_clause_adds_its_units_to_every_later_task_and_a_lone_paragraph_is_a_flagged_task():
    plan = parse_plan(STANDING)
    first, second, third, routine = plan.tasks
    assert first.responsible == ["各开发区管委会", "各县(市)区政府"] and not first.default_applied
    assert second.responsible == ["新郑市政府", "中牟县政府", "各开发区管委会", "各县(市)区政府"]
    assert second.default_applied and not second.problems
    assert third.responsible == ["各县〔市、区〕政府", "各开发区管委会"]  # one group however it is written
    assert (routine.number, routine.path) == ("五·1", ("五、常规工作",))
    assert [f.code for f in routine.problems] == ["prose_task"] and not routine.lead
    assert routine.responsible == ["各开发区管委会", "各县(市)区政府"]
    assert not plan.narrative and plan.left_out == []  # 工作要求 is no action section


NARRATIVE = """示范市“十三五”生态环境保护规划

一、“十二五”规划完成情况

“十二五”期间，全市大力推进生态文明建设。

二、打好环境质量改善攻坚战

（一）大力提升环境空气质量。

治理燃煤污染。全面淘汰城市小燃煤锅炉，2018年底前完成。

强化机动车污染治理。加快淘汰老旧车辆。

三、保障措施

（一）加大资金投入。

各级财政要统筹安排污染防治资金。
"""


def test_a_narrative_plan_proposes_the_paragraphs_of_its_chapters_of_measures_as_flagged_tasks():
    plan = parse_plan(NARRATIVE)
    assert plan.narrative
    assert [(t.number, t.text[:6]) for t in plan.tasks] == [("二(一)·1", "治理燃煤污染"), ("二(一)·2", "强化机动车污")]
    assert all([f.code for f in t.problems] == ["prose_task"] for t in plan.tasks)
    assert plan.tasks[0].deadlines[0].due == dt.date(2018, 12, 31)
    assert [(x.line, x.reason) for x in plan.left_out] == [(5, "not_measures"), (19, "not_measures")]


def test_a_plan_that_names_units_is_never_read_as_narrative():
    plan = parse_plan(NARRATIVE.replace("加快淘汰老旧车辆。", "加快淘汰老旧车辆（市公安局牵头）。"))
    assert not plan.narrative and plan.tasks == []


SUBITEMS = """三、全面打好碧水保卫战

6. 强力推进城镇污水收集和处理设施建设。

（1）加快污水处理设施建设。2018年底前规划新建污水处理厂。

（2）推进雨污分流系统改造。2020年，实现规划区污水管网全覆盖。

牵头单位：区建设局、城市管理办

责任单位：区环保局，各镇人民政府

7. 开展河道综合整治。

（1）清理河道。2019年底前完成。

牵头单位：区农村工作服务中心

（2）改善生态流量。2020年底前完成。
"""


def test_sub_items_closed_by_one_pair_of_role_lines_all_have_the_items_units():
    plan = parse_plan(SUBITEMS)
    by_number = {t.number: t for t in plan.tasks}
    assert list(by_number) == ["6(1)", "6(2)", "7(1)"]
    for number in ("6(1)", "6(2)"):
        assert by_number[number].lead == ["区建设局", "区城市管理办"]
        assert by_number[number].responsible == ["区环保局", "各镇人民政府"] and not by_number[number].problems
    assert [d.due for d in by_number["6(1)"].deadlines] == [dt.date(2018, 12, 31)]  # each its own deadline
    # a sub-item after its item's last role lines is no sharer: left out with its reason, not given 7(1)'s units
    assert [(x.line, x.reason) for x in plan.left_out] == [(3, "heads_subitems"), (13, "heads_subitems"),
                                                           (19, "no_units")]


PLACES = ["新郑市", "荥阳市", "中牟县", "巩义市", "上街区", "登封市", "新密市"]
BUREAUS = ["市生态环境局", "市财政局", "市农委", "市供销社"]


@settings(deadline=None)
@given(st.lists(st.sampled_from(PLACES), min_size=1, max_size=6, unique=True), st.sampled_from(BUREAUS),
       st.sampled_from(["政府", "人民政府"]), st.booleans())
def test_any_list_of_places_closed_by_a_government_gives_each_place_its_government(places, bureau, government,
                                                                                   bureau_first):
    text = "、".join([bureau] * bureau_first + places) + government
    found, flags, _duty = split_names(text)
    assert found == [bureau] * bureau_first + [p + government for p in places] and not flags


@settings(deadline=None)
@given(st.lists(st.sampled_from(BUREAUS), min_size=1, max_size=4, unique=True), st.integers(0, 4),
       st.sampled_from(["市场监管局", "市场发展中心"]))
def test_a_market_body_anywhere_after_a_city_unit_is_the_citys(bureaus, at, market):
    at = max(1, min(at, len(bureaus)))
    names = bureaus[:at] + [market] + bureaus[at:]
    found, _flags, _duty = split_names("、".join(names))
    assert found == bureaus[:at] + ["市" + market] + bureaus[at:]
