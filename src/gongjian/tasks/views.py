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
from django.utils.translation import pgettext

from gongjian import clock
from gongjian.analytics import scorecard
from gongjian.core.exports import EXPORT_FORMATS, excel_response, report_response
from gongjian.core.forms import problems
from gongjian.core.matching import matching
from gongjian.core.pages import opens
from gongjian.core.params import choice, query_id, search_text
from gongjian.core.uploads import PLAN, upload_on_disk
from gongjian.core.views import bind, form_page, submit
from gongjian.core.writes import writes
from gongjian.periods import Period, query_date
from gongjian.regions import policy
from gongjian.regions.models import Organisation, Region, RegionLevel

from . import bulletins, exports, importing, scorecards, tracking
from .entries import TASK_SEARCH
from .forms import (
    BulletinPublishForm,
    PlanImportForm,
    PlanReviewForm,
    RemindersReadForm,
    TaskUpdateForm,
)
from .models import (
    BulletinIssue,
    Milestone,
    Plan,
    PlanImport,
    ProgressReport,
    Reminder,
    Task,
    TaskUnit,
)


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
    query = search_text(request.GET)
    tasks = matching(tasks, TASK_SEARCH, query)  # words of the task's text or its units' names
    today = clock.today()
    fmt = choice(request.GET, "format", EXPORT_FORMATS, "")
    if fmt:
        named = ((_("Plan"), plans.filter(pk=plan).first() if plan else None),
                 (_("Unit"), Organisation.objects.filter(pk=unit).first() if unit else None),
                 (_("Region"), place if region is not None else None),
                 (_("Status"), Task.Status(status).label if status else None))
        filters = "；".join(f"{label}：{value}" for label, value in named if value)
        return report_response(exports.ledger_report(request.user, tasks, today, filters), fmt, f"tasks-{today}")
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
        "regions": _ledger_regions(request.user), "region": region, "query": query,
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
@opens(policy.EDIT)
@writes(policy.EDIT)
def import_view(request):
    form = bind(request, PlanImportForm)
    regions = list(form.fields["region"].queryset)
    if not regions:
        raise PermissionDenied(policy.EDIT.summary)

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
@writes(policy.EDIT)
def bulletin_view(request):
    """The weekly dispatch or the monthly bulletin of the period holding ``date`` (default today),
    on the page, or as Word (``format=docx``; ``issue``: a published issue, else a draft) or Excel
    (``format=xlsx``); a POST publishes it under the office's next issue number."""
    period = Period.from_query(request.GET, default_kind="weekly", today=clock.today(), kind_param="kind",
                               day_param="date", aliases=bulletins.KINDS, kinds=tuple(bulletins.KINDS.values()))
    form = bind(request, BulletinPublishForm)

    def publish(data):
        issue = bulletins.publish(request.user, Period.containing(bulletins.KINDS[data["kind"]], data["date"]))
        return redirect(f"{request.path}?kind={issue.kind}&date={issue.period_start}")

    response = submit(form, publish)
    if response is not None:
        return response
    bulletin = bulletins.build(request.user, period)
    kind, day = bulletin.kind, query_date(request.GET, "date", clock.today())
    issues = policy.visible(request.user, BulletinIssue.objects.filter(kind=kind, period_start=period.start))
    name = f"{'weekly' if kind == 'weekly' else 'monthly'}-{bulletin.first:%Y%m%d}"
    if request.GET.get("format") == "docx":
        issue_id = query_id(request.GET, "issue")
        if issue_id is None:
            return bulletins.word_response(bulletin, bulletins.issuer_of(request.user), f"{name}.docx")
        issue = get_object_or_404(issues, pk=issue_id)
        return bulletins.word_response(bulletins.as_published(issue), issue.issuer,
                                       f"{name}-{issue.year}-{issue.number}.docx", issue)
    if request.GET.get("format") == "xlsx":
        return report_response(exports.bulletin_report(request.user, bulletin, bulletins.SUMMARY_LABELS,
                                                       bulletins.TABLES), "xlsx", name)
    return render(request, "tasks/bulletin.html", {
        "title": bulletin.title, "bulletin": bulletin, "kind": kind, "day": day.isoformat(), "issues": issues,
        "can_publish": request.user.jurisdiction_id is not None and request.user.role_can_edit,
        "problems": problems(form) if form.errors else [],
        "summary": [(bulletins.SUMMARY_LABELS[k], v) for k, v in bulletin.summary.items()],
        "tables": [(title, list(columns.values()), [[row[c] for c in columns] for row in getattr(bulletin, key)])
                   for key, (title, columns) in bulletins.TABLES.items()],
        "chapters": bulletin.chapters}, status=400 if form.errors else 200)


