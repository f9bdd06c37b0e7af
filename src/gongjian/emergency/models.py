"""Warning standards, forecasts, warnings, notices, and the emergency reduction list.

A warning standard is data an office edits (national default: 环办大气函〔2018〕875号, shared/standards/
air-quality.md §5); each warning keeps a snapshot of the standard it was issued under. The reduction
list (应急减排清单) is versioned: a draft is edited, submitted and approved, the approved version of a
region's year is the one in force, and every measure's removed emissions are computed from the
inventory (never typed in; :mod:`gongjian.emergency.removal`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian import clock
from gongjian.analytics import warnings as analytics
from gongjian.analytics.warnings import REDUCED_POLLUTANTS as POLLUTANTS
from gongjian.core.models import RegistryModel
from gongjian.core.scope import Scope
from gongjian.regions.models import Organisation, Region
from gongjian.standards.hj633 import AQI_TOP


class Level(models.TextChoices):
    BLUE = "blue", _("blue")
    YELLOW = "yellow", _("yellow")
    ORANGE = "orange", _("orange")
    RED = "red", _("red")


#: Levels with response measures, from the lowest.
MEASURE_LEVELS = ("yellow", "orange", "red")
LEVEL_COLOURS = {"blue": "#2f6fdf", "yellow": "#e6b800", "orange": "#ff7e00", "red": "#e0242b"}

_percent = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def _ratio_field(level: str, pollutant: str, default: int):
    label = format_lazy(_("{level}: {pollutant} reduction (%)"), level=Level(level).label, pollutant=pollutant)
    return models.DecimalField(label, max_digits=5, decimal_places=2, default=Decimal(default),
                               validators=_percent)


class WarningStandard(RegistryModel):
    """The triggers of each warning level on the forecast daily AQI and each level's minimum reduction
    of whole-society emissions per pollutant (national default: 10 / 20 / 30 %)."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="warning_standards",
                               verbose_name=_("region"))
    valid_from = models.DateField(_("valid from"))
    heavy_aqi = models.PositiveSmallIntegerField(_("heavy-pollution AQI threshold"), default=200)
    severe_aqi = models.PositiveSmallIntegerField(_("severe-pollution AQI threshold"), default=300)
    top_aqi = models.PositiveSmallIntegerField(_("top of the scale"), default=AQI_TOP)
    blue_days = models.PositiveSmallIntegerField(_("blue: heavy days (empty: no blue level)"), null=True, blank=True)
    yellow_days = models.PositiveSmallIntegerField(_("yellow: heavy days"), default=2)
    orange_days = models.PositiveSmallIntegerField(_("orange: heavy days"), default=3)
    orange_severe_days = models.PositiveSmallIntegerField(
        _("orange: severe days (0: no AQI > 300 clause)"), default=1)
    red_days = models.PositiveSmallIntegerField(_("red: heavy days"), default=4)
    red_severe_days = models.PositiveSmallIntegerField(_("red: severe days"), default=2)
    red_on_top = models.BooleanField(_("red when the AQI reaches the top of the scale"), default=True)
    yellow_so2 = _ratio_field("yellow", "SO2", 10)
    yellow_nox = _ratio_field("yellow", "NOx", 10)
    yellow_pm = _ratio_field("yellow", "PM", 10)
    yellow_vocs = _ratio_field("yellow", "VOCs", 10)
    orange_so2 = _ratio_field("orange", "SO2", 20)
    orange_nox = _ratio_field("orange", "NOx", 20)
    orange_pm = _ratio_field("orange", "PM", 20)
    orange_vocs = _ratio_field("orange", "VOCs", 20)
    red_so2 = _ratio_field("red", "SO2", 30)
    red_nox = _ratio_field("red", "NOx", 30)
    red_pm = _ratio_field("red", "PM", 30)
    red_vocs = _ratio_field("red", "VOCs", 30)

    scope = Scope(region="region", public=True, inherited=True)

    class Meta:
        verbose_name = _("warning standard")
        verbose_name_plural = _("warning standards")
        ordering = ["region__path", "-valid_from"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.heavy_aqi < self.severe_aqi < self.top_aqi:
            raise ValidationError(_("The thresholds must rise: heavy < severe < top."))
        days = [d for d in (self.blue_days, self.yellow_days, self.orange_days, self.red_days) if d is not None]
        if days != sorted(days) or 0 in days:
            raise ValidationError(_("Each level needs at least one heavy day, and no fewer than the level below."))
        for pollutant in POLLUTANTS:
            shares = [self.ratio(level, pollutant) for level in MEASURE_LEVELS]
            if shares != sorted(shares):
                raise ValidationError(_("A higher level cannot require a smaller reduction (%(p)s).") % {"p": pollutant})

    def ratio(self, level: str, pollutant: str) -> Decimal:
        """The minimum reduction (%) of ``pollutant`` at ``level``; blue has none."""
        return getattr(self, f"{level}_{pollutant}") if level in MEASURE_LEVELS else Decimal("0")

    def analytic(self) -> analytics.WarningStandard:
        """This standard in the form :func:`gongjian.analytics.warnings.decide` reads."""
        def ratios(level: str) -> dict[str, float]:
            return {p: float(self.ratio(level, p)) / 100 for p in POLLUTANTS}
        triggers = [analytics.LevelTrigger("yellow", self.yellow_days, reductions=ratios("yellow")),
                    analytics.LevelTrigger("orange", self.orange_days, self.orange_severe_days, reductions=ratios("orange")),
                    analytics.LevelTrigger("red", self.red_days, self.red_severe_days, reductions=ratios("red"))]
        if self.red_on_top:
            triggers.append(analytics.LevelTrigger("red", 0, reaching_top=True, reductions=ratios("red")))
        if self.blue_days:
            triggers.insert(0, analytics.LevelTrigger("blue", self.blue_days))
        return analytics.WarningStandard(self.name, tuple(triggers), self.heavy_aqi, self.severe_aqi, self.top_aqi)

    def snapshot(self) -> dict:
        """The values a warning keeps, so that later edits do not rewrite what it was issued under."""
        fields = [f.name for f in self._meta.concrete_fields if f.name not in ("id", "created", "updated", "region")]
        return {name: str(getattr(self, name)) if getattr(self, name) is not None else None for name in fields}


class Forecast(models.Model):
    """A forecast daily AQI for one region and day, as issued on a date (entered, imported or from
    the forecast feature)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("entered")
        FILE = "file", _("imported from a file")
        MODEL = "model", _("forecast model")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="aqi_forecasts",
                               verbose_name=_("region"))
    issued_on = models.DateField(_("issued on"))
    day = models.DateField(_("day"))
    aqi = models.PositiveSmallIntegerField(_("daily AQI"), validators=[MaxValueValidator(AQI_TOP)])
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.ENTERED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))

    scope = Scope(region="region", public=True, inherited=True)

    class Meta:
        verbose_name = _("AQI forecast")
        verbose_name_plural = _("AQI forecasts")
        ordering = ["region", "-issued_on", "day"]
        constraints = [models.UniqueConstraint(fields=["region", "issued_on", "day"], name="forecast_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.day}: {self.aqi}"


class ReductionList(RegistryModel):
    """One version of a region's emergency reduction list for a year (annual revision due by 30
    September). Drafts are edited; an approved version is in force until a later one is approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for approval")
        APPROVED = "approved", _("approved, in force")
        SUPERSEDED = "superseded", _("superseded")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="reduction_lists",
                               verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("version"))
    inventory_year = models.PositiveSmallIntegerField(_("inventory year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("based on"))
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("emergency reduction list")
        verbose_name_plural = _("emergency reduction lists")
        ordering = ["region__path", "-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "number"], name="list_version_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year} v{self.number}"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Measure(RegistryModel):
    """One measure of a list version at one level: for an enterprise (all of it or one emission unit),
    or for a construction site. What it removes, and how strict it is, are computed from the inventory
    with the source's other measures of the level (:mod:`gongjian.analytics.removal`)."""

    class Kind(models.TextChoices):
        STOP = "stop", _("stop production")
        LIMIT = "limit", _("limit the load")
        STOP_LINES = "stop_lines", _("stop named lines")
        NO_TRANSPORT = "no_transport", _("no heavy-vehicle transport")
        SITE_EARTHWORK = "site_earthwork", _("site: stop earthwork")
        SITE_STOP = "site_stop", _("site: stop all work")

    ENTERPRISE_KINDS = (Kind.STOP, Kind.LIMIT, Kind.STOP_LINES, Kind.NO_TRANSPORT)
    SITE_KINDS = (Kind.SITE_EARTHWORK, Kind.SITE_STOP)

    reduction_list = models.ForeignKey(ReductionList, on_delete=models.CASCADE, related_name="measures",
                                       verbose_name=_("list version"))
    level = models.CharField(_("level"), max_length=8, choices=[(v, label) for v, label in Level.choices if v != "blue"])
    kind = models.CharField(_("measure"), max_length=16, choices=Kind.choices)
    enterprise = models.ForeignKey("sources.Enterprise", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="measures", verbose_name=_("enterprise"))
    unit = models.ForeignKey("sources.EmissionUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="measures",
                             verbose_name=_("emission unit"), help_text=_("Empty: the whole enterprise."))
    lines = models.ManyToManyField("sources.ProductionLine", blank=True, related_name="measures", verbose_name=_("lines"))
    site = models.ForeignKey("sources.ConstructionSite", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="measures", verbose_name=_("construction site"))
    load_percent = models.DecimalField(_("allowed load (%)"), max_digits=5, decimal_places=1, null=True, blank=True,
                                       validators=_percent)
    note = models.CharField(_("operation"), max_length=300, blank=True,
                            help_text=_("What is done on site, e.g. which kiln is banked and how it is verified."))

    scope = Scope(region="reduction_list__region", organisation="enterprise__organisation")

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["reduction_list", "level", "enterprise", "site", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(enterprise__isnull=False, site__isnull=True)
                                   | Q(enterprise__isnull=True, site__isnull=False), name="measure_has_one_source"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.enterprise or self.site}: {self.describe()}"

    def describe(self) -> str:
        if self.kind == self.Kind.LIMIT and self.load_percent is not None:
            return _("limit the load to %(load)s%%") % {"load": format(self.load_percent.normalize(), "f")}
        return str(self.get_kind_display())

    def clean(self) -> None:
        errors = {}
        if self.kind in self.ENTERPRISE_KINDS and not self.enterprise_id:
            errors["enterprise"] = _("This measure names an enterprise.")
        if self.kind in self.SITE_KINDS and not self.site_id:
            errors["site"] = _("This measure names a construction site.")
        if self.kind in self.ENTERPRISE_KINDS and self.site_id:
            errors["site"] = _("An enterprise measure names no site.")
        if self.kind in self.SITE_KINDS and (self.enterprise_id or self.unit_id):
            errors["enterprise"] = _("A site measure names no enterprise.")
        if self.kind == self.Kind.LIMIT and self.load_percent is None:
            errors["load_percent"] = _("Give the allowed load.")
        if self.kind != self.Kind.LIMIT and self.load_percent is not None:
            errors["load_percent"] = _("Only a load limit has an allowed load.")
        if self.unit_id and self.enterprise_id and self.unit.enterprise_id != self.enterprise_id:
            errors["unit"] = _("The emission unit belongs to another enterprise.")
        if self.unit_id and self.kind not in (self.Kind.STOP, self.Kind.LIMIT):
            errors["unit"] = _("Only stopping or limiting applies to one emission unit.")
        if self.reduction_list_id and not self.reduction_list.editable:
            errors["reduction_list"] = _("Only a draft version can be changed.")
        if errors:
            raise ValidationError(errors)


class WarningEpisode(RegistryModel):
    """A warning episode in a region: issued at a level, perhaps upgraded or downgraded, then lifted."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("in force")
        LIFTED = "lifted", _("lifted")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="warnings", verbose_name=_("region"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(_("in force from"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    standard = models.ForeignKey(WarningStandard, on_delete=models.PROTECT, related_name="warnings",
                                 verbose_name=_("warning standard"))
    standard_snapshot = models.JSONField(_("standard as issued"), default=dict)
    reduction_list = models.ForeignKey(ReductionList, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="warnings", verbose_name=_("list version in force"))
    #: The alarms the obedience checks raised during the warning (:mod:`gongjian.emergency.obedience`).
    #: The link is kept here, not on the alarm: sources (enterprises and their monitoring) is the data
    #: the emergency list refers to, and knows nothing of warnings.
    alarms = models.ManyToManyField("sources.Alarm", blank=True, related_name="warnings", editable=False,
                                    verbose_name=_("alarms"))

    scope = Scope(region="region", public=True, inherited=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["region__path", "-started_at"]
        constraints = [models.UniqueConstraint(fields=["region"], condition=Q(status="active"),
                                               name="one_active_warning_per_region")]

    def __str__(self) -> str:
        return f"{self.region} {self.get_level_display()} {clock.local(self.started_at):%Y-%m-%d %H:%M}"

    def get_standard_snapshot_display(self) -> str:
        """The standard as it stood when the warning was issued, each value under its field's label
        (the snapshot keeps the standard's field names), as the record page shows it."""
        labels = {f.name: f.verbose_name for f in WarningStandard._meta.concrete_fields}
        shown = {"True": _("yes"), "False": _("no"), None: "—"}
        return "；".join(f"{labels.get(name, name)}：{shown.get(value, value)}"
                        for name, value in self.standard_snapshot.items() if name in labels)

    def level_on(self, moment) -> str | None:
        """The level in force at ``moment`` (from the actions), ``None`` outside the episode. The
        actions are read once per episode object (``prefetch_related("actions")`` reuses them)."""
        level = None
        for action in sorted(self.actions.all(), key=lambda a: (a.at, a.pk)):
            if action.at > moment:
                break
            level = None if action.kind == WarningAction.Kind.LIFT else action.level_to
        return level


class WarningAction(models.Model):
    """Issue, upgrade, downgrade or lift: when, to which level, who decided and why."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("issue")
        UPGRADE = "upgrade", _("upgrade")
        DOWNGRADE = "downgrade", _("downgrade")
        LIFT = "lift", _("lift")

    warning = models.ForeignKey(WarningEpisode, on_delete=models.CASCADE, related_name="actions", verbose_name=_("warning"))
    kind = models.CharField(_("action"), max_length=10, choices=Kind.choices)
    level_from = models.CharField(_("from"), max_length=8, choices=Level.choices, blank=True)
    level_to = models.CharField(_("to"), max_length=8, choices=Level.choices, blank=True)
    at = models.DateTimeField(_("effective from"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    reason = models.TextField(_("reason"))
    proposed_level = models.CharField(_("level proposed by the triggers"), max_length=8, blank=True)
    forecast = models.JSONField(_("forecast it rests on"), default=list)

    scope = Scope(region="warning__region", public=True, inherited=True)

    class Meta:
        verbose_name = _("warning action")
        verbose_name_plural = _("warning actions")
        ordering = ["warning", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.level_to} {self.at:%Y-%m-%d %H:%M}"


class Notice(models.Model):
    """A notice of a warning action to one organisation: read in the app, and an outbox row that other
    channels (SMS, fax, the government OA) fetch through the API and mark dispatched."""

    action = models.ForeignKey(WarningAction, on_delete=models.CASCADE, related_name="notices", verbose_name=_("warning action"))
    recipient = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="notices",
                                  verbose_name=_("recipient"))
    text = models.TextField(_("text"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("read by"))
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    channel = models.CharField(_("dispatched by"), max_length=40, blank=True)
    #: Who read it and which channel dispatched it, when: the proof that a unit was told.
    history = HistoricalRecords()

    scope = Scope(region="recipient__region", organisation="recipient")

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created", "pk"]
        constraints = [models.UniqueConstraint(fields=["action", "recipient"], name="one_notice_per_recipient")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.text[:40]}"


class MetForecast(models.Model):
    """One valid hour of a meteorological forecast an office imports for a region (or one of its
    stations): the variables a forecast office provides, as issued at a moment. The forecast runs
    read the newest issue before their own (:mod:`gongjian.emergency.runs`)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="met_forecasts", verbose_name=_("region"))
    station = models.ForeignKey("air.Station", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                verbose_name=_("station"), help_text=_("Empty: the forecast for the whole region."))
    issued_at = models.DateTimeField(_("issued at"))
    valid_at = models.DateTimeField(_("valid at"))
    temperature = models.FloatField(_("temperature (°C)"), null=True, blank=True)
    humidity = models.FloatField(_("relative humidity (%)"), null=True, blank=True,
                                 validators=[MinValueValidator(0), MaxValueValidator(100)])
    wind_speed = models.FloatField(_("wind speed (m/s)"), null=True, blank=True, validators=[MinValueValidator(0)])
    wind_direction = models.FloatField(_("wind direction (degrees from north)"), null=True, blank=True,
                                       validators=[MinValueValidator(0), MaxValueValidator(360)])
    boundary_layer = models.FloatField(_("boundary-layer height (m)"), null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    rain = models.FloatField(_("precipitation (mm)"), null=True, blank=True, validators=[MinValueValidator(0)])
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("imported by"))

    scope = Scope(region="region", public=True, inherited=True)

    class Meta:
        verbose_name = _("meteorological forecast hour")
        verbose_name_plural = _("meteorological forecast hours")
        ordering = ["region", "-issued_at", "valid_at"]
        constraints = [
            models.UniqueConstraint(fields=["region", "issued_at", "valid_at"], condition=Q(station__isnull=True),
                                    name="met_forecast_region_unique"),
            models.UniqueConstraint(fields=["station", "issued_at", "valid_at"], condition=Q(station__isnull=False),
                                    name="met_forecast_station_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.station or self.region} {self.valid_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.issued_at and self.valid_at and self.valid_at < self.issued_at - dt.timedelta(days=1):
            raise ValidationError({"valid_at": _("A forecast is valid after it is issued.")})


class ForecastRun(models.Model):
    """One forecast of a region's next seven days, as issued: by the model (its version and a digest of
    its inputs) or as a forecaster's adjustment of another run (``adjusts``, with who and why). A draft
    is adjusted or published; publishing writes the region's :class:`Forecast` days, which the warning
    proposal reads; a published run never changes, a later publication supersedes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="forecast_runs", verbose_name=_("region"))
    issued_at = models.DateTimeField(_("issued at"))
    model_version = models.CharField(_("model version"), max_length=200, blank=True)
    inputs_digest = models.CharField(_("inputs digest (SHA-256)"), max_length=64, blank=True)
    inputs = models.TextField(_("inputs"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    adjusts = models.ForeignKey("self", on_delete=models.RESTRICT, null=True, blank=True, related_name="adjustments",
                                verbose_name=_("adjusts"))
    forecaster = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("forecaster"))
    reason = models.TextField(_("reason for the adjustment"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))

    scope = Scope(region="region", inherited=True)

    #: What a published run keeps as it was (only its status may move on to superseded).
    FROZEN = ("region_id", "issued_at", "model_version", "inputs_digest", "inputs", "issued_by_id", "adjusts_id",
              "forecaster_id", "reason", "published_at", "published_by_id")

    class Meta:
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")
        ordering = ["region", "-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.region} {clock.local(self.issued_at):%Y-%m-%d %H:%M} ({self.get_status_display()})"

    #: The only ways a run's status moves on: a draft is published, a published run superseded.
    TRANSITIONS = {("draft", "published"), ("published", "superseded")}

    def save(self, *args, **kwargs) -> None:
        stored = ForecastRun.objects.filter(pk=self.pk).first() if self.pk else None
        if stored is None:
            if self.status != self.Status.DRAFT:
                raise ValidationError(_("A forecast run starts as a draft."))
        else:
            if stored.status != self.status and (stored.status, self.status) not in self.TRANSITIONS:
                raise ValidationError(_("A forecast run's status moves from draft to published to superseded, "
                                        "never back (%(from)s → %(to)s).") % {"from": stored.status, "to": self.status})
            if stored.status != self.Status.DRAFT and any(
                    getattr(stored, name) != getattr(self, name) for name in self.FROZEN):
                raise ValidationError(_("A published forecast run never changes; adjust it into a new run."))
        super().save(*args, **kwargs)

    @property
    def issued_on(self) -> dt.date:
        return clock.day_of(self.issued_at)

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ForecastValueQuerySet(models.QuerySet):
    """The days of runs: deleting them is refused when any belongs to a run no longer a draft."""

    def delete(self):
        if self.exclude(run__status=ForecastRun.Status.DRAFT).exists():
            raise ValidationError(_("A published forecast run never changes; adjust it into a new run."))
        return super().delete()


class ForecastValue(models.Model):
    """One day of a run, for the region (no station) or one station: the lead (days after the issue
    day), the six concentrations (µg/m³, CO mg/m³; O3 the daily maximum 8-hour mean), the AQI the
    engine computes from them (HJ 633), the range a bulletin gives (AQI low–high) and the levels it
    spans, and the primary pollutant."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="values", verbose_name=_("forecast run"))
    station = models.ForeignKey("air.Station", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                verbose_name=_("station"))
    day = models.DateField(_("day"))
    lead = models.PositiveSmallIntegerField(_("lead (days)"))
    so2 = models.FloatField("SO2", null=True, blank=True)
    no2 = models.FloatField("NO2", null=True, blank=True)
    co = models.FloatField("CO", null=True, blank=True)
    o3_8h = models.FloatField("O3-8h", null=True, blank=True)
    pm10 = models.FloatField("PM10", null=True, blank=True)
    pm25 = models.FloatField("PM2.5", null=True, blank=True)
    aqi = models.PositiveSmallIntegerField(_("AQI"), validators=[MaxValueValidator(AQI_TOP)])
    aqi_low = models.PositiveSmallIntegerField(_("AQI from"), validators=[MaxValueValidator(AQI_TOP)])
    aqi_high = models.PositiveSmallIntegerField(_("AQI to"), validators=[MaxValueValidator(AQI_TOP)])
    primary = models.CharField(_("primary pollutant"), max_length=40, blank=True)
    level_low = models.PositiveSmallIntegerField(_("AQI level from"))
    level_high = models.PositiveSmallIntegerField(_("AQI level to"))

    scope = Scope(region="run__region", inherited=True)

    objects = ForecastValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("forecast day")
        verbose_name_plural = _("forecast days")
        ordering = ["run", "station", "day"]
        constraints = [
            models.UniqueConstraint(fields=["run", "day"], condition=Q(station__isnull=True),
                                    name="forecast_value_region_unique"),
            models.UniqueConstraint(fields=["run", "station", "day"], condition=Q(station__isnull=False),
                                    name="forecast_value_station_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.station or self.run.region} {self.day}: {self.aqi_low}–{self.aqi_high}"

    def save(self, *args, **kwargs) -> None:
        if not ForecastRun.objects.filter(pk=self.run_id, status=ForecastRun.Status.DRAFT).exists():
            raise ValidationError(_("A published forecast run never changes; adjust it into a new run."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not ForecastRun.objects.filter(pk=self.run_id, status=ForecastRun.Status.DRAFT).exists():
            raise ValidationError(_("A published forecast run never changes; adjust it into a new run."))
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.aqi_low is not None and self.aqi_high is not None and not self.aqi_low <= self.aqi <= self.aqi_high:
            raise ValidationError({"aqi": _("The AQI lies within its range (from ≤ AQI ≤ to).")})


class EpisodeEvaluation(models.Model):
    """The post-episode evaluation of a warning (:mod:`gongjian.emergency.evaluation`): observed
    concentrations against what a model of business-as-usual periods expects under the weather
    observed, per station and for the region, with the uncertainty band and the assumptions, as
    computed at ``computed_at`` (stored, so the page and the documents show one set of figures)."""

    episode = models.ForeignKey(WarningEpisode, on_delete=models.CASCADE, related_name="evaluations",
                                verbose_name=_("warning"))
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("computed by"))
    result = models.JSONField(_("figures"), default=dict)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False, verbose_name=_("published by"))
    #: Set with ``published_at`` (by :meth:`save`): the field the public's scope reads.
    published = models.BooleanField(_("published"), default=False, editable=False)

    scope = Scope(region="episode__region", public="published", inherited=True)

    class Meta:
        verbose_name = _("episode evaluation")
        verbose_name_plural = _("episode evaluations")
        ordering = ["episode", "-computed_at"]

    def __str__(self) -> str:
        return f"{self.episode} ({clock.local(self.computed_at):%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs) -> None:
        """A published evaluation never changes (a new evaluation is a new record)."""
        if self.pk and EpisodeEvaluation.objects.filter(pk=self.pk, published=True).exists():
            raise ValidationError(_("A published evaluation never changes; evaluate the warning again for a new one."))
        self.published = self.published_at is not None
        super().save(*args, **kwargs)
