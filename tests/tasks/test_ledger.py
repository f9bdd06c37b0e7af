"""The task ledger on the real database: a plan read from text, Word and Excel into a proposal,
reviewed (names mapped, tasks left out) and adopted all at once; group names expanded, no name
dropped; progress, milestones (a yearly one recurs), overdue lists; and who sees which task."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian import clock
from gongjian.core.problems import InvalidInput
from gongjian.regions import policy
from gongjian.regions.models import Organisation
from gongjian.tasks import importing, tracking
from gongjian.tasks.models import Milestone, Plan, PlanImport, Task, TaskUnit

BJ = ZoneInfo("Asia/Shanghai")

PLAN = """\
郑州市人民政府办公厅文件

郑政办〔2021〕9号

关于印发郑州市2021年大气污染防治攻坚战实施方案的通知

郑州市2021年大气污染防治攻坚战实施方案

一、工作目标

城市集中供热率达到80%。

二、重点任务

（一）强化执法

1.开展专项执法。2021年6月底前完成第一轮检查。

  牵头单位:市生态环境局

  责任单位:各县(市)区政府

2.推进清洁取暖。每年9月底前完成取暖准备，城市集中供热率达到85%。

  牵头单位:市交通运输局

  配合单位:市公用事业局

3.整治乡镇散乱污。2021年3月底前完成。

  牵头单位:市生态环境局

  责任单位:各镇人民政府
