"""What the water pages accept: a results file to import, and the opening of a supervision case
from a water alarm. Built on :class:`gongjian.core.forms.ScopedForm`; the services
(:mod:`gongjian.water.services`) decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import ScopedForm, UploadField
from gongjian.core.uploads import TABLE

__all__ = ["OpenCaseForm", "SamplesImportForm"]


class SamplesImportForm(ScopedForm):
    """A results file (CSV or Excel: ``section, date, item, value`` and optional ``kind``, ``target``,
    ``unit``), validated as an upload of a table before it is read; the whole file or nothing."""

    file = UploadField(TABLE, label=_("results file (CSV or Excel)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,.xls"


class OpenCaseForm(ScopedForm):
    """Open a supervision case from an alarm: nothing to fill in but an optional note (the service
    writes the alarm's evidence into the case)."""

    note = forms.CharField(label=_("note"), required=False, max_length=500)
