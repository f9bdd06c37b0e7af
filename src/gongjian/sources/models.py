"""Enterprises, production lines, emission units, construction sites and the emission inventory.

The inventory (大气污染源排放清单) holds annual emissions of SO2, NOx, PM (PM10/PM2.5 where known) and
VOCs per emission unit, construction site, mobile source and other area source, so that the
whole-society total of each pollutant exists: the base of the warning levels' reduction ratios
(环办大气函〔2018〕875号; shared/standards/air-quality.md §5.2).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjian.analytics.compliance import Thresholds
from gongjian.analytics.warnings import REDUCED_POLLUTANTS
from gongjian.core.models import RegistryModel
from gongjian.core.scope import Scope
from gongjian.regions.models import Organisation, OrganisationKind, Region

#: The pollutants of the inventory: those of the warning levels' reduction ratios.
POLLUTANTS = REDUCED_POLLUTANTS
POLLUTANT_LABELS = {"so2": "SO₂", "nox": "NOx", "pm": _("PM"), "vocs": "VOCs"}


class Industry(models.TextChoices):
    """The industries the plans and the key-industry guideline (环办大气函〔2019〕648号) name."""

    STEEL = "steel", _("steel")
    COKING = "coking", _("coking")
    CEMENT = "cement", _("cement")
    GLASS = "glass", _("glass")
    CERAMICS = "ceramics", _("ceramics")
    REFRACTORIES = "refractories", _("refractories")
    LIME = "lime", _("lime")
    BRICK = "brick", _("brick and tile")
    CASTING = "casting", _("casting")
    ALUMINIUM = "aluminium", _("aluminium")
    CARBON = "carbon", _("carbon")
    CHEMICALS = "chemicals", _("chemicals")
    PHARMACEUTICALS = "pharmaceuticals", _("pharmaceuticals")
    PESTICIDES = "pesticides", _("pesticides")
    PRINTING = "printing", _("packaging and printing")
    FURNITURE = "furniture", _("furniture")
    COATING = "coating", _("industrial coating")
    POWER = "power", _("power and heat")
    OTHER = "other", _("other industries")


class PerformanceClass(models.TextChoices):
    """Performance class (绩效分级): A best ... D worst; ungraded industries get local uniform measures."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    UNGRADED = "-", _("not graded")


class Exemption(models.TextChoices):
    NONE = "", _("none")
    LIVELIHOOD = "livelihood", _("livelihood guarantee")
    STRATEGIC = "strategic", _("strategic")


