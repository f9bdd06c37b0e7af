"""Reading who does what from notes and role lines (gongjian.analytics.plannotes), in every form the
plans write, with constructed texts (written for these tests, never copied from a plan); and property
tests: any arrangement of names, roles and nested brackets a plan could write comes back as the same
units."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjian.analytics.plannotes import closing_note, read_note, read_role_text, split_names
from gongjian.analytics.plantext import normalise, parse_plan, split_units


def test_a_note_with_several_names_per_role_and_nested_brackets():
    note = closing_note("推进燃煤锅炉整治。（市发展改革委、市工信局、市生态环境局牵头，郑州供电公司参与，"
                        "各县（市、区）政府负责落实）。")
    assert note[0] == "推进燃煤锅炉整治。"
    reading = read_note(note[1])
    assert reading.lead == ["市发展改革委", "市工信局", "市生态环境局"]  # every name, not only the last
    assert reading.cooperating == ["郑州供电公司"] and reading.responsible == ["各县（市、区）政府"]
    assert not reading.flags and not reading.by_duty


def test_notes_without_a_lead():
    duty = read_note("各有关单位按职责推进实施")
    assert duty.by_duty and duty.responsible == ["各有关单位"]  # kept as written, and read as by duty
    counties = read_note("各县（市、区）政府负责落实")
    assert counties.responsible == ["各县（市、区）政府"] and not counties.lead and not counties.by_duty
    assert read_note("以下简称“六个百分百”") is None  # an explanation, not a note of roles
    assert closing_note("完成整治（2020年底前）")[1] == "2020年底前" and read_note("2020年底前") is None


def test_a_note_written_with_headings_and_a_role_word_without_names():
    reading = read_note("**责任单位：各省辖市、省直管县（市）政府，省环保厅；牵头督促指导单位：省攻坚办。**")
    assert reading.responsible == ["各省辖市政府", "各省直管县（市）政府", "省环保厅"]  # 各 and 政府 shared
    assert reading.lead == ["省攻坚办"]
    empty = read_note("市生态环境局牵头，参与")
    assert empty.lead == ["市生态环境局"] and [f.code for f in empty.flags] == ["no_names"]
    timed = read_note("市生态环境局牵头，2020年底前完成")  # the deadline is read with the task's text
    assert timed.lead == ["市生态环境局"] and not timed.flags
    odd = read_note("市生态环境局牵头，视情况调整")
    assert [(f.code, f.detail) for f in odd.flags] == [("unparsed_clause", "视情况调整")]


def test_two_role_headings_on_one_line_and_phrases_after_names():
    reading = read_role_text("市资源规划局、市生态环境局依职责分别牵头责任单位:各开发区管委会、县(市)区政府", "lead")
    assert reading.lead == ["市资源规划局", "市生态环境局"]
    assert reading.responsible == ["各开发区管委会", "各县(市)区政府"]  # "县(市)区政府" written without 各
    reading = read_role_text("市水利局、郑州黄河河务局按职责分工推进，相关开发区管委会、县(市)区政府负责落实",
                             "responsible")
    assert reading.responsible == ["市水利局", "郑州黄河河务局", "相关开发区管委会", "相关县(市)区政府"]
    assert not reading.by_duty  # the phrase says how the named units work; they are named


def test_names_shared_affixes_fragments_and_spurious_prefixes():
    assert split_units("区环保局、伊滨区供电服务中心、工信办") == ["区环保局", "伊滨区供电服务中心", "区工信办"]
    assert split_units("市生态环境局、郑州黄河河务局") == ["市生态环境局", "郑州黄河河务局"]  # a vertical agency
    assert split_units("各县(市)、上街区政府") == ["各县(市)政府", "上街区政府"]
    names, flags, _duty = split_names("市生态环境局、开封2个城市政府和洛阳")
    assert names == ["市生态环境局"] and [f.code for f in flags] == ["fragment"]  # rejected, and said
    names, flags, _duty = split_names("中石油、市生态环境局")
    assert names == ["中石油", "市生态环境局"] and [(f.code, f.detail) for f in flags] == [("odd_name", "中石油")]


def test_ocr_spaces_next_to_digits_and_markup_from_conversion():
    assert normalise("每年 9 月月底前完成") == ("每年9月月底前完成", 2)
    assert normalise("**加强监管。**[bookmark: _Toc2451]")[0] == "加强监管。"


OUTLINE = """\
示范市2021年大气污染防治攻坚战实施方案

一、工作目标

空气质量持续改善。

二、重点任务

（一）深化燃煤污染治理。通过源头控制新增量，确保燃煤消费总量负增长，这一段是小节的导语而不是一项任务。

1.推进清洁取暖。每年 9 月月底前完成准备（市发展改
革委牵头，市住建局参与，各县（市、区）政府负责落实）。

完善取暖补贴政策。（市财政局牵头，各县（市、区）政府负责落实）

2.加强执法。2021年6月底前完成。

牵头部门：省发展改革委（省

能源局）、省环保厅

责任部门：市公安局

3.强化宣传。2021年12月底前完成。

4.开展调度。

（各有关单位按职责推进实施）

（二）强化监管

5.建设平台。2021年10月底前建成。

牵头单位：市生态环境局

