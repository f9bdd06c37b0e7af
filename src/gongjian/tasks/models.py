"""The plan's task ledger (目标任务逐项分解): plans, their indicators and tasks, the units that lead
and answer for each task, deadlines and milestones, and the progress the units report.

A plan belongs to the region that issued it and binds the regions below (a county sees its city's
plan). A task is seen by the offices of those regions, and by a department or a town government
only where its own organisation takes part (the one policy's ``participant`` rule).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongjian.core.models import RegistryModel
from gongjian.core.scope import Scope
from gongjian.regions.models import Organisation, Person, Region


class Plan(RegistryModel):
    """A plan document: 实施方案, 行动计划, 规划 - with its number, issuer, date and period."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="plans", verbose_name=_("region"))
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issuer = models.CharField(_("issued by"), max_length=120, blank=True)
    issued = models.DateField(_("issued on"), null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    source_name = models.CharField(_("source file"), max_length=200, blank=True)

    scope = Scope(region="region", inherited=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued", "title"]

    def __str__(self) -> str:
        return self.title


class Indicator(RegistryModel):
    """A plan's indicator: baseline and target as the plan states them; binding (约束性) or expected
    (预期性); a target may be an external reference ("达到省定目标")."""

    class Kind(models.TextChoices):
        BINDING = "binding", _("binding")
        EXPECTED = "expected", _("expected")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan"))
    group = models.CharField(_("group"), max_length=100, blank=True)
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline = models.CharField(_("baseline"), max_length=60, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target = models.CharField(_("target"), max_length=60)
    yearly_targets = models.JSONField(_("targets by year"), default=dict, blank=True,
                                      help_text=_('Where the plan sets one per year, e.g. {"2019": "≤60", "2020": "≤56"}.'))
    coverage = models.CharField(_("applies to"), max_length=100, blank=True,
                                help_text=_("e.g. the whole city, the built-up area, the provincial sections"))
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices, blank=True)
    external = models.BooleanField(_("meet an external target"), default=False,
                                   help_text=_("The target refers to one set elsewhere, e.g. the province's."))
    cumulative = models.BooleanField(_("cumulative over the period"), default=False)

    scope = Scope(region="plan__region", inherited=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.name


class Task(RegistryModel):
    """One task of a plan, with its place in the plan (part, headings, number) and its text."""

    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        DONE = "done", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan"))
    part = models.CharField(_("part of the plan"), max_length=200, blank=True)
    path = models.CharField(_("section"), max_length=300, blank=True)
    number = models.CharField(_("number"), max_length=20)
    text = models.TextField(_("task"))
    by_duty = models.BooleanField(_("each unit by its duties"), default=False,
                                  help_text=_("按职责分工负责: every unit named answers for its own part."))
    source_line = models.PositiveIntegerField(_("line in the source"), null=True, blank=True)
    quantities = models.JSONField(_("quantitative requirements"), default=list, blank=True,
                                  help_text=_("As written in the task, e.g. 达到87%以上, 35t/h及以下."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    organisations = models.ManyToManyField(Organisation, through="TaskUnit", related_name="tasks", blank=True, verbose_name=_("units"))

    scope = Scope(region="plan__region", inherited=True, participant="units__organisation")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:40]}"


class TaskUnit(models.Model):
    """A unit named for a task in a role; the name as the plan wrote it, and the organisation it
    was resolved to (none while it is unresolved: never dropped)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        RESPONSIBLE = "responsible", _("responsible")
        COOPERATING = "cooperating", _("cooperating")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units", verbose_name=_("task"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    name = models.CharField(_("as written"), max_length=120)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))

    scope = Scope(region="task__plan__region", inherited=True, participant="task__units__organisation")

    class Meta:
        verbose_name = _("task unit")
        verbose_name_plural = _("task units")
        ordering = ["task", "role", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.organisation or self.name}"


class Milestone(models.Model):
    """A deadline of a task. ``yearly`` milestones recur: completing one opens the next year's."""

    class Kind(models.TextChoices):
        DATE = "date", _("by a date")
        FROM = "from", _("from a date on")
        YEARLY = "yearly", _("every year")
        QUARTERLY = "quarterly", _("every quarter")
        MONTHLY = "monthly", _("every month")
        ONGOING = "ongoing", _("ongoing")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("task"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due = models.DateField(_("due"), null=True, blank=True)
    text = models.CharField(_("as written"), max_length=60, blank=True)
    done = models.DateTimeField(_("completed"), null=True, blank=True)
    done_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("done by"))

    scope = Scope(region="task__plan__region", inherited=True, participant="task__units__organisation")

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.due or self.get_kind_display()}"


class ProgressReport(models.Model):
    """What a unit reports on its task: text, percentage done, an attachment."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("task"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("unit"))
    reported_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by"))
    reported = models.DateTimeField(_("reported"))
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("done (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    attachment = models.FileField(_("attachment"), upload_to="progress/%Y/%m/", blank=True)

    scope = Scope(region="task__plan__region", inherited=True, participant="task__units__organisation")

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.organisation} {self.percent}%"


class PlanImport(models.Model):
    """A plan document read into a proposed ledger, waiting for a person's review: the source text,
    what was read (tasks, indicators, figures that disagree, problems) and the units' resolution."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("waiting for review")
        ADOPTED = "adopted", _("adopted")
        DISCARDED = "discarded", _("discarded")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    source_name = models.CharField(_("source file"), max_length=200)
    source = models.TextField(_("source text"))
    proposal = models.JSONField(_("proposal"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by"))
    created = models.DateTimeField(_("imported at"), auto_now_add=True)
    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("plan"))

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.source_name


class SupervisionCase(models.Model):
    """A supervision case (督办): a problem found (排查) - from an alarm or a verification notice, an
    inspection, a public report or a lagging task - assigned to a unit with a deadline (交办), rectified
    and reported by it, verified (核查), and closed (销号); or escalated to a summons (约谈) and to
    accountability (问责). Every step is a :class:`CaseStep` with who, when and the evidence."""

    class Source(models.TextChoices):
        ALARM = "alarm", _("monitoring alarm")
        NOTICE = "notice", _("verification notice")
        INSPECTION = "inspection", _("inspection")
        PUBLIC_REPORT = "public_report", _("public report")
        TASK = "task", _("lagging task")

    class Status(models.TextChoices):
        FOUND = "found", pgettext_lazy("case status", "found")
        ASSIGNED = "assigned", _("assigned")
        RECTIFIED = "rectified", _("rectification reported")
        VERIFIED = "verified", _("verified")
        SUMMONED = "summoned", _("summoned")
        ACCOUNTABLE = "accountable", _("held accountable")
        CLOSED = "closed", pgettext_lazy("case status", "closed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases", verbose_name=_("region"))
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("found through"), max_length=16, choices=Source.choices)
    alarm = models.ForeignKey("sources.Alarm", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases",
                              verbose_name=_("alarm"))
    water_alarm = models.ForeignKey("water.WaterAlarm", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="cases", verbose_name=_("water alarm"))
    notice = models.ForeignKey("sources.VerificationNotice", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="cases", verbose_name=_("verification notice"))
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases",
                             verbose_name=_("task"))
    assignee = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
                                 verbose_name=_("assigned to"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.FOUND)
    opened_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    opened = models.DateTimeField(_("opened"))
    closed = models.DateTimeField(_("closed"), null=True, blank=True)
    #: Every change of status, assignee and deadline (the steps say why; this says what the row was).
    history = HistoricalRecords()

    scope = Scope(region="region", participant="assignee")

    class Meta:
        verbose_name = _("supervision case")
        verbose_name_plural = _("supervision cases")
        ordering = ["-opened"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"督{self.opened:%Y}-{self.pk:04d}" if self.pk and self.opened else "-"


class CaseStep(models.Model):
    """One step of a case: what was done, by whom, when, with its note and evidence."""

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("case"))
    status = models.CharField(_("step"), max_length=12, choices=SupervisionCase.Status.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"))
    assignee = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("assigned to"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="cases/%Y/%m/", blank=True)

    scope = Scope(region="case__region", participant="case__assignee")

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_status_display()}"


class AccountabilityRule(RegistryModel):
    """An accountability rule of the plans, as an office configures it for its region (and the
    regions below); without any, the plans' defaults apply (``gongjian.analytics.scorecard``)."""

    class Kind(models.TextChoices):
        RISING = "rising", _("concentration rising quarter on quarter")
        BEHIND = "behind", _("behind the time schedule of a year target")
        BOTTOM = "bottom", _("bottom of the ranking months running")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("rule"), max_length=8, choices=Kind.choices)
    consequence = models.CharField(_("consequence"), max_length=100, help_text=_("e.g. 区域限批, 公开约谈, 约谈"))
    months = models.PositiveSmallIntegerField(_("months running"), default=3)
    bottom = models.PositiveSmallIntegerField(_("last places"), default=1)
    margin = models.FloatField(_("rise above (%)"), default=0.0)
    metric = models.CharField(_("ranking or pollutant"), max_length=12, default="pm25",
                              help_text=_("pm25, pm10 or composite"))
    active = models.BooleanField(_("active"), default=True)

    scope = Scope(region="region", inherited=True)

    class Meta:
        verbose_name = _("accountability rule")
        verbose_name_plural = _("accountability rules")
        ordering = ["region", "name"]

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """A reminder to a unit of a deadline coming (``due_soon``) or passed (``overdue``), made once
    per deadline, unit and kind by ``gongjian tasks remind``; the unit's people read it."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("milestone"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created = models.DateTimeField(_("sent"))
    read = models.DateTimeField(_("read"), null=True, blank=True)

    scope = Scope(region="milestone__task__plan__region", inherited=True, participant="organisation")

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["milestone", "organisation", "kind"], name="remind_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.milestone}"


class BulletinIssue(models.Model):
    """A published weekly dispatch or monthly bulletin (:mod:`gongjian.tasks.bulletins`): its issue
    number (期号), counted per issuing office (its jurisdiction and name), series and year of
    publication, and its figures as they were published. A published issue is never changed
    (:meth:`save` refuses): a correction is a new publication of the same period with the next
    number, so that the figure an office filed under a number stays the figure behind it."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("weekly dispatch")
        MONTHLY = "monthly", _("monthly bulletin")

    issuer = models.CharField(_("issued by"), max_length=160,
                              help_text=_("The issuing office's name, as the document's head shows it."))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"),
                               help_text=_("The issuing office's jurisdiction; the bulletin goes to the regions below."))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("issue number"))
    published = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by"))
    content = models.JSONField(_("content as published"))

    #: Not inherited: a city's bulletin is built as the city office sees it, every county's overdue
    #: tasks and cases in its tables, which a county office may not see (the policy's rule for detail
    #: below the county); a county reads its own office's issues.
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("published bulletin")
        verbose_name_plural = _("published bulletins")
        ordering = ["-published"]
        constraints = [models.UniqueConstraint(fields=["region", "issuer", "kind", "year", "number"],
                                               name="bulletin_issue_number_unique")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.get_kind_display()} {self.year}-{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a published bulletin is not changed: publish a correction")
        super().save(*args, **kwargs)
