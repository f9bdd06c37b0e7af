"""What the regions pages accept: region outlines to import, a name to resolve. Built on
:class:`gongjian.core.forms.ScopedForm`: the regions offered are those the person sees."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import ScopedForm, UploadField
from gongjian.core.uploads import BOUNDARIES

from .models import Region


class BoundaryImportForm(ScopedForm):
    """A GeoJSON file of region outlines and how its features name their regions."""

    file = UploadField(BOUNDARIES, label=_("GeoJSON file"))
    match_by = forms.ChoiceField(label=_("match regions by"), choices=[("code", _("division code")), ("name", _("name"))])


class ResolveForm(ScopedForm):
    """A name as written in a document, and the region whose document it is (a county or above)."""

    name = forms.CharField(label=_("name as written"), max_length=128)
    context = forms.ModelChoiceField(label=_("in the document of"), queryset=Region.objects.filter(level__lte=3))
