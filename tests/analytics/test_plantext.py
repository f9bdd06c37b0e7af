"""Reading plans into a proposed ledger: constructed texts in the plans' shapes (written for these
tests), and the four real plans in ../shared/seeds with counted results. Tasks whose units or
deadline could not be read are listed at the end of the test run ("plan tasks not fully read")."""

import datetime as dt

import pytest

from gongjian.analytics.plantext import (
    cell_rows,
    deadlines,
    normalise,
    parse_plan,
    quantities,
    split_units,
)

OUTLINE = """\
示范市人民政府办公室文件

示范政办〔2021〕7号

关于印发示范市2021年大气污染防治攻坚战实施方案的通知

示范市2021年大气污染防治攻坚战实施方案

一、工作目标

2021年PM2.5年均浓度不高于50微克/立方米，城市集中供热率达到80%。

二、重点任务

（一）调整产业结构

1.退出落后产能。10月底前，完成砖瓦窑 整治；2021年12月底前全部退出。

  牵头单位:市工信局、发展改革委

  责任单位:各县(市)区政府[以下各县(市)区政府均为责任单位,不再列出]

2.推进清洁取暖。每年9月底前完成冬季清洁取暖准备，城市集中供热率达到85%。

  牵头单位:市住建局

  配合单位:市财政局、供电公司

3.强化执法检查。长期坚持（市生态环境局牵头，市公安局参与，各县〔市、区〕政府负责落实）。

4.开展宣传教育。按职责分工负责。
"""

TABLE = """\
附件1

示范区重点任务
责任分工
\t主要任务
\t
\t工作任务
\t牵头单位
\t责任单位

\t
\t序号
\t分项工作
\t任务号
\t工作要求
\t
\t

\t一、调整能源结构
\t1
\t削减煤炭消费
\t1
\t2019年6月底前，完成燃煤锅炉
淘汰。
\t区经济发展局
\t区工信办、环保局，各镇人民政府

\t
\t
\t
\t2
\t按季度调度煤炭消费情况。
\t区经济发展局
\t区统计局

\t二、调整产业结构
\t2
\t淘汰落后产能
\t3
\t推进产业绿色发展。
\t区工信办
\t区环保局
"""

INDICATORS = """\
\t主要指标

\t指标
\t2015年
\t2020年
\t属性

\t一、环境质量

\t1.空气质量
\t优良天数比率（%）
\t47.4
\t≥65
\t约束性

\t
\t可吸入颗粒物年均浓度

（微克/立方米）
\t150
\t≤95
\t约束性

\t2.排放总量
\t化学需氧量
\t6.03万吨
\t达到省定目标
\t约束性

\t
\t挥发性有机物
\t-
\t[10]
\t预期性

注：[ ]内为五年累计数。
"""


def test_deadlines_from_chinese_date_phrases():
    found = deadlines("2018年10月底前完成；2019年6月；2020年年底前；2018年7月1日起执行；每年9月底前；按季度；长期坚持；"
                      "10月底前；年底前", year=2021)
    assert [(d.kind, d.due, d.month) for d in found] == [
        ("date", dt.date(2018, 10, 31), None), ("date", dt.date(2019, 6, 30), None), ("date", dt.date(2020, 12, 31), None),
        ("from", dt.date(2018, 7, 1), None), ("yearly", None, 9), ("quarterly", None, None), ("ongoing", None, None),
        ("date", dt.date(2021, 10, 31), None), ("date", dt.date(2021, 12, 31), None)]
    assert deadlines("2020年PM10年均浓度") == []  # a year alone is no deadline
    assert deadlines("10月底前") == []  # a month without a year and no plan year


def test_quantitative_requirements_as_written():
    assert quantities("2019年10月底前，基本淘汰35t/h及以下燃煤锅炉；城市集中供热率达到87%以上，PM2.5年均浓度"
                      "不高于56微克/立方米，新增公交车100辆。") == ["35t/h及以下", "达到87%以上", "不高于56微克/立方米", "100辆"]


