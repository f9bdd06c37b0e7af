"""Emergency pages: warnings (forecast, proposed level, decisions, episodes), the reduction list
(reductions against the requirement, measures, versions, diff, optimiser, Excel), plant measure
sheets, notices and the daily report. Every queryset passes through the one policy."""

from __future__ import annotations

import polars as pl
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongjian import clock
from gongjian.analytics.removal import THIN_MARGIN
from gongjian.core import params
from gongjian.core.exports import excel_response
from gongjian.core.forms import problems
from gongjian.core.pages import opens
from gongjian.core.pagination import paginate
from gongjian.core.uploads import TABLE, upload_on_disk
from gongjian.core.views import bind, submit
from gongjian.core.writes import writes
from gongjian.periods import Period
from gongjian.regions import policy
from gongjian.regions.models import Region
from gongjian.sources import services as sources
from gongjian.sources.services import POLLUTANT_LABELS, POLLUTANTS, whole_society_totals

from . import daily_report, episodes, exchange, proposal, services
from .forecasts import read_forecast
from .forms import (
    AcceptMeasuresForm,
    DecisionForm,
    DraftForm,
    ForecastForm,
    ListImportForm,
    NoticeReadForm,
    RegionPickForm,
)
from .models import (
    LEVEL_COLOURS,
    MEASURE_LEVELS,
    Level,
    Measure,
    Notice,
    ReductionList,
    WarningAction,
    WarningEpisode,
)
from .removal import Inventory, account, removal_of, removal_together, strictness_of


def _visible(user, model):
    return policy.visible(user, model._default_manager.all())


def _editor(request, obj) -> None:
    if not policy.can_change(request.user, obj):
        raise PermissionDenied


def _warning_regions(user) -> list[Region]:
    from .models import WarningStandard
    ids = _visible(user, WarningStandard).values_list("region_id", flat=True)
    return list(Region.objects.filter(pk__in=ids).order_by("path"))


@login_required
def dashboard_view(request):
    regions = _warning_regions(request.user)
    if not regions:
        return render(request, "emergency/dashboard.html", {"title": _("Warnings"), "regions": []})
    region = RegionPickForm(request.user, request.GET, regions=regions).chosen()
    now = clock.now()
    today = clock.day_of(now)
    standard = services.standard_for(region, today)
    issued, forecast = episodes.latest_forecast(region, today)
    decision = episodes.proposed_level(region, now)
    reason = ""
    if decision is not None and standard is not None:
        reason = _("%(days)s day(s) above %(heavy)s, %(severe)s above %(severe_aqi)s") % {
            "days": decision.episode_days, "heavy": standard.heavy_aqi, "severe": decision.severe_days,
            "severe_aqi": standard.severe_aqi}
        if decision.reaches_top:
            reason += "; " + _("AQI reaches %(top)s") % {"top": standard.top_aqi}
    active = _visible(request.user, WarningEpisode).filter(region=region, status=WarningEpisode.Status.ACTIVE).first()
    history = _visible(request.user, WarningEpisode).filter(region=region).prefetch_related(
        "actions__decided_by")[:20]
    in_force = services.list_in_force(region)
    return render(request, "emergency/dashboard.html", {
        "title": _("Warnings"), "regions": regions, "region": region, "standard": standard, "issued": issued,
        "forecast": [(d, aqi, aqi > (standard.heavy_aqi if standard else 200)) for d, aqi in forecast],
        "decision": decision, "reason": reason, "active": active, "history": history,
        "levels": Level.choices, "actions": WarningAction.Kind.choices, "now": clock.local(now),
        "forecast_kind": episodes.FORECAST, "forecast_stale": episodes.forecast_freshness(issued, now).stale,
        "can_act": episodes.may_act(request.user, region, today), "in_force": in_force,
        "in_force_visible": in_force is not None and policy.can_see(request.user, in_force),
    })


@login_required
@writes(policy.EDIT)
@require_http_methods(["GET", "POST"])
def act_view(request):
    """Record a decision. Every decision notifies many organisations, so the dashboard's form asks
    (GET, nothing written) for the confirmation page, which shows who will be told and the text they
    will read; only the confirmed POST from that page records and notifies. An unconfirmed POST is
    answered with the same page."""
    form = DecisionForm(request.user, data=request.GET) if request.method == "GET" else bind(request, DecisionForm)
    valid = form.is_valid()
    region = form.cleaned_data.get("region")
    if region is None:
        raise Http404
    if not episodes.may_act(request.user, region, clock.today()):
        raise PermissionDenied
    back = f"{reverse('emergency:dashboard')}?region={region.pk}"
    if request.method == "GET" or (valid and not form.cleaned_data["confirmed"]):
        return _confirm_act(request, form, back) if valid else _refused(request, problems(form), back)

    def act(data):
        episodes.act(region, data["kind"], data["level"], data["at"], request.user, data["reason"])
        return redirect(back)

    return submit(form, act) or _refused(request, problems(form), back)


