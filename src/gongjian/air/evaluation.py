"""The engine applied to the store: daily results for stations and regions, and period statistics
for pages, rankings and targets. Every rule comes from ``gongjian.standards`` through
``gongjian.analytics.airquality``; this module only chooses stations, loads, stores and reads.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import transaction
from django.db.models import F, Q, Sum

from gongjian import clock
from gongjian.analytics.airquality import assign_periods, daily_aqi, period_evaluation
from gongjian.core.series import frame_from_queryset
from gongjian.periods import Period
from gongjian.regions.models import Region, RegionLevel
from gongjian.standards.hj663 import exclude_events, spatial_mean

from .hours import load_hourly
from .models import DailyResult, ResultsVersion, Station

__all__ = ["bump_versions", "compute_daily", "counting_stations", "evaluate_period", "read_daily", "region_membership",
           "regions_with_stations", "results_version", "version_names"]

EDITIONS = ("2012", "2026")
VALUES = ("so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25")
#: Station kinds that make a county's or a town's value when it has no assessment stations of its own.
_KINDS_FOR_LEVEL = {RegionLevel.COUNTY: ("national", "provincial", "city", "county"), RegionLevel.TOWN: ("town",)}


def _counting(region: Region, subtree: list[Station]) -> list[Station]:
    """The rule, in one place: of the active stations in ``region``'s subtree, the assessment
    stations (a city's value comes from its assessment stations only, HJ 663); for a county or town
    without any, its stations of the kinds that represent that level (county-level stations for a
    county, town stations for a town). Micro stations and meteorological sites never count."""
    active = [s for s in subtree if s.status == Station.Status.ACTIVE]
    assessment = [s for s in active if s.assessment]
    if assessment or region.level not in _KINDS_FOR_LEVEL:
        return assessment
    return [s for s in active if s.kind in _KINDS_FOR_LEVEL[region.level]]


def counting_stations(region: Region) -> list[Station]:
    """The stations whose hours make ``region``'s value (see :func:`_counting`)."""
    return _counting(region, list(Station.objects.filter(region__path__startswith=region.path).select_related("region")))


def _all_counting(regions: list[Region] | None = None) -> dict[Region, list[Station]]:
    """:func:`counting_stations` for many regions with two queries."""
    stations = list(Station.objects.select_related("region"))
    if regions is None:
        regions = list(Region.objects.filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWN])
                       .order_by("path"))
    return {r: _counting(r, [s for s in stations if s.region.path.startswith(r.path)]) for r in regions}


def regions_with_stations() -> list[Region]:
    """Regions (city, county, town) that have counting stations, in tree order."""
    return [r for r, members in _all_counting().items() if members]


def region_membership(regions: list[Region]) -> pl.DataFrame:
    """``station`` (code) -> ``region`` (id) for the counting stations of ``regions``."""
    rows = [(s.code, r.pk) for r, members in _all_counting(regions).items() for s in members]
    return pl.DataFrame(rows, schema={"station": pl.String, "region": pl.Int64}, orient="row")


def _rows(daily: pl.DataFrame, edition: str, subject: str, key_to: dict, excluding: bool) -> list[DailyResult]:
    out = []
    for r in daily.iter_rows(named=True):
        station, place = key_to[r["_key"]]
        out.append(DailyResult(subject=subject, station=station, place=place, date=r["date"], edition=edition,
                               **{v: r.get(v) for v in VALUES}, aqi=r["aqi"], level=r["level"],
                               primary_pollutants=",".join(r["primary_pollutants"] or []),
                               complete=bool(r["aqi_complete"]), invalid=(r["invalid"] or "")[:300],
                               excluding_events=excluding))
    return out


def _evaluate(hourly: pl.DataFrame, stations: list[Station], regions: list[Region], membership: pl.DataFrame,
              by_code: dict[str, Station], excluding: bool) -> list[DailyResult]:
    results: list[DailyResult] = []
    if hourly.is_empty():
        return results
    own = hourly.filter(pl.col("station").is_in([s.code for s in stations])).rename({"station": "_key"})
    region_hours = spatial_mean(hourly, membership).rename({"region": "_key"}).collect() if regions else None
    for edition in EDITIONS:
        if own.height:
            results += _rows(daily_aqi(own, edition, key="_key"), edition, DailyResult.Subject.STATION,
                             {c: (by_code[c], by_code[c].region) for c in by_code}, excluding)
        if region_hours is not None and region_hours.height:
            results += _rows(daily_aqi(region_hours, edition, key="_key"), edition, DailyResult.Subject.REGION,
                             {r.pk: (None, r) for r in regions}, excluding)
    return results