def test_units_split_with_the_level_prefix_carried():
    assert split_units("区工信办、环保局、安监办，各镇人民政府") == ["区工信办", "区环保局", "区安监办", "各镇人民政府"]
    assert split_units("市生态环境局、市交通局[以下简称交通局]") == ["市生态环境局", "市交通局"]


def test_ocr_spaces_inside_words_are_closed_up_and_counted():
    assert normalise("开 发区管委会 和 A B") == ("开发区管委会和 A B", 2)


def test_an_outline_plan_with_role_lines_a_declared_default_an_inline_note_and_duty():
    plan = parse_plan(OUTLINE)
    assert (plan.number, plan.issuer, plan.year) == ("示范政办〔2021〕7号", "示范市人民政府办公室", 2021)
    assert plan.title == "关于印发示范市2021年大气污染防治攻坚战实施方案的通知"
    assert plan.ocr_fixes == 1
    first, second, third, fourth = plan.tasks
    assert first.lead == ["市工信局", "市发展改革委"] and first.responsible == ["各县(市)区政府"]
    assert [d.due for d in first.deadlines] == [dt.date(2021, 10, 31), dt.date(2021, 12, 31)]
    assert first.path == ("二、重点任务", "（一）调整产业结构") and first.plan == "示范市2021年大气污染防治攻坚战实施方案"
    assert second.default_applied and second.responsible == ["各县(市)区政府"]  # declared once for the plan
    assert second.cooperating == ["市财政局", "供电公司"] and second.deadlines[0].kind == "yearly"
    assert third.lead == ["市生态环境局"] and third.cooperating == ["市公安局"]
    assert third.responsible == ["各县〔市、区〕政府"]  # the inline note's own responsible units
    assert third.deadlines[0].kind == "ongoing"
    assert fourth.by_duty and [f.code for f in fourth.notes] == ["no_deadline"]  # informational, no flag
    assert not any(t.problems for t in plan.tasks)  # read confidently: nothing to flag
    assert plan.conflicts == {"城市集中供热率": [("80", 11), ("85", 23)]}  # shown side by side, never resolved


def test_a_task_table_one_cell_per_line_with_wrapped_cells_and_carried_groups():
    plan = parse_plan(TABLE)
    assert [t.number for t in plan.tasks] == ["1", "2", "3"]
    one, two, three = plan.tasks
    assert one.plan == "示范区重点任务责任分工" and one.path == ("一、调整能源结构", "削减煤炭消费")
    assert one.text == "2019年6月底前，完成燃煤锅炉淘汰。" and one.deadlines[0].due == dt.date(2019, 6, 30)
    assert one.responsible == ["区工信办", "区环保局", "各镇人民政府"]
    assert two.path == one.path and two.deadlines[0].kind == "quarterly"  # empty cells carry the row above
    assert three.path == ("二、调整产业结构", "淘汰落后产能") and [f.code for f in three.notes] == ["no_deadline"]


def test_an_indicator_table_with_baselines_targets_and_types():
    plan = parse_plan(INDICATORS)
    rows = [(i.group, i.name, i.baseline, i.target, i.kind, i.external, i.cumulative) for i in plan.indicators]
    assert rows == [
        ("1.空气质量", "优良天数比率（%）", "47.4", "≥65", "binding", False, False),
        ("1.空气质量", "可吸入颗粒物年均浓度（微克/立方米）", "150", "≤95", "binding", False, False),
        ("2.排放总量", "化学需氧量", "6.03万吨", "达到省定目标", "binding", True, False),
        ("2.排放总量", "挥发性有机物", "-", "[10]", "expected", False, True)]
    assert plan.indicators[1].unit == "微克/立方米"