def _refused(request, messages_: list, back: str):
    """The page that says why nothing was done, with the way back."""
    return render(request, "emergency/refused.html", {"title": _("Not done"), "messages_": messages_, "back": back},
                  status=400)


def _confirm_act(request, form: DecisionForm, back: str):
    """The confirmation page: the decision as it will be recorded, the notice text, and its recipients:
    how many enterprises and how many offices, per district, and every one by name."""
    data = form.cleaned_data
    region, kind, level = data["region"], data["kind"], data["level"]
    active = WarningEpisode.objects.filter(region=region, status=WarningEpisode.Status.ACTIVE).first()
    notified_level = level if kind != WarningAction.Kind.LIFT else (active.level if active else "")
    recipients = episodes.recipients(region, notified_level) if notified_level in MEASURE_LEVELS else []
    per_place: dict[tuple[str, str], list[int]] = {}  # (path, name): in tree order, a county before its towns
    for organisation in recipients:
        counts = per_place.setdefault((organisation.region.path, organisation.region.name), [0, 0])
        counts[1 if organisation.kind in episodes.GOVERNMENT_KINDS else 0] += 1
    enterprises = sum(n for n, _offices in per_place.values())
    return render(request, "emergency/confirm_act.html", {
        "title": _("Confirm the decision"), "region": region, "kind": WarningAction.Kind(kind).label,
        "level": Level(level).label if level else "",
        "text": episodes.notice_text(region, kind, level, data["at"], data["reason"])
        if kind == WarningAction.Kind.LIFT or level else "",
        "fields": [(name, form[name].value() or "") for name in ("region", "kind", "level", "at", "reason")],
        "count": len(recipients), "enterprises": enterprises, "offices": len(recipients) - enterprises,
        "per_place": [(name, n, offices) for (_path, name), (n, offices) in sorted(per_place.items())],
        "recipients": recipients, "back": back})


@login_required
@opens(policy.EDIT)
@writes(policy.EDIT)
def forecast_view(request):
    regions = [r for r in _warning_regions(request.user) if policy.can_place(request.user, r)]
    form = bind(request, ForecastForm, regions=regions)

    def store(data):
        if data["file"] is not None:
            with upload_on_disk(data["file"], TABLE) as path:
                return read_forecast(data["region"], data["issued_on"], path=path, user=request.user)
        return read_forecast(data["region"], data["issued_on"], text=data["days"], user=request.user)

    saved = submit(form, store, atomic=False)  # reads everything before its own transaction opens
    refused = form.is_bound and bool(form.errors)
    return render(request, "emergency/forecast.html", {"title": _("Enter a forecast"), "regions": regions,
                                                       "problems": problems(form) if refused else [], "saved": saved,
                                                       "today": clock.today()}, status=400 if refused else 200)


def _version(request, pk: int) -> ReductionList:
    return get_object_or_404(_visible(request.user, ReductionList).select_related("region"), pk=pk)


def _account(version: ReductionList):
    standard = services.standard_of(version)
    if standard is None:
        raise Http404(_("No warning standard applies to %(region)s.") % {"region": version.region})
    inventory = Inventory.load(version.region, version.inventory_year)
    totals = whole_society_totals(version.region, version.inventory_year)
    return standard, inventory, account(version, standard, totals, inventory)


def _reduction_chart(acc, standard) -> dict:
    """ECharts option: achieved share of whole-society emissions per pollutant and level (bars) with
    the required share (marks)."""
    series = []
    for level in MEASURE_LEVELS:
        colour = LEVEL_COLOURS[level]
        series.append({"name": str(Level(level).label), "type": "bar", "itemStyle": {"color": colour},
                       "data": [round(float(acc.share(level, p) or 0), 2) for p in POLLUTANTS]})
        series.append({"name": _("%(level)s required") % {"level": Level(level).label}, "type": "scatter",
                       "symbol": "rect", "symbolSize": [26, 4], "itemStyle": {"color": "#1f2933"},
                       "data": [float(standard.ratio(level, p)) for p in POLLUTANTS]})
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0},
            "xAxis": {"type": "category", "data": [str(POLLUTANT_LABELS[p]) for p in POLLUTANTS]},
            "yAxis": {"type": "value", "name": _("percent of whole-society emissions")}, "series": series}


