"""Pages of the task ledger: import a plan and review the proposal beside its source, the ledger
with filters, a task with its units, milestones and progress, what is overdue or due soon."""

from __future__ import annotations

from collections import Counter

import polars as pl
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.exports import excel_response
from gongjian.core.forms import problems
from gongjian.core.params import choice, query_id
from gongjian.core.uploads import PLAN, upload_on_disk
from gongjian.core.views import bind, form_page, submit
from gongjian.core.writes import writes
from gongjian.periods import Period, query_date
from gongjian.regions import policy
from gongjian.regions.models import Organisation, Region, RegionLevel

from . import bulletins, importing, scorecards, tracking
from .forms import PlanImportForm, PlanReviewForm, RemindersReadForm, TaskUpdateForm
from .models import Milestone, Plan, PlanImport, ProgressReport, Reminder, Task, TaskUnit


def _tasks(user):
    return policy.visible(user, Task.objects.all()).select_related("plan").prefetch_related(
        Prefetch("units", queryset=TaskUnit.objects.select_related("organisation")),
        Prefetch("milestones", queryset=Milestone.objects.filter(done__isnull=True).order_by("due")),
    ).annotate(progress=Max("reports__percent"))


@login_required
def ledger_view(request):
    tasks = _tasks(request.user)
    plans = policy.visible(request.user, Plan.objects.all())
    # an empty filter is "all"; any other value that is not an id or a status is answered 400
    plan = query_id(request.GET, "plan")
    if plan is not None:
        tasks = tasks.filter(plan_id=plan)
    unit = query_id(request.GET, "unit")
    if unit is not None:
        tasks = tasks.filter(units__organisation_id=unit).distinct()
    region = query_id(request.GET, "region")
    if region is not None:  # the tasks units of a county or town answer for
        place = get_object_or_404(policy.visible(request.user, Region.objects.all()), pk=region)
        tasks = tasks.filter(units__organisation__region__in=Region.objects.get_tree(place)).distinct()
    status = choice(request.GET, "status", Task.Status.values, "")
    if status:
        tasks = tasks.filter(status=status)
    today = clock.today()
    rows = list(tasks[:1000])
    overdue = {t.pk for t in rows if any(m.due and m.due < today for m in t.milestones.all())}
    counts = Counter((t.part or t.plan.title, "overdue" if t.pk in overdue else t.status) for t in rows)
    parts = sorted({part for part, _s in counts})
    chart = {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 260},
             "xAxis": {"type": "value"}, "yAxis": {"type": "category", "data": parts},
             "series": [{"name": str(label), "type": "bar", "stack": "all", "data": [counts[(p, key)] for p in parts]}
                        for key, label in (("done", _("completed")), ("open", _("in progress")),
                                           ("overdue", _("overdue")))]}
    units = policy.visible(request.user, Organisation.objects.filter(
        pk__in=TaskUnit.objects.filter(task__in=tasks).values("organisation"))).order_by("region__path", "name")
    return render(request, "tasks/ledger.html", {
        "title": _("Task ledger"), "tasks": rows, "overdue": overdue, "plans": plans, "plan": plan, "units": units,
        "unit": unit, "status": status, "statuses": Task.Status.choices, "chart": chart, "today": today,
        "regions": _ledger_regions(request.user), "region": region,
        "can_import": policy.own_jurisdiction(request.user).exists()})


def _ledger_regions(user) -> list[Region]:
    """Counties and towns a person may pick in the ledger's region filter."""
    return list(policy.visible(user, Region.objects.filter(level__in=(RegionLevel.COUNTY, RegionLevel.TOWN)))
                .order_by("path")[:400])


@login_required
@writes(policy.ACT_AS_UNIT)
def task_view(request, pk: int):
    task = get_object_or_404(_tasks(request.user), pk=pk)

    def update(data):
        if data["milestone"] is not None:
            tracking.complete(data["milestone"], request.user)
        else:
            tracking.report_progress(task, request.user, data["text"], data["percent"], data["attachment"])
        return redirect("tasks:task", task.pk)

    return form_page(request, bind(request, TaskUpdateForm, task=task), "tasks/task.html", lambda: {
        "title": f"{task.number} {task.text[:30]}", "task": task,
        "units": task.units.all(), "milestones": Milestone.objects.filter(task=task).order_by("due", "pk"),
        "reports": ProgressReport.objects.filter(task=task).select_related("organisation", "reported_by"),
        "may_report": tracking.acts_for(request.user, task) is not None,
        "may_complete": tracking.may_complete(request.user, task), "today": clock.today()}, on_valid=update)


