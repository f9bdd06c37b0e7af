"""Pages of supervision cases: the list with its chart, a case's steps and the step the person may
take next, and opening a case from a verification notice, an alarm or a lagging task."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.writes import writes
from gongjian.regions import policy
from gongjian.regions.models import Organisation, Region
from gongjian.sources.monitoring import Alarm, VerificationNotice

from . import supervision
from .models import SupervisionCase, Task

S = SupervisionCase.Status


@login_required
def cases_view(request):
    cases = policy.visible(request.user, SupervisionCase.objects.all()).select_related("region", "assignee")
    status = request.GET.get("status", "")
    counts = Counter(cases.values_list("status", flat=True))
    if status in S.values:
        cases = cases.filter(status=status)
    chart = {"tooltip": {"trigger": "axis"}, "xAxis": {"type": "category", "data": [str(label) for _v, label in S.choices]},
             "yAxis": {"type": "value", "minInterval": 1},
             "series": [{"type": "bar", "data": [counts.get(value, 0) for value, _l in S.choices]}]}
    return render(request, "tasks/cases.html", {"title": _("Supervision cases"), "cases": cases[:300], "status": status,
                                                "statuses": S.choices, "chart": chart, "today": clock.today()})


def _source(request):
    """What a new case comes from, if the request names it (and the person sees it)."""
    if request.GET.get("notice", "").isdigit() or request.POST.get("notice", "").isdigit():
        notice = get_object_or_404(policy.visible(request.user, VerificationNotice.objects.all()),
                                   pk=request.GET.get("notice") or request.POST.get("notice"))
        alarms = "; ".join(a.summary() for a in notice.alarms.all())
        return {"source": "notice", "notice": notice, "region": notice.region,
                "title": _("Verified on site: %(s)s") % {"s": notice.alarms.first().subject if notice.alarms.exists() else notice},
                "description": f"{notice.finding}\n{alarms}"}
    if request.GET.get("alarm", "").isdigit() or request.POST.get("alarm", "").isdigit():
        alarm = get_object_or_404(policy.visible(request.user, Alarm.objects.all()),
                                  pk=request.GET.get("alarm") or request.POST.get("alarm"))
        return {"source": "alarm", "alarm": alarm, "region": alarm.region, "title": str(alarm),
                "description": alarm.summary()}
    if request.GET.get("task", "").isdigit() or request.POST.get("task", "").isdigit():
        task = get_object_or_404(policy.visible(request.user, Task.objects.all()),
                                 pk=request.GET.get("task") or request.POST.get("task"))
        return {"source": "task", "task": task, "region": task.plan.region,
                "title": _("Task %(n)s behind schedule") % {"n": task.number}, "description": task.text[:500]}
    return {"source": "inspection", "region": request.user.jurisdiction, "title": "", "description": ""}


@login_required
@writes(policy.EDIT)
def new_case_view(request):
    origin = _source(request)
    problems = []
    if request.method == "POST":
        region = get_object_or_404(Region, pk=request.POST.get("region"))
        source = request.POST.get("source", origin["source"])
        try:
            case = supervision.open_case(region, request.POST.get("title", ""), source, request.user,
                                         description=request.POST.get("description", ""),
                                         alarm=origin.get("alarm"), notice=origin.get("notice"), task=origin.get("task"))
            return redirect("tasks:case", case.pk)
        except ValidationError as exc:
            problems = exc.messages
    regions = Region.objects.filter(path__startswith=request.user.jurisdiction.path).order_by("path")[:500] \
        if request.user.jurisdiction_id else Region.objects.order_by("path")[:500]
    return render(request, "tasks/new_case.html", {"title": _("Open a supervision case"), "origin": origin,
                                                   "regions": regions, "sources": SupervisionCase.Source.choices,
                                                   "problems": problems}, status=400 if problems else 200)


@login_required
@writes(policy.ACT_AS_UNIT)
def case_view(request, pk: int):
    case = get_object_or_404(policy.visible(request.user, SupervisionCase.objects.all()).select_related(
        "region", "assignee", "notice", "alarm", "task", "opened_by"), pk=pk)
    problems = []
    if request.method == "POST":
        step, note = request.POST.get("step", ""), request.POST.get("note", "")
        evidence = request.FILES.get("evidence")
        try:
            if step == "assign":
                assignee = get_object_or_404(Organisation, pk=request.POST.get("assignee") or 0)
                supervision.assign(case, assignee, _date(request.POST.get("deadline")), note, request.user)
            elif step == "rectify":
                supervision.rectify(case, note, request.user, evidence)
            elif step == "verify":
                passed = request.POST.get("passed") == "yes"
                supervision.verify(case, passed, note, request.user, evidence=evidence,
                                   new_deadline=None if passed else _date(request.POST.get("deadline")))
            elif step in ("close", "summon", "accountable"):
                getattr(supervision, step)(case, note, request.user)
            else:
                raise ValidationError(_("Unknown step."))
            return redirect("tasks:case", case.pk)
        except ValidationError as exc:
            problems = exc.messages
    office = supervision.may_act_as_office(case, request.user)
    assignee = case.assignee_id is not None and request.user.organisation_id == case.assignee_id
    units = policy.visible(request.user, Organisation.objects.exclude(kind="enterprise")).order_by("region__path", "name")
    return render(request, "tasks/case.html", {
        "title": str(case), "case": case, "steps": case.steps.select_related("by", "assignee"), "office": office,
        "assignee_user": assignee, "units": units, "problems": problems, "today": clock.today(),
        "overdue": case.deadline and case.deadline < clock.today() and case.status in (S.ASSIGNED,),
        "default_deadline": (clock.today() + dt.timedelta(days=15)).isoformat()}, status=400 if problems else 200)


def _date(value) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        raise ValidationError(_("The deadline is not a date.")) from None
