"""What the air pages accept: hourly files with their layout, the review of a quality finding, the
decision on a proposed exceptional event. Built on :class:`gongjian.core.forms.ScopedForm`; the
services (:mod:`.quality`, :mod:`.events`, :mod:`.services`) decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import ScopedForm, UploadsField
from gongjian.core.uploads import HOURLY


class UploadForm(ScopedForm):
    """Hourly files and how to read them; ``action=import`` saves what the preview showed."""

    source = forms.CharField(label=_("data source"), max_length=100,
                             help_text=_("A name for where the files come from; its layout is remembered."))
    files = UploadsField(HOURLY, label=_("files (CSV or Excel)"), required=False)
    columns = forms.CharField(label=_("column mapping"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One per line, e.g. pm25=PM2.5 or station=站点; empty keeps the remembered one."))
    units = forms.CharField(label=_("units"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("e.g. co=ug/m3"))
    hour_label = forms.ChoiceField(label=_("hour label"), choices=[("", "—"), ("start", _("start of hour")),
                                                                    ("end", _("end of hour"))], required=False)
    time_columns = forms.CharField(label=_("time columns"), required=False, help_text=_("e.g. year,month,day,hour"))
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(choices=[("preview", "preview"), ("import", "import")], required=False,
                               widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ".csv,.xlsx,.xls"


class FindingReviewForm(ScopedForm):
    """A quality finding confirmed (the hours are invalid) or overridden (they are valid after all)."""

    decision = forms.ChoiceField(choices=[("confirm", "confirm"), ("override", "override")])
    note = forms.CharField(required=False)


class EventDecisionForm(ScopedForm):
    """A proposed exceptional event accepted or rejected."""

    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    note = forms.CharField(required=False)
