"""The sections' monthly classes as published to the public, frozen at publication.

The stored monthly results (:class:`~gongjian.water.models.SectionMonth`) are derived data: a late
sample or a reviewer's flag recomputes them, and the running month changes every day. What the
public is shown is what an office published for a month that has ended
(:class:`~gongjian.water.ledgers.PublishedMonth`, one :class:`~gongjian.core.ledger.Publication`
per edition): a correction is a new edition of the same month, the earlier one stays as it was.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.ledger import next_number, require_ended
from gongjian.periods import Period, PeriodKind
from gongjian.regions import policy
from gongjian.standards import gb3838

from .ledgers import PublishedMonth
from .models import SectionMonth, WaterSection

__all__ = ["month_content", "publish_month", "published_months"]


def month_content(region, period: Period) -> dict:
    """What a publication of ``region``'s sections for the month ``period`` says: each section (code,
    name, water body, region, kind), its stored class of the month (``None``: no data), the target,
    whether it met it, the items above the target and the samples used. Plain values."""
    sections = list(WaterSection.objects.filter(region__path__startswith=region.path)
                    .select_related("region").order_by("region__path", "code"))
    stored = {m.section_id: m for m in SectionMonth.objects.filter(section__in=[s.pk for s in sections],
                                                                   month=period.start)}
    rows = []
    for s in sections:
        m = stored.get(s.pk)
        cls = m.water_class if m is not None else None
        rows.append({"code": s.code, "name": s.name, "water_body": s.water_body, "region": s.region.name,
                     "kind": s.kind, "class": cls, "class_name": gb3838.class_name(cls),
                     "target_class": m.target_class if m is not None else None,
                     "meets_target": m.meets_target if m is not None else None,
                     "items_above": dict(m.items_above) if m is not None else {},
                     "samples": m.samples if m is not None else 0})
    return {"period": period.key, "period_label": period.label("zh-hans"), "month": period.start.isoformat(),
            "sections": rows}


@transaction.atomic
def publish_month(region, period: Period, person) -> PublishedMonth:
    """Publish the monthly classes of ``region``'s sections for a month that has ended, as its office
    (``policy.can_place``). A month published before gets a new edition; the earlier one stays."""
    if not policy.can_place(person, region):
        raise PermissionDenied
    if period.kind != PeriodKind.MONTH:
        raise ValidationError({"period": _("The monthly classes cover a month (e.g. 2020-M12).")})
    require_ended(period)
    return PublishedMonth.objects.create(region=region, period=period.key,
                                         number=next_number(PublishedMonth, region, period.key),
                                         published=clock.now(), published_by=person,
                                         content=month_content(region, period))


def published_months(user, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], dict]:
    """The published figures of the months from ``start`` to ``end`` that ``user`` sees, by (section
    code, first day of the month): each a section's row as published (:func:`month_content`) with
    ``published`` (the moment) and ``edition``. Of several publications naming a section for a month
    (a correction, a county's and its city's), the latest published stands."""
    keys = [m.key for m in Period.custom(start, end).months()]
    found: dict[tuple[str, dt.date], dict] = {}
    for record in policy.visible(user, PublishedMonth.objects.filter(period__in=keys)).order_by("published", "number"):
        month = dt.date.fromisoformat(record.content["month"])
        for row in record.content["sections"]:
            found[(row["code"], month)] = {**row, "published": record.published, "edition": record.number}
    return found