def _percent_or_none(value) -> float | None:
    return float(value) if value is not None else None


@login_required
def list_view(request, pk: int):
    version = _version(request, pk)
    standard, _inventory, acc = _account(version)
    summary = [{"level": level, "label": Level(level).label, "cells": [
        {"pollutant": POLLUTANT_LABELS[p], "total": acc.totals[p], "required": acc.required[level][p],
         "ratio": standard.ratio(level, p), "achieved": acc.achieved[level][p], "share": acc.share(level, p),
         "margin": acc.margin(level, p)} for p in POLLUTANTS]} for level in MEASURE_LEVELS]
    level = params.choice(request.GET, "level", MEASURE_LEVELS, "orange")
    rows = sorted(acc.sources[level].values(), key=lambda e: str(e.measures[0].enterprise or e.measures[0].site))
    chart = _reduction_chart(acc, standard)
    others = _visible(request.user, ReductionList).filter(region=version.region).exclude(pk=version.pk)
    can_edit = policy.can_change(request.user, version)
    due = services.revision_due(version)
    return render(request, "emergency/list.html", {
        "title": str(version), "version": version, "standard": standard, "summary": summary, "level": level,
        "levels": [(lv, Level(lv).label) for lv in MEASURE_LEVELS], "rows": rows, "chart": chart,
        "problems": services.class_rule_problems(acc), "others": others, "can_edit": can_edit,
        "due": due, "pollutants": [POLLUTANT_LABELS[p] for p in POLLUTANTS], "keys": POLLUTANTS,
        "thin_margin": THIN_MARGIN,
    })


@login_required
@require_POST
@writes(policy.EDIT)
def list_action_view(request, pk: int, action: str):
    version = _version(request, pk)
    _editor(request, version)
    if action not in ("draft", "submit", "approve"):
        raise Http404

    def take(data):
        if action == "draft":
            draft = services.new_draft(version.region, data["year"] or version.year,
                                       data["inventory_year"] or version.inventory_year, based_on=version)
            return redirect("emergency:list", pk=draft.pk)
        getattr(services, action)(version, request.user)
        return redirect("emergency:list", pk=pk)

    form = bind(request, DraftForm)
    return submit(form, take) or _refused(request, problems(form), reverse("emergency:list", args=[pk]))


@login_required
def export_view(request, pk: int):
    version = _version(request, pk)
    standard, _inventory, acc = _account(version)
    summary = pl.DataFrame([{"级别": exchange.LEVEL_TEXT[level], "污染物": p.upper(),
                             "全社会排放量(t/a)": float(acc.totals[p]), "要求减排比例(%)": float(standard.ratio(level, p)),
                             "要求减排量(t/a)": float(acc.required[level][p]),
                             "清单减排量(t/a)": float(acc.achieved[level][p]),
                             "差额(t/a)": float(acc.shortfall(level, p)),
                             "余量(t/a)": float(acc.margin(level, p).amount),
                             "余量占要求(%)": _percent_or_none(acc.margin(level, p).percent)}
                            for level in MEASURE_LEVELS for p in POLLUTANTS])
    return excel_response({"减排措施": exchange.export_table(acc), "减排量核算": summary},
                          f"emergency-list-{version.region.code}-{version.year}-v{version.number}.xlsx")


@login_required
@writes(policy.EDIT)
def import_view(request, pk: int):
    version = _version(request, pk)
    _editor(request, version)

    def read(data):
        with upload_on_disk(data["file"], TABLE) as path:
            return exchange.import_list(version, path)

    form = bind(request, ListImportForm)
    count = submit(form, read, atomic=False)  # the importer checks the whole file before it writes
    refused = form.is_bound and bool(form.errors)
    return render(request, "emergency/import.html", {"title": _("Import the list from Excel"), "version": version,
                                                     "problems": problems(form) if refused else [], "count": count,
                                                     "columns": exchange.COLUMNS.values()},
                  status=400 if refused else 200)


@login_required
def diff_view(request, pk: int):
    version = _version(request, pk)
    other_pk = request.GET.get("against") or (version.based_on_id and str(version.based_on_id))
    if not other_pk or not other_pk.isdigit():
        raise Http404
    other = _version(request, int(other_pk))
    return render(request, "emergency/diff.html", {"title": _("Changes from %(a)s to %(b)s") % {"a": other, "b": version},
                                                   "version": version, "other": other,
                                                   "changes": services.diff(other, version)})


