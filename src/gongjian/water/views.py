"""Water pages: the sections' quality of a period, a section's page, the county ranking, the target
schedule, the alarms, the import of results and the public page of the monthly classes.

Every number comes from the water services (:mod:`gongjian.water.services`: the stored monthly
results and the evaluation of a period over the samples store) and the pure rules of
``gongjian.standards.gb3838``; every queryset passes through the one policy.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.analytics import waterquality
from gongjian.core.exports import EXPORT_FORMATS, report_response
from gongjian.core.pages import opens
from gongjian.core.params import choice
from gongjian.core.problems import InvalidInput
from gongjian.core.uploads import upload_on_disk
from gongjian.core.views import bind, form_page
from gongjian.core.writes import writes
from gongjian.periods import Period, PeriodKind, kind_name, query_year
from gongjian.regions import policy
from gongjian.regions.models import Region, RegionLevel
from gongjian.standards import gb3838

from . import charts, exports, monthly, services
from .forms import OpenCaseForm, SamplesImportForm
from .kinds import SAMPLES
from .models import SampleFlag, SampleSource, WaterAlarm, WaterSample
from .places import place_of, ranking_region

#: The periods the quality page offers.
PERIOD_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
FEED = SAMPLES.name


def _newest(sections) -> dt.datetime | None:
    """The newest sample of ``sections`` up to now: how current the page is (``water.sample``)."""
    return WaterSample.objects.filter(section__in=sections, time__lte=clock.now()).aggregate(t=Max("time"))["t"]


def _last_day(sections) -> dt.date:
    newest = _newest(sections)
    return clock.day_of(newest) if newest else clock.today()


def class_label(cls: int | None) -> str:
    return gb3838.class_name(cls)


def multiples_text(items_above: dict) -> str:
    """``总磷 0.45倍；氨氮 0.20倍`` (pH and DO, which have no multiple, by name alone)."""
    return waterquality.above_target_text(items_above or {}, "；")


def section_rows(results: list[dict]) -> list[dict]:
    """The evaluation of a period (:func:`gongjian.water.services.evaluate`) as the page's and the
    export's rows."""
    rows = []
    for r in results:
        section, cls = r["section"], r["water_class"]
        rows.append({
            "section_id": section.pk, "code": section.code, "name": section.name, "water_body": section.water_body,
            "kind": section.get_kind_display(), "control_level": section.get_control_level_display(),
            "region": section.region.name, "class": cls, "class_name": class_label(cls),
            "status": gb3838.status(cls).name_zh if cls else "",
            "colour": charts.CLASS_COLOURS.get(cls), "ink": charts.CLASS_INKS.get(cls),
            "target": r["target_class"], "target_name": class_label(r["target_class"]),
            "meets_target": r["meets_target"], "items_above": multiples_text(r["items_above"]),
            "deciding": "、".join(gb3838.ITEMS[k].name_zh for k in r.get("deciding", []) if k in gb3838.ITEMS),
            "samples": r.get("samples"),
        })
    return rows


def rates_of(summary: dict) -> dict:
    """The rates of a region summary (:func:`gongjian.water.services.region_summary`) as the page and
    the export show them: percentages, the state and the method it was judged by."""
    state = summary["state"]
    return {key: summary[key] for key in ("sections", "evaluated", "share_iii_or_better", "share_worse_than_v",
                                          "attainment", "method")} | {
        "state": state.name_zh if state else None, "state_colour": charts.STATUS_COLOURS[state.colour] if state else None,
        "with_target": sum(1 for r in summary["results"] if r["target_class"] is not None
                           and r["water_class"] is not None)}


def month_grid(sections, year: int) -> dict | None:
    """Each section's stored class per month of ``year`` as a heat grid (None: no months stored)."""
    sections = list(sections)
    whole = Period.of_year(year)
    months = whole.months()
    index = {m.start: i for i, m in enumerate(months)}
    position = {s.pk: i for i, s in enumerate(sections)}
    cells = [(index[m.month], position[m.section_id], m.water_class)
             for m in services.section_months([s.pk for s in sections], whole.start, whole.end)
             if m.water_class is not None and m.month in index]
    if not cells:
        return None
    return charts.class_grid([s.name for s in sections], [f"{m.start.month}月" for m in months], cells)