@login_required
@writes(policy.ACT_AS_UNIT)
def due_view(request):
    reminders, form = Reminder.objects.none(), None
    if request.user.organisation_id:
        reminders = policy.visible(request.user, Reminder.objects.filter(organisation_id=request.user.organisation_id,
                                                                         read__isnull=True))

        def read(data):
            data["reminder"].update(read=clock.now())
            return redirect("tasks:due")

        form = bind(request, RemindersReadForm)
        response = submit(form, read)
        if response is not None:
            return response
    overdue, soon = tracking.due(request.user)
    refused = form is not None and form.is_bound and bool(form.errors)
    return render(request, "tasks/due.html", {
        "title": _("Overdue and due soon"), "overdue": overdue, "soon": soon, "today": clock.today(),
        "reminders": reminders.select_related("milestone__task").order_by("milestone__due"),
        "problems": problems(form) if refused else []}, status=400 if refused else 200)


@login_required
@writes(policy.EDIT)
def import_view(request):
    form = bind(request, PlanImportForm)
    regions = list(form.fields["region"].queryset)
    if not regions:
        raise PermissionDenied

    def propose(data):
        with upload_on_disk(data["file"], PLAN) as path:
            text = importing.read_document(path)
        return redirect("tasks:review", importing.propose(text, data["file"].name, data["region"], request.user).pk)

    return form_page(request, form, "tasks/import.html", {
        "title": _("Import a plan"), "regions": regions,
        "drafts": policy.visible(request.user, PlanImport.objects.all())[:20]}, on_valid=propose, atomic=False)


@login_required
@writes(policy.EDIT)
def review_view(request, pk: int):
    draft = get_object_or_404(policy.visible(request.user, PlanImport.objects.all()), pk=pk)
    if not policy.can_change(request.user, draft):
        raise PermissionDenied
    proposal = draft.proposal
    form = PlanReviewForm(request.user, proposal=proposal)
    if draft.status == PlanImport.Status.PROPOSED:
        form = bind(request, PlanReviewForm, proposal=proposal)

    def review(data):
        if form.discard:
            draft.status = PlanImport.Status.DISCARDED
            draft.save(update_fields=["status"])
            return redirect("tasks:import")
        edits = form.edits()
        if edits:
            importing.apply_edits(draft, edits)
        plan = importing.adopt(draft, request.user, include=set(data["include"]), mapping=form.mapping(),
                               remember=data["remember"])
        return redirect(f"/tasks/?plan={plan.pk}")

    # not one transaction: the reviewer's edits are kept when the adoption is refused, so that the
    # page shows them with the problems
    response = submit(form, review, atomic=False)
    if response is not None:
        return response
    refused = form.is_bound and bool(form.errors)
    lines = draft.source.split("\n")
    unresolved = [(n, name, info) for n, (name, info) in enumerate(proposal["units"].items())
                  if info["status"] in ("unresolved", "ambiguous")]
    organisations = policy.visible(request.user, Organisation.objects.exclude(kind="enterprise")).order_by(
        "region__path", "name")
    return render(request, "tasks/review.html", {
        "title": _("Review the proposed ledger"), "draft": draft, "proposal": proposal, "tasks": proposal["tasks"],
        "units": proposal["units"], "unresolved": unresolved, "organisations": organisations,
        "source_lines": list(enumerate(lines, start=1)), "problems": problems(form) if refused else [],
        "uncertain": sum(1 for t in proposal["tasks"] if t["problems"]),
        "conflicts": proposal["conflicts"]}, status=400 if refused else 200)