@login_required
@writes(policy.EDIT)
def optimise_view(request, pk: int, level: str):
    version = _version(request, pk)
    _editor(request, version)
    if level not in MEASURE_LEVELS:
        raise Http404
    _standard, inventory, acc = _account(version)
    found = proposal.propose(version, level, acc, inventory)
    if request.method == "POST":
        if not version.editable:
            raise PermissionDenied
        form = bind(request, AcceptMeasuresForm, proposed=found.enterprises)
        back = f"{reverse('emergency:list', args=[pk])}?level={level}"

        def accept(data):
            proposal.accept(version, found, set(data["enterprise"]))
            return redirect(back)

        return submit(form, accept) or _refused(request, problems(form), back)
    rows = []
    for choice in found.plan.choices:
        pk_e = int(choice.enterprise)
        measure = found.measures.get(pk_e)
        proposed = _("as declared") if measure == "declared" else (measure.describe() if measure else _("none"))
        current = found.current.get(pk_e, "")
        rows.append({"enterprise": found.enterprises[pk_e], "proposed": proposed, "current": current,
                     "changed": measure != "declared" and current != (measure.describe() if measure else ""),
                     "removal": [choice.removal.get(p, 0.0) for p in POLLUTANTS], "lost": choice.lost_output,
                     "reason": proposal.explain(found.enterprises[pk_e], None if measure == "declared" else measure)})
    rows.sort(key=lambda r: (not r["changed"], -r["lost"]))
    return render(request, "emergency/optimise.html", {
        "title": _("Proposed measures: %(level)s") % {"level": Level(level).label}, "version": version,
        "level": level, "plan": found.plan, "status": SOLVER_STATUS.get(found.plan.status, found.plan.status),
        "rows": rows, "changed": [r for r in rows if r["changed"]],
        "kept": [r for r in rows if not r["changed"]], "targets": [found.targets[p] for p in POLLUTANTS],
        "achieved": [found.plan.removal.get(p, 0.0) for p in POLLUTANTS],
        "pollutants": [POLLUTANT_LABELS[p] for p in POLLUTANTS]})


#: The optimiser's outcome (``gongjian.analytics.reduction``) as the page words it.
SOLVER_STATUS = {"optimal": gettext_lazy("proven optimal"), "time limit reached": gettext_lazy("time limit reached")}


@login_required
def sheet_view(request, pk: int):
    """The plant measure sheet (一厂一策): the enterprise's units and, per level, its measures and what
    they remove, from the list in force (or ``?version=``)."""
    enterprise = get_object_or_404(sources.visible_enterprises(request.user).select_related("organisation__region"), pk=pk)
    version_pk = request.GET.get("version")
    version = (_version(request, int(version_pk)) if version_pk and version_pk.isdigit()
               else services.list_in_force(enterprise.region))
    levels = []
    if version is not None:
        inventory = Inventory.load(enterprise.region, version.inventory_year)
        for level in MEASURE_LEVELS:
            measures = list(Measure.objects.filter(reduction_list=version, level=level, enterprise=enterprise)
                            .select_related("unit").prefetch_related("lines"))
            items = [(m, [removal_of(m, inventory)[p] for p in POLLUTANTS]) for m in measures]
            together = removal_together(measures, inventory)
            levels.append({"level": level, "label": Level(level).label, "items": items,
                           "together": [together[p] for p in POLLUTANTS],
                           "strictness": strictness_of(measures, inventory, ("enterprise", enterprise.pk))})
        production = inventory.production(enterprise.pk)
    else:
        production = {}
    if request.GET.get("format") == "xlsx":
        rows = []
        for lv in levels:
            rows += [{"预警级别": exchange.LEVEL_TEXT[lv["level"]], "措施": m.describe(),
                      "排放单元": m.unit.name if m.unit_id else "全厂",
                      "停产生产线": "、".join(x.name for x in m.lines.all()), "操作说明": m.note,
                      **{f"{p.upper()}减排量(t/a)": float(v) for p, v in zip(POLLUTANTS, values, strict=True)}}
                     for m, values in lv["items"]]
            if lv["items"]:  # what the level's measures remove together: each emission unit once
                rows.append({"预警级别": exchange.LEVEL_TEXT[lv["level"]], "措施": "合计（各排放单元只计一次）",
                             "排放单元": "", "停产生产线": "", "操作说明": "",
                             **{f"{p.upper()}减排量(t/a)": float(v) for p, v in zip(POLLUTANTS, lv["together"], strict=True)}})
        table = pl.DataFrame(rows)
        return excel_response(table, f"measure-sheet-{enterprise.pk}.xlsx")
    return render(request, "emergency/sheet.html", {
        "title": _("Measure sheet: %(e)s") % {"e": enterprise}, "enterprise": enterprise, "version": version,
        "levels": levels, "units": enterprise.units.select_related("line"), "lines": enterprise.lines.all(),
        "production": [(POLLUTANT_LABELS[p], production[p]) for p in POLLUTANTS] if production else [],
        "pollutants": [POLLUTANT_LABELS[p] for p in POLLUTANTS]})


