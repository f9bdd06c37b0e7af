"""Importing a plan document into the ledger: read the file (plain text, Word .docx, an Excel task
table), propose a ledger (:mod:`gongjian.analytics.plantext`) with every unit name resolved through
the alias table, let a person review it, and only then save it in one transaction.

Unit names are never dropped: a name that resolves is linked to its organisation, a group name
("各镇人民政府", "各县(市)区政府", "各开发区管委会") to every member organisation under the plan's region,
and a name that does not resolve is offered for mapping; one left unmapped is kept as written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.analytics.plantext import deadlines, parse_plan, split_units
from gongjian.core.imports import Column, match_headers
from gongjian.core.problems import InvalidInput, Problem, cannot_read
from gongjian.core.tabular import EXCEL_SUFFIXES, decode_text, read_text_table
from gongjian.periods import month_end
from gongjian.regions.models import Organisation, OrganisationKind, Region, RegionLevel
from gongjian.regions.services import add_alias, resolve_organisation

from .models import Indicator, Milestone, Plan, PlanImport, Task, TaskUnit

__all__ = ["FLAGS", "LEFT_OUT", "adopt", "apply_edits", "expand_group", "propose", "read_document"]

#: What the reader was unsure of (:class:`gongjian.analytics.plannotes.Flag` codes), as the reviewer
#: reads it: those of ``_UNIT_FLAGS`` make a task's units or structure uncertain (the task is flagged),
#: the others are informational notes (no deadline is no reason to doubt the units).
FLAGS = {
    "no_units": gettext_lazy("no lead or responsible unit found"),
    "fragment": gettext_lazy("not read as a unit name: %(detail)s"),
    "odd_name": gettext_lazy("a unit name of an unusual form: %(detail)s"),
    "no_names": gettext_lazy("a role without unit names: %(detail)s"),
    "unparsed_clause": gettext_lazy("a clause of the note could not be read: %(detail)s"),
    "merged": gettext_lazy("%(detail)s is given twice: two measures may have been merged"),
    "inner_note": gettext_lazy("roles also given inside the text: %(detail)s (two measures merged?)"),
    "empty_cell": gettext_lazy("the table gives no responsible unit"),
    "prose_task": gettext_lazy("a paragraph without number or units, proposed as a task: give its units"),
    "unresolved": gettext_lazy("a unit name that matches no organisation: %(detail)s"),
    "no_deadline": gettext_lazy("no deadline found"),
    "deadline_unread": gettext_lazy("deadline not understood: %(detail)s"),
}
_UNIT_FLAGS = {"no_units", "fragment", "odd_name", "no_names", "unparsed_clause", "merged", "inner_note", "empty_cell",
               "unresolved", "prose_task"}
#: Why a paragraph of an action section is no task (:class:`gongjian.analytics.plantext.LeftOut`).
LEFT_OUT = {
    "heads_subitems": gettext_lazy("heads its sub-items, which are the tasks"),
    "no_units": gettext_lazy("names no unit and is no numbered task of a task section"),
    "after_units": gettext_lazy("follows a task's units without units of its own"),
    "roles_without_task": gettext_lazy("a role line without a task before it"),
    "not_measures": gettext_lazy("a narrative plan's review, aims, investment or safeguards: no measure"),
}


def _worded(flags: list[dict]) -> list[str]:
    return [str(FLAGS[f["code"]]) % {"detail": f["detail"]} for f in flags]

#: Group names and what they stand for: (pattern, organisation kinds, region level of the members).
GROUPS = [
    (re.compile(r"^各(乡镇|镇|镇人民政府|乡镇人民政府|镇政府|乡镇政府|街道|镇\(街道\)|乡\(镇\)|镇（街道）)"),
     (OrganisationKind.TOWN_OFFICE,), RegionLevel.TOWN),
    # "县(市)区政府" is plural by its form, with 各 or without ("各开发区管委会、县(市)区政府")
    (re.compile(r"^(?:各(?:县|县区)|各?(?:县\(市\)区|县（市）区|县（市、区）|县〔市、区〕|县\(市、区\)))(人民)?政府"),
     (OrganisationKind.GOVERNMENT,), RegionLevel.COUNTY),
    (re.compile(r"^各(开发区|功能区)(管委会|管理委员会)"), (OrganisationKind.ZONE_COMMITTEE,), RegionLevel.COUNTY),
]


def read_document(path: Path) -> str:
    """The text of a plan file: ``.txt`` (UTF-8, else GB 18030), ``.docx`` (paragraphs, and tables
    as one cell per line the way the parser reads them), ``.xlsx``/``.csv`` (a task table: its
    rows as table cells under its header)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return _docx_text(path)
        if suffix in EXCEL_SUFFIXES or suffix == ".csv":
            return _table_text(read_text_table(path), path.name)
        return decode_text(path.read_bytes(), path.name)[0]
    except InvalidInput:
        raise
    except Exception as exc:  # a file that is not what its name says (a broken .docx or .xlsx)
        raise cannot_read(path, exc) from None