各地要加强宣传引导，营造良好氛围。
"""


def test_an_outline_in_the_forms_the_reader_had_not_seen():
    plan = parse_plan(OUTLINE)
    by_number = {t.number: t for t in plan.tasks}
    assert list(by_number) == ["1", "1-2", "2", "3", "4", "5"]
    first = by_number["1"]
    assert first.path == ("二、重点任务", "（一）深化燃煤污染治理")  # a long heading is a section
    assert first.lead == ["市发展改革委"] and first.cooperating == ["市住建局"]  # joined across the break
    assert first.responsible == ["各县（市、区）政府"] and first.deadlines[0].month == 9
    second = by_number["1-2"]  # the measure's second paragraph, with its own note: its own units
    assert second.lead == ["市财政局"] and second.responsible == ["各县（市、区）政府"]
    assert by_number["2"].lead == ["省发展改革委（省能源局）", "省环保厅"]  # a role line wrapped over two lines
    assert by_number["2"].responsible == ["市公安局"]
    assert [f.code for f in by_number["3"].problems] == ["no_units"]  # in a task section, but no unit: flagged
    assert by_number["4"].by_duty and not by_number["4"].problems
    assert [t.number for t in plan.tasks if t.problems] == ["3"]  # the rest was read confidently
    assert [(x.line, x.reason) for x in plan.left_out] == [(36, "after_units")]  # nothing disappears silently


# -- properties --------------------------------------------------------------------------------

NAMES = ["市发展改革委", "市工信局", "市生态环境局", "郑州供电公司", "各县（市、区）政府", "各开发区管委会",
         "市公安消防支队", "省发展改革委（省能源局）", "郑州黄河河务局", "市城管局", "各镇人民政府", "市住房保障局"]
ROLE_WORDS = {"lead": ["牵头", "牵头负责"], "cooperating": ["参与", "配合", "协助"],
              "responsible": ["负责落实", "负责", "具体落实"]}
HEADINGS = {"lead": ["牵头单位", "牵头部门", "牵头督促指导单位"], "cooperating": ["配合单位", "参与单位"],
            "responsible": ["责任单位", "责任部门"]}


@st.composite
def assignments(draw):
    """Distinct names dealt to one, two or three roles, in any order."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=7, unique=True))
    roles = draw(st.lists(st.sampled_from(["lead", "responsible", "cooperating"]), min_size=1, max_size=3,
                          unique=True))
    dealt = {role: [] for role in roles}
    for i, name in enumerate(names):
        dealt[roles[i % len(roles)]].append(name)
    return {role: names for role, names in dealt.items() if names}


@settings(deadline=None)  # two shared cores: timing is no property of the parser
@given(assignments(), st.data())
def test_any_inline_note_comes_back_as_the_same_units(dealt, data):
    clauses = [("、".join(names) + data.draw(st.sampled_from(ROLE_WORDS[role]))) for role, names in dealt.items()]
    separator = data.draw(st.sampled_from(["，", "；", ",", "；"]))
    opening, closing = data.draw(st.sampled_from([("（", "）"), ("(", ")")]))
    bold = data.draw(st.booleans())
    note = opening + ("**" if bold else "") + separator.join(clauses) + ("**" if bold else "") + closing
    body, inner = closing_note("完成工作任务。" + note + data.draw(st.sampled_from(["", "。", "；"])))
    assert body == "完成工作任务。"
    reading = read_note(inner)
    assert {role: getattr(reading, role) for role in dealt} == dealt
    assert not reading.flags


@settings(deadline=None)  # two shared cores: timing is no property of the parser
@given(assignments(), st.data())
def test_any_note_with_headings_comes_back_as_the_same_units(dealt, data):
    parts = [data.draw(st.sampled_from(HEADINGS[role])) + data.draw(st.sampled_from(["：", ":"])) + "、".join(names)
             for role, names in dealt.items()]
    reading = read_note(data.draw(st.sampled_from(["；", "，"])).join(parts))
    assert {role: getattr(reading, role) for role in dealt} == dealt


@settings(deadline=None)
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=8, unique=True), st.sampled_from(["、", "，", "；"]))
def test_a_list_of_names_written_out_comes_back_whole(names, separator):
    assert split_units(separator.join(names)) == names


def test_a_paragraph_with_two_notes_is_flagged_as_merged():
    (task,) = parse_plan("二、重点任务\n\n1.整治锅炉（市工信局牵头）；淘汰黄标车。2021年底前完成（市公安局牵头）。\n").tasks
    assert task.lead == ["市公安局"] and [(f.code, f.detail) for f in task.problems] == [("inner_note", "市工信局牵头")]


def test_a_role_line_broken_after_a_level_prefix_is_joined():
    (task,) = parse_plan("二、重点任务\n\n1.开展整治。2021年底前完成。\n\n牵头单位：市\n\n公安消防支队、市住建局\n").tasks
    assert task.lead == ["市公安消防支队", "市住建局"] and not task.problems


@pytest.mark.parametrize("broken", ["市发展改\n革委牵头", "市\n公安消防支队牵头"])
def test_a_name_broken_by_a_line_break_is_joined_before_it_is_read(broken):
    plan = parse_plan(f"二、重点任务\n\n1.开展整治。2021年底前完成（{broken.split(chr(10))[0]}\n"
                      f"{broken.split(chr(10))[1]}，各县（市、区）政府负责落实）。\n")
    (task,) = plan.tasks
    assert task.lead == [broken.replace("\n", "")[:-2]] and task.responsible == ["各县（市、区）政府"]
