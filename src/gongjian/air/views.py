"""Air-quality pages: Now, Station, Region, Rankings, Targets, Data quality.

Every number comes from the engine (``gongjian.analytics``) over the store, through the services of
this app; every queryset passes through the one policy.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian import clock
from gongjian.analytics.airquality import hourly_aqi
from gongjian.analytics.ranking import RANKINGS, rank
from gongjian.core import series
from gongjian.core.exports import EXPORT_FORMATS, report_response
from gongjian.core.forms import problems
from gongjian.core.freshness import freshness
from gongjian.core.pages import opens
from gongjian.core.params import choice
from gongjian.core.views import bind
from gongjian.core.writes import writes
from gongjian.periods import Period, PeriodKind, kind_name, query_date, query_month, query_year
from gongjian.regions import policy
from gongjian.regions.models import Region, RegionLevel
from gongjian.standards.hj633 import CATEGORIES, category
from gongjian.standards.hj663 import VALID_FLAGS

from . import charts, exports, feeds
from .current import hours_until, regions_at
from .evaluation import (
    counting_stations,
    evaluate_period,
    read_daily,
    regions_with_stations,
    version_names,
)
from .forms import EventDecisionForm, FindingReviewForm
from .kinds import MET
from .maps import Outline, station_map
from .models import (
    POLLUTANTS,
    AirHour,
    DailyResult,
    QualityFinding,
    Station,
    StationOutage,
)
from .quality import review_finding
from .results import (
    LEVELS,
    RANKING_NAMES,
    cached,
    data_bounds,
    ranking_table,
    stored_edition,
    target_progress,
)
from .services import load_hourly

EDITIONS = {"auto": gettext_lazy("edition in force"), "2012": "HJ 633-2012", "2026": "HJ 633-2026"}
_COLOURS = {c.level: c.hex for c in CATEGORIES}
#: Text colour readable on each level's colour (white on red, purple and maroon).
_INKS = {c.level: "#fff" if c.level >= 4 else "#1f2933" for c in CATEGORIES}


def _edition(request) -> str:
    return choice(request.GET, "edition", EDITIONS, "auto")


def _exclude(request) -> bool:
    return request.GET.get("events") == "exclude"


def _year_and_edition(request) -> tuple[Period, str, str]:
    """The year a page shows (default: the last year with data), the edition asked for, and the
    concrete edition of the stored results to read."""
    bounds = data_bounds(request.user)
    year = query_year(request.GET, "year", bounds[1].year if bounds else clock.today().year)
    period, edition = Period.of_year(year), _edition(request)
    return period, edition, stored_edition(edition, period.end)


def _category(aqi):
    return None if aqi is None else category(aqi)


def _now_tables(user, stations: list[Station], latest: dt.datetime) -> tuple[list[dict], list[dict]]:
    hourly, hour = hours_until(stations, latest)
    current = hourly_aqi(hourly, "auto").filter(pl.col("time") == hour)
    by_code = {r["station"]: r for r in current.iter_rows(named=True)}
    rows = []
    for s in stations:
        r = by_code.get(s.code, {})
        cat = _category(r.get("aqi"))
        rows.append({"station_id": s.pk, "code": s.code, "name": s.name, "region": s.region.name,
                     "lon": float(s.longitude) if s.longitude else None, "lat": float(s.latitude) if s.latitude else None,
                     "aqi": r.get("aqi"), "category": cat.name_zh if cat else None,
                     "colour": _COLOURS.get(cat.level) if cat else None, "ink": _INKS.get(cat.level) if cat else None,
                     "primary": ",".join(r.get("primary_pollutants") or []), "pm25": r.get("pm25"),
                     "pm10": r.get("pm10"), "o3": r.get("o3_1h"), "url": reverse("air:station", args=[s.pk])})
    candidates = [r for r in regions_with_stations() if r.level <= RegionLevel.COUNTY]
    allowed = set(policy.visible(user, Region.objects.filter(pk__in=[r.pk for r in candidates])).values_list("pk", flat=True))
    visible_regions = [r for r in candidates if r.pk in allowed]
    by_region = regions_at(hourly, visible_regions, hour)  # every visible region has stations in it
    regions = []
    for region in visible_regions:
        r = by_region.get(region.pk, {})
        cat = _category(r.get("aqi"))
        regions.append({"region_id": region.pk, "name": region.name, "aqi": r.get("aqi"),
                        "category": cat.name_zh if cat else None, "colour": _COLOURS.get(cat.level) if cat else None,
                        "ink": _INKS.get(cat.level) if cat else None,
                        "primary": ",".join(r.get("primary_pollutants") or [])})
    return rows, regions


@login_required
def now_view(request):
    """Every visible station's latest AQI, on a map and in a table; each region's current AQI.
    Computed from the latest stored hours, cached per scope until a newer hour or a recomputation
    of the regions of those stations in the last two days."""
    stations = list(policy.visible(request.user, Station.objects.select_related("region")).exclude(kind="met"))
    latest = AirHour.objects.filter(station__in=stations, time__lte=clock.now()).aggregate(t=Max("time"))["t"]
    rows, regions = [], []
    if latest is not None:
        # the hours of the day before too (hours_until); the regions of the stations the person sees
        # and those above them that the person sees, whose real-time values the table shows
        day = clock.day_of(latest)
        paths = {s.region.path[:i] for s in stations for i in range(Region.steplen, len(s.region.path) + 1, Region.steplen)}
        shown = policy.visible(request.user, Region.objects.filter(path__in=paths)).values_list("pk", flat=True)
        follows = version_names(day - dt.timedelta(days=1), day, regions={*shown, *(s.region_id for s in stations)})
        rows, regions = cached("now", request.user, latest.isoformat(), _fingerprint(s.pk for s in stations),
                               compute=lambda: _now_tables(request.user, stations, latest), follows=follows)
    rows = _with_freshness(rows, stations)
    return render(request, "air/now.html", {
        "title": _("Air quality now"), "latest": latest, "rows": rows, "regions": regions, "feed": feeds.KIND,
        "stale_stations": sum(r["stale"] for r in rows),
        "outages": policy.visible(request.user, StationOutage.objects.filter(resumed__isnull=True)).count(),
        "map": _map(request.user, rows), "categories": [(c.name_zh, _COLOURS[c.level]) for c in CATEGORIES]})


def _fingerprint(pks) -> str:
    """A short text that differs for different sets of primary keys (a cache key's part)."""
    import hashlib

    return hashlib.sha256(",".join(map(str, sorted(pks))).encode()).hexdigest()[:16]


def _with_freshness(rows: list[dict], stations: list[Station]) -> list[dict]:
    """The rows with each station's newest hour and whether it is stale (``air.hourly``): a station
    whose feed stopped shows "no data" at the latest hour, and its row says since when. Computed
    at each request (the age grows with the clock), outside the cached tables."""
    now = clock.now()
    newest = feeds.newest_hours(stations, now)
    out = []
    for row in rows:
        last = newest.get(row["station_id"])
        out.append({**row, "newest": last, "stale": freshness(feeds.KIND, last, now).stale})
    return out


def _map(user, rows: list[dict]) -> str:
    """The stations on the outlines the user sees, opened on the user's jurisdiction (or, for a town,
    which has no outline, the nearest region above it that has one). A region whose children are
    drawn leaves its name to them."""
    drawn = list(policy.visible(user, Region.objects.exclude(boundary=None))[:200])
    paths = [r.path for r in drawn]
    outlines = [Outline(r.name, r.boundary, label=not any(p != r.path and p.startswith(r.path) for p in paths))
                for r in drawn]
    extent = None
    if user.jurisdiction_id:
        extent = user.jurisdiction.ancestors_and_self().exclude(boundary=None).values_list("boundary", flat=True).last()
    return station_map(rows, outlines, extent)


@login_required
def station_view(request, pk: int):
    station = get_object_or_404(policy.visible(request.user, Station.objects.select_related("region")), pk=pk)
    period, edition, stored = _year_and_edition(request)
    excluding = _exclude(request)
    context = {"title": str(station), "station": station, "year": period.start.year, "edition": edition,
               "editions": EDITIONS, "stored_edition": stored, "excluding": excluding, "feed": feeds.KIND,
               "newest": feeds.newest_hours([station], clock.now()).get(station.pk),
               "outage": station.outages.filter(resumed__isnull=True).first()}
    # derived from stored hours and daily results only: cached until the next recomputation
    context.update(cached("station", request.user, station.pk, period.key, stored, excluding,
                          compute=lambda: _station_charts(station, period, stored, excluding),
                          follows=version_names(period.start, period.end, stations=[station.pk])))
    return render(request, "air/station.html", context)


def _station_charts(station: Station, period: Period, stored: str, excluding: bool) -> dict:
    daily = read_daily(DailyResult.objects.filter(subject="station", station=station), stored, period.start, period.end,
                       excluding).sort("date")
    if not daily.height:
        return {}
    year = period.start.year
    hourly = load_hourly([station], period.start, period.end)
    lo, hi = clock.day_bounds(period.start, period.end)
    winds = series.read(MET, {"station_id": [station.pk]}, lo, hi, ["wind_direction"])
    hours_in = {m: 24 * Period.containing(PeriodKind.MONTH, dt.date(year, m, 1)).days for m in range(1, 13)}
    capture_rows = []
    for p in POLLUTANTS:
        by_month = dict(hourly.group_by(pl.col("time").dt.month().alias("m")).agg(pl.col(p).count()).iter_rows())
        capture_rows.append((p.upper().replace("PM25", "PM2.5"),
                             [round(100 * by_month.get(m, 0) / hours_in[m], 1) for m in range(1, 13)]))
    return {
        "stats": evaluate_period(daily, period, stored).row(0, named=True),
        "series": charts.daily_series(daily), "calendar": charts.calendar(daily, year),
        "diurnal": charts.diurnal(hourly),
        "rose": charts.pollution_rose(hourly.join(winds, on="time", how="inner")) if winds.height else None,
        "capture": charts.capture(capture_rows, [f"{m}月" for m in range(1, 13)]),
    }


#: The periods a ranking is asked for, in the order the page offers them.
PRESETS = (PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.DEKAD, PeriodKind.MONTH, PeriodKind.QUARTER,
           PeriodKind.HALF_YEAR, PeriodKind.YEAR_TO_DATE, PeriodKind.YEAR, PeriodKind.CUSTOM)


def _ranking_period(request, bounds) -> tuple[Period, PeriodKind]:
    """The period a ranking asks for (``period``, ``end``, ``start``; default: the year of the last
    day with data) and the preset it was asked by. A period still running ends on ``end``, so "this
    month" is the month to date; a year is always the calendar year (the year to date is its own
    preset)."""
    last = bounds[1] if bounds else clock.today()
    period = Period.from_query(request.GET, default_kind=PeriodKind.YEAR, today=last, kinds=PRESETS)
    preset, day = period.kind, query_date(request.GET, "end", last)
    if period.kind is not PeriodKind.YEAR and period.contains(day):
        period = period.until(day)
    return period, preset


@login_required
@opens(policy.SEE_RANKINGS)
def rankings_view(request):
    bounds = data_bounds(request.user)
    level = choice(request.GET, "level", LEVELS, "county")
    by = choice(request.GET, "by", RANKINGS, "composite")
    edition = _edition(request)
    period, preset = _ranking_period(request, bounds)
    start, end = period.start, period.end
    table = ranking_table(request.user, level, period, by, edition, _exclude(request))
    fmt = choice(request.GET, "format", EXPORT_FORMATS, "")
    if fmt:
        report = exports.ranking_report(request.user, table, str(LEVELS[level]), period,
                                        bounds[1] if bounds else None, str(RANKING_NAMES.get(by, by)))
        return report_response(report, fmt, f"ranking-{level}-{start}-{end}")
    rows = table.to_dicts() if table.height else []
    column = RANKINGS[by][0]
    return render(request, "air/rankings.html", {
        "title": _("Rankings"), "rows": rows, "level": level, "levels": LEVELS, "by": by, "rankings": RANKING_NAMES,
        "own": _own_units(request.user) if level != "station" else [],  # a station's key is its code
        "preset": preset, "start": start, "end": end, "period_label": period.label(),
        "edition": edition, "editions": EDITIONS, "excluding": _exclude(request), "presets": {str(k): kind_name(k) for k in PRESETS},
        "chart": charts.ranking_bars([r["name"] for r in rows], [r[column] for r in rows], str(RANKING_NAMES[by])) if rows else None,
    })


def _own_units(user) -> list[str]:
    """The ranking keys of the person's own region and those above it: their row among the peers."""
    if user.jurisdiction_id is None:
        return []
    return [str(pk) for pk in user.jurisdiction.ancestors_and_self().values_list("pk", flat=True)]


STATUS_LABELS = {"on_track": gettext_lazy("on schedule"), "behind": gettext_lazy("behind schedule"),
                 "cannot_be_met": gettext_lazy("can no longer be met"), "met": gettext_lazy("met"),
                 "missed": gettext_lazy("missed"), "no_data": gettext_lazy("no data")}

#: What "on schedule" compared with (``gongjian.analytics.targets``: ``Progress.basis``).
BASIS_LABELS = {"seasonal": gettext_lazy("the seasonal schedule of the baseline year %(year)s"),
                "no_baseline": gettext_lazy("compared with the annual target (no monthly data of a baseline year, "
                                            "not the seasonal schedule)"),
                "elapsed": gettext_lazy("the annual target times the share of the year elapsed (no monthly data of a "
                                        "baseline year, not the seasonal schedule)"),
                "annual": gettext_lazy("compared with the annual target")}


@login_required
def targets_view(request):
    bounds = data_bounds(request.user)
    last = bounds[1] if bounds else clock.today()
    as_of = query_date(request.GET, "as_of", last)
    year = query_year(request.GET, "year", as_of.year)
    edition = _edition(request)
    rows = target_progress(request.user, year, as_of, edition, _exclude(request))
    for r in rows:
        r["status_label"] = STATUS_LABELS[r["status"]]
        r["basis_label"] = "" if r["status"] == "no_data" else BASIS_LABELS[r["basis"]] % {"year": r["baseline_year"]}
    fmt = choice(request.GET, "format", EXPORT_FORMATS, "")
    if fmt:
        return report_response(exports.targets_report(request.user, rows, year, as_of), fmt,
                               f"targets-{year}-{as_of}")
    return render(request, "air/targets.html", {
        "title": _("Target progress"), "rows": rows, "year": year, "as_of": as_of, "edition": edition,
        "excluding": _exclude(request),
        "editions": EDITIONS, "chart": charts.progress_bars([r for r in rows if r["ytd"] is not None]) if rows else None,
        "chart_height": 80 + 22 * len(rows)})


@login_required
def region_view(request, pk: int):
    region = get_object_or_404(policy.visible(request.user, Region.objects.all()), pk=pk)
    period, edition, stored = _year_and_edition(request)
    year, start, end = period.start.year, period.start, period.end
    own = read_daily(DailyResult.objects.filter(subject="region", place=region), stored, start, end,
                     _exclude(request)).sort("date")
    children = policy.visible(request.user, DailyResult.objects.filter(subject="region", place__in=Region.objects.get_children(region)))
    child_stats = evaluate_period(read_daily(children, stored, start, end, _exclude(request)), period, stored)
    allowed = set(policy.visible(request.user, Station.objects.all()).values_list("pk", flat=True))
    stations = [s for s in counting_stations(region) if s.pk in allowed]
    return render(request, "air/region.html", {
        "title": region.name, "region": region, "year": year, "edition": edition, "editions": EDITIONS,
        "excluding": _exclude(request),
        "stats": evaluate_period(own, period, stored).row(0, named=True) if own.height else None,
        "series": charts.daily_series(own) if own.height else None,
        "calendar": charts.calendar(own, year) if own.height else None,
        "children": rank(child_stats, "composite").to_dicts() if child_stats.height else [],
        "stations": stations})


@login_required
def quality_view(request):
    bounds = data_bounds(request.user)
    last = bounds[1] if bounds else clock.today()
    period = query_month(request.GET, "month", last)
    month = period.start
    lo, hi = clock.day_bounds(period.start, period.end)
    hours = period.days * 24
    counts = {f"n_{p}": Count("hours", filter=Q(hours__time__gte=lo, hours__time__lt=hi, **{f"hours__{p}__isnull": False},
                                                 **{f"hours__{p}_flag__in": VALID_FLAGS})) for p in POLLUTANTS}
    stations = policy.visible(request.user, Station.objects.exclude(kind="met")).annotate(**counts).order_by("region__path", "code")
    table = [{"station": s, "capture": [round(100 * getattr(s, f"n_{p}") / hours, 1) for p in POLLUTANTS]} for s in stations]
    findings = policy.visible(request.user, QualityFinding.objects.select_related("station", "reviewed_by")).filter(
        Q(start__lt=hi, end__gte=lo) | Q(status="open")).order_by("status", "-start")[:300]
    outages = policy.visible(request.user, StationOutage.objects.select_related("station")).filter(
        Q(resumed__isnull=True) | Q(resumed__gte=lo, last_hour__lt=hi)).order_by("-resumed", "-last_hour")[:300]
    return render(request, "air/quality.html", {
        "title": _("Data quality"), "month": month, "table": table, "pollutants": [p.upper() for p in POLLUTANTS],
        "outages": outages, "feed": feeds.KIND,
        "findings": findings, "can_review": request.user.role_can_edit})


@login_required
@writes(policy.EDIT)
def review_view(request, pk: int):
    if request.method != "POST":
        raise Http404
    finding = get_object_or_404(policy.visible(request.user, QualityFinding.objects.all()), pk=pk)
    if not policy.can_change(request.user, finding):
        raise PermissionDenied
    form = bind(request, FindingReviewForm)
    if not form.is_valid():
        return HttpResponse("; ".join(problems(form)), status=400)
    try:
        review_finding(finding, form.cleaned_data["decision"], request.user, form.cleaned_data["note"])
    except ValueError as exc:
        return HttpResponse(str(exc), status=400)
    finding.refresh_from_db()
    return render(request, "air/_finding.html", {"f": finding, "can_review": True})


@login_required
@writes(policy.EDIT)
def event_decide_view(request, pk: int):
    """Accept or reject a proposed exceptional event (not by its proposer)."""
    from django.core.exceptions import ValidationError

    from .events import decide_event
    from .models import ExceptionalEvent

    event = get_object_or_404(policy.visible(request.user, ExceptionalEvent.objects.all()), pk=pk)
    error = None
    form = bind(request, EventDecisionForm)
    if form.is_bound and not form.is_valid():
        error = "; ".join(problems(form))
    elif form.is_bound:
        try:
            decide_event(event, accept=form.cleaned_data["decision"] == "accept", user=request.user,
                         note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as exc:
            error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return render(request, "air/event_decide.html", {"title": str(event), "event": event, "error": error})
