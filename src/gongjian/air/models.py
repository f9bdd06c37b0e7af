"""Air-quality registries and stores: targets, stations, hourly values with data flags and their
correction history, meteorology, import sources and batches."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.core.models import RegistryModel
from gongjian.core.scope import Scope
from gongjian.regions.models import Region
from gongjian.standards.hj212 import DATA_FLAGS, DataFlag
from gongjian.standards.hj663 import POLLUTANTS  # noqa: F401  (re-exported for the air app)

from .findings import RULE_NAMES, evidence

__all__ = ["AirHour", "AirQualityTarget", "Correction", "ImportBatch", "MetHour", "SourceLayout", "Station",
           "TargetMetric"]


class TargetMetric(models.TextChoices):
    """What a target limits. Concentrations and heavy days are upper limits; good days and
    the good-day ratio are lower limits."""

    PM25_MEAN = "pm25_mean", _("PM2.5 annual mean (ug/m3)")
    PM10_MEAN = "pm10_mean", _("PM10 annual mean (ug/m3)")
    GOOD_DAYS = "good_days", _("good days")
    GOOD_RATIO = "good_ratio", _("good-day ratio (%)")
    HEAVY_DAYS = "heavy_days", _("heavy-pollution days")
    COMPOSITE_INDEX = "composite_index", _("composite index")

    @property
    def is_upper_limit(self) -> bool:
        return self not in (TargetMetric.GOOD_DAYS, TargetMetric.GOOD_RATIO)


class AirQualityTarget(RegistryModel):
    """A region's target for one year and metric, as a plan or a higher government set it
    (e.g. Zhengzhou 2020: PM2.5 <= 56 ug/m3; the provincial 2017 notice, tables 1-3)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="air_targets", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"))
    metric = models.CharField(_("metric"), max_length=24, choices=TargetMetric.choices)
    value = models.DecimalField(_("target value"), max_digits=8, decimal_places=2)
    source = models.CharField(_("source document"), max_length=200, blank=True,
                              help_text=_("The plan or notice that set the target."))
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("Conditions stated with the target, e.g. a ranking requirement."))

    scope = Scope(region="region", public=True)

    class Meta:
        verbose_name = _("air-quality target")
        verbose_name_plural = _("air-quality targets")
        ordering = ["region__path", "year", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "metric"], name="air_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.get_metric_display()} {self.value}"

    def clean(self) -> None:
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": _("A target cannot be negative.")})
        if self.metric == TargetMetric.GOOD_RATIO and self.value is not None and self.value > 100:
            raise ValidationError({"value": _("A ratio is at most 100%.")})