def _docx_text(path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            lines.append(Paragraph(block, document).text)
        elif block.tag.endswith("}tbl"):
            lines.append("")
            for row in Table(block, document).rows:
                lines += ["\t" + cell.text.replace("\n", "") for cell in row.cells]
                lines.append("")
    return "\n".join(lines)


#: The columns of a task table (a plan's table carries others too: deadlines, notes).
TABLE_COLUMNS = (
    Column("main", ("主要任务", "重点任务", "类别")), Column("item", ("分项工作", "分项", "工作事项")),
    Column("number", ("任务号", "序号", "编号"), required=True),
    Column("text", ("工作要求", "工作任务", "任务内容", "主要内容"), required=True),
    Column("lead", ("牵头单位", "牵头部门", "牵头"), required=True),
    Column("responsible", ("责任单位", "责任部门", "责任")),
)


def _table_text(frame, source: str) -> str:
    """An Excel task table as the seven-cell rows of a task table (main task, number, item, task
    number, requirement, lead, responsible), from its headers; a missing one raises
    :class:`InvalidInput` naming it."""
    columns, problems = match_headers(frame.columns, TABLE_COLUMNS, source, extra=True)
    if problems:
        raise InvalidInput(problems)
    lines = ["\t主要任务", "\t序号", "\t分项工作", "\t任务号", "\t工作要求", "\t牵头单位", "\t责任单位", ""]
    for row in frame.iter_rows(named=True):
        cells = [row[columns["main"]] if "main" in columns else "", "",
                 row[columns["item"]] if "item" in columns else "",
                 row[columns["number"]], row[columns["text"]], row[columns["lead"]],
                 row[columns["responsible"]] if "responsible" in columns else ""]
        lines += ["\t" + (str(c) if c is not None else "").replace("\n", "") for c in cells] + [""]
    return "\n".join(lines)


def expand_group(name: str, region: Region) -> list[Organisation] | None:
    """The member organisations a group name stands for under ``region``; ``None`` if it is not a
    group name."""
    for pattern, kinds, level in GROUPS:
        if pattern.match(name):
            return list(Organisation.objects.filter(kind__in=kinds, region__level=level,
                                                    region__path__startswith=region.path).order_by("region__path"))
    return None


def _resolution(name: str, region: Region) -> dict:
    members = expand_group(name, region)
    if members is not None:
        return {"status": "group" if members else "unresolved", "organisations": [o.pk for o in members],
                "labels": [str(o) for o in members]}
    found = resolve_organisation(name, region)
    if found.status == "resolved":
        return {"status": "resolved", "organisations": [found.organisation.pk], "labels": [str(found.organisation)]}
    return {"status": found.status, "organisations": [], "labels": [],
            "candidates": [[o.pk, str(o)] for o in found.candidates]}


def propose(text: str, source_name: str, region: Region, user) -> PlanImport:
    """Read ``text`` and keep the proposal for review (nothing enters the ledger yet)."""
    parsed = parse_plan(text)
    if not parsed.tasks and not parsed.indicators:
        raise InvalidInput([Problem(_("no tasks or indicators found: is this a plan?"), source_name)])
    tasks = []
    for task in parsed.tasks:
        tasks.append({
            "part": task.plan, "path": list(task.path), "number": task.number, "text": task.text, "line": task.line,
            "lead": task.lead, "responsible": task.responsible, "cooperating": task.cooperating,
            "by_duty": task.by_duty, "default_applied": task.default_applied,
            "flags": [dataclasses.asdict(f) for f in task.problems],
            "notes": _worded([dataclasses.asdict(f) for f in task.notes]), "quantities": task.quantities,
            "deadlines": [{"kind": d.kind, "text": d.text, "due": d.due.isoformat() if d.due else None,
                           "month": d.month} for d in task.deadlines]})
    names = sorted({n for t in parsed.tasks for n in (*t.lead, *t.responsible, *t.cooperating)})
    units = {name: _resolution(name, region) for name in names}
    for task in tasks:  # a name that resolves nowhere makes the task's units uncertain
        task["flags"] += [{"code": "unresolved", "detail": n} for n in (*task["lead"], *task["responsible"],
                                                                         *task["cooperating"])
                          if units[n]["status"] in ("unresolved", "ambiguous")]
        task["problems"] = _worded(task["flags"])
    years = [int(y) for y in re.findall(r"(20\d\d)", parsed.title)]
    proposal = {
        "title": parsed.title, "number": parsed.number, "issuer": parsed.issuer,
        "issued": parsed.issued.isoformat() if parsed.issued else None,
        "first_year": min(years) if years else parsed.year, "last_year": max(years) if years else parsed.year,
        "tasks": tasks, "indicators": [dataclasses.asdict(i) for i in parsed.indicators],
        "conflicts": parsed.conflicts, "ocr_fixes": parsed.ocr_fixes,
        "problems": [*([_("%(n)s spaces inside words closed up (OCR)") % {"n": parsed.ocr_fixes}] if parsed.ocr_fixes else []),
                     *([] if tasks or parsed.left_out else [_(
                         "No action section and no task table were found: nothing in this document was read as a "
                         "task. Check that it is the plan itself (not a notice forwarding it), or enter the tasks "
                         "as a table.")]),
                     *([_("A narrative plan: it has no task list and names no unit. Each paragraph of its chapters "
                          "of measures is proposed as a task, flagged, for you to give its units.")]
                       if parsed.narrative else [])],
        "units": units,
        "left_out": [{"line": x.line, "text": x.text, "reason": str(LEFT_OUT[x.reason])} for x in parsed.left_out],
    }
    return PlanImport.objects.create(region=region, source_name=source_name[:200], source=text, proposal=proposal,
                                     created_by=user)


def apply_edits(draft: PlanImport, edits: dict[int, dict[str, str]]) -> None:
    """A reviewer's corrections to proposed tasks (index -> ``lead``, ``responsible``,
    ``cooperating`` as text with 、 between names, ``deadline`` as the plan would write it), read
    the way the plan's own text is; new names are resolved like the rest. Saved on the draft."""
    proposal = draft.proposal
    year = proposal["first_year"]
    for index, fields in edits.items():
        task = proposal["tasks"][index]
        for role in ("lead", "responsible", "cooperating"):
            if role in fields:
                task[role] = split_units(fields[role])
                for name in task[role]:
                    if name not in proposal["units"]:
                        proposal["units"][name] = _resolution(name, draft.region)
        if "deadline" in fields:
            task["deadlines"] = [{"kind": d.kind, "text": d.text, "due": d.due.isoformat() if d.due else None,
                                  "month": d.month} for d in deadlines(fields["deadline"], year)]
        if any(role in fields for role in ("lead", "responsible", "cooperating")):  # a person has read them
            task["flags"] = [f for f in task.get("flags", []) if f["code"] not in _UNIT_FLAGS]
        task["problems"] = [*_worded(task.get("flags", [])), _("corrected in review")]
    draft.save(update_fields=["proposal"])


@transaction.atomic
def adopt(draft: PlanImport, user, *, include: set[int] | None = None, mapping: dict[str, int | None] | None = None,
          remember: bool = False) -> Plan:
    """The reviewed ledger into the database, all or nothing: the tasks in ``include`` (indexes;
    all when ``None``), unit names mapped by ``mapping`` (name -> organisation; ``None`` keeps a
    name unresolved, as written) on top of what resolved; ``remember`` saves each mapping as an
    alias so that the next plan resolves it."""
    if draft.status != PlanImport.Status.PROPOSED:
        raise InvalidInput([Problem(_("this import has been %(s)s already") % {"s": draft.get_status_display()})])
    proposal, mapping = draft.proposal, mapping or {}
    problems = []
    chosen = {}
    for name, pk in mapping.items():
        if pk is None:
            continue
        organisation = Organisation.objects.filter(pk=pk).first()
        if organisation is None:
            problems.append(Problem(_("no organisation %(pk)s for %(name)s") % {"pk": pk, "name": name}))
        else:
            chosen[name] = organisation
    if problems:
        raise InvalidInput(problems)
    plan = Plan.objects.create(
        region=draft.region, title=proposal["title"] or draft.source_name, number=proposal["number"],
        issuer=proposal["issuer"][:120], issued=dt.date.fromisoformat(proposal["issued"]) if proposal["issued"] else None,
        first_year=proposal["first_year"], last_year=proposal["last_year"], source_name=draft.source_name)
    for indicator in proposal["indicators"]:
        Indicator.objects.create(plan=plan, group=indicator["group"][:100], name=indicator["name"][:200],
                                 unit=indicator["unit"][:40], baseline=indicator["baseline"][:60],
                                 target=indicator["target"][:60], kind=indicator["kind"],
                                 external=indicator["external"], cumulative=indicator["cumulative"],
                                 baseline_year=indicator["baseline_year"], target_year=indicator["target_year"],
                                 yearly_targets={str(y): v for y, v in indicator["targets"].items()})
    units = proposal["units"]
    for index, item in enumerate(proposal["tasks"]):
        if include is not None and index not in include:
            continue
        task = Task.objects.create(plan=plan, part=item["part"][:200], path=" / ".join(item["path"])[:300],
                                   number=item["number"][:20], text=item["text"], by_duty=item["by_duty"],
                                   source_line=item["line"], quantities=item.get("quantities", []))
        rows = []
        for role in ("lead", "responsible", "cooperating"):
            for name in item[role]:
                if name in chosen:
                    rows.append(TaskUnit(task=task, role=role, name=name[:120], organisation=chosen[name]))
                    continue
                resolved = units.get(name, {}).get("organisations", [])
                rows += [TaskUnit(task=task, role=role, name=name[:120], organisation_id=pk) for pk in resolved] or [
                    TaskUnit(task=task, role=role, name=name[:120])]
        TaskUnit.objects.bulk_create(rows)
        Milestone.objects.bulk_create(Milestone(task=task, kind=d["kind"], text=d["text"][:60],
                                                due=_due(d, proposal["first_year"])) for d in item["deadlines"])
    if remember:
        for name, organisation in chosen.items():
            if name != organisation.name and not organisation.aliases.filter(alias=name).exists():
                add_alias(organisation, name)
    draft.status, draft.plan = PlanImport.Status.ADOPTED, plan
    draft.save(update_fields=["status", "plan"])
    return plan


def _due(deadline: dict, first_year: int | None) -> dt.date | None:
    """The first due date: the date itself, or for a yearly deadline the end of its month in the
    plan's first year (completing it opens the next year's, :func:`gongjian.tasks.tracking.complete`)."""
    if deadline["due"]:
        return dt.date.fromisoformat(deadline["due"])
    if deadline["kind"] == "yearly" and deadline["month"] and first_year:
        return month_end(first_year, deadline["month"])
    return None