#: Notices per page of an episode's page (the notices page shows half as many: each has its text).
NOTICES_PER_PAGE = 100


@login_required
@writes(policy.ACT_AS_UNIT)
def notices_view(request):
    notices = _visible(request.user, Notice).select_related("recipient", "action__warning__region", "read_by")
    form = bind(request, NoticeReadForm)
    if form.is_bound:
        if not form.is_valid():
            raise Http404
        notice = form.cleaned_data["notice"]
        if notice.read_at is None and (request.user.organisation_id == notice.recipient_id or
                                       policy.can_change(request.user, notice.action.warning)):
            notice.read_at, notice.read_by = clock.now(), request.user
            notice.save(update_fields=["read_at", "read_by"])
        return redirect("emergency:notices")
    return render(request, "emergency/notices.html", {
        "title": _("Notices"), "pager": paginate(request.GET, notices, NOTICES_PER_PAGE // 2, anchor="notices")})


@login_required
def episode_view(request, pk: int):
    episode = get_object_or_404(_visible(request.user, WarningEpisode).select_related("region", "reduction_list")
                                .prefetch_related("actions"), pk=pk)
    span = Period.custom(clock.day_of(episode.started_at), clock.day_of(episode.lifted_at or clock.now()))
    days = [(day, level) for day in span.dates() if (level := daily_report.report_levels(episode, day))]
    notices = _visible(request.user, Notice).filter(action__warning=episode)
    counts = {row["action"]: row for row in notices.values("action").annotate(total=Count("pk"), read=Count("read_at"))}
    actions = list(episode.actions.select_related("decided_by"))
    for action in actions:
        row = counts.get(action.pk, {})
        action.notified, action.unread = row.get("total", 0), row.get("total", 0) - row.get("read", 0)
    # the summary above stays whole; the notices (a thousand for a city's orange day) are paged
    pager = paginate(request.GET, notices.select_related("recipient", "action", "read_by").order_by(
        "action__at", "recipient__name"), NOTICES_PER_PAGE, param="notices", anchor="recipients")
    return render(request, "emergency/episode.html", {
        "title": str(episode), "episode": episode, "actions": actions, "report_days": days, "pager": pager,
        "notified": sum(a.notified for a in actions), "unread": sum(a.unread for a in actions),
        "list_visible": episode.reduction_list is not None and policy.can_see(request.user, episode.reduction_list)})


@login_required
def report_view(request, pk: int, day: str):
    episode = get_object_or_404(_visible(request.user, WarningEpisode).select_related("region", "reduction_list")
                                .prefetch_related("actions"), pk=pk)
    date = params.path_date("day", day)
    level, rows = daily_report.report_rows(episode, date)
    visible_ids = set(sources.visible_enterprises(request.user).values_list("pk", flat=True))
    rows = [r for r in rows if r.enterprise.pk in visible_ids]
    if request.GET.get("format") == "xlsx":
        table = pl.DataFrame([{"企业名称": r.enterprise.organisation.name, "所在地": r.enterprise.organisation.region.name,
                               "减排措施": r.measures, "数据来源": r.source or "未报送", "生产状态": r.production,
                               "负荷(%)": float(r.load) if r.load is not None else None,
                               **{f"{p.upper()}(kg)": float(r.emissions[p]) if r.emissions else None for p in POLLUTANTS},
                               "超标小时数": r.exceedance_hours if r.reported else None,
                               "是否落实": "" if r.in_line is None else ("是" if r.in_line else "否"), "备注": r.remark}
                              for r in rows])
        return excel_response(table, f"daily-report-{episode.region.code}-{date}.xlsx")
    return render(request, "emergency/report.html", {
        "title": _("Daily report for %(day)s") % {"day": date}, "episode": episode, "day": date, "level": level,
        "rows": rows, "pollutants": [POLLUTANT_LABELS[p] for p in POLLUTANTS],
        "not_reported": sum(not r.reported for r in rows), "not_in_line": sum(r.in_line is False for r in rows)})
