"""From alarms to verification notices (核查通知) and their on-site results.

The office selects open alarms and sends them to a town office or a department with a deadline and
what to check (Yibin plan, L206: if the analysis suggests controls were not applied, send a
verification notice to the town office at once). The receiver records what it found on site -
confirmed or not, the measures taken, photos - and the alarms take that outcome; the office closes
the notice. A breach confirmed here is where a supervision case (督办) of the task ledger starts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.uploads import PHOTO, check_attachments
from gongjian.regions import policy
from gongjian.regions.models import Organisation, OrganisationKind

from .monitoring import Alarm, NoticePhoto, VerificationNotice

__all__ = ["RECIPIENT_KINDS", "close", "dismiss", "issue", "may_close", "may_report", "report"]

#: Photos one result may carry.
MAX_PHOTOS = 20

#: Who may receive a verification notice: the town's government office, or a department.
RECIPIENT_KINDS = (OrganisationKind.TOWN_OFFICE, OrganisationKind.DEPARTMENT, OrganisationKind.ENVIRONMENT_BUREAU,
                   OrganisationKind.GOVERNMENT, OrganisationKind.ZONE_COMMITTEE)


@transaction.atomic
def issue(alarms: list[Alarm], recipient: Organisation, deadline: dt.datetime, instructions: str, by) -> VerificationNotice:
    """A notice for ``alarms`` (open, and the sender's to act on) to ``recipient``."""
    if not alarms:
        raise ValidationError(_("Choose at least one alarm."))
    for alarm in alarms:
        if not policy.can_change(by, alarm):
            raise PermissionDenied
        if alarm.status != Alarm.Status.OPEN:
            raise ValidationError(_("Alarm %(a)s is no longer open.") % {"a": alarm})
    if recipient.kind not in RECIPIENT_KINDS:
        raise ValidationError(_("A verification notice goes to a town office or a department."))
    if not policy.can_place(by, recipient.region):
        raise PermissionDenied
    issued = clock.now()
    if deadline <= issued:
        raise ValidationError(_("The deadline is in the future."))
    if not instructions.strip():
        raise ValidationError(_("Say what is to be checked."))
    notice = VerificationNotice.objects.create(region=recipient.region, recipient=recipient, issued_by=by,
                                               issued=issued, deadline=deadline, instructions=instructions.strip())
    for alarm in alarms:  # one by one, not .update(): each alarm's history says when it was notified
        alarm.status, alarm.notice = Alarm.Status.NOTIFIED, notice
        alarm.save(update_fields=["status", "notice"])
    return notice


def may_report(person, notice: VerificationNotice) -> bool:
    """The receiving organisation's people report the result (an administrator may too)."""
    return person.is_superuser or (person.organisation_id == notice.recipient_id and policy.can_see(person, notice))


def report(notice: VerificationNotice, *, confirmed: bool, finding: str, measures: str, photos=(), by) -> None:
    """The on-site result: the alarms become confirmed or not confirmed. Photos are JPEG, PNG or
    WebP by their content and within the size limit (:data:`~gongjian.core.uploads.PHOTO`), all
    checked before anything is stored."""
    if not may_report(by, notice):
        raise PermissionDenied
    if notice.status != VerificationNotice.Status.SENT:
        raise ValidationError(_("The result has been reported already."))
    if not finding.strip():
        raise ValidationError(_("Say what was found on site."))
    if confirmed and not measures.strip():
        raise ValidationError(_("A confirmed breach needs the measures taken."))
    photos = check_attachments(photos, PHOTO, at_most=MAX_PHOTOS)
    with transaction.atomic():
        notice.status, notice.confirmed = VerificationNotice.Status.REPORTED, confirmed
        notice.finding, notice.measures = finding.strip(), measures.strip()
        notice.reported_by, notice.reported = by, clock.now()
        notice.save()
        for upload in photos:
            NoticePhoto.objects.create(notice=notice, image=upload, caption=Path(upload.name).name[:200])
        for alarm in notice.alarms.all():  # one by one: each alarm's history says when it was confirmed
            alarm.status = Alarm.Status.CONFIRMED if confirmed else Alarm.Status.NOT_CONFIRMED
            alarm.save(update_fields=["status"])


def may_close(person, notice: VerificationNotice) -> bool:
    """The office of the notice's region accepts the result, never the receiver itself."""
    return policy.can_change(person, notice) and person.organisation_id != notice.recipient_id


@transaction.atomic
def close(notice: VerificationNotice, by) -> None:
    """The office accepts the result."""
    if not may_close(by, notice):
        raise PermissionDenied
    if notice.status != VerificationNotice.Status.REPORTED:
        raise ValidationError(_("Only a reported notice can be closed."))
    notice.status, notice.closed_by, notice.closed = VerificationNotice.Status.CLOSED, by, clock.now()
    notice.save()


def dismiss(alarm: Alarm, reason: str, by) -> None:
    """An open alarm that needs no check (a known calibration, a reported stop), with the reason."""
    if not policy.can_change(by, alarm):
        raise PermissionDenied
    if alarm.status != Alarm.Status.OPEN:
        raise ValidationError(_("Only an open alarm can be dismissed."))
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    alarm.status = Alarm.Status.DISMISSED
    alarm.evidence = f"{alarm.evidence}\n{_('Dismissed')}: {reason.strip()} ({by})"
    alarm.save(update_fields=["status", "evidence"])