"""


@pytest.fixture
def draft(world, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    return importing.propose(importing.read_document(path), path.name, world.regions["city"], world.people["city_office"])


def test_a_plan_is_proposed_reviewed_and_adopted_with_groups_expanded_and_no_name_dropped(world, draft):
    units = draft.proposal["units"]
    assert units["市生态环境局"]["status"] == "resolved"  # 郑州市生态环境局 in the city
    assert units["各县(市)区政府"]["labels"] == ["中牟县人民政府", "荥阳市人民政府"]  # a group: every county
    assert units["各镇人民政府"]["labels"] == ["韩寺镇人民政府", "乔楼镇人民政府"]
    assert units["市公用事业局"]["status"] == "unresolved"
    stored = PlanImport.objects.get(pk=draft.pk).proposal  # as the review page reads it back
    assert stored["conflicts"] == {"城市集中供热率": [["80", 11], ["85", 23]]}
    plan = importing.adopt(draft, world.people["city_office"], include={0, 1, 2},
                           mapping={"市公用事业局": world.organisations["transport"].pk}, remember=True)
    assert (plan.number, plan.issuer, plan.first_year) == ("郑政办〔2021〕9号", "郑州市人民政府办公厅", 2021)
    first, second, third = plan.tasks.order_by("pk")
    assert {u.organisation.name for u in first.units.filter(role="responsible")} == {"中牟县人民政府", "荥阳市人民政府"}
    assert second.units.get(role="cooperating").organisation == world.organisations["transport"]
    assert world.organisations["transport"].aliases.filter(alias="市公用事业局").exists()  # remembered
    assert [(m.kind, m.due) for m in second.milestones.all()] == [("yearly", dt.date(2021, 9, 30))]
    assert first.milestones.get().due == dt.date(2021, 6, 30)
    assert second.quantities == ["达到85%"]  # the quantitative requirement, as written
    names = {n for t in draft.proposal["tasks"] for n in t["lead"] + t["responsible"] + t["cooperating"]}
    assert names == set(TaskUnit.objects.values_list("name", flat=True))  # no name dropped
    with pytest.raises(InvalidInput):
        importing.adopt(PlanImport.objects.get(pk=draft.pk), world.people["city_office"])  # only once


def test_review_leaves_tasks_out_and_keeps_an_unmapped_name_as_written(world, draft):
    plan = importing.adopt(draft, world.people["city_office"], include={1})
    task = plan.tasks.get()
    unit = task.units.get(role="cooperating")
    assert (unit.name, unit.organisation) == ("市公用事业局", None)


def test_word_and_excel_plans_read_like_text(world, tmp_path):
    import docx
    import xlsxwriter

    document = docx.Document()
    for paragraph in PLAN.split("\n"):
        document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=7)
    for i, text in enumerate(["主要任务", "序号", "分项工作", "任务号", "工作要求", "牵头单位", "责任单位"]):
        table.rows[0].cells[i].text = text
    for i, text in enumerate(["一、附表任务", "1", "示范", "1", "2021年10月底前完成。", "市生态环境局", "各镇人民政府"]):
        table.rows[1].cells[i].text = text
    word = tmp_path / "plan.docx"
    document.save(str(word))
    text = importing.read_document(word)
    proposal = importing.propose(text, word.name, world.regions["city"], world.people["city_office"]).proposal
    assert [t["number"] for t in proposal["tasks"]] == ["1", "2", "3", "1"]
    assert proposal["tasks"][3]["deadlines"][0]["due"] == "2021-10-31"

    sheet = tmp_path / "tasks.xlsx"
    with xlsxwriter.Workbook(str(sheet)) as workbook:
        ws = workbook.add_worksheet()
        ws.write_row(0, 0, ["任务号", "工作要求", "牵头单位", "责任单位"])
        ws.write_row(1, 0, ["1", "2021年12月底前完成锅炉整治。", "市生态环境局", "各县(市)区政府"])
        ws.write_row(2, 0, ["2", "按季度调度。", "市交通运输局", ""])
    proposal = importing.propose(importing.read_document(sheet), sheet.name, world.regions["city"],
                                 world.people["city_office"]).proposal
    assert [(t["number"], t["lead"], [d["kind"] for d in t["deadlines"]]) for t in proposal["tasks"]] == [
        ("1", ["市生态环境局"], ["date"]), ("2", ["市交通运输局"], ["quarterly"])]
    assert proposal["tasks"][1]["problems"] == ["the table gives no responsible unit"]


def test_bad_files_are_refused_with_the_reason(world, tmp_path):
    broken = tmp_path / "plan.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InvalidInput, match="plan.docx"):
        importing.read_document(broken)
    empty = tmp_path / "empty.txt"
    empty.write_text("一份没有任务的文件。", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no tasks or indicators"):
        importing.propose(importing.read_document(empty), empty.name, world.regions["city"], world.people["city_office"])
    assert not PlanImport.objects.exists()


@pytest.fixture
def ledger(world, draft):
    return importing.adopt(draft, world.people["city_office"])


def test_who_sees_which_task(world, ledger):
    tasks = {t.number: t for t in ledger.tasks.all()}
    seen = {name: sorted(t.number for t in policy.visible(world.people[name], Task.objects.all()))
            for name in ("city_office", "county_a_office", "department", "town_a1_gov", "enterprise_e1", "public_city")}
    assert seen["city_office"] == ["1", "2", "3"]
    assert seen["county_a_office"] == ["1", "2", "3"]  # the city's plan binds the county (read only)
    assert seen["department"] == ["2"]  # the transport bureau leads task 2 only
    assert seen["town_a1_gov"] == ["3"]  # 各镇人民政府: the town answers for task 3 only
    assert seen["enterprise_e1"] == [] and seen["public_city"] == []
    assert not policy.can_change(world.people["county_a_office"], ledger)
    assert tasks["2"].units.filter(organisation=world.organisations["transport"]).exists()


def test_progress_milestones_and_what_is_overdue(world, ledger):
    task3 = ledger.tasks.get(number="3")
    town = world.people["town_a1_gov"]
    with clock.as_of(dt.datetime(2021, 3, 20, 9, tzinfo=BJ)):
        with pytest.raises(PermissionDenied):  # the department takes no part in task 3
            tracking.report_progress(task3, world.people["department"], "x", 10)
        with pytest.raises(ValidationError):
            tracking.report_progress(task3, town, "已排查", 101)
        report = tracking.report_progress(task3, town, "已排查12家，整治完成8家", 60)
        assert report.organisation == world.organisations["town_a1"]
        overdue, soon = tracking.due(world.people["city_office"])
        assert overdue == [] and [m.task.number for m in soon] == ["3"]
    with clock.as_of(dt.datetime(2021, 7, 1, 9, tzinfo=BJ)):
        overdue, soon = tracking.due(world.people["city_office"])
        assert [m.task.number for m in overdue] == ["3", "1"]
        assert [m.task.number for m in tracking.due(town)[0]] == ["3"]  # the town sees its own only
        yearly = ledger.tasks.get(number="2").milestones.get()
        ledger.last_year = 2022  # a plan running to 2022: the task recurs
        ledger.save()
        following = tracking.complete(yearly, world.people["city_office"])
        assert following.due == dt.date(2022, 9, 30) and Milestone.objects.get(pk=yearly.pk).done
        assert tracking.complete(following, world.people["city_office"]) is None  # the plan ends in 2022
        with pytest.raises(PermissionDenied):  # a responsible unit does not complete the lead's milestone
            tracking.complete(ledger.tasks.get(number="1").milestones.get(), world.people["county_a_office"])


def test_pages(world, ledger, client, draft):
    client.force_login(world.people["city_office"])
    page = client.get("/tasks/")
    assert page.status_code == 200 and "开展专项执法" in page.content.decode()
    by_town = client.get(f"/tasks/?region={world.regions['town_a1'].pk}").context["tasks"]
    assert [t.number for t in by_town] == ["3"]  # the tasks the town's units answer for
    by_county = client.get(f"/tasks/?region={world.regions['county_b'].pk}").context["tasks"]
    assert [t.number for t in by_county] == ["1", "3"]  # 荥阳市 for task 1, its town 乔楼镇 for task 3
    task = ledger.tasks.get(number="3")
    assert client.get(f"/tasks/task/{task.pk}/").status_code == 200
    assert client.get("/tasks/due/").status_code == 200
    client.force_login(world.people["town_a1_gov"])
    response = client.post(f"/tasks/task/{task.pk}/", {"text": "已完成整治", "percent": "100"})
    assert response.status_code == 302 and task.reports.get().percent == 100
    other = ledger.tasks.get(number="1")
    assert client.get(f"/tasks/task/{other.pk}/").status_code == 404
    client.force_login(world.people["department"])
    assert client.get("/tasks/import/").status_code == 403


def test_import_and_review_pages(world, client):
    client.force_login(world.people["city_office"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/tasks/import/", {"region": world.regions["city"].pk,
                                              "file": SimpleUploadedFile("plan.txt", PLAN.encode())})
    assert response.status_code == 302
    review = client.get(response["Location"])
    text = review.content.decode()
    assert review.status_code == 200 and "市公用事业局" in text and 'id="L24"' in text
    draft = PlanImport.objects.get()
    names = list(draft.proposal["units"])
    saved = client.post(response["Location"], {"include": ["0", "2"], f"map-{names.index('市公用事业局')}": "",
                                               "lead-2": "市生态环境局、市城管局", "deadline-2": "2021年4月底前"})
    assert saved.status_code == 302 and Plan.objects.get().tasks.count() == 2
    corrected = Plan.objects.get().tasks.get(number="3")  # corrected in review: units and deadline read again
    leads = [(u.name, u.organisation.name if u.organisation else None) for u in corrected.units.filter(role="lead")]
    assert leads == [("市生态环境局", "郑州市生态环境局"), ("市城管局", None)]  # the new name resolved, or kept
    assert corrected.milestones.get().due == dt.date(2021, 4, 30)
    client.force_login(world.people["county_b_office"])
    assert client.get(response["Location"]).status_code == 404
    assert Organisation.objects.filter(name="郑州市交通运输局").exists()


def test_reminders_once_per_deadline_unit_and_kind(world, ledger, client):
    with clock.as_of(dt.datetime(2021, 3, 28, 9, tzinfo=BJ)):
        made = tracking.remind(days=7)  # task 3 due 2021-03-31: its lead and the two towns
        assert made == 3 and tracking.remind(days=7) == 0
    with clock.as_of(dt.datetime(2021, 4, 2, 9, tzinfo=BJ)):
        assert tracking.remind(days=7) == 3  # now overdue: a reminder of the other kind
        client.force_login(world.people["town_a1_gov"])
        page = client.get("/tasks/due/")
        reminders = list(page.context["reminders"])
        assert sorted(r.kind for r in reminders) == ["due_soon", "overdue"]
        client.post("/tasks/due/", {"reminder": [r.pk for r in reminders]})
        assert not client.get("/tasks/due/").context["reminders"].exists()
    client.force_login(world.people["department"])  # the transport bureau has none for task 3
    assert not client.get("/tasks/due/").context["reminders"].exists()
