"""Scorecards of the counties (and departments) of a city for a month or a year: quality from the
air-quality rankings, deadlines met, overdue items, cases closed on time, and the accountability
rules with their evidence. Air data come through the air app's services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db.models import Q

from gongjian import clock
from gongjian.air.services import data_bounds, ranking_table, target_progress
from gongjian.analytics import scorecard
from gongjian.periods import Period, PeriodKind
from gongjian.regions import policy
from gongjian.regions.models import Organisation, OrganisationKind, Region, RegionLevel

from .models import AccountabilityRule, Milestone, SupervisionCase

__all__ = ["ASSESSED", "KINDS", "Scorecard", "build", "default_day", "rules_for"]


#: The scorecards' own words for their periods: the month holding a day, or the year up to it.
KINDS = {"monthly": PeriodKind.MONTH, "yearly": PeriodKind.YEAR_TO_DATE}

#: The components assessed per kind of unit: a department has no air quality of its own.
ASSESSED = {"counties": scorecard.COMPONENTS, "departments": ("tasks", "overdue", "cases")}


def default_day(person, units: str, today: dt.date) -> dt.date:
    """The day whose period a scorecard opens on: for counties the last day with air data the
    person may see (a month after the data end would rank nobody), else today."""
    bounds = data_bounds(person) if units == "counties" else None
    return min(bounds[1], today) if bounds else today


def rules_for(region: Region) -> list[scorecard.Rule]:
    """The active rules configured for ``region`` or the nearest region above; the plans' defaults
    when none is."""
    for place in reversed(list(region.ancestors_and_self())):
        configured = AccountabilityRule.objects.filter(region=place, active=True)
        if configured.exists():
            return [scorecard.Rule(r.name, r.kind, r.consequence, r.months, r.bottom, r.margin, r.metric)
                    for r in configured]
    return list(scorecard.DEFAULT_RULES)


@dataclass
class Scorecard:
    units: str
    first: dt.date
    last: dt.date
    table: pl.DataFrame
    findings: pl.DataFrame


def _quarters(end: dt.date) -> list[tuple[str, Period]]:
    """The quarter before the one holding ``end``, and that one up to ``end``: (key, period)."""
    current = Period.containing(PeriodKind.QUARTER, end)
    before = current.previous()
    return [(before.key, before), (current.key, current.until(end))]


def _counts(units: dict[int, Q], first: dt.date, last: dt.date, today: dt.date, person,
            among: int | None = None) -> dict[int, dict]:
    """Per unit: deadlines of the period (due, met on time, overdue) and cases due (closed on time).
    Units of a region level (``among``: the counties) are counted on all their records, as the
    policy publishes a ranking among its units (``policy.visible_for_ranking``: a county sees the
    city's counties scored, not only itself); only the counts are shown."""
    out = {}

    def scoped(queryset):
        return policy.visible_for_ranking(person, queryset, among) if among else policy.visible(person, queryset)

    milestones = scoped(Milestone.objects.all()).filter(due__range=(first, last))
    cases = scoped(SupervisionCase.objects.all()).filter(deadline__range=(first, last))
    for pk, condition in units.items():
        mine = milestones.filter(Q(**{"task__units__organisation__in": Organisation.objects.filter(condition)})).distinct()
        on_time = [m for m in mine if m.done and clock.day_of(m.done) <= m.due]
        overdue = [m for m in mine if not m.done and m.due < today]
        own_cases = cases.filter(assignee__in=Organisation.objects.filter(condition))
        closed = [c for c in own_cases if c.closed and clock.day_of(c.closed) <= c.deadline]
        out[pk] = {"due": len(mine), "on_time": len(on_time), "overdue": len(overdue), "cases_due": own_cases.count(),
                   "cases_on_time": len(closed)}
    return out


def build(person, city: Region, units: str, span: Period, today: dt.date, edition: str = "2012") -> Scorecard:
    """The scorecard of ``city``'s counties (``units="counties"``) or departments for ``span`` (a
    month or a year to date, :data:`KINDS`)."""
    first, last = span.start, span.end
    if units == "departments":
        bodies = {o.pk: o.name for o in Organisation.objects.filter(region=city, kind=OrganisationKind.DEPARTMENT)}
        conditions = {pk: Q(pk=pk) for pk in bodies}
        quality: dict[int, int] = {}
        ranked = None
    else:
        counties = Region.objects.filter(path__startswith=city.path, level=RegionLevel.COUNTY).order_by("path")
        bodies = {r.pk: r.name for r in counties}
        conditions = {r.pk: Q(region__path__startswith=r.path) for r in counties}
        ranking = ranking_table(person, "county", span, "composite", edition)
        quality = {int(k): r for k, r in zip(ranking["key"], ranking["rank"], strict=True)} if ranking.height else {}
        ranked = ranking.height
    counts = _counts(conditions, first, last, today, person, RegionLevel.COUNTY if units == "counties" else None)
    table = pl.DataFrame([{"unit": pk, "name": name, "rank": quality.get(pk), "ranked": ranked if pk in quality else None,
                           **counts[pk]} for pk, name in bodies.items()],
                         schema={"unit": pl.Int64, "name": pl.String, "rank": pl.Int64, "ranked": pl.Int64,
                                 "due": pl.Int64, "on_time": pl.Int64, "overdue": pl.Int64, "cases_due": pl.Int64,
                                 "cases_on_time": pl.Int64})
    findings = _findings(person, city, bodies, first, last, edition) if units == "counties" else _no_findings()
    return Scorecard(units, first, last, scorecard.scores(table, assessed=ASSESSED[units]), findings)


def _no_findings() -> pl.DataFrame:
    return pl.DataFrame(schema={"unit": pl.Int64, "rule": pl.String, "consequence": pl.String, "evidence": pl.String,
                                "name": pl.String})


def _findings(person, city: Region, bodies: dict[int, str], first: dt.date, last: dt.date, edition: str) -> pl.DataFrame:
    found = [_no_findings().drop("name")]
    for rule in rules_for(city):
        if rule.kind == "rising":
            rows = []
            for label, quarter in _quarters(last):
                table = ranking_table(person, "county", quarter, "composite", edition)
                rows += [(int(k), label, v) for k, v in zip(table["key"], table[rule.metric], strict=True) if v is not None] \
                    if table.height else []
            frame = pl.DataFrame(rows, schema={"unit": pl.Int64, "quarter": pl.String, "value": pl.Float64}, orient="row")
            found.append(scorecard.rising_quarter_on_quarter(frame, rule))
        elif rule.kind == "behind":
            rows = [(r["region_id"], r["metric_label"], r["ytd"], r["schedule"], r["status"])
                    for r in target_progress(person, last.year, last, edition, peers_level=RegionLevel.COUNTY)
                    if r["region_id"] in bodies]
            frame = pl.DataFrame(rows, schema={"unit": pl.Int64, "metric": pl.String, "ytd": pl.Float64,
                                               "schedule": pl.Float64, "status": pl.String}, orient="row")
            found.append(scorecard.behind_schedule(frame, rule))
        elif rule.kind == "bottom":
            rows, month = [], Period.containing(PeriodKind.MONTH, last)
            for _n in range(rule.months):
                table = ranking_table(person, "county", month,
                                      rule.metric if rule.metric in ("composite", "pm25", "pm10") else "composite", edition)
                if table.height:
                    rows += [(int(k), f"{month.start:%Y-%m}", r, table.height)
                             for k, r in zip(table["key"], table["rank"], strict=True)]
                month = month.previous()
            frame = pl.DataFrame(rows, schema={"unit": pl.Int64, "month": pl.String, "rank": pl.Int64, "ranked": pl.Int64},
                                 orient="row")
            found.append(scorecard.bottom_running(frame, rule))
    names = pl.DataFrame({"unit": list(bodies), "name": list(bodies.values())}, schema={"unit": pl.Int64, "name": pl.String})
    return pl.concat(found).join(names, on="unit", how="inner")