class Enterprise(RegistryModel):
    """An enterprise on the emergency list: the organisation (name, credit code, region, and the
    enterprise users who sign in for it) with what the list needs."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="enterprise",
                                        verbose_name=_("organisation"),
                                        limit_choices_to={"kind": OrganisationKind.ENTERPRISE})
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    performance_class = models.CharField(_("performance class"), max_length=2, choices=PerformanceClass.choices,
                                         default=PerformanceClass.UNGRADED)
    exemption = models.CharField(_("exemption"), max_length=12, choices=Exemption.choices, blank=True)
    exemption_reason = models.CharField(_("reason for the exemption"), max_length=200, blank=True)
    key_vehicle_user = models.BooleanField(_("key vehicle user"), default=False,
                                           help_text=_("Moves goods by heavy vehicles (重点用车企业)."))
    permit_number = models.CharField(_("pollutant discharge permit"), max_length=40, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    annual_output = models.DecimalField(
        _("annual output value (10,000 yuan)"), max_digits=14, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What a production cut costs is taken as this share of the output lost."))

    scope = Scope(region="organisation__region", organisation="organisation")

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["organisation__region__path", "organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def region(self) -> Region:
        return self.organisation.region

    def clean(self) -> None:
        if self.exemption and not self.exemption_reason.strip():
            raise ValidationError({"exemption_reason": _("Give the reason for the exemption.")})
        if self.organisation_id and self.organisation.kind != OrganisationKind.ENTERPRISE:
            raise ValidationError({"organisation": _("The organisation is not an enterprise.")})


THRESHOLDS_HELP = _("Only what differs from the defaults, e.g. {\"flat_intervals\": 90, \"dust_threshold\": 200}.")


def validate_thresholds(value) -> None:
    """Overrides of :class:`gongjian.analytics.compliance.Thresholds`: known names, numbers."""
    known = {f.name for f in dataclasses.fields(Thresholds)}
    if not isinstance(value, dict):
        raise ValidationError(_("Thresholds are a mapping of name to number."))
    for name, number in value.items():
        if name not in known:
            raise ValidationError(_("Unknown threshold %(name)s; known: %(known)s.") % {
                "name": name, "known": ", ".join(sorted(known))})
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
            raise ValidationError(_("Threshold %(name)s is not a number of zero or more.") % {"name": name})


class ProductionLine(RegistryModel):
    """A production line or process (生产线/工序) with its share of the enterprise's output."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="lines",
                                   verbose_name=_("enterprise"))
    name = models.CharField(_("name"), max_length=100)
    process = models.CharField(_("process"), max_length=100, blank=True)
    capacity = models.CharField(_("capacity"), max_length=60, blank=True, help_text=_("e.g. 4500 t/d clinker"))
    output_share = models.DecimalField(
        _("share of output"), max_digits=5, decimal_places=4, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Fraction of the enterprise's output value made on this line (0-1)."))

    scope = Scope(region="enterprise__organisation__region", organisation="enterprise__organisation")

    class Meta:
        verbose_name = _("production line")
        verbose_name_plural = _("production lines")
        ordering = ["enterprise", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="line_name_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} / {self.name}"


class EmissionUnit(RegistryModel):
    """An emission unit (排放单元): a stack, a process's fugitive emissions, a storage yard."""

    class Kind(models.TextChoices):
        STACK = "stack", _("stack (organised)")
        FUGITIVE = "fugitive", _("fugitive (unorganised)")
        TRANSPORT = "transport", _("heavy-vehicle transport")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="units",
                                   verbose_name=_("enterprise"))
    line = models.ForeignKey(ProductionLine, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="units", verbose_name=_("production line"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STACK)
    capacity = models.CharField(_("capacity"), max_length=60, blank=True)
    thresholds = models.JSONField(_("compliance thresholds"), default=dict, blank=True,
                                  validators=[validate_thresholds], help_text=THRESHOLDS_HELP)

    scope = Scope(region="enterprise__organisation__region", organisation="enterprise__organisation")

    class Meta:
        verbose_name = _("emission unit")
        verbose_name_plural = _("emission units")
        ordering = ["enterprise", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="unit_name_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} / {self.name}"

    def clean(self) -> None:
        if self.line_id and self.enterprise_id and self.line.enterprise_id != self.enterprise_id:
            raise ValidationError({"line": _("The line belongs to another enterprise.")})


class ConstructionSite(RegistryModel):
    """A construction site (施工工地) with its dust-control class."""

    class Kind(models.TextChoices):
        HOUSING = "housing", _("housing")
        MUNICIPAL = "municipal", _("municipal works")
        ROAD = "road", _("road")
        WATER = "water", _("water works")
        DEMOLITION = "demolition", _("demolition")

    class SiteClass(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="construction_sites",
                               verbose_name=_("region"))
    builder = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="construction_sites", verbose_name=_("builder"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    site_class = models.CharField(_("class"), max_length=1, choices=SiteClass.choices, default=SiteClass.B)
    area = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=1,
                               validators=[MinValueValidator(Decimal("0"))])
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("planned end"), null=True, blank=True)
    thresholds = models.JSONField(_("compliance thresholds"), default=dict, blank=True,
                                  validators=[validate_thresholds], help_text=THRESHOLDS_HELP)

    scope = Scope(region="region", organisation="builder")

    class Meta:
        verbose_name = _("construction site")
        verbose_name_plural = _("construction sites")
        ordering = ["region__path", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})


class InventoryItem(RegistryModel):
    """Annual emissions (t/a) of one source in one inventory year, with the basis of the estimate.

    A point source is an emission unit; a construction site's dust is split by activity (earthwork,
    the rest) so that an earthwork stop removes exactly its part; mobile and other area sources stand
    on their region. ``region`` is kept on every item (copied from the unit or site) so that the
    whole-society total of a region is one sum.
    """

    class Category(models.TextChoices):
        POINT = "point", _("industrial point source")
        SITE = "site", _("construction site")
        MOBILE = "mobile", _("mobile source")
        AREA = "area", _("other area source")

    class Activity(models.TextChoices):
        PRODUCTION = "production", _("production")
        EARTHWORK = "earthwork", _("earthwork")
        OTHER = "other", _("other")

    class Basis(models.TextChoices):
        CEMS = "cems", _("online monitoring (CEMS)")
        PERMIT = "permit", _("discharge permit")
        FACTOR = "factor", _("emission factor x activity")
        SURVEY = "survey", _("survey and estimate")

    year = models.PositiveSmallIntegerField(_("inventory year"))
    category = models.CharField(_("category"), max_length=8, choices=Category.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="inventory_items",
                               verbose_name=_("region"))
    unit = models.ForeignKey(EmissionUnit, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="inventory_items", verbose_name=_("emission unit"))
    site = models.ForeignKey(ConstructionSite, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="inventory_items", verbose_name=_("construction site"))
    name = models.CharField(_("source"), max_length=100, blank=True,
                            help_text=_("For mobile and area sources: e.g. heavy diesel trucks, residential coal."))
    activity = models.CharField(_("activity"), max_length=12, choices=Activity.choices, default=Activity.PRODUCTION)
    basis = models.CharField(_("basis"), max_length=8, choices=Basis.choices)
    so2 = models.DecimalField("SO₂ (t/a)", max_digits=12, decimal_places=3, default=Decimal("0"))
    nox = models.DecimalField("NOx (t/a)", max_digits=12, decimal_places=3, default=Decimal("0"))
    pm = models.DecimalField(_("PM (t/a)"), max_digits=12, decimal_places=3, default=Decimal("0"))
    pm10 = models.DecimalField("PM10 (t/a)", max_digits=12, decimal_places=3, null=True, blank=True)
    pm25 = models.DecimalField("PM2.5 (t/a)", max_digits=12, decimal_places=3, null=True, blank=True)
    vocs = models.DecimalField("VOCs (t/a)", max_digits=12, decimal_places=3, default=Decimal("0"))

    scope = Scope(region="region", organisation="unit__enterprise__organisation")

    class Meta:
        verbose_name = _("inventory item")
        verbose_name_plural = _("inventory items")
        ordering = ["year", "region__path", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(category="point", unit__isnull=False, site__isnull=True)
                           | Q(category="site", site__isnull=False, unit__isnull=True)
                           | Q(category__in=["mobile", "area"], unit__isnull=True, site__isnull=True)),
                name="inventory_source_matches_category"),
            models.CheckConstraint(condition=Q(so2__gte=0, nox__gte=0, pm__gte=0, vocs__gte=0),
                                   name="inventory_emissions_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source_name}"

    @property
    def source_name(self) -> str:
        return str(self.unit or self.site or self.name)

    def clean(self) -> None:
        errors = {}
        if self.category == self.Category.POINT and not self.unit_id:
            errors["unit"] = _("A point source names its emission unit.")
        if self.category == self.Category.SITE and not self.site_id:
            errors["site"] = _("A construction-site item names its site.")
        if self.category != self.Category.POINT and self.unit_id:
            errors["unit"] = _("Only point sources name an emission unit.")
        if self.category != self.Category.SITE and self.site_id:
            errors["site"] = _("Only construction-site items name a site.")
        if self.category in (self.Category.MOBILE, self.Category.AREA) and not self.name.strip():
            errors["name"] = _("Name the mobile or area source.")
        for field in POLLUTANTS + ("pm10", "pm25"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = _("Emissions cannot be negative.")
        if self.pm10 is not None and self.pm25 is not None and self.pm25 > self.pm10:
            errors["pm25"] = _("PM2.5 cannot exceed PM10.")
        if errors:
            raise ValidationError(errors)
        if self.unit_id:
            self.region_id = self.unit.enterprise.organisation.region_id
        elif self.site_id:
            self.region_id = self.site.region_id
        elif self.meter_id:
            self.region_id = self.meter.enterprise.organisation.region_id
        elif self.section_id:
            self.region_id = self.section.region_id

    def emissions(self) -> dict[str, Decimal]:
        return {p: getattr(self, p) for p in POLLUTANTS}


class DailyEmission(models.Model):
    """One enterprise's emissions and production status on one day, from online monitoring (filled by
    the monitoring gateway) or reported by the enterprise; the daily report during orange and red
    warnings reads these and marks enterprises without a row "not reported"."""

    class Source(models.TextChoices):
        CEMS = "cems", _("online monitoring")
        REPORTED = "reported", _("reported by the enterprise")

    class Production(models.TextChoices):
        NORMAL = "normal", _("normal production")
        LIMITED = "limited", _("limited production")
        STOPPED = "stopped", _("stopped")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="daily_emissions", verbose_name=_("enterprise"))
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    production = models.CharField(_("production status"), max_length=10, choices=Production.choices)
    load_percent = models.DecimalField(_("load (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    so2 = models.DecimalField("SO₂ (kg)", max_digits=12, decimal_places=3, default=Decimal("0"))
    nox = models.DecimalField("NOx (kg)", max_digits=12, decimal_places=3, default=Decimal("0"))
    pm = models.DecimalField(_("PM (kg)"), max_digits=12, decimal_places=3, default=Decimal("0"))
    vocs = models.DecimalField("VOCs (kg)", max_digits=12, decimal_places=3, default=Decimal("0"))
    exceedance_hours = models.PositiveSmallIntegerField(_("hours above the limit"), default=0)

    scope = Scope(region="enterprise__organisation__region", organisation="enterprise__organisation")

    class Meta:
        verbose_name = _("daily emission")
        verbose_name_plural = _("daily emissions")
        constraints = [models.UniqueConstraint(fields=["enterprise", "date"], name="daily_emission_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date}"

    @property
    def stopped(self) -> bool:
        """Whether production was stopped that day (what a stop measure requires)."""
        return self.production == self.Production.STOPPED


class MonitoringDevice(RegistryModel):
    """A device reporting over HJ 212 (its MN), with what it measures: an air station, an emission
    unit's stack (CEMS), a construction site's dust monitor, a meter, or an automatic water station
    at a water section. The gateway authenticates it by MN and
    password and expects a packet every ``interval`` seconds (a silent device is an alarm)."""

    class Kind(models.TextChoices):
        AIR_STATION = "air_station", _("air station")
        STACK = "stack", _("stack (CEMS)")
        DUST = "dust", _("site dust monitor")
        METER = "meter", _("electricity meter")
        WATER_STATION = "water_station", _("automatic water station")

    class Edition(models.TextChoices):
        HJT212_2005 = "2005", "HJ/T 212-2005"
        HJ212_2017 = "2017", "HJ 212-2017"
        HJ212_2025 = "2025", "HJ 212-2025"

    mn = models.CharField(_("device ID (MN)"), max_length=32, unique=True)
    password = models.CharField(_("access password (PW)"), max_length=16)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    edition = models.CharField(_("protocol edition"), max_length=4, choices=Edition.choices,
                               default=Edition.HJ212_2017)
    interval = models.PositiveIntegerField(_("expected reporting interval (s)"), default=60)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="monitoring_devices",
                               verbose_name=_("region"))
    station = models.ForeignKey("air.Station", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="devices", verbose_name=_("air station"))
    unit = models.ForeignKey(EmissionUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="devices",
                             verbose_name=_("emission unit"))
    site = models.ForeignKey(ConstructionSite, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="devices", verbose_name=_("construction site"))
    meter = models.ForeignKey("sources.Meter", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="devices", verbose_name=_("electricity meter"))
    section = models.ForeignKey("water.WaterSection", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="devices", verbose_name=_("water section"))
    active = models.BooleanField(_("active"), default=True)
    last_seen = models.DateTimeField(_("last data"), null=True, blank=True)

    #: With the MN, the password lets anyone forge the device's packets: never shown by default.
    secret_fields = ("password",)
    scope = Scope(region="region", organisation="unit__enterprise__organisation")

    class Meta:
        verbose_name = _("monitoring device")
        verbose_name_plural = _("monitoring devices")
        ordering = ["region__path", "mn"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="air_station", station__isnull=False, unit__isnull=True, site__isnull=True,
                             meter__isnull=True, section__isnull=True)
                           | Q(kind="stack", unit__isnull=False, station__isnull=True, site__isnull=True,
                               meter__isnull=True, section__isnull=True)
                           | Q(kind="dust", site__isnull=False, station__isnull=True, unit__isnull=True,
                               meter__isnull=True, section__isnull=True)
                           | Q(kind="meter", meter__isnull=False, station__isnull=True, unit__isnull=True,
                               site__isnull=True, section__isnull=True)
                           | Q(kind="water_station", section__isnull=False, station__isnull=True, unit__isnull=True,
                               site__isnull=True, meter__isnull=True)),
                name="device_target_matches_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.mn} ({self.station or self.unit or self.site})"

    def clean(self) -> None:
        target = {self.Kind.AIR_STATION: ("station", self.station_id), self.Kind.STACK: ("unit", self.unit_id),
                  self.Kind.DUST: ("site", self.site_id), self.Kind.METER: ("meter", self.meter_id),
                  self.Kind.WATER_STATION: ("section", self.section_id)}.get(self.kind)
        if target is not None and not target[1]:
            raise ValidationError({target[0]: _("A device of this kind names what it measures.")})
        others = [name for name, value in (("station", self.station_id), ("unit", self.unit_id),
                                           ("site", self.site_id), ("meter", self.meter_id),
                                           ("section", self.section_id))
                  if value and (target is None or name != target[0])]
        if others:
            raise ValidationError({others[0]: _("A device of this kind measures nothing of this sort.")})
        if self.station_id:
            self.region_id = self.station.region_id
        elif self.unit_id:
            self.region_id = self.unit.enterprise.organisation.region_id
        elif self.site_id:
            self.region_id = self.site.region_id
        elif self.meter_id:
            self.region_id = self.meter.enterprise.organisation.region_id
        elif self.section_id:
            self.region_id = self.section.region_id


class ReceivedPacket(models.Model):
    """Every packet the gateway received, raw, with what became of it. ``(mn, qn, cn, pno)`` is unique
    among stored packets, so a device's resend of an unacknowledged packet is stored once. The
    gateway only stores; :mod:`gongjian.sources.ingest` reads the CP into time series later and marks
    the packet ``ingested`` (with the data time, and the reason if its data could not be used)."""

    class Status(models.TextChoices):
        STORED = "stored", _("stored")
        REJECTED = "rejected", _("rejected")

    device = models.ForeignKey(MonitoringDevice, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="packets", verbose_name=_("device"))
    peer = models.CharField(_("sender address"), max_length=64)
    received = models.DateTimeField(_("received"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    warnings = models.JSONField(_("warnings"), default=list)
    raw = models.BinaryField(_("raw packet"))
    mn = models.CharField(_("device number (MN)"), max_length=32, blank=True)
    qn = models.CharField(_("request number (QN)"), max_length=20, blank=True)
    st = models.CharField(_("system code (ST)"), max_length=4, blank=True)
    cn = models.CharField(_("command code (CN)"), max_length=4, blank=True)
    pno = models.PositiveIntegerField(_("packet number (PNO)"), default=1)
    data_time = models.DateTimeField(_("data time"), null=True, blank=True)
    ingested = models.DateTimeField(_("ingested"), null=True, blank=True)

    scope = Scope(region="device__region", organisation="device__unit__enterprise__organisation")

    class Meta:
        verbose_name = _("received packet")
        verbose_name_plural = _("received packets")
        indexes = [models.Index(fields=["device", "cn", "data_time"]),
                   models.Index(fields=["id"], condition=Q(status="stored", ingested__isnull=True),
                                name="packet_to_ingest")]
        constraints = [models.UniqueConstraint(fields=["mn", "qn", "cn", "pno"], condition=Q(status="stored"),
                                               name="packet_stored_once")]

    def __str__(self) -> str:
        return f"{self.mn} {self.cn} {self.qn}"


from .monitoring import *  # noqa: E402,F403  (the monitoring models live in a module of their own)
