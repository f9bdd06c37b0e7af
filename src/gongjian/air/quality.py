"""Quality control of stored hourly data: run the checks of :mod:`gongjian.analytics.airqc`, flag
what they find as suspect, and apply reviewers' decisions, each flag change recorded as a correction."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.analytics.airqc import check_hours
from gongjian.core import series

from .findings import RULE_NAMES, evidence
from .hours import load_hourly
from .kinds import HOURLY
from .models import AirHour, Correction, Flag, QualityFinding, Station

__all__ = ["review_finding", "run_quality_checks"]


#: Flags a check or a review may replace: values nobody has judged yet.
_UNJUDGED = (Flag.NORMAL, Flag.SUSPECT)


def _groups(stations) -> pl.DataFrame:
    """Neighbour groups: the stations of the same city (the region at city level above each station)."""
    rows = []
    for station in stations:
        path = station.region.path[: station.region.steplen * 2]
        rows.append((station.code, path))
    return pl.DataFrame(rows, schema=["station", "group"], orient="row")


def _set_flags(station_id: int, pollutant: str, start, end, new_flag: str, allowed, reason: str, user) -> int:
    """Flag the stored hours of one pollutant in ``[start, end]`` whose flag is among ``allowed``,
    through :func:`gongjian.core.series.update_values` (a judgement on stored hours, not new data)."""
    hours = AirHour.objects.filter(station_id=station_id, time__gte=start, time__lte=end,
                                   **{f"{pollutant}_flag__in": allowed}).exclude(**{f"{pollutant}_flag": new_flag})
    changed = list(hours.values_list("time", pollutant, f"{pollutant}_flag"))
    if not changed:
        return 0
    series.update_values(HOURLY, pl.DataFrame(
        {"station_id": [station_id] * len(changed), "time": [clock.naive_local(c[0]) for c in changed],
         f"{pollutant}_flag": [str(new_flag)] * len(changed)},
        schema={"station_id": pl.Int64, "time": pl.Datetime("us"), f"{pollutant}_flag": pl.String}))
    Correction.objects.bulk_create(
        Correction(station_id=station_id, time=time, pollutant=pollutant, old_value=value, new_value=value,
                   old_flag=flag, new_flag=new_flag, reason=reason, changed_by=user)
        for time, value, flag in changed)
    return len(changed)


def run_quality_checks(stations, start: dt.date, end: dt.date, user=None) -> list[QualityFinding]:
    """Check the stored hours of ``stations`` from ``start`` to ``end``; store new findings and flag
    their hours suspect (gaps are noted only). Findings already stored are not repeated."""
    stations = list(Station.objects.filter(pk__in=[s.pk for s in stations]).select_related("region"))
    hourly = load_hourly(stations, start, end, mask=False)
    if hourly.is_empty():
        return []
    findings = check_hours(hourly.drop([c for c in hourly.columns if c.endswith("_flag")]), _groups(stations))
    by_code = {s.code: s for s in stations}
    created = []
    with transaction.atomic():
        for row in findings.iter_rows(named=True):
            station = by_code[row["station"]]
            start_at, end_at = clock.attach(row["start"]), clock.attach(row["end"])
            finding, new = QualityFinding.objects.get_or_create(
                station=station, pollutant=row["pollutant"], rule=row["check"], start=start_at,
                defaults={"end": end_at, "hours": row["hours"], "detail": row["detail"][:300],
                          "status": QualityFinding.Status.NOTED if row["check"] == "gap" else QualityFinding.Status.OPEN})
            if not new:
                continue
            created.append(finding)
            if row["check"] != "gap":
                _set_flags(station.pk, row["pollutant"], start_at, end_at, Flag.SUSPECT, [Flag.NORMAL],
                           f"{RULE_NAMES[row['check']]}：{evidence(row['check'], row['pollutant'], row['detail'])}"[:300], user)
    return created


def review_finding(finding: QualityFinding, decision: str, user, note: str = "") -> int:
    """``confirm`` (the hours are invalid) or ``override`` (they are valid after all); returns the
    number of hours whose flag changed."""
    if decision not in ("confirm", "override"):
        raise ValueError("decision is 'confirm' or 'override'")
    if finding.status != QualityFinding.Status.OPEN:
        raise ValueError(_("this finding was already reviewed (%(status)s)") % {"status": finding.get_status_display()})
    new_flag = Flag.INVALID if decision == "confirm" else Flag.VALID
    verdict = _("confirmed invalid") if decision == "confirm" else _("overridden: valid")
    reason = (_("review of %(rule)s (%(verdict)s) by %(user)s") % {"rule": finding.rule_name(), "verdict": verdict,
                                                                    "user": user} + (f"：{note}" if note else ""))[:300]
    with transaction.atomic():
        changed = _set_flags(finding.station_id, finding.pollutant, finding.start, finding.end, new_flag,
                             list(_UNJUDGED), reason, user)
        finding.status = QualityFinding.Status.CONFIRMED if decision == "confirm" else QualityFinding.Status.OVERRIDDEN
        finding.reviewed_by, finding.reviewed_at, finding.review_note = user, clock.now(), note[:300]
        finding.save()
        if changed:
            from .tasks import enqueue_recompute

            transaction.on_commit(lambda: enqueue_recompute(clock.day_of(finding.start), clock.day_of(finding.end),
                                                            [finding.station_id]))
    return changed
