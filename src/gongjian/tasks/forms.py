"""What the task pages accept: progress and milestones, reminders read, a plan to import and its
reviewed proposal, supervision cases and their steps. Every choice is scoped by the policy
(:class:`gongjian.core.forms.ScopedForm`); the services decide the rest (who acts for a unit, which
step may follow which)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DateField, IntegerField, ScopedForm, UploadField
from gongjian.core.uploads import ATTACHMENT, PLAN
from gongjian.regions import policy
from gongjian.regions.models import Organisation, Region
from gongjian.sources import services as sources
from gongjian.water import services as water

from .models import BulletinIssue, Milestone, Reminder, SupervisionCase, Task


class TaskUpdateForm(ScopedForm):
    """On a task's page: mark one of its milestones completed (``milestone``), or report progress."""

    milestone = forms.ModelChoiceField(queryset=Milestone.objects.all(), required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("What has been done"), required=False)
    percent = IntegerField(label=_("Done, in percent"), required=False, min_value=0, max_value=100,
                           error_messages={"min_value": _("The share done is between 0 and 100."),
                                           "max_value": _("The share done is between 0 and 100.")})
    attachment = UploadField(ATTACHMENT, label=_("Attachment"), required=False)

    def __init__(self, user, *args, task: Task, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["milestone"].queryset = self.fields["milestone"].queryset.filter(task=task)

    def clean(self):
        data = super().clean()
        if data.get("milestone") is None and not self.errors:
            if not (data.get("text") or "").strip():
                self.add_error("text", _("Say what has been done."))
            if data.get("percent") is None:
                self.add_error("percent", _("The share done is between 0 and 100."))
        return data


class RemindersReadForm(ScopedForm):
    """The reminders an organisation has read (of its own unread ones)."""

    reminder = forms.ModelMultipleChoiceField(queryset=Reminder.objects.filter(read__isnull=True), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["reminder"].queryset = self.fields["reminder"].queryset.filter(
            organisation_id=user.organisation_id or 0)


class BulletinPublishForm(ScopedForm):
    """Publish the weekly dispatch or the monthly bulletin of the period holding ``date`` under the
    office's next issue number."""

    kind = forms.ChoiceField(label=_("Kind"), choices=BulletinIssue.Kind.choices)
    date = DateField(label=_("Date in the period"))


class PlanImportForm(ScopedForm):
    """A plan document for one of the regions whose own plans the person enters."""

    region = forms.ModelChoiceField(label=_("Region of the plan"), queryset=Region.objects.order_by("path"))
    file = UploadField(PLAN, label=_("Plan document"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["region"].queryset = policy.own_jurisdiction(user).order_by("path")


class PlanReviewForm(ScopedForm):
    """The reviewed proposal of a plan import: per proposed task its units and deadlines as edited
    (``lead-N``, ``responsible-N``, ``deadline-N``), the tasks to include, the organisation each
    unresolved unit name maps to (``map-N``), or ``action=discard``."""

    action = forms.ChoiceField(choices=[("adopt", "adopt"), ("discard", "discard")], required=False)
    include = forms.TypedMultipleChoiceField(coerce=int, required=False)
    remember = forms.BooleanField(required=False)

    def __init__(self, user, *args, proposal: dict, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.proposal = proposal
        self.fields["include"].choices = [(i, i) for i in range(len(proposal.get("tasks", ())))]
        for index in range(len(proposal.get("tasks", ()))):
            for name in ("lead", "responsible", "deadline"):
                self.fields[f"{name}-{index}"] = forms.CharField(required=False, strip=False)
        for n in range(len(proposal.get("units", ()))):
            self.fields[f"map-{n}"] = forms.ModelChoiceField(queryset=policy.visible(user, Organisation.objects.all()),
                                                             required=False)

    @property
    def discard(self) -> bool:
        return self.cleaned_data.get("action") == "discard"

    def edits(self) -> dict[int, dict[str, str]]:
        """The units and deadlines the reviewer changed, per task index (fields not sent are unchanged)."""
        edits = {}
        for index, task in enumerate(self.proposal.get("tasks", ())):
            was = {"lead": "、".join(task["lead"]), "responsible": "、".join(task["responsible"]),
                   "deadline": "；".join(d["text"] for d in task["deadlines"])}
            changed = {name: self.cleaned_data[f"{name}-{index}"] for name in was
                       if f"{name}-{index}" in self.data and self.cleaned_data[f"{name}-{index}"].strip() != was[name]}
            if changed:
                edits[index] = changed
        return edits

    def mapping(self) -> dict[str, int]:
        """Unit name -> the organisation the reviewer chose for it."""
        return {name: self.cleaned_data[f"map-{n}"].pk for n, name in enumerate(self.proposal.get("units", ()))
                if self.cleaned_data.get(f"map-{n}") is not None}


class CaseOriginForm(ScopedForm):
    """What a new supervision case comes from, when it comes from something the person sees: a
    verification notice, an alarm (of sources or of water) or a lagging task."""

    notice = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    alarm = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    water_alarm = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    task = forms.ModelChoiceField(queryset=Task.objects.all(), required=False, widget=forms.HiddenInput)

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        # the other app's records, read through its services (which scope them by the policy)
        self.fields["notice"].queryset = sources.visible_notices(user)
        self.fields["alarm"].queryset = sources.visible_alarms(user)
        self.fields["water_alarm"].queryset = water.visible_alarms(user)


class CaseForm(CaseOriginForm):
    """A new supervision case: where, what, from what."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("path"))
    source = forms.ChoiceField(label=_("Source"), choices=SupervisionCase.Source.choices, required=False)
    title = forms.CharField(label=_("Problem"), required=False)
    description = forms.CharField(label=_("Description"), required=False)


class CaseStepForm(ScopedForm):
    """The next step of a case: assign (to a unit, by a deadline), rectify, verify (passed, or a new
    deadline), close, summon, hold accountable; evidence as an attachment."""

    STEPS = ("assign", "rectify", "verify", "close", "summon", "accountable")

    step = forms.ChoiceField(choices=[(s, s) for s in STEPS], error_messages={"invalid_choice": _("Unknown step."),
                                                                              "required": _("Unknown step.")})
    note = forms.CharField(label=_("Note"), required=False)
    assignee = forms.ModelChoiceField(label=_("Assign to"), required=False,
                                      queryset=Organisation.objects.exclude(kind="enterprise").order_by("region__path",
                                                                                                          "name"))
    deadline = DateField(label=_("Deadline"), required=False,
                         error_messages={"invalid": _("The deadline is not a date.")})
    passed = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")], required=False)
    evidence = UploadField(ATTACHMENT, label=_("Evidence"), required=False)

    def clean(self):
        data = super().clean()
        step = data.get("step")
        if step == "assign" and data.get("assignee") is None and "assignee" not in self.errors:
            self.add_error("assignee", _("Choose the unit the case is assigned to."))
        needs_deadline = step == "assign" or (step == "verify" and data.get("passed") != "yes")
        if needs_deadline and data.get("deadline") is None and "deadline" not in self.errors:
            raise ValidationError({"deadline": _("The deadline is not a date.")})
        return data
