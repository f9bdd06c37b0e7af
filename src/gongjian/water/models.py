"""The water app's registries and stores: sections and their yearly target classes, the samples
store (manual results and automatic stations, one series kind), the stored monthly results, the
plans' target schedules and the water alarms."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.core.models import RegistryModel
from gongjian.core.scope import Scope
from gongjian.standards import gb3838

__all__ = ["CLASS_CHOICES", "TARGET_CHOICES", "SampleCorrection", "SampleFlag", "SampleSource", "SectionMonth",
           "SectionTarget", "WaterAlarm", "WaterSample", "WaterSection", "WaterTargetSchedule"]

#: Water classes as stored: 1..5 for Ⅰ..Ⅴ and 6 for 劣Ⅴ (:data:`gongjian.standards.gb3838.WORSE_THAN_V`).
CLASS_CHOICES = [(c, name) for c, name in gb3838.CLASS_NAMES.items()]
#: A target class is Ⅰ..Ⅴ: "worse than Ⅴ" is no target (gb3838.meets_target refuses it).
TARGET_CHOICES = CLASS_CHOICES[:5]


class WaterSection(RegistryModel):
    """A water section (断面): a monitoring point on a river, lake or reservoir whose class under
    GB 3838-2002 is evaluated every month against the target class the plans set (Zhengzhou 2020
    names eight national and provincial sections that must reach class III)."""

    class ControlLevel(models.TextChoices):
        NATIONAL = "national", _("national-controlled")
        PROVINCIAL = "provincial", _("provincial-controlled")
        CITY = "city", _("city-controlled")

    class Kind(models.TextChoices):
        RIVER = "river", _("river")
        LAKE = "lake", _("lake")
        RESERVOIR = "reservoir", _("reservoir")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    water_body = models.CharField(_("river or water body"), max_length=100)
    kind = models.CharField(_("kind of water body"), max_length=12, choices=Kind.choices, default=Kind.RIVER,
                            help_text=_("Lakes and reservoirs are judged by their own total-phosphorus limits."))
    control_level = models.CharField(_("control level"), max_length=12, choices=ControlLevel.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="water_sections",
                               verbose_name=_("responsible region"))
    responsible_units = models.ManyToManyField("regions.Organisation", blank=True, related_name="water_sections",
                                               verbose_name=_("responsible units"),
                                               help_text=_("The units the plans make answerable for the section."))
    latitude = models.FloatField(_("latitude"), null=True, blank=True,
                                 validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), null=True, blank=True,
                                  validators=[MinValueValidator(-180), MaxValueValidator(180)])

    scope = Scope(region="region", public=True)

    class Meta:
        verbose_name = _("water section")
        verbose_name_plural = _("water sections")
        ordering = ["region__path", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def target_for(self, year: int) -> int | None:
        """The section's target class for ``year`` (its :class:`SectionTarget`), ``None`` if none was set:
        no target is "no target", never a class guessed."""
        return SectionTarget.objects.filter(section=self, year=year).values_list("target_class", flat=True).first()


class SectionTarget(RegistryModel):
    """The target class a plan sets a section for one year (Yibin Annex 2 gives each section its
    class; Zhengzhou 2020: class Ⅲ, the South-to-North canal class Ⅱ). A year without a row has no
    target."""

    section = models.ForeignKey(WaterSection, on_delete=models.CASCADE, related_name="targets",
                                verbose_name=_("water section"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    target_class = models.PositiveSmallIntegerField(_("target class"), choices=TARGET_CHOICES,
                                                    help_text=_("The GB 3838-2002 class the section must reach."))

    scope = Scope(region="section__region", public=True)

    class Meta:
        verbose_name = _("section target")
        verbose_name_plural = _("section targets")
        ordering = ["section__code", "-year"]
        constraints = [models.UniqueConstraint(fields=["section", "year"], name="water_target_unique")]

    def __str__(self) -> str:
        return f"{self.section} {self.year}: {gb3838.CLASS_NAMES[self.target_class]}"


class SampleFlag(models.TextChoices):
    """What a sample counts for, after the air app's flags: ``valid`` enters the evaluation; a
    ``suspect`` value (an automatic station's series failing quality control, until reviewed) and an
    ``invalid`` one (confirmed bad, or an HJ 212 data flag other than N and S) stay out."""

    VALID = "valid", _("valid")
    SUSPECT = "suspect", _("suspect")
    INVALID = "invalid", _("invalid")


class SampleSource(models.TextChoices):
    """What brought a sample: the ``source`` of :func:`gongjian.core.series.write`."""

    FILE = "file", _("manual results file")
    GATEWAY = "gateway", _("automatic station")
    DEMO = "demo", _("demo")
    API = "api", _("API")


class WaterSample(models.Model):
    """One result of one GB 3838 item at one section for one sampling period, labelled by the
    period's start in Beijing time (a monthly manual sample: its sampling day; an automatic
    station: the hour or day). In the Table 1 units (mg/L; pH none; faecal coliform 个/L). A value
    reported below the detection limit has ``below_limit`` set and holds the limit. A time series,
    written only by :func:`gongjian.core.series.write` (kind ``water.sample``); a change of a stored
    flag is a :class:`SampleCorrection`."""

    section = models.ForeignKey(WaterSection, on_delete=models.CASCADE, related_name="samples",
                                verbose_name=_("water section"))
    #: A key of :data:`gongjian.standards.gb3838.ALL_ITEMS` (checked by every writer; no choices here,
    #: so that an item the standard module adds needs no migration).
    item = models.CharField(_("item"), max_length=24)
    time = models.DateTimeField(_("sampled (period start)"))
    value = models.FloatField(_("value"), null=True)
    below_limit = models.BooleanField(_("below the detection limit"), default=False,
                                      help_text=_("The value then holds the detection limit."))
    flag = models.CharField(_("flag"), max_length=8, choices=SampleFlag.choices, default=SampleFlag.VALID)
    source = models.CharField(_("source"), max_length=8, choices=SampleSource.choices, default=SampleSource.FILE)

    scope = Scope(region="section__region")

    class Meta:
        verbose_name = _("water sample")
        verbose_name_plural = _("water samples")
        constraints = [models.UniqueConstraint(fields=["section", "item", "time"], name="water_sample_unique")]

    def __str__(self) -> str:
        return f"{self.section_id} {self.item} {self.time:%Y-%m-%d %H:%M}: {self.value}"


class SampleCorrection(models.Model):
    """A change of a stored sample's flag (or value): before, after, who, when and why (谁出数谁负责).
    Written by the automatic stations' quality control and by reviewers alike."""

    section = models.ForeignKey(WaterSection, on_delete=models.CASCADE, related_name="corrections",
                                verbose_name=_("water section"))
    item = models.CharField(_("item"), max_length=24)
    time = models.DateTimeField(_("sampled (period start)"))
    old_value = models.FloatField(_("original value"), null=True)
    new_value = models.FloatField(_("new value"), null=True)
    old_flag = models.CharField(_("original flag"), max_length=8)
    new_flag = models.CharField(_("new flag"), max_length=8)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey("regions.Person", on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"))

    scope = Scope(region="section__region")

    class Meta:
        verbose_name = _("sample correction")
        verbose_name_plural = _("sample corrections")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.section_id} {self.item} {self.time:%Y-%m-%d %H:%M}: {self.old_flag} -> {self.new_flag}"