@login_required
@opens(policy.SEE_WATER)
def overview_view(request):
    """The sections' quality of a month, quarter or year: each section's class against its target,
    the rates and the state by the proportion method; Excel or CSV with ``format``."""
    place = place_of(request.user)
    sections = services.sections_visible(request.user)
    newest = _newest(sections)
    last = clock.day_of(newest) if newest else clock.today()
    period = Period.from_query(request.GET, default_kind=PeriodKind.MONTH, today=last, kinds=PERIOD_KINDS)
    found = services.region_summary(place, period.key, request.user) if place is not None else None
    rows = section_rows(found["results"]) if found else []
    summary = rates_of(found) if found else None
    fmt = choice(request.GET, "format", EXPORT_FORMATS, "")
    if fmt:
        return report_response(exports.sections_report(request.user, rows, summary, period, newest), fmt,
                               f"water-{period.key}")
    return render(request, "water/overview.html", {
        "title": _("Water quality"), "rows": rows, "rates": summary, "period": period, "period_label": period.label(),
        "kinds": {str(k): kind_name(k) for k in PERIOD_KINDS}, "kind": str(period.kind),
        "day": period.end.isoformat(), "feed": FEED, "newest": newest,
        "grid": month_grid([r["section"] for r in found["results"]] if found else [], period.end.year),
        "grid_height": 90 + 24 * len(rows),
        "legend": [(class_label(c), charts.CLASS_COLOURS[c], charts.CLASS_INKS[c]) for c in gb3838.CLASS_NAMES]})


@login_required
@opens(policy.SEE_WATER)
def section_view(request, pk: int):
    """One section: its monthly class over two years, one item's series, its samples, its target
    per year and its alarms."""
    section = get_object_or_404(services.sections_visible(request.user).select_related("region"), pk=pk)
    newest = _newest([section])
    last = clock.day_of(newest) if newest else clock.today()
    year = query_year(request.GET, "year", last.year)
    span = Period.custom(Period.of_year(year - 1).start, Period.of_year(year).end)
    months = span.months()
    stored = {m.month: m for m in services.section_months([section.pk], span.start, span.end)}
    targets = dict(section.targets.values_list("year", "target_class"))
    classes = [getattr(stored.get(m.start), "water_class", None) for m in months]
    lo, hi = clock.day_bounds(span.start, span.end)
    samples = services.samples_frame([section.pk], lo, hi).sort("time")
    items = [k for k in gb3838.ALL_ITEMS if k in set(samples["item"].to_list())] if samples.height else []
    item = choice(request.GET, "item", {k: k for k in gb3838.ALL_ITEMS}, items[0] if items else "nh3n")
    picked = samples.filter(samples["item"] == item) if samples.height else samples
    target_now = targets.get(year)
    limit = None
    if target_now and item in gb3838.ITEMS and gb3838.ITEMS[item].rule in ("max", "min"):
        try:  # total nitrogen has limits for lakes and reservoirs only
            limit = gb3838.limit(item, target_now, section.kind)
        except ValueError:
            limit = None
    return render(request, "water/section.html", {
        "title": str(section), "section": section, "year": year, "feed": FEED, "newest": newest,
        "class_chart": charts.class_line([f"{m.start:%Y-%m}" for m in months], classes,
                                         [targets.get(m.start.year) for m in months]) if any(classes) else None,
        "months": [{"month": m.start, "class_name": class_label(c), "colour": charts.CLASS_COLOURS.get(c),
                    "ink": charts.CLASS_INKS.get(c), "target": class_label(targets.get(m.start.year)),
                    "meets": getattr(stored.get(m.start), "meets_target", None),
                    "above": multiples_text(getattr(stored.get(m.start), "items_above", {}))}
                   for m, c in zip(months, classes, strict=True)],
        "items": [(k, gb3838.ALL_ITEMS[k].name_zh) for k in items], "item": item,
        "item_chart": charts.item_series([f"{t:%Y-%m-%d %H:%M}" for t in picked["time"]], picked["value"].to_list(),
                                         gb3838.ALL_ITEMS[item].name_zh, _unit(item), limit) if picked.height else None,
        "samples": [{"time": t, "item": gb3838.ALL_ITEMS[i].name_zh if i in gb3838.ALL_ITEMS else i, "value": v,
                     "below": b, "flag": SampleFlag(f).label if f in SampleFlag.values else f,
                     "source": SampleSource(s).label if s in SampleSource.values else s}
                    for t, i, v, b, f, s in samples.sort("time", descending=True).head(300)
                    .select("time", "item", "value", "below_limit", "flag", "source").iter_rows()],
        "samples_total": samples.height,
        "targets": [(y, class_label(t)) for y, t in sorted(targets.items(), reverse=True)],
        "alarms": policy.visible(request.user, WaterAlarm.objects.filter(section=section)).order_by("-start")[:50],
        "editor": policy.can_change(request.user, section)})


def _unit(item: str) -> str:
    """The Table 1 or 2 unit of ``item`` (pH has none)."""
    return gb3838.ALL_ITEMS[item].unit or ""


@login_required
@opens(policy.SEE_RANKINGS)
def ranking_view(request):
    """The counties ranked by their sections (the rule is stated on the page); Excel or CSV."""
    place = ranking_region(request.user)
    sections = services.sections_visible(request.user)
    year = query_year(request.GET, "year", _last_day(sections).year)
    rows = services.county_ranking(place, year, request.user) if place is not None else []
    fmt = choice(request.GET, "format", EXPORT_FORMATS, "")
    if fmt:
        return report_response(exports.ranking_report(request.user, rows, year), fmt, f"water-ranking-{year}")
    own = [r.pk for r in request.user.jurisdiction.ancestors_and_self()] if request.user.jurisdiction_id else []
    return render(request, "water/ranking.html", {"title": _("County ranking by water sections"), "rows": rows,
                                                  "year": year, "own": own})


