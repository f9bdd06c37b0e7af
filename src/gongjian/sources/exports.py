"""The alarms page's export as offices file it (:class:`gongjian.core.exports.Report`): the alarms
as filtered on the page, scoped by the policy there, each with its source by name and its finding
in words."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.exports import Column, Report, Table, scope_label

from .monitoring import Alarm

__all__ = ["alarms_report"]


def alarms_report(user, alarms: Iterable[Alarm], filters: str = "") -> Report:
    """``alarms`` (with region, enterprise, site and notice selected, warnings prefetched) as a
    report; ``filters`` the page's filters in words."""
    columns = [
        Column("rule", _("Rule")), Column("region", _("Region")), Column("source", _("Source")),
        Column("subject", _("Subject")), Column("start", _("From")), Column("end", _("Until")),
        Column("finding", _("Finding"), note=_("The finding in words, with its figures and their units.")),
        Column("intervals", _("Intervals")), Column("warnings", _("Warning")), Column("status", _("Status")),
        Column("notice", _("Verification notice")), Column("found", _("Found")),
    ]
    rows = [{"rule": alarm.get_rule_display(), "region": alarm.region.name,
             "source": str(alarm.enterprise or alarm.site or ""), "subject": alarm.subject, "start": alarm.start,
             "end": alarm.end, "finding": alarm.summary(), "intervals": alarm.intervals,
             "warnings": list(alarm.warnings.all()), "status": alarm.get_status_display(),
             "notice": alarm.notice.number if alarm.notice else None, "found": alarm.found} for alarm in alarms]
    return Report(_("Alarms"), [Table(_("Alarms"), columns, rows)], as_of=clock.now(), scope=scope_label(user),
                  notes=[filters] if filters else [])
