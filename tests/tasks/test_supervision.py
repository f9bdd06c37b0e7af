"""Supervision cases through every step, with who may take each, the refusals, the links to the
verification notice and the task, and who sees a case."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian import clock
from gongjian.regions import policy
from gongjian.tasks import supervision
from gongjian.tasks.models import SupervisionCase

BJ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def now():
    with clock.as_of(dt.datetime(2021, 3, 1, 9, tzinfo=BJ)):
        yield


def test_find_assign_rectify_fail_rectify_verify_close(world, now):
    office, town = world.people["city_office"], world.people["town_a1_gov"]
    case = supervision.open_case(world.regions["town_a1"], "治污设施未运行", "inspection", office, description="夜查发现")
    with pytest.raises(ValidationError):
        supervision.close(case, "x", office)  # nothing verified yet
    with pytest.raises(PermissionDenied):
        supervision.rectify(case, "x", town)  # not assigned to the town yet
    supervision.assign(case, world.organisations["town_a1"], dt.date(2021, 3, 15), "请于3月15日前整改", office)
    with pytest.raises(PermissionDenied):
        supervision.rectify(case, "x", world.people["department"])  # another unit
    supervision.rectify(case, "已恢复运行", town)
    with pytest.raises(ValidationError):  # a failed check needs a new deadline
        supervision.verify(case, False, "仍未运行", office)
    supervision.verify(case, False, "复查仍未运行", office, new_deadline=dt.date(2021, 3, 25))
    assert (case.status, case.deadline) == ("assigned", dt.date(2021, 3, 25))
    supervision.rectify(case, "更换风机后恢复运行", town)
    supervision.verify(case, True, "复查合格", office)
    supervision.close(case, "销号", office)
    steps = list(case.steps.values_list("status", "by__username"))
    assert steps == [("found", "city_office"), ("assigned", "city_office"), ("rectified", "town_a1_gov"),
                     ("assigned", "city_office"), ("rectified", "town_a1_gov"), ("verified", "city_office"),
                     ("closed", "city_office")]
    assert case.closed is not None


def test_escalation_to_summons_and_accountability(world, now):
    office = world.people["city_office"]
    case = supervision.open_case(world.regions["county_b"], "任务逾期", "task", office)
    with pytest.raises(ValidationError):
        supervision.summon(case, "x", office)  # only an assigned case is escalated
    supervision.assign(case, world.organisations["county_b"], dt.date(2021, 3, 10), "限期完成", office)
    supervision.summon(case, "逾期未完成，约谈县政府分管负责人", office)
    with pytest.raises(PermissionDenied):
        supervision.accountable(case, "x", world.people["county_b_office"])  # the county does not judge itself
    supervision.accountable(case, "移交纪检监察机关问责", office)
    supervision.close(case, "问责完毕", office)
    assert [s for s, in case.steps.values_list("status")] == ["found", "assigned", "summoned", "accountable", "closed"]


def test_who_sees_a_case(world, now):
    office = world.people["city_office"]
    mine = supervision.open_case(world.regions["town_a1"], "问题甲", "public_report", office)
    supervision.assign(mine, world.organisations["town_a1"], dt.date(2021, 3, 20), "交办", office)
    other = supervision.open_case(world.regions["town_b1"], "问题乙", "public_report", office)
    seen = {name: set(policy.visible(world.people[name], SupervisionCase.objects.all()))
            for name in ("city_office", "county_a_office", "county_b_office", "town_a1_gov", "department",
                         "enterprise_e1")}
    assert seen["city_office"] == {mine, other}
    assert seen["county_a_office"] == {mine} and seen["county_b_office"] == {other}
    assert seen["town_a1_gov"] == {mine}  # assigned to its town office
    assert seen["department"] == set() and seen["enterprise_e1"] == set()


def test_a_case_from_a_confirmed_verification_notice(world, client):
    from gongjian.sources import verification
    from gongjian.sources.models import Enterprise
    from gongjian.sources.monitoring import Alarm

    enterprise = Enterprise.objects.create(organisation=world.organisations["e1"], industry="cement")
    alarm = Alarm.objects.create(rule="control_off_while_producing", region=world.regions["town_a1"],
                                 enterprise=enterprise, subject="1号线", series="kw",
                                 start=dt.datetime(2021, 2, 8, 14, tzinfo=BJ), end=dt.datetime(2021, 2, 8, 20, tzinfo=BJ),
                                 intervals=24, peak=900.0, evidence="e", fingerprint="x")
    with clock.as_of(dt.datetime(2021, 2, 9, 9, tzinfo=BJ)):
        notice = verification.issue([alarm], world.organisations["town_a1"], clock.now() + dt.timedelta(days=1), "核查",
                                    world.people["city_office"])
        verification.report(notice, confirmed=True, finding="治污设施停运", measures="立案", by=world.people["town_a1_gov"])
    client.force_login(world.people["city_office"])
    form = client.get(f"/tasks/cases/new/?notice={notice.pk}")
    assert form.status_code == 200 and "治污设施停运" in form.content.decode()
    response = client.post("/tasks/cases/new/", {"notice": notice.pk, "source": "notice", "title": "治污设施停运",
                                                 "region": world.regions["town_a1"].pk, "description": "核查属实"})
    case = SupervisionCase.objects.get()
    assert response.status_code == 302 and case.notice == notice and case.source == "notice"
    assert client.get(f"/sources/notices/{notice.pk}/").content.decode().count(case.number) == 1
    client.force_login(world.people["county_b_office"])
    assert client.get(f"/tasks/cases/{case.pk}/").status_code == 404


def test_weekly_dispatch_and_monthly_bulletin_in_word_and_excel(world, client):
    import io

    import docx
    import openpyxl

    from gongjian.tasks import importing, tracking
    from tests.tasks.test_ledger import PLAN

    office = world.people["city_office"]
    with clock.as_of(dt.datetime(2021, 3, 1, 9, tzinfo=BJ)):
        draft = importing.propose(PLAN, "plan.txt", world.regions["city"], office)
        plan = importing.adopt(draft, office)
        case = supervision.open_case(world.regions["town_a1"], "料场未覆盖", "inspection", office)
        supervision.assign(case, world.organisations["town_a1"], dt.date(2021, 3, 20), "交办", office)
    with clock.as_of(dt.datetime(2021, 4, 6, 9, tzinfo=BJ)):
        tracking.report_progress(plan.tasks.get(number="3"), world.people["town_a1_gov"], "已排查", 50)
        supervision.summon(case, "逾期未整改", office)
    client.force_login(office)
    page = client.get("/tasks/bulletin/?kind=weekly&date=2021-04-07")
    text = page.content.decode()
    assert page.status_code == 200 and "2021-04-05" in text and "已排查" in text
    bulletin = page.context["bulletin"]
    assert bulletin.summary["overdue"] == 1 and bulletin.summary["escalated"] == 1 and bulletin.summary["reports"] == 1
    assert [row["number"] for row in bulletin.overdue] == ["3"]  # due 2021-03-31, not done
    word = client.get("/tasks/bulletin/?kind=monthly&date=2021-04-07&format=docx")
    document = docx.Document(io.BytesIO(word.content))
    assert word["Content-Type"].endswith("wordprocessingml.document")
    assert "逾期节点1个" in "\n".join(p.text for p in document.paragraphs)
    assert document.tables[0].rows[1].cells[0].text == "3"
    excel = client.get("/tasks/bulletin/?kind=monthly&date=2021-04-07&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(excel.content))
    assert book.sheetnames == ["概况", "逾期任务", "进展报送", "督办案件", "各单位逾期", "说明"]
    overdue = [[c.value for c in row] for row in book["逾期任务"].iter_rows()]
    assert overdue[0][0].startswith("月通报") and overdue[1][0] == "统计时段：2021年4月（2021-04-01 – 2021-04-30）"
    header = next(i for i, row in enumerate(overdue) if row[0] == "任务号")
    assert [row[0] for row in overdue[header + 1:]] == ["3"]
    client.force_login(world.people["county_b_office"])  # the city's tasks bind it; another county's case it does not see
    other = client.get("/tasks/bulletin/?kind=monthly&date=2021-04-07").context["bulletin"]
    assert other.summary["cases_open"] == 0 and other.summary["tasks"] == 3
    client.force_login(world.people["department"])  # the transport bureau: its own task only
    own = client.get("/tasks/bulletin/?kind=monthly&date=2021-04-07").context["bulletin"]
    assert own.summary["tasks"] == 1 and own.reports == []
