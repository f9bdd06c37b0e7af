"""Forms of the water ledgers' pages: publishing a list for a period, recording an outfall's month."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DateField, ScopedForm
from gongjian.periods import Period
from gongjian.regions.models import Region

from .ledgers import OUTFALL_ITEMS


class PublishForm(ScopedForm):
    """The office's region and the period it publishes (``2020-Q4``, ``2020-H2``)."""

    region = forms.ModelChoiceField(Region.objects.all(), label=_("region"))
    period = forms.CharField(label=_("period"), max_length=16, help_text=_("e.g. 2020-Q4 or 2020-H2"))

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        try:
            return Period.parse(text)
        except ValueError:
            raise ValidationError(_("Write the period as 2020-Q4 (a quarter) or 2020-H2 (a half-year).")) from None


class OutfallResultsForm(ScopedForm):
    """One sampling of an outfall: its day and a value for each item measured (empty: not measured)."""

    sampled = DateField(label=_("sampled on"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        for item, name in OUTFALL_ITEMS:
            self.fields[item] = forms.FloatField(label=name, required=False)

    @property
    def item_fields(self):
        return [self[item] for item, _name in OUTFALL_ITEMS]

    def values(self) -> dict[str, float]:
        return {item: self.cleaned_data[item] for item, _name in OUTFALL_ITEMS if self.cleaned_data.get(item) is not None}
