"""The task pages' exports as offices file them (:class:`gongjian.core.exports.Report`): the task
ledger as filtered on its page, and the weekly dispatch or monthly bulletin in Excel. The records
are the pages' own, scoped by the policy there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.exports import Column, Report, Table, scope_label

from .models import Task, TaskUnit

__all__ = ["bulletin_report", "ledger_report"]


def _units(task: Task, role: str) -> str:
    return "、".join(str(u.organisation or u.name) for u in task.units.all() if u.role == role)


def ledger_report(user, tasks: Iterable[Task], today: dt.date, filters: str = "") -> Report:
    """The ledger's ``tasks`` (with their units and open milestones prefetched, as the page reads
    them; every task, not the page's first thousand) as a report; ``filters`` the page's filters in
    words."""
    columns = [
        Column("number", _("Number")), Column("plan", _("Plan")), Column("part", _("part of the plan")),
        Column("text", _("Task")), Column("lead", _("Lead")), Column("responsible", _("Responsible")),
        Column("cooperating", _("Cooperating units")), Column("deadline", _("Next deadline")),
        Column("overdue", _("Overdue"), note=_("Yes when an open milestone's deadline has passed.")),
        Column("progress", _("Done"), "%", note=_("The highest share reported done; blank when nothing was reported.")),
        Column("status", _("Status")),
    ]
    rows = []
    for task in tasks:
        milestone = next(iter(task.milestones.all()), None)
        due = milestone.due if milestone else None
        rows.append({"number": task.number, "plan": task.plan.title, "part": task.part, "text": task.text,
                     "lead": _units(task, TaskUnit.Role.LEAD), "responsible": _units(task, TaskUnit.Role.RESPONSIBLE),
                     "cooperating": _units(task, TaskUnit.Role.COOPERATING),
                     "deadline": due or (milestone.get_kind_display() if milestone else None),
                     "overdue": any(m.due and m.due < today for m in task.milestones.all()),
                     "progress": task.progress, "status": task.get_status_display()})
    return Report(_("Task ledger"), [Table(_("Task ledger"), columns, rows)], as_of=clock.now(),
                  scope=scope_label(user), notes=[filters] if filters else [])


def bulletin_report(user, bulletin, summary_labels: dict[str, str], tables: dict) -> Report:
    """A bulletin (:func:`gongjian.tasks.bulletins.build`) as a report: the summary and one sheet per
    table (``tables``: key -> (sheet name, {column key: header}))."""
    summary = Table(_("Summary"), [Column("item", _("Item")), Column("count", _("Count"))],
                    [{"item": summary_labels[k], "count": v} for k, v in bulletin.summary.items()])
    sheets = [Table(title, [Column(key, header) for key, header in columns.items()], getattr(bulletin, key))
              for key, (title, columns) in tables.items()]
    for chapter in bulletin.chapters:  # the apps' chapters (gongjian.core.chapters): a summary and its tables
        if chapter.summary:
            sheets.append(Table(chapter.title, [Column("item", _("Item")), Column("value", _("Value"))],
                                [{"item": label, "value": value} for label, value in chapter.summary]))
        sheets += [Table(f"{chapter.title}-{t.title}", [Column(key, header) for key, header in t.columns.items()],
                         t.rows) for t in chapter.tables]
    period = bulletin.period
    return Report(bulletin.title, [summary, *sheets],
                  period=f"{period.label()}（{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}）",
                  as_of=min(clock.now(), clock.day_bounds(period.start, period.end)[1]), scope=scope_label(user))
