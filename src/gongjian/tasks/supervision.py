"""Supervision cases (督办) through their steps: find -> assign -> rectify -> verify -> close, or
escalate to a summons and to accountability. Each step checks who may take it and records who,
when, the note and the evidence; a step out of order is refused with the reason.

=============  ==================================  =====================================
step           from                                taken by
=============  ==================================  =====================================
assign         found, summoned, assigned (again)   the office that opened the case
rectify        assigned                            the assigned unit's people
verify         rectified                           the office: passed -> verified,
                                                   failed -> assigned again, new deadline
close          verified, accountable               the office
summon         assigned, rectified                 the office (overdue or failed work)
accountable    summoned                            the office
=============  ==================================  =====================================
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.uploads import ATTACHMENT, check_attachments
from gongjian.regions import policy

from .models import CaseStep, SupervisionCase

__all__ = ["accountable", "assign", "close", "may_act_as_office", "open_case", "rectify", "summon", "verify"]

S = SupervisionCase.Status


def _office(case: SupervisionCase, person) -> None:
    """The office's steps are taken at the level that opened the case (a county does not escalate
    the city's case), and never by the unit the case is assigned to."""
    opener = case.opened_by.jurisdiction
    if not policy.can_change(person, case) or (opener is not None and not policy.can_place(person, opener)):
        raise PermissionDenied
    if case.assignee_id and person.organisation_id == case.assignee_id:
        raise PermissionDenied


def may_act_as_office(case: SupervisionCase, person) -> bool:
    try:
        _office(case, person)
    except PermissionDenied:
        return False
    return True


def _from(case: SupervisionCase, *allowed: str) -> None:
    if case.status not in allowed:
        raise ValidationError(_("A case that is %(s)s cannot take this step.") % {"s": case.get_status_display()})


def _note(note: str) -> str:
    if not note.strip():
        raise ValidationError(_("Say what was done and why."))
    return note.strip()


def _step(case: SupervisionCase, status: str, person, note: str, **fields) -> CaseStep:
    case.status = status
    if status == S.CLOSED:
        case.closed = clock.now()
    case.save()
    return CaseStep.objects.create(case=case, status=status, at=clock.now(), by=person, note=note, **fields)


@transaction.atomic
def open_case(region, title: str, source: str, person, *, description: str = "", alarm=None, notice=None,
              task=None, water_alarm=None) -> SupervisionCase:
    """A problem found, in ``region``, with what it came from (a sources alarm, a water alarm, a
    verification notice, a task)."""
    if not policy.can_place(person, region):
        raise PermissionDenied
    if source not in SupervisionCase.Source.values:
        raise ValidationError(_("Unknown source %(s)s.") % {"s": source})
    if not title.strip():
        raise ValidationError(_("Name the problem."))
    case = SupervisionCase.objects.create(region=region, title=title.strip()[:200], description=description,
                                          source=source, alarm=alarm, notice=notice, task=task,
                                          water_alarm=water_alarm, opened_by=person, opened=clock.now())
    CaseStep.objects.create(case=case, status=S.FOUND, at=case.opened, by=person, note=description or title)
    return case


@transaction.atomic
def assign(case: SupervisionCase, assignee, deadline: dt.date, note: str, person) -> CaseStep:
    _office(case, person)
    _from(case, S.FOUND, S.SUMMONED, S.ASSIGNED)
    if deadline <= clock.today():
        raise ValidationError(_("The deadline is in the future."))
    if not policy.visible(person, type(assignee).objects.filter(pk=assignee.pk)).exists():
        raise PermissionDenied
    case.assignee, case.deadline = assignee, deadline
    return _step(case, S.ASSIGNED, person, _note(note), assignee=assignee, deadline=deadline)


@transaction.atomic
def rectify(case: SupervisionCase, note: str, person, evidence=None) -> CaseStep:
    """The assigned unit reports its rectification (with evidence)."""
    if not (person.is_superuser or (case.assignee_id and person.organisation_id == case.assignee_id)):
        raise PermissionDenied
    _from(case, S.ASSIGNED)
    check_attachments([evidence], ATTACHMENT)
    return _step(case, S.RECTIFIED, person, _note(note), evidence=evidence or "")


@transaction.atomic
def verify(case: SupervisionCase, passed: bool, note: str, person, *, new_deadline: dt.date | None = None,
           evidence=None) -> CaseStep:
    """The office checks the rectification: passed, or back to the unit with a new deadline."""
    _office(case, person)
    _from(case, S.RECTIFIED)
    check_attachments([evidence], ATTACHMENT)
    if passed:
        return _step(case, S.VERIFIED, person, _note(note), evidence=evidence or "")
    if new_deadline is None or new_deadline <= clock.today():
        raise ValidationError(_("A failed check sends the case back with a new deadline."))
    case.deadline = new_deadline
    return _step(case, S.ASSIGNED, person, _note(note), assignee=case.assignee, deadline=new_deadline,
                 evidence=evidence or "")


@transaction.atomic
def close(case: SupervisionCase, note: str, person) -> CaseStep:
    _office(case, person)
    _from(case, S.VERIFIED, S.ACCOUNTABLE)
    return _step(case, S.CLOSED, person, _note(note))


@transaction.atomic
def summon(case: SupervisionCase, note: str, person) -> CaseStep:
    """Escalate: the unit's leaders are summoned (约谈)."""
    _office(case, person)
    _from(case, S.ASSIGNED, S.RECTIFIED)
    return _step(case, S.SUMMONED, person, _note(note))


@transaction.atomic
def accountable(case: SupervisionCase, note: str, person) -> CaseStep:
    """Escalate further: those responsible are held accountable (问责)."""
    _office(case, person)
    _from(case, S.SUMMONED)
    return _step(case, S.ACCOUNTABLE, person, _note(note))