def test_an_indicator_table_with_a_target_per_year():
    text = "\t指标\n\t2017年\n\t2018年\n\t2019年\n\t2020年\n\t属性\n\n\tPM2.5年均浓度（微克/立方米）\n\t66\n\t62\n" \
           "\t59\n\t≤56\n\t约束性\n"
    (indicator,) = parse_plan(text).indicators
    assert (indicator.baseline_year, indicator.baseline, indicator.target_year, indicator.target) == (2017, "66", 2020, "≤56")
    assert indicator.targets == {2018: "62", 2019: "59", 2020: "≤56"}


def test_cell_rows_stop_at_the_end_of_the_table():
    lines = ["\ta", "\tb", "", "\tc", "    正文继续。"]
    assert cell_rows(lines) == [(1, ["a", "b"]), (4, ["c"])]


# -- the real plans --------------------------------------------------------------------------

def _report(name, plan, record_property):
    """Every task with a problem, for the end of the test run (tests/conftest.py prints them)."""
    lines = [f"{name} line {task.line} task {task.number}: "
             f"{'; '.join(f'{f.code} {f.detail}' for f in task.problems)} | {task.text[:40]}"
             for task in plan.tasks if task.problems]
    record_property("plan_problems", "\n".join(lines))


def _by_plan(plan):
    out = {}
    for task in plan.tasks:
        out.setdefault(task.plan, []).append(task)
    return out


def test_yibin_annex_1_gives_its_136_tasks_with_lead_and_responsible_units(shared, record_property):
    plan = parse_plan((shared / "seeds" / "yibin-2018-2020-three-year-plan.txt").read_text())
    _report("yibin", plan, record_property)
    annex = _by_plan(plan)["伊滨区污染防治攻坚战三年行动计划（2018-2020年）重点任务责任分工"]
    assert len(annex) == 136 and [t.number for t in annex] == [str(n) for n in range(1, 137)]
    assert all(t.lead for t in annex)
    assert [t.number for t in annex if not t.responsible] == ["69", "70", "80"]  # empty cells in the table itself
    assert annex[2].text.startswith("加快实施“电热进城”") and annex[2].lead == ["区建设局"]
    assert (plan.number, plan.issued) == ("伊滨发〔2019〕2号", dt.date(2019, 1, 21))
    assert "集中供热率" in "".join(plan.conflicts)  # 75 % in the body, 87 % in the annex: both shown


def test_zhengzhou_air_water_and_soil_tasks_with_the_declared_default(shared, record_property):
    plan = parse_plan((shared / "seeds" / "zhengzhou-2020-implementation-plans.txt").read_text())
    _report("zhengzhou", plan, record_property)
    parts = _by_plan(plan)
    air, water, soil = (parts[f"郑州市2020年{p}污染防治攻坚战实施方案"] for p in ("大气", "水", "土壤"))
    assert (len(air), len(water), len(soil)) == (34, 26, 34)
    assert [t.number for t in air + water + soil if not t.units_known] == ["26"]  # 其他工作: no unit, flagged
    assert [f.code for f in water[-1].problems] == ["no_units"]
    assert [t.number for t in water if not t.lead] == ["1", "2", "3", "4", "5", "26"]  # the sections: responsible only
    assert water[0].responsible[-1] == "相关县(市)区"  # "…按职责推进落实": a phrase, not part of the name
    assert water[10].responsible == ["市城管局", "南水北调总干渠郑州段沿线各开发区管委会",
                                     "南水北调总干渠郑州段沿线各县(市)区政府"]  # the qualifier carries
    split = [t for t in soil if t.number.startswith("9")]  # two paragraphs, each with its own role lines
    assert [(t.number, t.lead) for t in split] == [("9", ["市工信局"]), ("9-2", ["市生态环境局"])]
    assert soil[-1].text.startswith("4月底前") and soil[-1].responsible == ["新郑市政府"]  # "4.4月底前…" is item 4
    assert not [t for t in air + water + soil if t.problems and t.number not in ("26", "五·1")]  # read confidently
    # 五、常规工作: one paragraph and no numbered task - proposed, flagged, with the standing units
    assert air[-1].number == "五·1" and [f.code for f in air[-1].problems] == ["prose_task"]
    assert air[-1].responsible == ["各开发区管委会", "各县(市)区政府"] and not air[-1].lead
    by_number = {t.number: t for t in air}  # the standing clause beside a task's own units; 政府 shared back
    assert by_number["17(2)"].responsible == ["新郑市政府", "荥阳市政府", "中牟县政府", "各开发区管委会", "各县(市)区政府"]
    assert by_number["5"].lead == ["市直机关各单位"]  # "…按照行业分别牵头": a phrase after the class of units
    assert (plan.title, plan.issued) == ("关于印发郑州市2020年大气、水、土壤污染防治攻坚战实施方案的通知", dt.date(2020, 4, 16))
    assert air[0].lead == ["市工信局", "市生态环境局"] and not air[0].default_applied
    assert sum(t.default_applied for t in air) == 33 and not any(t.default_applied for t in water + soil)
    assert all("各开发区管委会" in t.responsible for t in air if t.default_applied)
    assert plan.ocr_fixes > 100


