"""Demo step: the city's task ledger, imported from a plan document written for the demo in the
shape of the real plans (role lines, a default declared once, deadlines in Chinese), then followed
through 2020: progress reported, milestones completed, some overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from gongjian import clock
from gongjian.regions.models import Person
from gongjian.tasks import importing, tracking

from .builder import DemoContext, demo_step

PLAN = Path(__file__).parent / "data" / "plan_2020.txt"
BJ = ZoneInfo("Asia/Shanghai")


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
            moment = dt.datetime(2020, month, 20, 10, tzinfo=BJ)
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
    return register_person(username=f"unit_{organisation.pk}", password=None, role=role,
                           jurisdiction=organisation.region, organisation=organisation,
                           first_name=f"{organisation.name}联络员")
