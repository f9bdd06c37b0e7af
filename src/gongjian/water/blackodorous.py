"""Black-odorous water bodies: their level judged from the surveys by the guideline
(:mod:`gongjian.standards.blackodorous`, 城市黑臭水体整治工作指南, 建城〔2015〕130号), and the
half-yearly public list (the Jiaozuo plan: 每半年公布治理情况), frozen when published.

A survey is every point result of the body in a window of days (by default the 31 days ending on the
body's latest sampling): each point's samplings give its grade (``point_grade``), the points in
their order along the water (the point names, sorted) give the body's (``water_body_grade``). A body
never surveyed has no level ("no data"), never "not black-odorous".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.ledger import next_number, require_ended
from gongjian.periods import Period, PeriodKind
from gongjian.regions import policy

from .ledgers import (
    LEVELS,
    SURVEY_DAYS,
    BlackOdorousList,
    BlackOdorousStep,
    BlackOdorousSurvey,
    BlackOdorousWaterBody,
    judge,
    survey_window,
)

__all__ = ["SURVEY_DAYS", "judge", "list_content", "publish_list", "survey_window"]

def list_content(region, period: Period) -> dict:
    """The list as published for ``region`` and the half-year ``period``: every body on the ledger, its
    place, size, responsible units, level, target year and status as at the period's end: the status
    of its last step taken before the period ended, the level judged from the surveys sampled by the
    period's end (:func:`~gongjian.water.ledgers.judge` on the survey window ending on the last such
    sampling; a survey after the period does not change the list). The steps are read in one query."""
    bodies = list(BlackOdorousWaterBody.objects.filter(region__path__startswith=region.path)
                  .select_related("region").order_by("region__path", "code"))
    until = clock.day_bounds(period.end)[1]
    last_step: dict[int, str] = {}
    for record_id, status in (BlackOdorousStep.objects
                              .filter(record__in=[b.pk for b in bodies], at__lt=until)
                              .order_by("record_id", "at", "pk").values_list("record_id", "status")):
        last_step[record_id] = status  # ordered by time: the last one stands
    last_survey = dict(BlackOdorousSurvey.objects.filter(body__in=[b.pk for b in bodies], sampled__lte=period.end)
                       .values("body").annotate(last=Max("sampled")).values_list("body", "last"))
    rows, counts = [], {}
    for b in bodies:
        status = last_step.get(b.pk, BlackOdorousWaterBody.workflow.initial)
        counts[status] = counts.get(status, 0) + 1
        grade = judge(b, last_survey[b.pk], save=False).grade if b.pk in last_survey else None
        value = LEVELS[grade] if grade is not None else ""  # no survey, or no longer black-odorous
        level = BlackOdorousWaterBody.Level(value).label if value else None
        rows.append({"code": b.code, "name": b.name, "region": b.region.name, "location": b.location,
                     "start_point": b.start_point, "end_point": b.end_point, "length_km": b.length_km,
                     "area_km2": b.area_km2, "responsible_units": b.responsible_units,
                     "level": str(level) if level is not None else None, "target_year": b.target_year,
                     "status": BlackOdorousWaterBody.workflow.label(status)})
    return {"period": period.key, "period_label": period.label("zh-hans"), "bodies": rows,
            "counts": {BlackOdorousWaterBody.workflow.label(s): n for s, n in counts.items()}}


@transaction.atomic
def publish_list(region, period: Period, person) -> BlackOdorousList:
    """Publish the half-yearly list of ``region`` for a half-year that has ended, as its office."""
    if not policy.can_place(person, region):
        raise PermissionDenied
    if period.kind != PeriodKind.HALF_YEAR:
        raise ValidationError({"period": _("The list covers a half-year (e.g. 2020-H2).")})
    require_ended(period)
    return BlackOdorousList.objects.create(region=region, period=period.key,
                                           number=next_number(BlackOdorousList, region, period.key),
                                           published=clock.now(), published_by=person,
                                           content=list_content(region, period))