class Station(RegistryModel):
    """A monitoring station (点位): national, provincial, city, county, town or micro/sensor station,
    or a meteorological site. ``assessment`` marks the stations whose data make their region's
    official values (a city's value comes from its assessment stations only, HJ 663)."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("national-control station")
        PROVINCIAL = "provincial", _("provincial-control station")
        CITY = "city", _("city-control station")
        COUNTY = "county", _("county station")
        TOWN = "town", _("town station")
        MICRO = "micro", _("micro station / sensor")
        MET = "met", _("meteorological site")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed")

    code = models.CharField(_("station code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="stations", verbose_name=_("region"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    assessment = models.BooleanField(_("assessment station"), default=False,
                                     help_text=_("Counts towards its region's official statistics."))

    scope = Scope(region="region", public=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["region__path", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": _("Latitude lies between -90 and 90.")})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError({"longitude": _("Longitude lies between -180 and 180.")})


#: The HJ 212 flags whose names the review flags below also use.
_HJ212_PREFIXED = {DataFlag.MAINTENANCE, DataFlag.CALIBRATION}

Flag = models.TextChoices("Flag", [
    *((f"HJ212_{flag.name}" if flag in _HJ212_PREFIXED else flag.name, (flag.value, _(DATA_FLAGS[flag])))
      for flag in DataFlag),
    ("VALID", ("valid", _("valid (reviewed)"))),
    ("INVALID", ("invalid", _("invalid"))),
    ("CALIBRATION", ("calibration", _("calibration"))),
    ("MAINTENANCE", ("maintenance", _("maintenance"))),
    ("SUSPECT", ("suspect", _("suspect"))),
])
Flag.__doc__ = """Data flags of an hourly value: the HJ 212-2017 data flags as devices and files send them
(:class:`gongjian.standards.hj212.DataFlag`, their one definition) and the review flags of quality
control. ``N`` and ``valid`` enter statistics; every other flag keeps the value out
(:data:`gongjian.standards.hj663.VALID_FLAGS`)."""




class AirHour(models.Model):
    """One station-hour of the six basic pollutants (µg/m3, CO mg/m3), labelled by the start of the
    hour in Beijing time, each with its data flag. A time series, kept narrow and written in bulk;
    changes are recorded in :class:`Correction`, not in a history table."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="hours", verbose_name=_("station"))
    time = models.DateTimeField(_("hour starting"))
    so2 = models.FloatField(null=True)
    no2 = models.FloatField(null=True)
    co = models.FloatField(null=True)
    o3 = models.FloatField(null=True)
    pm10 = models.FloatField(null=True)
    pm25 = models.FloatField(null=True)
    so2_flag = models.CharField(_("SO2 flag"), max_length=12, choices=Flag.choices, default=Flag.NORMAL)
    no2_flag = models.CharField(_("NO2 flag"), max_length=12, choices=Flag.choices, default=Flag.NORMAL)
    co_flag = models.CharField(_("CO flag"), max_length=12, choices=Flag.choices, default=Flag.NORMAL)
    o3_flag = models.CharField(_("O3 flag"), max_length=12, choices=Flag.choices, default=Flag.NORMAL)
    pm10_flag = models.CharField(_("PM10 flag"), max_length=12, choices=Flag.choices, default=Flag.NORMAL)
    pm25_flag = models.CharField(_("PM2.5 flag"), max_length=12, choices=Flag.choices, default=Flag.NORMAL)
    batch = models.ForeignKey("ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("import batch"))

    scope = Scope(region="station__region", public=True)

    class Meta:
        verbose_name = _("station hour")
        verbose_name_plural = _("station hours")
        constraints = [models.UniqueConstraint(fields=["station", "time"], name="air_hour_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.time:%Y-%m-%d %H:%M}"


class MetHour(models.Model):
    """One hour of meteorology at a station or meteorological site (start of the hour, Beijing time)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="met_hours", verbose_name=_("station"))
    time = models.DateTimeField(_("hour starting"))
    wind_speed = models.FloatField(_("wind speed (m/s)"), null=True)
    wind_direction = models.FloatField(_("wind direction (degrees from north)"), null=True)
    temperature = models.FloatField(_("temperature (°C)"), null=True)
    humidity = models.FloatField(_("relative humidity (%)"), null=True)
    pressure = models.FloatField(_("pressure (hPa)"), null=True)
    rain = models.FloatField(_("precipitation (mm)"), null=True)

    scope = Scope(region="station__region", public=True)

    class Meta:
        verbose_name = _("meteorological hour")
        verbose_name_plural = _("meteorological hours")
        constraints = [models.UniqueConstraint(fields=["station", "time"], name="met_hour_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.time:%Y-%m-%d %H:%M}"


class SourceLayout(RegistryModel):
    """How the files of one data source are laid out (column names, units, hour labels), remembered
    so that the next file from the same source imports without asking again."""

    name = models.CharField(_("source"), max_length=100, unique=True)
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)
    units = models.JSONField(_("units"), default=dict, blank=True)
    hour_label = models.CharField(_("hour label"), max_length=5, choices=[("start", _("start of hour")),
                                                                           ("end", _("end of hour"))], default="start")
    time_columns = models.JSONField(_("time columns"), default=list, blank=True)

    scope = Scope(region=None)

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One import of one file: what came in, what it changed, who did it."""

    source = models.ForeignKey(SourceLayout, on_delete=models.PROTECT, related_name="batches", verbose_name=_("source"))
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("file fingerprint (SHA-256)"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    inserted = models.PositiveIntegerField(_("inserted"))
    changed = models.PositiveIntegerField(_("changed"))
    unchanged = models.PositiveIntegerField(_("unchanged"))
    imported_by = models.ForeignKey("regions.Person", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    scope = Scope(region=None)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source})"


class Correction(models.Model):
    """A change to a stored hourly value or flag: the original, the new value, who and why
    (谁出数谁负责). Written by re-imports, quality review and manual corrections alike."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("station"))
    time = models.DateTimeField(_("hour starting"))
    pollutant = models.CharField(_("pollutant"), max_length=8)
    old_value = models.FloatField(_("original value"), null=True)
    new_value = models.FloatField(_("new value"), null=True)
    old_flag = models.CharField(_("original flag"), max_length=12)
    new_flag = models.CharField(_("new flag"), max_length=12)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey("regions.Person", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="corrections", verbose_name=_("import batch"))

    scope = Scope(region="station__region")

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.station_id} {self.time:%Y-%m-%d %H:%M} {self.pollutant}: {self.old_value} -> {self.new_value}"


class QualityFinding(RegistryModel):
    """A quality-control finding on a run of hours of one pollutant at one station, with its evidence.
    Its hours are flagged ``suspect`` (out of the statistics) until a reviewer confirms them invalid or
    overrides the finding (valid again); every flag change is a :class:`Correction`."""

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting review")
        CONFIRMED = "confirmed", _("confirmed: invalid")
        OVERRIDDEN = "overridden", _("overridden: valid")
        NOTED = "noted", _("noted (nothing to flag)")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="findings", verbose_name=_("station"))
    pollutant = models.CharField(_("pollutant"), max_length=8)
    rule = models.CharField(_("check"), max_length=20, help_text=_("The quality check that found it."))
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    hours = models.PositiveIntegerField(_("hours"))
    detail = models.CharField(_("evidence"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    reviewed_by = models.ForeignKey("regions.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)

    scope = Scope(region="station__region")

    class Meta:
        verbose_name = _("quality finding")
        verbose_name_plural = _("quality findings")
        ordering = ["-start"]
        constraints = [models.UniqueConstraint(fields=["station", "pollutant", "rule", "start"],
                                               name="quality_finding_unique")]

    def __str__(self) -> str:
        return f"{self.station} {self.pollutant} {self.rule} {self.start:%Y-%m-%d %H:%M}"

    def rule_name(self) -> str:
        return str(RULE_NAMES.get(self.rule, self.rule))

    def evidence(self) -> str:
        """The evidence in the reader's language (:func:`gongjian.air.findings.evidence`)."""
        return evidence(self.rule, self.pollutant, self.detail)


class StationOutage(models.Model):
    """A station that has sent no hour for longer than the threshold of its hours
    (``GONGJIAN_STALE_AFTER["air.hourly"]``, :mod:`gongjian.core.freshness`): the station network's
    counterpart of a source device's "silent" alarm, which is about an enterprise or a site. The
    hourly feed check (:func:`gongjian.air.feeds.check_feeds`) opens one per outage, from the last
    hour received, and closes it with the first hour that comes again."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="outages", verbose_name=_("station"))
    last_hour = models.DateTimeField(_("last hour received"), help_text=_("The start of the newest hour it had sent."))
    found = models.DateTimeField(_("found"))
    resumed = models.DateTimeField(_("hours again from"), null=True, blank=True,
                                   help_text=_("The first hour received after the outage; empty while it lasts."))

    scope = Scope(region="station__region")

    class Meta:
        verbose_name = _("station outage")
        verbose_name_plural = _("station outages")
        ordering = ["-last_hour"]
        constraints = [
            models.UniqueConstraint(fields=["station", "last_hour"], name="outage_once"),
            models.UniqueConstraint(fields=["station"], condition=models.Q(resumed__isnull=True),
                                    name="one_open_outage_per_station"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.last_hour:%Y-%m-%d %H:%M}"


class DailyResult(models.Model):
    """A station's or region's daily values and AQI for one edition, as the engine computed them from
    the stored hours (flags respected). Derived data: recomputed when hours change, never edited.
    A region's row comes from the hourly means of its counting stations (HJ 663)."""

    class Subject(models.TextChoices):
        STATION = "station", _("station")
        REGION = "region", _("region")

    subject = models.CharField(_("subject"), max_length=8, choices=Subject.choices)
    station = models.ForeignKey(Station, on_delete=models.CASCADE, null=True, blank=True, related_name="daily", verbose_name=_("station"))
    # the region itself for region rows, the station's region for station rows: one scope for both
    place = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="air_daily", verbose_name=_("region"))
    date = models.DateField(_("date"))
    edition = models.CharField(_("edition"), max_length=4)
    so2 = models.FloatField(null=True)
    no2 = models.FloatField(null=True)
    co = models.FloatField(null=True)
    o3_1h = models.FloatField(null=True)
    o3_8h = models.FloatField(null=True)
    pm10 = models.FloatField(null=True)
    pm25 = models.FloatField(null=True)
    aqi = models.IntegerField(_("AQI"), null=True)
    level = models.SmallIntegerField(_("AQI level"), null=True)
    primary_pollutants = models.CharField(_("primary pollutants"), max_length=40, blank=True)
    complete = models.BooleanField(_("complete"), default=False)
    invalid = models.CharField(_("indicators without a valid value"), max_length=300, blank=True)
    excluding_events = models.BooleanField(
        _("excluding exceptional events"), default=False,
        help_text=_("A variant computed without the hours of accepted exceptional events; stored only for the days "
                    "such events touch."))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    scope = Scope(region="place", public=True)

    class Meta:
        verbose_name = _("daily result")
        verbose_name_plural = _("daily results")
        constraints = [
            models.UniqueConstraint(fields=["station", "date", "edition", "excluding_events"],
                                    condition=models.Q(subject="station"), name="daily_station_unique"),
            models.UniqueConstraint(fields=["place", "date", "edition", "excluding_events"],
                                    condition=models.Q(subject="region"), name="daily_region_unique"),
            models.CheckConstraint(condition=models.Q(subject="station", station__isnull=False)
                                   | models.Q(subject="region", station__isnull=True),
                                   name="daily_subject_consistent"),
        ]
        indexes = [models.Index(fields=["subject", "edition", "date"], name="daily_lookup")]

    def __str__(self) -> str:
        return f"{self.station or self.place} {self.date} {self.edition}: {self.aqi}"


class ExceptionalEvent(RegistryModel):
    """An exceptional event (例外事件, HJ 663-2026; 扣沙 in earlier bulletins): a dust storm, fireworks
    or a wildfire that a user proposes and an approver accepts or rejects. Statistics can then be shown
    without the accepted events' hours at the listed stations, always labelled as such."""

    class Kind(models.TextChoices):
        DUST = "dust", _("dust storm")
        FIREWORKS = "fireworks", _("fireworks")
        WILDFIRE = "wildfire", _("wildfire")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="air_events", verbose_name=_("region"),
                               help_text=_("The region the event concerns; its stations are listed below."))
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    stations = models.ManyToManyField(Station, related_name="events", verbose_name=_("stations"))
    description = models.TextField(_("description"), help_text=_("What happened and the evidence (forecasts, reports)."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey("regions.Person", on_delete=models.SET_NULL, null=True, related_name="+",
                                    verbose_name=_("proposed by"))
    decided_by = models.ForeignKey("regions.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("exceptional event")
        verbose_name_plural = _("exceptional events")
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%Y-%m-%d} ({self.region})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("An event ends after it starts.")})


class ResultsVersion(models.Model):
    """A counter bumped in the same transaction as every recomputation of daily results, so that
    anything derived from them (cached rankings, target progress) knows when it is stale."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("results version")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