@login_required
@opens(policy.COMPARE_UNITS)
def scorecard_view(request):
    """Scorecards of the counties or the departments of the person's city for a month or a year,
    with the accountability rules' findings; Excel with ``format=xlsx``. Units without enough data
    are listed apart, unranked, with the components they lack (``gongjian.analytics.scorecard``)."""
    city = _city_of(request.user)
    if city is None:
        raise PermissionDenied(_("Scorecards compare the counties of a city; your jurisdiction is not in one."))
    units = "departments" if request.GET.get("units") == "departments" else "counties"
    today = clock.today()
    opening = scorecards.default_day(request.user, units, today)
    period = Period.from_query(request.GET, default_kind="monthly", today=opening, kind_param="kind",
                               day_param="date", aliases=scorecards.KINDS, kinds=tuple(scorecards.KINDS.values()))
    kind = next(word for word, k in scorecards.KINDS.items() if k == period.kind)
    day = query_date(request.GET, "date", opening)
    card = scorecards.build(request.user, city, units, period, today)
    components = {"score_quality": _("Quality"), "score_tasks": _("Deadlines met"), "score_overdue": _("Overdue"),
                  "score_cases": _("Cases closed on time")}
    columns = {"name": _("Unit"), "place": _("Place"), "total": _("Total"), **components, "rank": _("Rank"),
               "due": _("Deadlines due"), "on_time": _("Met on time"), "overdue": _("Overdue items"),
               "cases_due": _("Cases due"), "cases_on_time": _("Closed on time")}
    table = card.table.with_columns(pl.Series("why", [_unranked_reason(r) for r in card.table.to_dicts()],
                                              dtype=pl.String))
    if request.GET.get("format") == "xlsx":
        findings = card.findings.select(pl.col("name").alias(_("Unit")), pl.col("rule").alias(_("Rule")),
                                        pl.col("consequence").alias(_("Consequence")), pl.col("evidence").alias(_("Evidence")))
        sheet = table.select([*columns, "why"]).with_columns(pl.col(c).round(1) for c in ("total", *components))
        return excel_response({_("Scorecard"): sheet.rename({**{k: str(v) for k, v in columns.items()},
                                                            "why": _("Not ranked because")}),
                               _("Accountability"): findings}, f"scorecard-{units}-{card.first:%Y%m}.xlsx")
    rows = table.to_dicts()
    ranked = [r for r in rows if r["place"] is not None]
    return render(request, "tasks/scorecard.html", {
        "title": _("Scorecards"), "card": card, "columns": columns, "units": units, "kind": kind,
        "table_rows": [[_cell(r[k]) for k in columns] for r in ranked],
        "unranked": [([_cell(r[k]) for k in columns if k != "place"], r["why"]) for r in rows if r["place"] is None],
        "day": day.isoformat(), "findings": card.findings.to_dicts(), "city": city,
        "chart": _score_chart(ranked, components) if ranked else None,
        "min_percent": f"{scorecard.Weights().min_share * 100:g}",
        "assessed": pgettext("list separator", ", ").join(
            f"{components[f'score_{c}']} {scorecard.Weights().of(c):g}" for c in scorecards.ASSESSED[units]),
        "rules": scorecards.rules_for(city)})


def _cell(value):
    return round(value, 1) if isinstance(value, float) else value


def _unranked_reason(row: dict) -> str | None:
    """Why a unit has no place: the assessed components without data and the weight they leave."""
    if row["place"] is not None:
        return None
    names = {"quality": _("Quality"), "tasks": _("Deadlines met"), "overdue": _("Overdue"),
             "cases": _("Cases closed on time")}
    return _("no data for %(components)s: components with data weigh %(with)s of %(all)s points, under the "
             "%(share)s%% needed") % {"components": pgettext("list separator", ", ").join(str(names[c]) for c in row["missing"]),
                                      "with": f"{row['weight_with_data']:g}", "all": f"{row['weight_assessed']:g}",
                                      "share": f"{scorecard.Weights().min_share * 100:g}"}


def _score_chart(ranked: list[dict], components: dict) -> dict:
    """Stacked bars of the ranked units: each component's share of the total after the rescaling,
    so that every bar ends at the total the table shows (a component without data adds nothing)."""
    def shares(row):
        parts = [0.0 if row[key] is None else round(row[key] * 100 / row["weight_with_data"], 1) for key in components]
        last = max(i for i, key in enumerate(components) if row[key] is not None)
        parts[last] = round(row["total"] - sum(parts) + parts[last], 1)  # the rounding lands on one bar, not beside it
        return parts

    data = [shares(r) for r in ranked]
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 140},
            "xAxis": {"type": "value", "min": 0, "max": 100, "name": str(_("points (of 100)"))},
            "yAxis": {"type": "category", "inverse": True, "data": [r["name"] for r in ranked]},
            "series": [{"name": str(label), "type": "bar", "stack": "score", "data": [parts[i] for parts in data]}
                       for i, label in enumerate(components.values())]}


def _city_of(person) -> Region | None:
    """The city whose counties a person's scorecards compare: their jurisdiction's city."""
    region = person.jurisdiction
    if region is None:
        return Region.objects.filter(level=2).order_by("path").first() if person.is_superuser else None
    chain = list(region.ancestors_and_self())
    return next((r for r in chain if r.level == 2), None)
