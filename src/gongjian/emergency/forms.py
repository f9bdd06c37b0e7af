"""What the emergency pages accept: a warning decision, a forecast, a new draft of a reduction list,
a list file, the proposed measures accepted, a notice read. Choices are scoped by the policy
(:class:`gongjian.core.forms.ScopedForm`); the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DateTimeField, IntegerField, ScopedForm, UploadField
from gongjian.core.uploads import TABLE
from gongjian.regions.models import Region

from .models import Level, Notice, WarningAction


class DecisionForm(ScopedForm):
    """A warning decision as posted from the dashboard; the region is one the person sees (whether
    they decide for it is ``episodes.may_act``)."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    kind = forms.ChoiceField(label=_("Action"), choices=WarningAction.Kind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, required=False)
    at = DateTimeField(label=_("Effective from"),
                       error_messages={"required": _("Give the time the decision takes effect."),
                                       "invalid": _("Give the time the decision takes effect.")})
    reason = forms.CharField(label=_("Reason"), required=False)
    confirmed = forms.BooleanField(required=False)


class RegionPickForm(ScopedForm):
    """Which of ``regions`` (those a page can show the person) the page shows, from ``?region=``; no
    region, or one outside them, is the first of them (:meth:`chosen`)."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)

    def __init__(self, user, *args, regions: list[Region], **kwargs):
        super().__init__(user, *args, **kwargs)
        self.regions = regions
        self.fields["region"].queryset = self.fields["region"].queryset.filter(pk__in=[r.pk for r in regions])

    def chosen(self) -> Region | None:
        if self.is_valid() and self.cleaned_data["region"] is not None:
            return self.cleaned_data["region"]
        return self.regions[0] if self.regions else None


class ForecastForm(ScopedForm):
    """A forecast for one of ``regions`` (where the person may place one): days as text
    (``date,AQI`` per line) or a file. The issue date is read with the days, so that a bad one is
    listed with theirs."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    issued_on = forms.CharField(required=False)
    days = forms.CharField(required=False, strip=False)
    file = UploadField(TABLE, required=False)

    def __init__(self, user, *args, regions: list[Region], **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["region"].queryset = self.fields["region"].queryset.filter(pk__in=[r.pk for r in regions])


class DraftForm(ScopedForm):
    """A new draft of a reduction list: its year and inventory year (blank: the current version's)."""

    year = IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    inventory_year = IntegerField(label=_("Inventory year"), required=False, min_value=2000, max_value=2100)


class ListImportForm(ScopedForm):
    """A reduction list as an Excel or CSV file."""

    file = UploadField(TABLE, label=_("File"))


class AcceptMeasuresForm(ScopedForm):
    """The enterprises whose proposed measures are accepted (of those proposed)."""

    enterprise = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, user, *args, proposed, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["enterprise"].choices = [(pk, pk) for pk in proposed]


class NoticeReadForm(ScopedForm):
    """A warning notice marked read."""

    notice = forms.ModelChoiceField(queryset=Notice.objects.all())


class MetForecastForm(ScopedForm):
    """A meteorological forecast file for one of ``regions`` (where the person may place one)."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    file = UploadField(TABLE, label=_("File"))

    def __init__(self, user, *args, regions: list[Region], **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["region"].queryset = self.fields["region"].queryset.filter(pk__in=[r.pk for r in regions])


class IssueRunForm(ScopedForm):
    """Issue a forecast run now for one of ``regions``."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())

    def __init__(self, user, *args, regions: list[Region], **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["region"].queryset = self.fields["region"].queryset.filter(pk__in=[r.pk for r in regions])


class PublishRunForm(ScopedForm):
    """Publish a draft run (nothing to fill in: the page's button)."""


class EvaluateForm(ScopedForm):
    """Compute a warning's evaluation again (the page's button)."""


class PublishEvaluationForm(ScopedForm):
    """Publish a warning's evaluation (nothing to fill in: the page's button)."""


class AdjustRunForm(ScopedForm):
    """A forecaster's changes to the region's days of a run: per day the AQI and its range (and the
    primary pollutant), and the reason. ``days`` are the run's region days (``ForecastValue``)."""

    reason = forms.CharField(label=_("Reason for the adjustment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, user, *args, days, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.days = list(days)
        for value in self.days:
            key = value.day.isoformat()
            for name, label, initial in (("aqi", _("AQI"), value.aqi), ("low", _("AQI from"), value.aqi_low),
                                         ("high", _("AQI to"), value.aqi_high)):
                self.fields[f"{name}_{key}"] = IntegerField(label=f"{key} {label}", min_value=0, max_value=500,
                                                            initial=initial)
            self.fields[f"primary_{key}"] = forms.CharField(label=f"{key} {_('primary pollutant')}", required=False,
                                                            max_length=40, initial=value.primary)

    def rows(self):
        """The fields of each day, for the page's table."""
        return [(v, [self[f"{n}_{v.day.isoformat()}"] for n in ("aqi", "low", "high", "primary")]) for v in self.days]

    def changes(self) -> dict:
        """Day -> (AQI, from, to, primary) as posted."""
        data = self.cleaned_data
        return {v.day: (data[f"aqi_{v.day.isoformat()}"], data[f"low_{v.day.isoformat()}"],
                        data[f"high_{v.day.isoformat()}"], data[f"primary_{v.day.isoformat()}"].strip())
                for v in self.days}
