"""What the source-monitoring pages accept: a verification notice for chosen alarms, an alarm
dismissed, a notice's result or its closing, a file of electricity readings. Choices are scoped by
the policy (:class:`gongjian.core.forms.ScopedForm`); :mod:`.verification` decides the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DateTimeField, ScopedForm, UploadField, UploadsField
from gongjian.core.uploads import PHOTO, TABLE
from gongjian.regions.models import Organisation

from .monitoring import Alarm


class VerificationNoticeForm(ScopedForm):
    """A verification notice: the alarms it asks about (of ``alarms``, the list the page shows), to
    whom, by when, what to check."""

    alarm = forms.ModelMultipleChoiceField(label=_("Alarms"), queryset=Alarm.objects.all(), required=False)
    recipient = forms.ModelChoiceField(label=_("Recipient"), queryset=Organisation.objects.all())
    deadline = DateTimeField(label=_("Deadline"), error_messages={"invalid": _("The deadline is not a date and time."),
                                                                   "required": _("The deadline is not a date and time.")})
    instructions = forms.CharField(label=_("Instructions"), required=False)

    def __init__(self, user, *args, alarms, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["alarm"].queryset = self.fields["alarm"].queryset.filter(pk__in=alarms.values("pk"))


class DismissForm(ScopedForm):
    """Why an alarm is dismissed."""

    reason = forms.CharField(label=_("Reason"), required=False)


class NoticeResultForm(ScopedForm):
    """On a verification notice: the recipient's result (confirmed or not, what was found and done,
    photos), or ``action=close`` by the office."""

    action = forms.ChoiceField(choices=[("report", "report"), ("close", "close")], required=False)
    confirmed = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")], required=False)
    finding = forms.CharField(label=_("Finding"), required=False)
    measures = forms.CharField(label=_("Measures taken"), required=False)
    photos = UploadsField(PHOTO, label=_("Photos"), required=False)


class ReadingsImportForm(ScopedForm):
    """A file of electricity readings, and why readings already stored are corrected."""

    file = UploadField(TABLE, label=_("File"))
    reason = forms.CharField(label=_("Reason"), required=False)