def test_jiaozuo_indicator_table(shared):
    plan = parse_plan((shared / "seeds" / "jiaozuo-13th-five-year-plan.txt").read_text())
    assert len(plan.indicators) == 19
    kinds = [i.kind for i in plan.indicators]
    assert kinds.count("binding") == 16 and kinds.count("expected") == 3
    pm25 = next(i for i in plan.indicators if i.name.startswith("细颗粒物"))
    assert (pm25.baseline, pm25.target, pm25.kind) == ("87", "≤58", "binding")
    assert sum(i.external for i in plan.indicators) == 4  # 达到省定目标
    assert not [i for i in plan.indicators if i.problems]


def test_the_provincial_notice_task_table(shared, record_property):
    plan = parse_plan((shared / "seeds" / "henan-2017-one-city-one-policy.txt").read_text())
    _report("henan", plan, record_property)
    assert (plan.number, plan.issuer) == ("豫环攻坚办〔2017〕56号", "河南省污染防治攻坚战领导小组办公室")
    main = [t for t in plan.tasks if t.path[0] == "三、主要任务"]
    assert len(main) == 80 and all(t.units_known for t in main)  # 牵头部门, 责任部门 and wrapped lines read
    assert len(plan.tasks) == 94  # and 14 measures of 四、保障措施 whose closing notes give their units
    assert plan.issued == dt.date(2017, 2, 13)  # the date it was printed, at the end
    first = next(t for t in plan.tasks if t.text.startswith("加快调整产业结构"))
    assert first.lead == ["省发展改革委", "省工业和信息化委"] and first.cooperating == ["省财政厅", "省环保厅"]
    assert first.deadlines[0].due == dt.date(2017, 10, 31)
    energy = next(t for t in plan.tasks if t.line == 303)  # the role line wraps inside "省住房城乡建设厅"
    assert energy.responsible[-2:] == ["省住房城乡建设厅", "省环保厅"]
    peak = next(t for t in plan.tasks if t.line == 765)  # "省发展改革委（省" / "能源局)、…"
    assert peak.lead == ["省工业和信息化委", "省发展改革委（省能源局)", "省环保厅", "省电力公司"]
    cities = next(t for t in plan.tasks if t.line == 775)  # a list with counts is no list of names: flagged
    assert {f.code for f in cities.problems} == {"fragment", "odd_name"}  # 郑州: a place, not a unit
    assert [(x.line, x.reason) for x in plan.left_out if x.line < 906] == [
        (747, "heads_subitems"), (763, "heads_subitems"), (833, "heads_subitems"), (861, "heads_subitems")]


@pytest.fixture
def shared():
    from tests.conftest import SHARED, SHARED_REASON

    if not SHARED.is_dir():
        pytest.skip(SHARED_REASON)
    return SHARED