class SectionMonth(models.Model):
    """A section's class for one month (derived data, DESIGN "Stores"): recomputed from the valid
    samples whenever they change, stored with ``inputs_version``, the fingerprint of the samples it
    was computed from. ``water_class`` ``None`` is no data; ``meets_target`` is ``None`` when there
    is no data or no target for the year."""

    section = models.ForeignKey(WaterSection, on_delete=models.CASCADE, related_name="months",
                                verbose_name=_("water section"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    water_class = models.PositiveSmallIntegerField(_("class"), choices=CLASS_CHOICES, null=True)
    deciding = models.JSONField(_("deciding items"), default=list, blank=True)
    items_above = models.JSONField(_("items above the target class"), default=dict, blank=True,
                                   help_text=_("Item -> multiple of its exceedance of the target class's limit."))
    means = models.JSONField(_("monthly means"), default=dict, blank=True)
    target_class = models.PositiveSmallIntegerField(_("target class"), choices=TARGET_CHOICES, null=True)
    meets_target = models.BooleanField(_("meets its target"), null=True)
    samples = models.PositiveIntegerField(_("samples used"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    inputs_version = models.CharField(_("inputs version"), max_length=64)

    scope = Scope(region="section__region")  # the public sees the published months (PublishedMonth) only

    class Meta:
        verbose_name = _("section month")
        verbose_name_plural = _("section months")
        ordering = ["section__code", "month"]
        constraints = [models.UniqueConstraint(fields=["section", "month"], name="water_month_unique")]

    def __str__(self) -> str:
        label = gb3838.CLASS_NAMES.get(self.water_class, "-")
        return f"{self.section_id} {self.month:%Y-%m}: {label}"


class WaterTargetSchedule(RegistryModel):
    """A plan's yearly water targets for a region: the least share of its sections at class Ⅲ or
    better and the largest share worse than Ⅴ (Yibin: 60 / 80 / 100 % and 15 / 10 % in 2018-2020)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="water_schedules",
                               verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    share_iii_or_better_min = models.DecimalField(
        _("share at class III or better, at least (%)"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    share_worse_than_v_max = models.DecimalField(
        _("share worse than class V, at most (%)"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("The plan and clause."))

    scope = Scope(region="region", public=True, inherited=True)

    class Meta:
        verbose_name = _("water target schedule")
        verbose_name_plural = _("water target schedules")
        ordering = ["region__path", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="water_schedule_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class WaterAlarm(models.Model):
    """A water alarm with its evidence: a section below its target class in a month, an automatic
    station's series failing quality control, an outfall above its limit. ``fingerprint`` (kind,
    subject, period) makes re-running the checks idempotent; each can become a supervision case."""

    class Kind(models.TextChoices):
        SECTION_BELOW_TARGET = "section_below_target", _("section below its target class")
        STATION_QC = "station_qc", _("automatic station failing quality control")
        OUTFALL_OVER_LIMIT = "outfall_over_limit", _("outfall above its limit")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CASE_OPENED = "case_opened", _("supervision case opened")
        DISMISSED = "dismissed", _("dismissed")
        CLOSED = "closed", _("closed (target met again)")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="water_alarms",
                               verbose_name=_("region"))
    section = models.ForeignKey(WaterSection, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="alarms", verbose_name=_("water section"))
    subject = models.CharField(_("subject"), max_length=200)
    item = models.CharField(_("item"), max_length=24, blank=True)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    value = models.FloatField(_("value"), null=True, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    evidence = models.TextField(_("evidence"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    fingerprint = models.CharField(_("fingerprint"), max_length=300, unique=True)
    found = models.DateTimeField(_("found"))
    #: Who dismissed it or opened a case, and when.
    history = HistoricalRecords()

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("water alarm")
        verbose_name_plural = _("water alarms")
        ordering = ["-start", "kind"]
        indexes = [models.Index(fields=["status", "start"], name="water_alarm_status_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    def summary(self) -> str:
        """The alarm in a sentence (its stored evidence, in Chinese as stored)."""
        return self.evidence


from .ledgers import *  # noqa: E402,F401,F403  the ledgers of drinking-water sources, black-odorous water, outfalls
