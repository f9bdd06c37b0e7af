"""Water alarms: raised once per fingerprint, whoever runs the check and however often.

:func:`raise_alarm` is the one way a water alarm is made: the monthly evaluation raises
``section_below_target`` (:mod:`gongjian.water.handlers`), the automatic stations' quality control
``station_qc``, and the outfall monitoring ``outfall_over_limit``. The fingerprint names the rule, the
subject and the period, so re-running a check updates the open alarm it raised before (its evidence,
value and end) rather than raising a second one; an alarm a person has acted on (a case opened, a
dismissal) keeps their decision.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.analytics import waterquality
from gongjian.periods import Period
from gongjian.standards import gb3838

from .models import SectionMonth, WaterAlarm, WaterSection

__all__ = ["close_alarm", "month_alarms", "month_evidence", "raise_alarm"]

#: What a re-run may refresh on an alarm that is still open.
_REFRESHED = ("subject", "item", "start", "end", "value", "threshold", "evidence", "section", "region")


def raise_alarm(kind: str, region, subject: str, start: dt.datetime, end: dt.datetime, *, section=None,
                item: str = "", value: float | None = None, threshold: float | None = None, evidence: str,
                fingerprint: str) -> WaterAlarm:
    """The alarm of ``fingerprint``, raised now if it is new. An open one (or one the checks closed,
    which opens again) takes the new evidence; one a person dismissed or opened a case on stays as
    they left it. ``start``/``end`` are aware moments (Beijing via :mod:`gongjian.clock`)."""
    if kind not in WaterAlarm.Kind.values:
        raise ValueError(f"unknown water alarm kind {kind!r}: one of {', '.join(WaterAlarm.Kind.values)}")
    if not evidence.strip():
        raise ValueError("a water alarm states its evidence")
    fields = {"subject": subject[:200], "item": item, "start": clock.aware(start), "end": clock.aware(end),
              "value": value, "threshold": threshold, "evidence": evidence, "section": section, "region": region}
    alarm = WaterAlarm.objects.filter(fingerprint=fingerprint).first()
    if alarm is None:
        return WaterAlarm.objects.create(kind=kind, fingerprint=fingerprint, found=clock.now(), **fields)
    if alarm.status in (WaterAlarm.Status.OPEN, WaterAlarm.Status.CLOSED):
        changed = {k: v for k, v in fields.items() if getattr(alarm, k) != v}
        if changed or alarm.status != WaterAlarm.Status.OPEN:
            for k, v in changed.items():
                setattr(alarm, k, v)
            alarm.status = WaterAlarm.Status.OPEN
            alarm.save()
    return alarm


def close_alarm(fingerprint: str) -> bool:
    """Close the open alarm of ``fingerprint`` because its condition no longer holds (a corrected
    sample brought the month back to its target); one a person acted on stays. Returns whether one
    was closed."""
    alarm = WaterAlarm.objects.filter(fingerprint=fingerprint, status=WaterAlarm.Status.OPEN).first()
    if alarm is None:
        return False
    alarm.status = WaterAlarm.Status.CLOSED
    alarm.save()
    return True


def month_alarms(months: list[SectionMonth]) -> list[WaterAlarm]:
    """A ``section_below_target`` alarm for each month whose class misses its target; the open alarm
    of a month that meets it again (or has no data or target now) is closed."""
    raised = []
    sections = WaterSection.objects.select_related("region").in_bulk({m.section_id for m in months})
    for month in months:
        fingerprint = f"section_below_target:{month.section_id}:{month.month:%Y-%m}"
        if month.meets_target is not False:
            close_alarm(fingerprint)
            continue
        section = sections[month.section_id]
        period = Period.containing("month", month.month)
        start, end = clock.day_bounds(period.start, period.end)
        worst = max(month.items_above.items(), key=lambda kv: kv[1] or 0, default=(None, None))
        raised.append(raise_alarm(
            WaterAlarm.Kind.SECTION_BELOW_TARGET, section.region, f"{section.name}（{section.code}）", start, end,
            section=section, item=worst[0] or "", value=float(month.water_class), threshold=float(month.target_class),
            evidence=month_evidence(section, month), fingerprint=fingerprint))
    return raised


def month_evidence(section: WaterSection, month: SectionMonth) -> str:
    """The month's finding as a Chinese sentence (stored texts are Chinese by default)."""
    with translation.override("zh-hans"):
        period = Period.containing("month", month.month).label("zh-hans")
        items = waterquality.above_target_text([{"item": k, "multiple": m} for k, m in month.items_above.items()])
        return _("%(section)s, %(period)s: class %(cls)s, below its target class %(target)s for the year; "
                 "items above the target: %(items)s.") % {
            "section": f"{section.name}（{section.code}）", "period": period,
            "cls": gb3838.CLASS_NAMES[month.water_class], "target": gb3838.CLASS_NAMES[month.target_class],
            "items": items or "-"}
