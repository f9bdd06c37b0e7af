"""What the reviewer is shown of a plan the reader was unsure of, on the real database: flags on the
tasks whose units are uncertain (a name that resolves nowhere, a piece that is no name, no unit at
all) worded in Chinese, "no deadline" as a note and no flag, every paragraph left out listed with its
reason, and the document's head saved on the plan."""

import datetime as dt

from django.utils import translation

from gongjian.tasks import importing

PLAN = """\
示范市人民政府办公室文件

示范政办〔2021〕11号

关于印发示范市2021年水污染防治攻坚战实施方案的通知

示范市2021年水污染防治攻坚战实施方案

一、重点任务

1.开展专项执法。2021年6月底前完成（市生态环境局牵头，各县(市)区政府负责落实）。

2.推进河道整治。（市生态环境局牵头，市河务所、郑州、开封2个城市政府和洛阳负责落实）

3.加强宣传。2021年10月底前完成。

4.开展调度（市生态环境局牵头）。

各地要加强宣传引导。

示范市人民政府办公室 2021年3月2日印发
"""


def test_flags_notes_and_paragraphs_left_out_as_the_reviewer_reads_them(world, client):
    with translation.override("zh-hans"):
        draft = importing.propose(PLAN, "plan.txt", world.regions["city"], world.people["city_office"])
    tasks = draft.proposal["tasks"]
    assert [t["number"] for t in tasks] == ["1", "2", "3", "4"]
    assert tasks[0]["problems"] == [] and tasks[3]["problems"] == []  # read confidently
    assert tasks[3]["notes"] == ["未找到完成时限"]  # informational, no flag
    assert {f["code"] for f in tasks[1]["flags"]} == {"fragment", "odd_name", "unresolved"}  # 郑州: a place, no unit
    assert "无法识别为单位名称：开封2个城市政府和洛阳" in tasks[1]["problems"]
    assert "单位名称未匹配到任何单位：市河务所" in tasks[1]["problems"]
    assert tasks[2]["problems"] == ["未找到牵头单位或责任单位"]
    assert draft.proposal["left_out"] == [{"line": 19, "text": "各地要加强宣传引导。",
                                           "reason": "位于任务分工之后，且无自身分工"}]
    client.force_login(world.people["city_office"])
    page = client.get(f"/tasks/import/{draft.pk}/").content.decode()
    assert "未列为任务的段落" in page and "各地要加强宣传引导。" in page and "无法识别为单位名称" in page
    plan = importing.adopt(draft, world.people["city_office"])
    assert (plan.title, plan.number, plan.issuer, plan.issued) == (
        "关于印发示范市2021年水污染防治攻坚战实施方案的通知", "示范政办〔2021〕11号", "示范市人民政府办公室",
        dt.date(2021, 3, 2))  # the document's head, not the file name


def test_the_county_governments_written_without_ge_stand_for_every_county(world):
    assert [o.name for o in importing.expand_group("县(市)区政府", world.regions["city"])] == [
        "中牟县人民政府", "荥阳市人民政府"]
    assert importing.expand_group("县政府", world.regions["city"]) is None  # one county's, not a group


def test_a_narrative_plan_proposes_its_measures_as_flagged_tasks(world, shared):
    """Jiaozuo's five-year plan gives indicators and writes its measures as prose, naming no unit: the
    proposal says it is a narrative plan, proposes each paragraph of its chapters of measures as a task
    flagged for its units, and lists the review, aims, investment and safeguards as left out."""
    text = (shared / "seeds" / "jiaozuo-13th-five-year-plan.txt").read_text(encoding="utf-8")
    with translation.override("zh-hans"):
        draft = importing.propose(text, "jiaozuo.txt", world.regions["city"], world.people["city_office"])
    proposal = draft.proposal
    assert proposal["indicators"] and len(proposal["tasks"]) == 108
    assert any("叙述性规划" in p for p in proposal["problems"])
    assert all(t["problems"] == ["该段既无编号也未写明单位，作为任务提出：请填写其单位"] for t in proposal["tasks"])
    first = proposal["tasks"][0]
    assert (first["number"], first["path"][0]) == ("三(一)·1", "三、构建生态环境预防体系")
    assert first["text"].startswith("全面落实主体功能区规划。")
    reasons = {x["reason"] for x in proposal["left_out"]}
    assert reasons == {"叙述性规划中的回顾、目标、投资或保障措施部分，不是具体措施"}
    assert {x["line"] for x in proposal["left_out"]} >= {21, 221}  # the review of 十二五, the aims