def _events(start: dt.date, end: dt.date, codes: set[str]) -> pl.DataFrame:
    """Accepted exceptional events touching the period, one row per station (naive Beijing times)."""
    from .models import ExceptionalEvent

    lo, hi = clock.day_bounds(start, end)
    rows = [(s.code, clock.naive_local(e.start), clock.naive_local(e.end))
            for e in ExceptionalEvent.objects.filter(status="accepted", start__lt=hi, end__gte=lo).prefetch_related("stations")
            for s in e.stations.all() if s.code in codes]
    return pl.DataFrame(rows, schema={"station": pl.String, "start": pl.Datetime("us"), "end": pl.Datetime("us")},
                        orient="row")


#: Stations whose year is held in memory at once by :func:`compute_daily` (whole cities: a city with
#: more counting stations is a chunk of its own). A station-year is 8,784 rows of 14 columns.
CHUNK_STATIONS = 100


def _chunks(stations: list[Station], regions: list[Region], membership: pl.DataFrame,
            size: int) -> list[tuple[list[Station], list[Region]]]:
    """``stations`` and ``regions`` in groups that can be computed apart: a region with every region
    inside it (a city with its counties and towns) and every station they count or hold, so that each
    region's spatial mean sees all its counting stations; the groups packed in tree order up to
    ``size`` stations (a larger family is a group of its own). A station outside every region is
    grouped with its neighbours in code order."""
    families: dict[str, tuple[list[Station], list[Region]]] = {}
    roots = [r.path for r in sorted(regions, key=lambda r: r.path)]
    outer: list[str] = []
    for path in roots:
        if not any(path.startswith(o) for o in outer):
            outer.append(path)

    def family(path: str) -> str | None:
        return next((o for o in outer if path.startswith(o)), None)

    for region in regions:
        families.setdefault(family(region.path), ([], []))[1].append(region)
    loose: list[Station] = []
    for station in sorted(stations, key=lambda s: s.code):
        root = family(station.region.path)
        if root is None:
            loose.append(station)
        else:
            families.setdefault(root, ([], []))[0].append(station)
    counted = {r: set(membership.filter(pl.col("region") == r.pk)["station"].to_list()) for r in regions}
    groups: list[tuple[list[Station], list[Region], int]] = []
    for root in sorted(families):
        own, members = families[root]
        weight = len({s.code for s in own} | set().union(*(counted[r] for r in members)))
        if groups and groups[-1][2] + weight <= size:
            last = groups[-1]
            groups[-1] = (last[0] + own, last[1] + members, last[2] + weight)
        else:
            groups.append((own, members, weight))
    groups += [(loose[i:i + size], [], 0) for i in range(0, len(loose), size)]
    return [(own, members) for own, members, _ in groups]


def compute_daily(start: dt.date, end: dt.date, stations=None, regions: list[Region] | None = None, *,
                  chunk: int = CHUNK_STATIONS) -> int:
    """Compute and store daily results from ``start`` to ``end`` under both editions, for
    ``stations`` (default: all) and ``regions`` (default: every region with counting stations).

    Where accepted exceptional events touch the period, a second variant without their hours is
    stored for the days, stations and regions they touch. The work goes by groups of whole cities of
    about ``chunk`` stations (:func:`_chunks`): each group's hours are read (:func:`load_hourly`, one
    query), evaluated and its existing results for those subjects and dates replaced in one
    transaction, which also bumps the versions of what it changed (:func:`bump_versions`), so the
    memory is that of one group, not of the network, and a writer waits for one group at most."""
    stations = list(stations if stations is not None else Station.objects.select_related("region"))
    regions = regions if regions is not None else regions_with_stations()
    membership = region_membership(regions)
    codes = {s.code for s in stations} | set(membership["station"].to_list())
    by_code = {s.code: s for s in Station.objects.filter(code__in=codes).select_related("region")}
    stations = [by_code.get(s.code, s) for s in stations]
    stored = 0
    for own, members in _chunks(stations, regions, membership, chunk):
        part = membership.filter(pl.col("region").is_in([r.pk for r in members]))
        stored += _compute_group(start, end, own, members, part, by_code)
    return stored


def _compute_group(start: dt.date, end: dt.date, stations: list[Station], regions: list[Region],
                   membership: pl.DataFrame, by_code: dict[str, Station]) -> int:
    codes = {s.code for s in stations} | set(membership["station"].to_list())
    hourly = load_hourly([by_code[c] for c in sorted(codes)], start, end)
    results = _evaluate(hourly, stations, regions, membership, by_code, excluding=False)
    events = _events(start, end, codes)
    if events.height and hourly.height:
        days = {day for first, last in events.select("start", "end").iter_rows()
                for day in Period.custom(first.date(), last.date()).dates()}
        touched = set(events["station"].to_list())
        masked = exclude_events(hourly.filter(pl.col("time").dt.date().is_in(sorted(days))), events)
        hit_regions = [r for r in regions if touched & set(membership.filter(pl.col("region") == r.pk)["station"].to_list())]
        results += _evaluate(masked, [s for s in stations if s.code in touched], hit_regions,
                             membership.filter(pl.col("region").is_in([r.pk for r in hit_regions])), by_code, excluding=True)
    del hourly
    with transaction.atomic():
        DailyResult.objects.filter(Q(subject="station", station__in=stations) | Q(subject="region", place__in=regions),
                                   date__gte=start, date__lte=end).delete()
        DailyResult.objects.bulk_create(results, batch_size=2000)
        bump_versions(start, end, stations, regions)
    return len(results)


