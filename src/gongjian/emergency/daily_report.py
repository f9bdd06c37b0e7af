"""The daily report during orange and red warnings (the provincial notice: by 09:00, weekends
included): per listed enterprise, the previous day's emissions, hours above the limit and production
status, from online monitoring when present and "not reported" otherwise, set against its measures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.sources import services as sources

from .models import Measure, WarningEpisode

__all__ = ["REPORTED_LEVELS", "ReportRow", "report_levels", "report_rows"]

REPORTED_LEVELS = ("orange", "red")


@dataclass
class ReportRow:
    enterprise: object
    measures: str
    reported: bool
    source: str = ""
    production: str = ""
    load: Decimal | None = None
    emissions: dict | None = None  # kg
    exceedance_hours: int = 0
    in_line: bool | None = None  # None: not reported
    remark: str = ""


def report_levels(episode: WarningEpisode, day: dt.date) -> str | None:
    """The highest level in force at any time of ``day`` (local time), if orange or red."""
    start = clock.day_start(day)
    if "actions" not in getattr(episode, "_prefetched_objects_cache", {}):
        episode = WarningEpisode.objects.prefetch_related("actions").get(pk=episode.pk)
    levels = {episode.level_on(start + dt.timedelta(hours=h)) for h in range(24)}
    for level in ("red", "orange"):
        if level in levels:
            return level
    return None


def _conforms(measures: list[Measure], status) -> tuple[bool, str]:
    """Whether the day ``status`` (:func:`gongjian.sources.services.daily_emissions`) keeps the measures."""
    stops = [m for m in measures if m.kind == Measure.Kind.STOP and not m.unit_id]
    limits = [m.load_percent for m in measures if m.kind == Measure.Kind.LIMIT and not m.unit_id]
    if stops and not status.stopped:
        return False, _("required to stop, reported %(p)s") % {"p": status.get_production_display()}
    if limits and status.load_percent is not None and status.load_percent > min(limits):
        return False, _("load %(l)s%% above the allowed %(a)s%%") % {"l": status.load_percent, "a": min(limits)}
    if status.exceedance_hours:
        return False, _("%(h)s hour(s) above the emission limit") % {"h": status.exceedance_hours}
    return True, ""


def report_rows(episode: WarningEpisode, day: dt.date) -> tuple[str | None, list[ReportRow]]:
    """The report for ``day`` (the previous day's data, reported on the morning after)."""
    level = report_levels(episode, day)
    if level is None or episode.reduction_list is None:
        return level, []
    measures: dict[int, list[Measure]] = {}
    for m in episode.reduction_list.measures.filter(level=level, enterprise__isnull=False).select_related(
            "enterprise__organisation__region"):
        measures.setdefault(m.enterprise_id, []).append(m)
    data = sources.daily_emissions(measures, day)
    rows = []
    for pk, listed in sorted(measures.items(), key=lambda kv: (kv[1][0].enterprise.organisation.region.path,
                                                               kv[1][0].enterprise.organisation.name)):
        enterprise = listed[0].enterprise
        described = "; ".join(m.describe() for m in listed)
        status = data.get(pk)
        if status is None:
            rows.append(ReportRow(enterprise, described, False, remark=_("not reported")))
            continue
        in_line, remark = _conforms(listed, status)
        rows.append(ReportRow(enterprise, described, True, status.get_source_display(),
                              status.get_production_display(), status.load_percent,
                              {p: getattr(status, p) for p in ("so2", "nox", "pm", "vocs")},
                              status.exceedance_hours, in_line, remark))
    return level, rows
