"""What the regions pages accept: region outlines to import, a name to resolve, one's own API tokens. Built on
:class:`gongjian.core.forms.ScopedForm`: the regions offered are those the person sees."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import ScopedForm, UploadField
from gongjian.core.uploads import BOUNDARIES

from . import tokens
from .models import ApiToken, Region


class BoundaryImportForm(ScopedForm):
    """A GeoJSON file of region outlines and how its features name their regions."""

    file = UploadField(BOUNDARIES, label=_("GeoJSON file"))
    match_by = forms.ChoiceField(label=_("match regions by"), choices=[("code", _("division code")), ("name", _("name"))])


class ResolveForm(ScopedForm):
    """A name as written in a document, and the region whose document it is (a county or above)."""

    name = forms.CharField(label=_("name as written"), max_length=128)
    context = forms.ModelChoiceField(label=_("in the document of"), queryset=Region.objects.filter(level__lte=3))


class TokenCreateForm(ScopedForm):
    """A new API token of one's own, named for what it is for."""

    name = forms.CharField(label=_("what the token is for"), max_length=80)


class TokenRevokeForm(ScopedForm):
    """One of one's own tokens to revoke. Tokens belong to a person, not to a region, so the choice is
    the person's own active tokens: another's token is an invalid choice, as if it did not exist."""

    token = forms.ModelChoiceField(label=_("API token"), queryset=ApiToken.objects.none())

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["token"].queryset = tokens.active_tokens(user)