VERSION_NAME = "daily results"


def _months(start: dt.date, end: dt.date) -> list[str]:
    """``YYYY-MM`` of every month from ``start`` to ``end``: the grain of the versions."""
    if end < start:
        return []
    return sorted({f"{day:%Y-%m}" for day in Period.custom(start, end).dates()})


def version_names(start: dt.date, end: dt.date, *, stations=(), regions=(), network: bool = False) -> list[str]:
    """The names of the versions (:class:`ResultsVersion` rows) that follow the daily results of
    ``stations`` (pks) and ``regions`` (pks) in the months from ``start`` to ``end``, and with
    ``network`` those of any result in those months (what a ranking of every peer reads)."""
    months = _months(start, end)
    names = [f"daily {m}" for m in months] if network else []
    names += [f"station {pk} {m}" for pk in sorted(set(stations)) for m in months]
    names += [f"region {pk} {m}" for pk in sorted(set(regions)) for m in months]
    return names


def bump_versions(start: dt.date, end: dt.date, stations: list[Station], regions: list[Region]) -> None:
    """Say that the daily results of ``stations`` and ``regions`` from ``start`` to ``end`` changed:
    the versions of those stations, of their own regions and of ``regions`` in those months, of the
    months for everything, and the one version of all daily results. Called in the transaction that
    stores the results, so a version never runs ahead of what is stored. A page derived from other
    stations or regions, or other months, keeps its cached value (:func:`results_version`)."""
    names = [VERSION_NAME, *version_names(start, end, stations=[s.pk for s in stations],
                                          regions=[r.pk for r in regions] + [s.region_id for s in stations],
                                          network=True)]
    for i in range(0, len(names), 500):
        batch = names[i:i + 500]
        ResultsVersion.objects.bulk_create([ResultsVersion(name=n) for n in batch], ignore_conflicts=True)
        ResultsVersion.objects.filter(name__in=batch).update(version=F("version") + 1)


def results_version(names: list[str] | None = None) -> tuple[int, int]:
    """A value that changes whenever the daily results the ``names`` (:func:`version_names`) follow
    are recomputed: the sum of those versions, which only grow (so any bump changes the sum), with
    their number; without ``names``, the one version bumped by every recomputation."""
    names = [VERSION_NAME] if names is None else names
    return len(names), ResultsVersion.objects.filter(name__in=names).aggregate(v=Sum("version"))["v"] or 0


def read_daily(queryset, edition: str, start: dt.date, end: dt.date, exclude_events: bool = False) -> pl.DataFrame:
    """Stored daily results (a policy-scoped queryset of :class:`DailyResult`) as a frame with ``key``
    (station code or region id), ``name``, ``date``, the values and ``aqi``. With ``exclude_events``
    the days touched by accepted exceptional events come from their variant without those hours,
    and ``events_excluded`` marks them."""
    variants = [False, True] if exclude_events else [False]
    results = queryset.filter(edition=edition, date__gte=start, date__lte=end, excluding_events__in=variants)
    columns = {"subject": ("subject", pl.String), "code": ("station__code", pl.String),
               "station_name": ("station__name", pl.String), "place": ("place_id", pl.Int64),
               "place_name": ("place__name", pl.String), "date": ("date", pl.Date),
               **{v: (v, pl.Float64) for v in VALUES}, "aqi": ("aqi", pl.Int64), "level": ("level", pl.Int8),
               "primary": ("primary_pollutants", pl.String), "events_excluded": ("excluding_events", pl.Boolean)}
    frame = frame_from_queryset(results, columns).with_columns(
        pl.when(pl.col("subject") == "station").then(pl.col("code")).otherwise(pl.col("place").cast(pl.String)).alias("key"),
        pl.when(pl.col("subject") == "station").then(pl.col("station_name")).otherwise(pl.col("place_name")).alias("name"))
    if exclude_events:
        frame = frame.sort("events_excluded", descending=True).unique(["key", "date"], keep="first", maintain_order=True)
    return frame


def evaluate_period(daily: pl.DataFrame, period: Period, edition: str) -> pl.DataFrame:
    """Statistics of ``period`` (with composite index and, for calendar years, attainment) per ``key``
    from stored daily results, through the engine's period evaluation under the validity rule of
    the period's kind, as the page or job that chose the period built it."""
    if daily.is_empty():
        return pl.DataFrame()
    stats = period_evaluation(assign_periods(daily, period), period.kind, key="key", edition=edition)
    return stats.join(daily.select("key", "name").unique("key"), on="key", how="left")