@login_required
@opens(policy.SEE_WATER)
def targets_view(request):
    """The plans' schedule (share at Ⅲ or better, share worse than Ⅴ per year): the target against
    the year to date, for the person's region and the counties below it that have sections."""
    place = place_of(request.user)
    sections = services.sections_visible(request.user)
    as_of = _last_day(sections)
    year = query_year(request.GET, "year", as_of.year)
    places = []
    if place is not None:
        paths = set(sections.values_list("region__path", flat=True))
        counties = policy.visible(request.user, Region.objects.filter(
            level=RegionLevel.COUNTY, path__startswith=place.path).exclude(pk=place.pk).order_by("path"))
        places = [place, *(c for c in counties if any(p.startswith(c.path) for p in paths))]
    rows = [services.target_progress(region, year, as_of=as_of) for region in places]
    return render(request, "water/targets.html", {"title": _("Water target schedule"), "rows": rows, "year": year,
                                                  "as_of": as_of})


@login_required
@opens(policy.SEE_WATER)
def alarms_view(request):
    """The water alarms the person sees, those waiting first; an editor opens a supervision case."""
    status = choice(request.GET, "status", {"waiting": "waiting", **{s: s for s in WaterAlarm.Status.values},
                                            "all": "all"}, "waiting")
    if status == "waiting":
        alarms = services.alarms_waiting(request.user)
    else:
        alarms = policy.visible(request.user, WaterAlarm.objects.all())
        if status != "all":
            alarms = alarms.filter(status=status)
    return render(request, "water/alarms.html", _alarms_context(request.user, alarms, status))


def _alarms_context(user, alarms, status: str) -> dict:
    alarms = alarms.select_related("region", "section").order_by("-start")
    return {"title": _("Water alarms"), "alarms": alarms[:300], "count": alarms.count(), "status": status,
            "statuses": [("waiting", _("waiting")), *WaterAlarm.Status.choices, ("all", _("all"))],
            "editor": policy.EDIT.allows(user)}


@login_required
@writes(policy.EDIT)
def open_case_view(request, pk: int):
    """Open a supervision case from a water alarm the person sees and may change (POST only)."""
    if request.method != "POST":
        raise Http404
    alarm = get_object_or_404(policy.visible(request.user, WaterAlarm.objects.all()), pk=pk)

    def open_case(data):
        case = services.open_case_from_alarm(alarm, request.user)
        return redirect("tasks:case", case.pk)

    return form_page(request, bind(request, OpenCaseForm), "water/alarms.html",
                     lambda: _alarms_context(request.user, WaterAlarm.objects.filter(pk=alarm.pk), "all"),
                     on_valid=open_case)


@login_required
@opens(policy.EDIT)
@writes(policy.EDIT)
def import_view(request):
    """Import a results file: every row is checked first; any problem saves nothing and is listed
    with its file, row and column."""
    form = bind(request, SamplesImportForm)
    context = {"title": _("Import water results")}

    def save(data):
        try:
            with upload_on_disk(data["file"], form.fields["file"].kind) as path:
                count = services.import_samples(path, request.user)
        except InvalidInput as exc:
            return render(request, "water/import.html", {**context, "form": form, "problems": exc.problems,
                                                         "count_problems": exc.count}, status=400)
        return render(request, "water/import.html", {**context, "form": SamplesImportForm(request.user),
                                                     "saved": count, "name": data["file"].name})

    return form_page(request, form, "water/import.html", context, on_valid=save, atomic=False)


@login_required
@opens(policy.SEE_RANKINGS)
def public_view(request):
    """What the public is shown: the sections' monthly classes of a year as their offices published
    them (:func:`gongjian.water.monthly.published_months`, frozen at publication), nothing else: a
    month not yet published is an empty cell, whatever the stored results say."""
    sections = services.sections_visible(request.user)
    year = query_year(request.GET, "year", _last_day(sections).year)
    whole = Period.of_year(year)
    months = whole.months()
    published = monthly.published_months(request.user, whole.start, whole.end)
    stored = {key: row["class"] for key, row in published.items()}
    rows = [{"name": s.name, "water_body": s.water_body, "region": s.region.name,
             "months": [{"class_name": class_label(stored.get((s.code, m.start))),
                         "colour": charts.CLASS_COLOURS.get(stored.get((s.code, m.start))),
                         "ink": charts.CLASS_INKS.get(stored.get((s.code, m.start)))} for m in months]}
            for s in sections]
    return render(request, "water/public.html", {"title": _("Surface water: monthly classes"), "rows": rows,
                                                 "year": year, "months": [m.start.month for m in months]})
