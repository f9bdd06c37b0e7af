"""Demo step: the city's task ledger, imported from a plan document written for the demo in the
shape of the real plans (role lines, a default declared once, deadlines in Chinese), then followed
through 2020: progress reported, milestones completed, some overdue."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from gongjian import clock
from gongjian.regions.models import Organisation, Person
from gongjian.tasks import importing, tracking

from .builder import DemoContext, demo_step

PLAN = Path(__file__).parent / "data" / "plan_2020.txt"


@demo_step(order=80, name="task ledger")
def build_tasks(ctx: DemoContext) -> None:
    rng = ctx.random_for("tasks")
    zhengzhou = ctx.regions["410100"]
    office = Person.objects.get(username="zz_office")
    draft = importing.propose(PLAN.read_text(encoding="utf-8"), PLAN.name, zhengzhou, office)
    plan = importing.adopt(draft, office)
    reporters = {}
    for task in plan.tasks.prefetch_related("units__organisation", "milestones").order_by("pk"):
        for unit in task.units.all():
            if unit.organisation_id and unit.organisation_id not in reporters:
                reporters[unit.organisation_id] = _reporter(unit.organisation)
        lead = next((u for u in task.units.all() if u.role == "lead" and u.organisation_id), None)
        dated = sorted((m for m in task.milestones.all() if m.due), key=lambda m: m.due)
        if lead is None or not dated:
            continue
        deadline = dated[0].due
        behind = rng.random() < 0.3  # about a third fall behind their first deadline
        for month in range(2, min(deadline.month, 11) + 1):
            share = (month - 1) / max(1, deadline.month - 1)
            percent = min(100, round(100 * share * (0.6 if behind else 1.0)))
            moment = clock.attach(dt.datetime(2020, month, 20, 10))
            with clock.as_of(moment):
                tracking.report_progress(task, reporters[lead.organisation_id],
                                         f"{month}月进展：已完成{percent}%。", percent)
                if percent == 100:
                    tracking.complete(dated[0], office)
    ctx.progress(f"  ledger: {plan.tasks.count()} tasks from {plan.title} ({draft.proposal['number']}), "
                 f"{sum(1 for t in draft.proposal['tasks'] if t['problems'])} flagged for review")


def _reporter(organisation) -> Person:
    """The person who reports for an organisation: one of its people, or a demo account made for it."""
    from gongjian.regions.models import Role
    from gongjian.regions.services import register_person

    person = Person.objects.filter(organisation=organisation).order_by("pk").first()
    if person is not None:
        return person
    role = Role.TOWN_GOVERNMENT if organisation.kind == "town_office" else Role.DEPARTMENT
    digest = hashlib.sha1(organisation.name.encode()).hexdigest()[:10]  # the same in every build
    return register_person(username=f"unit_{digest}", password=None, role=role,
                           jurisdiction=organisation.region, organisation=organisation,
                           first_name=f"{organisation.name}联络员")


@demo_step(order=81, name="supervision cases", requires=("task ledger",))
def build_cases(ctx: DemoContext) -> None:
    """Cases at every step: the breach confirmed on site in the December warning (closed), lagging
    tasks assigned, rectified, summoned and held accountable, an inspection finding just opened."""
    from gongjian.sources.monitoring import VerificationNotice
    from gongjian.tasks import supervision
    from gongjian.tasks.models import Milestone, TaskUnit

    office = Person.objects.get(username="zz_office")
    zhengzhou = ctx.regions["410100"]
    moment = clock.attach(dt.datetime(2020, 12, 14, 9))
    made = []
    confirmed = VerificationNotice.objects.filter(confirmed=True).order_by("pk").first()
    if confirmed is not None:  # the monitoring step ran: its confirmed breach becomes a case
        with clock.as_of(moment):
            case = supervision.open_case(confirmed.region, "橙色预警期间停产生产线仍在生产", "notice", office,
                                         description=confirmed.finding, notice=confirmed)
            supervision.assign(case, confirmed.recipient, dt.date(2020, 12, 21), "督促企业立即停产并依法查处", office)
            unit = _reporter(confirmed.recipient)
        with clock.as_of(moment + dt.timedelta(days=3)):
            supervision.rectify(case, "企业已停产整改，已立案处罚。", unit)
        with clock.as_of(moment + dt.timedelta(days=5)):
            supervision.verify(case, True, "现场复核：生产线已停运，用电恢复待机。", office)
            supervision.close(case, "整改到位，予以销号。", office)
        made.append(case)
    lagging = list(Milestone.objects.filter(done__isnull=True, due__lt=dt.date(2020, 12, 31)).select_related("task")
                   .order_by("due"))
    steps = ["accountable", "rectified", "assigned", "summoned"]
    for milestone, last in zip(lagging, steps, strict=False):
        task = milestone.task
        lead = TaskUnit.objects.filter(task=task, role="lead", organisation__isnull=False).first()
        with clock.as_of(moment):
            case = supervision.open_case(zhengzhou, f"任务{task.number}未按期完成", "task", office,
                                         description=task.text[:200], task=task)
            supervision.assign(case, lead.organisation, dt.date(2021, 1, 15), "限期完成并报送整改情况", office)
        with clock.as_of(moment + dt.timedelta(days=7)):
            if last in ("rectified",):
                supervision.rectify(case, "已制定整改方案，正在推进。", _reporter(lead.organisation))
            if last in ("summoned", "accountable"):
                supervision.summon(case, "整改不力，约谈单位主要负责人。", office)
            if last == "accountable":
                supervision.accountable(case, "移交纪检监察机关追责问责。", office)
        made.append(case)
    county = ctx.regions["410122"]
    with clock.as_of(moment):
        made.append(supervision.open_case(county, "韩寺镇某砂石料场未落实覆盖措施", "inspection", office,
                                          description="市攻坚办夜查发现"))
        late = supervision.open_case(county, "官渡镇某工地渣土车未密闭运输", "public_report", office,
                                     description="群众举报，经核实属实")
        government = Organisation.objects.get(region=county, kind="government")
        supervision.assign(late, government, dt.date(2020, 12, 20), "限期整改", office)
    with clock.as_of(moment + dt.timedelta(days=10)):
        supervision.summon(late, "逾期未整改，约谈县政府分管负责人。", office)
    made.append(late)
    ctx.progress(f"  {len(made)} supervision cases: " + ", ".join(str(c.get_status_display()) for c in made))
