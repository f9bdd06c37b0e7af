"""Following the ledger: units report progress, milestones are completed (a yearly one opens the
next year's), and what is overdue or due soon is listed for each person's view."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.uploads import ATTACHMENT, check_attachments
from gongjian.periods import month_end
from gongjian.regions import policy

from .models import Milestone, ProgressReport, Reminder, Task

__all__ = ["acts_for", "complete", "due", "remind", "report_progress"]


def acts_for(person, task: Task):
    """The organisation ``person`` reports for on ``task``: their own, if it takes part."""
    if person.organisation_id and task.units.filter(organisation_id=person.organisation_id).exists():
        return person.organisation
    return None


@transaction.atomic
def report_progress(task: Task, person, text: str, percent: int, attachment=None) -> ProgressReport:
    """A unit's progress on its task (its own people only)."""
    organisation = acts_for(person, task)
    if organisation is None:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Say what has been done."))
    if not 0 <= percent <= 100:
        raise ValidationError(_("The share done is between 0 and 100."))
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("The task is closed."))
    check_attachments([attachment], ATTACHMENT)
    report = ProgressReport(task=task, organisation=organisation, reported_by=person, reported=clock.now(),
                            text=text.strip(), percent=percent)
    if attachment is not None:
        report.attachment = attachment
    report.save()
    return report


def may_complete(person, task: Task) -> bool:
    """May ``person`` mark the task's milestones done? The office that changes the plan, or a person
    of the task's lead unit."""
    lead = bool(person.organisation_id) and task.units.filter(role="lead", organisation_id=person.organisation_id).exists()
    return lead or policy.can_change(person, task.plan)


@transaction.atomic
def complete(milestone: Milestone, person) -> Milestone | None:
    """Mark a milestone done (the office, or the task's lead unit); a yearly one opens the next
    year's occurrence, which is returned."""
    task = milestone.task
    if not may_complete(person, task):
        raise PermissionDenied
    if milestone.done:
        raise ValidationError(_("Already completed."))
    milestone.done, milestone.done_by = clock.now(), person
    milestone.save(update_fields=["done", "done_by"])
    if milestone.kind == Milestone.Kind.YEARLY and milestone.due:
        following = month_end(milestone.due.year + 1, milestone.due.month)
        if task.plan.last_year is None or following.year <= task.plan.last_year:
            return Milestone.objects.create(task=task, kind=milestone.kind, text=milestone.text, due=following)
    return None


def due(person, *, today: dt.date | None = None, horizon: int = 14):
    """Open milestones ``person`` sees: ``(overdue, due_soon)``, each ordered by date."""
    today = today or clock.today()
    open_ = policy.visible(person, Milestone.objects.all()).filter(done__isnull=True, due__isnull=False,
                                                                   task__status=Task.Status.OPEN)
    open_ = open_.select_related("task__plan").prefetch_related("task__units__organisation").order_by("due", "pk")
    return (list(open_.filter(due__lt=today)),
            list(open_.filter(due__gte=today, due__lte=today + dt.timedelta(days=horizon))))


def remind(*, today: dt.date | None = None, days: int = 7) -> int:
    """Reminders to the lead and responsible units of every open deadline due within ``days`` or
    passed, once per deadline, unit and kind; returns how many were made."""
    today = today or clock.today()
    now = clock.now()
    open_ = Milestone.objects.filter(done__isnull=True, due__isnull=False, due__lte=today + dt.timedelta(days=days),
                                     task__status=Task.Status.OPEN).prefetch_related("task__units")
    made = []
    for milestone in open_:
        kind = Reminder.Kind.OVERDUE if milestone.due < today else Reminder.Kind.DUE_SOON
        for unit in milestone.task.units.all():
            if unit.organisation_id and unit.role in ("lead", "responsible"):
                made.append(Reminder(milestone=milestone, organisation_id=unit.organisation_id, kind=kind, created=now))
    before = Reminder.objects.count()
    Reminder.objects.bulk_create(made, ignore_conflicts=True)
    return Reminder.objects.count() - before
