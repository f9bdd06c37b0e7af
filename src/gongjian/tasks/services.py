"""What the tasks app offers the other layers: the deadlines and the supervision cases that wait on
a person, for the home page, and opening a case from another app's finding (a water alarm).

Others read this app only through this module (docs/architecture.md, "Apps talk through services").
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from gongjian import clock
from gongjian.regions import policy

from . import supervision, tracking
from .models import Milestone, SupervisionCase

__all__ = ["HORIZON_DAYS", "cases_waiting", "deadlines", "open_case"]

#: "Due soon" on the home page: the next seven days, as the reminders count them (tracking.remind).
HORIZON_DAYS = 7

S = SupervisionCase.Status


def deadlines(user, *, today: dt.date | None = None) -> tuple[list[Milestone], list[Milestone]]:
    """The open deadlines of the tasks ``user`` sees: ``(overdue, due in the next seven days)``."""
    return tracking.due(user, today=today or clock.today(), horizon=HORIZON_DAYS)


def cases_waiting(user) -> QuerySet[SupervisionCase]:
    """The cases whose next step is ``user``'s: assigned to their organisation to rectify; for an
    office, those found, rectified or verified in its jurisdiction, waiting to be assigned, verified
    or closed (the steps of :mod:`gongjian.tasks.supervision`). By deadline, the earliest first."""
    waiting = Q(status=S.ASSIGNED, assignee_id=getattr(user, "organisation_id", None))
    if user.role_can_edit:
        office = Q(status__in=(S.FOUND, S.RECTIFIED, S.VERIFIED))
        if user.organisation_id:
            office &= ~Q(assignee_id=user.organisation_id)
        waiting |= office
    return (policy.visible(user, SupervisionCase.objects.filter(waiting)).select_related("assignee", "region")
            .order_by("deadline", "-opened"))


def open_case(region, title: str, source: str, person, **origin) -> SupervisionCase:
    """A supervision case opened from another app's finding (``water_alarm=``, ``alarm=``, ...):
    :func:`gongjian.tasks.supervision.open_case`, with its checks."""
    return supervision.open_case(region, title, source, person, **origin)
