"""Forecast pages: the runs of a region, one run (days 1-3 in detail, 4-7 as the trend, a chart),
adjusting and publishing it, importing the meteorological forecast, issuing a run now, and the
month's verification. Every queryset passes through the one policy; the services decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian import clock
from gongjian.analytics.forecast import range_levels
from gongjian.core import params
from gongjian.core.forms import problems
from gongjian.core.pages import opens
from gongjian.core.pagination import paginate
from gongjian.core.uploads import TABLE, upload_on_disk
from gongjian.core.views import bind, form_page, submit
from gongjian.core.writes import writes
from gongjian.periods import query_month
from gongjian.regions import policy
from gongjian.regions.models import Region

from . import evaluation, evaluation_report, runs
from .episodes import FORECAST
from .forms import (
    AdjustRunForm,
    EvaluateForm,
    IssueRunForm,
    MetForecastForm,
    PublishEvaluationForm,
    PublishRunForm,
    RegionPickForm,
)
from .models import EpisodeEvaluation, ForecastRun, MetForecast, WarningEpisode, WarningStandard

RUNS_PER_PAGE = 30
POLLUTANT_HEADERS = ("SO₂", "NO₂", "CO", "O₃-8h", "PM₁₀", "PM₂.₅")


def _runs(user):
    return policy.visible(user, ForecastRun.objects.select_related("region", "issued_by", "forecaster", "adjusts"))


def _forecast_regions(user, *, placing: bool = False) -> list[Region]:
    """The regions that issue warnings (hold a warning standard) which ``user`` sees (or, with
    ``placing``, may write for)."""
    ids = policy.visible(user, WarningStandard.objects.all()).values_list("region_id", flat=True)
    regions = list(Region.objects.filter(pk__in=ids).order_by("path"))
    return [r for r in regions if policy.can_place(user, r)] if placing else regions


@login_required
def runs_view(request):
    found = _runs(request.user).order_by("-issued_at", "-pk")
    pager = paginate(request.GET, found, RUNS_PER_PAGE)
    return render(request, "emergency/forecast_runs.html", {
        "title": _("Forecast runs"), "pager": pager, "runs": pager.page, "forecast_kind": FORECAST,
        "latest": found.filter(published_at__isnull=False).first(),
        "issue_regions": _forecast_regions(request.user, placing=True) if policy.EDIT.allows(request.user) else []})


def _day_rows(run: ForecastRun):
    values = list(run.values.filter(station__isnull=True).order_by("day"))
    for v in values:
        v.levels_text = range_levels(v.aqi_low, v.aqi_high)
        v.concentrations = [getattr(v, c) for c in runs.CONCENTRATIONS]
    return values


def _chart(values) -> dict:
    """ECharts option: the AQI point per day with its range as a band."""
    days = [v.day.isoformat() for v in values]
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0},
            "xAxis": {"type": "category", "data": days}, "yAxis": {"type": "value", "name": "AQI"},
            "series": [
                {"name": _("AQI from"), "type": "line", "stack": "range", "symbol": "none", "lineStyle": {"opacity": 0},
                 "data": [v.aqi_low for v in values]},
                {"name": _("AQI range"), "type": "line", "stack": "range", "symbol": "none", "lineStyle": {"opacity": 0},
                 "areaStyle": {"color": "#9ec5fe"}, "data": [v.aqi_high - v.aqi_low for v in values]},
                {"name": _("AQI"), "type": "line", "data": [v.aqi for v in values], "itemStyle": {"color": "#1f2933"}},
            ]}


@login_required
def run_view(request, pk: int):
    run = get_object_or_404(_runs(request.user), pk=pk)
    values = _day_rows(run)
    stations = {}
    for v in run.values.filter(station__isnull=False, lead__lte=runs.DETAILED_DAYS).select_related("station").order_by(
            "station__code", "day"):
        stations.setdefault(v.station, []).append(v)
    can_change = policy.can_change(request.user, run)
    return render(request, "emergency/forecast_run.html", {
        "title": str(run), "run": run, "detailed": [v for v in values if v.lead <= runs.DETAILED_DAYS],
        "trend": [v for v in values if v.lead > runs.DETAILED_DAYS], "chart": _chart(values),
        "pollutants": POLLUTANT_HEADERS, "stations": stations, "forecast_kind": FORECAST,
        "adjustments": _runs(request.user).filter(adjusts=run), "can_adjust": can_change,
        "can_publish": can_change and run.editable})


def _editable_run(request, pk: int) -> ForecastRun:
    run = get_object_or_404(_runs(request.user), pk=pk)
    if not policy.can_change(request.user, run):
        raise PermissionDenied
    return run


@login_required
@opens(policy.EDIT)
@writes(policy.EDIT)
def adjust_view(request, pk: int):
    run = _editable_run(request, pk)
    form = bind(request, AdjustRunForm, days=run.values.filter(station__isnull=True).order_by("day"))

    def adjust(data):
        changes = {day: runs.DayChange(aqi, low, high, primary)
                   for day, (aqi, low, high, primary) in form.changes().items()}
        adjusted = runs.adjust(run, changes, request.user, data["reason"])
        return redirect("emergency:forecast_run", pk=adjusted.pk)

    return form_page(request, form, "emergency/forecast_adjust.html",
                     {"title": _("Adjust the forecast %(run)s") % {"run": run}, "run": run}, on_valid=adjust)


@login_required
@require_POST
@writes(policy.EDIT)
def publish_view(request, pk: int):
    run = _editable_run(request, pk)
    form = bind(request, PublishRunForm)
    done = submit(form, lambda _data: runs.publish(run, request.user))
    if done is None:
        return render(request, "emergency/refused.html", {
            "title": _("Not done"), "messages_": problems(form),
            "back": reverse("emergency:forecast_run", args=[pk])}, status=400)
    return redirect("emergency:forecast_run", pk=pk)


@login_required
@require_POST
@writes(policy.EDIT)
def issue_view(request):
    """Issue a run now (what the daily job does), the steps shown on the page that follows."""
    form = bind(request, IssueRunForm, regions=_forecast_regions(request.user, placing=True))
    steps: list[str] = []

    def issue(data):
        return runs.issue(data["region"], clock.now(), user=request.user, progress=steps.append)

    run = submit(form, issue)
    if run is None:
        return render(request, "emergency/refused.html", {
            "title": _("Not done"), "messages_": steps + problems(form), "back": reverse("emergency:forecast_runs")},
            status=400)
    return render(request, "emergency/forecast_issued.html", {"title": _("Forecast run issued"), "run": run,
                                                              "steps": steps})


@login_required
@opens(policy.EDIT)
@writes(policy.EDIT)
def met_import_view(request):
    regions = _forecast_regions(request.user, placing=True)
    form = bind(request, MetForecastForm, regions=regions)

    def store(data):
        with upload_on_disk(data["file"], TABLE) as path:
            return runs.read_met_forecast(data["region"], path, user=request.user)

    saved = submit(form, store, atomic=False)  # the reader checks the whole file before it writes
    refused = form.is_bound and bool(form.errors)
    latest = policy.visible(request.user, MetForecast.objects.select_related("region")).order_by("-issued_at").first()
    return render(request, "emergency/met_forecast.html", {
        "title": _("Import a meteorological forecast"), "regions": regions, "saved": saved, "latest": latest,
        "problems": problems(form) if refused else [], "layout": runs.MET_LAYOUT}, status=400 if refused else 200)


@login_required
def verification_view(request):
    regions = _forecast_regions(request.user)
    region = RegionPickForm(request.user, request.GET, regions=regions).chosen()
    month = query_month(request.GET, "month", clock.today())
    result = runs.verify(region, month.start, month.end) if region is not None and policy.visible(
        request.user, ForecastRun.objects.filter(region=region)).exists() else None
    return render(request, "emergency/forecast_verification.html", {
        "title": _("Forecast verification"), "regions": regions, "region": region, "month": month,
        "result": result, "scores": result.scores.to_dicts() if result is not None else [],
        "worst": result.worst.to_dicts() if result is not None else [],
        "previous": month.previous().start.strftime("%Y-%m")})


@login_required
@writes(policy.EDIT)
def evaluation_view(request, pk: int):
    """The post-episode evaluation of a warning: the stored figures (page, Word, PDF), and for its
    editors a POST that computes them again (the steps shown on the page)."""
    episode = get_object_or_404(policy.visible(request.user, WarningEpisode.objects.select_related("region")
                                               .prefetch_related("actions")), pk=pk)
    steps: list[str] = []
    can_evaluate = policy.can_change(request.user, episode)
    if request.method == "POST":
        if not can_evaluate:
            raise PermissionDenied
        form = bind(request, EvaluateForm)

        def run(_data):
            try:
                return evaluation.evaluate(episode, user=request.user, progress=steps.append)
            except ValueError as refused:
                raise ValidationError(str(refused)) from refused

        if submit(form, run) is None:
            return render(request, "emergency/refused.html", {
                "title": _("Not done"), "messages_": steps + problems(form),
                "back": reverse("emergency:warning_evaluation", args=[pk])}, status=400)
    found = evaluation.latest(episode, request.user)
    kind = params.choice(request.GET, "format", ("html", "docx", "pdf"), "html")
    if found is not None and kind != "html":
        organ = _("%(region)s campaign office") % {"region": episode.region.name}
        name = f"episode-evaluation-{episode.region.code or episode.region.pk}-{clock.day_of(episode.started_at)}.{kind}"
        respond = evaluation_report.word_response if kind == "docx" else evaluation_report.pdf_response
        return respond(found, organ, name)
    context = {"title": _("Episode evaluation: %(episode)s") % {"episode": episode}, "episode": episode,
               "evaluation": found, "can_evaluate": can_evaluate, "steps": steps}
    if found is not None:
        context["inputs_changed"] = evaluation.inputs_changed(found)
        parts = evaluation_report.tables(found)
        series = found.result["series"].get("pm25", [])
        context.update(
            heading=evaluation_report.title(found), sentence=evaluation.sentence(found),
            assumptions=evaluation.assumptions(found), region_table=parts["region"], station_table=parts["stations"],
            daily_table=parts["daily"],
            chart={"tooltip": {"trigger": "axis"}, "legend": {"top": 0},
                   "xAxis": {"type": "category", "data": [d["date"] for d in series]},
                   "yAxis": {"type": "value", "name": "PM2.5 μg/m³"},
                   "series": [{"name": _("observed PM2.5"), "type": "line", "data": [d["observed"] for d in series]},
                              {"name": _("expected PM2.5 (weather alone)"), "type": "line",
                               "lineStyle": {"type": "dashed"}, "data": [d["expected"] for d in series]}]})
    return render(request, "emergency/evaluation.html", context)


@login_required
@require_POST
@writes(policy.EDIT)
def evaluation_publish_view(request, pk: int, evaluation_pk: int):
    """Publish an episode's evaluation (the office's button): the public sees it from then on."""
    episode = get_object_or_404(policy.visible(request.user, WarningEpisode.objects.all()), pk=pk)
    found = get_object_or_404(policy.visible(request.user, EpisodeEvaluation.objects.filter(episode=episode)),
                              pk=evaluation_pk)
    if not policy.can_change(request.user, episode):
        raise PermissionDenied
    form = bind(request, PublishEvaluationForm)
    if submit(form, lambda _data: evaluation.publish(found, request.user)) is None:
        return render(request, "emergency/refused.html", {
            "title": _("Not done"), "messages_": problems(form),
            "back": reverse("emergency:warning_evaluation", args=[pk])}, status=400)
    return redirect("emergency:warning_evaluation", pk=pk)
