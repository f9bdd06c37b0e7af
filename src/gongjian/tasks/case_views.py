"""Pages of supervision cases: the list with its chart, a case's steps and the step the person may
take next, and opening a case from a verification notice, an alarm or a lagging task."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.views import bind, form_page
from gongjian.core.writes import writes
from gongjian.regions import policy
from gongjian.water import services as water

from . import supervision
from .forms import CaseForm, CaseOriginForm, CaseStepForm
from .models import SupervisionCase

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


def _origin(data: dict) -> dict:
    """What a new case comes from (``data``: a case form's cleaned ``notice``, ``alarm``, ``task``), with
    the region, title and description it proposes."""
    if data.get("notice") is not None:
        notice = data["notice"]
        alarms = "; ".join(a.summary() for a in notice.alarms.all())
        return {"source": "notice", "notice": notice, "region": notice.region,
                "title": _("Verified on site: %(s)s") % {"s": notice.alarms.first().subject if notice.alarms.exists() else notice},
                "description": f"{notice.finding}\n{alarms}"}
    if data.get("alarm") is not None:
        alarm = data["alarm"]
        return {"source": "alarm", "alarm": alarm, "region": alarm.region, "title": str(alarm),
                "description": alarm.summary()}
    if data.get("water_alarm") is not None:
        alarm = data["water_alarm"]
        return {"source": "alarm", "water_alarm": alarm, "region": alarm.region, "title": str(alarm),
                "description": alarm.summary()}
    if data.get("task") is not None:
        task = data["task"]
        return {"source": "task", "task": task, "region": task.plan.region,
                "title": _("Task %(n)s behind schedule") % {"n": task.number}, "description": task.text[:500]}
    return {"source": "inspection", "title": "", "description": ""}


@login_required
@writes(policy.EDIT)
def new_case_view(request):
    if request.method == "POST":
        form = bind(request, CaseForm)
        origin = _origin(form.cleaned_data if form.is_valid() else {})
    else:  # opened from a notice, an alarm or a task the person sees (``?notice=``, ``?alarm=``,
        # ``?water_alarm=``, ``?task=``)
        from_link = CaseOriginForm(request.user, request.GET)
        if not from_link.is_valid():
            raise Http404
        origin = _origin(from_link.cleaned_data)
        form = CaseForm(request.user)
    origin.setdefault("region", request.user.jurisdiction)

    def open_case(data):
        if data["water_alarm"] is not None:  # the water app marks its alarm as it opens the case
            case = water.open_case_from_alarm(data["water_alarm"], request.user, title=data["title"],
                                              description=data["description"])
            return redirect("tasks:case", case.pk)
        case = supervision.open_case(data["region"], data["title"], data["source"] or origin["source"], request.user,
                                     description=data["description"], alarm=data["alarm"], notice=data["notice"],
                                     task=data["task"])
        return redirect("tasks:case", case.pk)

    return form_page(request, form, "tasks/new_case.html", {
        "title": _("Open a supervision case"), "origin": origin, "regions": form.fields["region"].queryset[:500],
        "sources": SupervisionCase.Source.choices}, on_valid=open_case)


@login_required
@writes(policy.ACT_AS_UNIT)
def case_view(request, pk: int):
    case = get_object_or_404(policy.visible(request.user, SupervisionCase.objects.all()).select_related(
        "region", "assignee", "notice", "alarm", "water_alarm", "task", "opened_by"), pk=pk)

    def take_step(data):
        step, note, evidence = data["step"], data["note"], data["evidence"]
        if step == "assign":
            supervision.assign(case, data["assignee"], data["deadline"], note, request.user)
        elif step == "rectify":
            supervision.rectify(case, note, request.user, evidence)
        elif step == "verify":
            passed = data["passed"] == "yes"
            supervision.verify(case, passed, note, request.user, evidence=evidence,
                               new_deadline=None if passed else data["deadline"])
        else:
            getattr(supervision, step)(case, note, request.user)
        return redirect("tasks:case", case.pk)

    office = supervision.may_act_as_office(case, request.user)
    assignee = case.assignee_id is not None and request.user.organisation_id == case.assignee_id
    form = bind(request, CaseStepForm)
    return form_page(request, form, "tasks/case.html", lambda: {
        "title": str(case), "case": case, "steps": case.steps.select_related("by", "assignee"), "office": office,
        "assignee_user": assignee, "units": form.fields["assignee"].queryset, "today": clock.today(),
        "overdue": case.deadline and case.deadline < clock.today() and case.status in (S.ASSIGNED,),
        "default_deadline": (clock.today() + dt.timedelta(days=15)).isoformat()}, on_valid=take_step)