@login_required
def bulletin_view(request):
    """The weekly dispatch or the monthly bulletin of the period holding ``date`` (default today),
    on the page, or as Word (``format=docx``) or Excel (``format=xlsx``)."""
    period = Period.from_query(request.GET, default_kind="weekly", today=clock.today(), kind_param="kind",
                               day_param="date", aliases=bulletins.KINDS, kinds=tuple(bulletins.KINDS.values()))
    bulletin = bulletins.build(request.user, period)
    kind, day = bulletin.kind, query_date(request.GET, "date", clock.today())
    issuer = str(request.user.organisation or (request.user.jurisdiction.name if request.user.jurisdiction else ""))
    name = f"{'weekly' if kind == 'weekly' else 'monthly'}-{bulletin.first:%Y%m%d}"
    if request.GET.get("format") == "docx":
        return bulletins.word_response(bulletin, issuer, f"{name}.docx")
    if request.GET.get("format") == "xlsx":
        return excel_response(bulletins.sheets(bulletin), f"{name}.xlsx")
    return render(request, "tasks/bulletin.html", {
        "title": bulletin.title, "bulletin": bulletin, "kind": kind, "day": day.isoformat(),
        "summary": [(bulletins.SUMMARY_LABELS[k], v) for k, v in bulletin.summary.items()],
        "tables": [(title, list(columns.values()), [[row[c] for c in columns] for row in getattr(bulletin, key)])
                   for key, (title, columns) in bulletins.TABLES.items()]})


@login_required
def scorecard_view(request):
    """Scorecards of the counties or the departments of the person's city for a month or a year,
    with the accountability rules' findings; Excel with ``format=xlsx``."""
    city = _city_of(request.user)
    if city is None or not policy.compares_units(request.user):
        raise PermissionDenied
    units = "departments" if request.GET.get("units") == "departments" else "counties"
    period = Period.from_query(request.GET, default_kind="monthly", today=clock.today(), kind_param="kind",
                               day_param="date", aliases=scorecards.KINDS, kinds=tuple(scorecards.KINDS.values()))
    kind = next(word for word, k in scorecards.KINDS.items() if k == period.kind)
    day = query_date(request.GET, "date", clock.today())
    card = scorecards.build(request.user, city, units, period, clock.today())
    columns = {"name": _("Unit"), "total": _("Total"), "score_quality": _("Quality"), "score_tasks": _("Deadlines met"),
               "score_overdue": _("Overdue"), "score_cases": _("Cases closed on time"), "rank": _("Rank"),
               "due": _("Deadlines due"), "on_time": _("Met on time"), "overdue": _("Overdue items"),
               "cases_due": _("Cases due"), "cases_on_time": _("Closed on time")}
    if request.GET.get("format") == "xlsx":
        findings = card.findings.select(pl.col("name").alias(_("Unit")), pl.col("rule").alias(_("Rule")),
                                        pl.col("consequence").alias(_("Consequence")), pl.col("evidence").alias(_("Evidence")))
        return excel_response({_("Scorecard"): card.table.select(list(columns)).rename({k: str(v) for k, v in columns.items()}),
                               _("Accountability"): findings}, f"scorecard-{units}-{card.first:%Y%m}.xlsx")
    rows = card.table.to_dicts()
    chart = {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 140},
             "xAxis": {"type": "value", "max": 100}, "yAxis": {"type": "category", "inverse": True,
                                                              "data": [r["name"] for r in rows]},
             "series": [{"name": str(columns[c]), "type": "bar", "stack": "score",
                         "data": [round(r[c], 1) if r[c] is not None else 0 for r in rows]}
                        for c in ("score_quality", "score_tasks", "score_overdue", "score_cases")]}
    return render(request, "tasks/scorecard.html", {
        "title": _("Scorecards"), "card": card, "rows": rows, "columns": columns,
        "table_rows": [[round(r[k], 1) if isinstance(r[k], float) else r[k] for k in columns] for r in rows], "units": units, "kind": kind,
        "day": day.isoformat(), "findings": card.findings.to_dicts(), "chart": chart, "city": city,
        "rules": scorecards.rules_for(city)})


def _city_of(person) -> Region | None:
    """The city whose counties a person's scorecards compare: their jurisdiction's city."""
    region = person.jurisdiction
    if region is None:
        return Region.objects.filter(level=2).order_by("path").first() if person.is_superuser else None
    chain = list(region.ancestors_and_self())
    return next((r for r in chain if r.level == 2), None)
