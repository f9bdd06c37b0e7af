"""Exceptional events: proposed by one person, accepted or rejected by another (four eyes), and the
daily results recomputed for what they touch."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.regions import policy

from .models import ExceptionalEvent

__all__ = ["decide_event", "propose_event"]


def propose_event(*, kind: str, region, start, end, stations, description: str, user) -> ExceptionalEvent:
    """Record a proposed event; every station must lie in ``region`` and ``region`` in the user's jurisdiction."""
    if not policy.can_place(user, region):
        raise PermissionDenied("you may only propose events in your jurisdiction")
    stations = list(stations)
    outside = [s.code for s in stations if not s.region.path.startswith(region.path)]
    if outside:
        raise ValidationError({"stations": f"stations outside {region}: {', '.join(outside)}"})
    if not stations:
        raise ValidationError({"stations": "name at least one station"})
    event = ExceptionalEvent(kind=kind, region=region, start=start, end=end, description=description, proposed_by=user)
    event.full_clean(exclude=["stations"])
    with transaction.atomic():
        event.save()
        event.stations.set(stations)
    return event


def decide_event(event: ExceptionalEvent, *, accept: bool, user, note: str = "") -> ExceptionalEvent:
    """Accept or reject a proposed event. The approver is an editor of the region who did not propose it;
    accepting or rejecting recomputes the daily results of the event's days and stations."""
    if event.status != ExceptionalEvent.Status.PROPOSED:
        raise ValidationError(_("this event was already %(status)s") % {"status": event.get_status_display()})
    if not policy.can_change(user, event):
        raise PermissionDenied(_("only an editor of the region decides on its events"))
    if event.proposed_by_id == user.pk:
        raise PermissionDenied(_("the person who proposed an event cannot also approve it"))
    with transaction.atomic():
        event.status = ExceptionalEvent.Status.ACCEPTED if accept else ExceptionalEvent.Status.REJECTED
        event.decided_by, event.decided_at, event.decision_note = user, clock.now(), note[:300]
        event.save()
        if accept:
            from .tasks import enqueue_recompute

            ids = list(event.stations.values_list("pk", flat=True))
            transaction.on_commit(lambda: enqueue_recompute(clock.day_of(event.start), clock.day_of(event.end), ids))
    return event
