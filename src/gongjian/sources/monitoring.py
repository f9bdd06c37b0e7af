"""What the monitoring of sources produces: the time series read from HJ 212 packets, electricity
meters and their readings (分表计电), emission limits, alarms and verification notices (核查通知).

Time series are narrow tables keyed by (entity, period start), Beijing time stored aware
(shared/DESIGN.md, Stores): :class:`DeviceSample` holds one value per device, resolution, period
and HJ 212 code; :class:`MeterReading` one mean power per meter and interval.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.core.models import RegistryModel
from gongjian.core.scope import Scope
from gongjian.regions.models import Organisation, Person, Region

__all__ = ["RULE_LABELS", "Alarm", "DeviceSample", "EmissionLimit", "Meter", "MeterReading", "NoticePhoto", "Resolution",
           "VerificationNotice"]


class Resolution(models.TextChoices):
    """HJ 212 data commands by the period they cover (HJ 212-2017 §6.6.3)."""

    REAL_TIME = "r", _("real-time")  # 2011
    MINUTE = "m", _("minute")  # 2051
    HOUR = "h", _("hour")  # 2061
    DAY = "d", _("day")  # 2031


class EmissionLimit(RegistryModel):
    """A unit's limit for one pollutant (mg/m3 at the reference O2 its standard uses), e.g. the
    ultra-low limits of a cement kiln (SO2 35, NOx 100, dust 10 at 10 % O2) or GB 13271's for a boiler."""

    unit = models.ForeignKey("EmissionUnit", on_delete=models.CASCADE, related_name="limits",
                             verbose_name=_("emission unit"))
    code = models.CharField(_("pollutant code (HJ 212)"), max_length=12, help_text=_("e.g. a21026 for SO2"))
    limit = models.FloatField(_("limit (mg/m³)"))
    reference_o2 = models.FloatField(_("reference O₂ (%)"), null=True, blank=True,
                                     help_text=_("Empty: the measured concentration is compared as it is."))
    basis = models.CharField(_("standard"), max_length=120, blank=True, help_text=_("e.g. GB 4915-2013 ultra-low"))

    scope = Scope(region="unit__enterprise__organisation__region", organisation="unit__enterprise__organisation")

    class Meta:
        verbose_name = _("emission limit")
        verbose_name_plural = _("emission limits")
        ordering = ["unit", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="limit_per_unit_and_code")]

    def __str__(self) -> str:
        return f"{self.unit} {self.code} {self.limit:g}"

    def clean(self) -> None:
        if self.limit is not None and self.limit <= 0:
            raise ValidationError({"limit": _("A limit is above zero.")})
        if self.reference_o2 is not None and not 0 <= self.reference_o2 < 21:
            raise ValidationError({"reference_o2": _("The reference O₂ lies between 0 and 21 %.")})


class DeviceSample(models.Model):
    """One value of one HJ 212 code from one device for one period: the average (``-Avg``, or
    ``-Rtd`` for real-time data) and its data flag. ``start`` is the start of the period."""

    device = models.ForeignKey("MonitoringDevice", on_delete=models.CASCADE, related_name="samples", verbose_name=_("device"))
    resolution = models.CharField(_("resolution"), max_length=1, choices=Resolution.choices)
    start = models.DateTimeField(_("period start"))
    code = models.CharField(_("code"), max_length=12)
    value = models.FloatField(_("value"), null=True)
    flag = models.CharField(_("data flag"), max_length=2, blank=True)

    scope = Scope(region="device__region", organisation="device__unit__enterprise__organisation")

    class Meta:
        verbose_name = _("device sample")
        verbose_name_plural = _("device samples")
        constraints = [models.UniqueConstraint(fields=["device", "resolution", "start", "code"],
                                               name="sample_once")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.code} {self.start:%Y-%m-%d %H:%M} {self.value}"


class Meter(RegistryModel):
    """An electricity meter of an enterprise (分表计电): on a production line (it shows the line
    running) or on the pollution-control equipment serving a line or an emission unit (it shows the
    control running). ``number`` is the power company's meter number, which its files carry."""

    class Purpose(models.TextChoices):
        PRODUCTION = "production", _("production")
        CONTROL = "control", _("pollution control")
        TOTAL = "total", _("whole enterprise")

    enterprise = models.ForeignKey("Enterprise", on_delete=models.CASCADE, related_name="meters",
                                   verbose_name=_("enterprise"))
    number = models.CharField(_("meter number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("measures"), max_length=12, choices=Purpose.choices)
    line = models.ForeignKey("ProductionLine", on_delete=models.CASCADE, null=True, blank=True, related_name="meters",
                             verbose_name=_("production line"),
                             help_text=_("The line it measures, or the line whose control equipment it measures."))
    unit = models.ForeignKey("EmissionUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="meters",
                             verbose_name=_("emission unit"),
                             help_text=_("For control equipment: the emission unit it cleans."))
    rated_kw = models.FloatField(_("full-load power (kW)"), null=True, blank=True,
                                 help_text=_("What the line draws in normal full production: the load a list "
                                             "allows (e.g. 70 %) is a share of it."))

    scope = Scope(region="enterprise__organisation__region", organisation="enterprise__organisation")

    class Meta:
        verbose_name = _("electricity meter")
        verbose_name_plural = _("electricity meters")
        ordering = ["enterprise", "number"]

    def __str__(self) -> str:
        return f"{self.enterprise} / {self.name} ({self.number})"

    def clean(self) -> None:
        for name in ("line", "unit"):
            related = getattr(self, name)
            if related is not None and self.enterprise_id and related.enterprise_id != self.enterprise_id:
                raise ValidationError({name: _("It belongs to another enterprise.")})
        if self.purpose != self.Purpose.TOTAL and not self.line_id:
            raise ValidationError({"line": _("A production or control meter names its line.")})


class MeterReading(models.Model):
    """Mean power (kW) of a meter over the interval starting at ``start`` (15 minutes from the power
    company's files, or what the gateway's meters send)."""

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="readings", verbose_name=_("meter"))
    start = models.DateTimeField(_("interval start"))
    kw = models.FloatField(_("mean power (kW)"))
    source = models.CharField(_("source"), max_length=12, default="file")

    scope = Scope(region="meter__enterprise__organisation__region", organisation="meter__enterprise__organisation")

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        constraints = [models.UniqueConstraint(fields=["meter", "start"], name="reading_once")]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.start:%Y-%m-%d %H:%M} {self.kw} kW"


class MeterReadingCorrection(models.Model):
    """A stored reading replaced by a later submission: the value before and after, who, when and why.

    Readings are a series (a meter sends 96 a day), so they keep no per-row history table; but they
    are the evidence of the stopped-line and control-off alarms, so a value is never changed without
    a trace: the importer writes one of these for every reading whose value or source it changes."""

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="corrections",
                              verbose_name=_("electricity meter"))
    start = models.DateTimeField(_("interval start"))
    old_kw = models.FloatField(_("before (kW)"))
    new_kw = models.FloatField(_("after (kW)"))
    old_source = models.CharField(_("source before"), max_length=12)
    new_source = models.CharField(_("source after"), max_length=12)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))

    scope = Scope(region="meter__enterprise__organisation__region", organisation="meter__enterprise__organisation")

    class Meta:
        verbose_name = _("meter reading correction")
        verbose_name_plural = _("meter reading corrections")
        ordering = ["-at", "meter", "start"]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.start:%Y-%m-%d %H:%M}: {self.old_kw} -> {self.new_kw} kW"


#: The rules of :mod:`gongjian.analytics.compliance` in the user's words.
RULE_LABELS = {
    "exceedance": _("emission above the limit"),
    "flat_line": _("flat line (stuck or faked data)"),
    "pinned": _("values held just under the limit"),
    "missing": _("data missing"),
    "drop_at_inspection": _("emissions fall when an inspection is announced"),
    "flow_without_power": _("stack flow while the line draws no power"),
    "power_without_flow": _("line running without stack flow"),
    "stopped_line_drawing_power": _("a line the list stops draws power"),
    "control_off_while_producing": _("production on, pollution control off"),
    "load_above_allowed": _("load above the list's allowance"),
    "reduction_not_matching": _("emissions not reduced as the list requires"),
    "dust_above_threshold": _("site dust above the threshold"),
    "silent": _("device silent"),
}


#: Per rule, a sentence in the user's language from an alarm's numbers (the evidence itself stays
#: as the analytics wrote it, in English, for the API and the record).
SUMMARIES = {
    "exceedance": _("Above the limit: %(series)s at the reference O₂ over %(threshold)s mg/m³ for %(n)s "
                    "intervals, peak %(peak)s"),
    "flat_line": _("Unchanged: %(series)s held at %(peak)s for %(n)s intervals"),
    "pinned": _("Just under the limit: %(series)s near %(threshold)s through %(n)s intervals"),
    "missing": _("Missing: %(series)s absent for %(n)s intervals"),
    "drop_at_inspection": _("After the verification notice: %(series)s fell sharply (mean before: %(peak)s)"),
    "flow_without_power": _("stack flow for %(n)s intervals while the line drew at most %(peak)s kW"),
    "power_without_flow": _("the line drew up to %(peak)s kW for %(n)s intervals without stack flow"),
    "stopped_line_drawing_power": _("the stopped line drew up to %(peak)s kW for %(n)s intervals"),
    "control_off_while_producing": _("production up to %(peak)s kW for %(n)s intervals with the control equipment off"),
    "load_above_allowed": _("load up to %(peak)s percent of full load for %(n)s intervals"),
    "reduction_not_matching": _("emissions fell by %(percent)s percent, less than the list requires"),
    "dust_above_threshold": _("PM10 above %(threshold)s µg/m³ for %(n)s intervals, peak %(peak)s"),
    "silent": _("no data for %(n)s reporting intervals"),
}


#: The series of the rules in the user's words.
SERIES_LABELS = {"so2": "SO₂", "nox": "NOx", "dust": _("flue dust"), "flow": _("stack flow"), "pm10": "PM10",
                 "packets": _("data packets"), "kw": _("electric load (kW)"), "load": _("production load")}


class Alarm(models.Model):
    """A compliance finding (:mod:`gongjian.analytics.compliance`) about a source, kept with its
    evidence. ``fingerprint`` (rule, subject, start) makes re-running the checks idempotent."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        NOTIFIED = "notified", _("in a verification notice")
        CONFIRMED = "confirmed", _("confirmed on site")
        NOT_CONFIRMED = "not_confirmed", _("not confirmed on site")
        DISMISSED = "dismissed", _("dismissed")

    rule = models.CharField(_("rule"), max_length=40, choices=RULE_LABELS.items())
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="alarms", verbose_name=_("region"))
    enterprise = models.ForeignKey("Enterprise", on_delete=models.CASCADE, null=True, blank=True, related_name="alarms",
                                   verbose_name=_("enterprise"))
    site = models.ForeignKey("ConstructionSite", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="alarms", verbose_name=_("construction site"))
    device = models.ForeignKey("MonitoringDevice", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="alarms", verbose_name=_("device"))
    subject = models.CharField(_("subject"), max_length=200, help_text=_("The unit, line, meter or site."))
    series = models.CharField(_("series"), max_length=40)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    intervals = models.PositiveIntegerField(_("intervals"))
    peak = models.FloatField(_("peak"), null=True, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    evidence = models.TextField(_("evidence"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    fingerprint = models.CharField(_("fingerprint"), max_length=300, unique=True)
    found = models.DateTimeField(_("found"), auto_now_add=True)
    notice = models.ForeignKey("VerificationNotice", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="alarms", verbose_name=_("verification notice"))
    #: Who dismissed, notified, confirmed it and when: an alarm is the start of an accountability chain.
    history = HistoricalRecords()

    scope = Scope(region="region", organisation="enterprise__organisation")

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-start", "rule"]
        indexes = [models.Index(fields=["status", "start"])]
        constraints = [models.CheckConstraint(condition=Q(enterprise__isnull=False) | Q(site__isnull=False),
                                              name="alarm_has_a_source")]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.subject}"

    def series_label(self) -> str:
        return str(SERIES_LABELS.get(self.series, self.series))

    def summary(self) -> str:
        """The finding in a sentence of the user's language (the check's own ``evidence`` record, in
        the checks' words, stays for the API and audit)."""
        numbers = {"series": SERIES_LABELS.get(self.series, self.series), "n": self.intervals, "peak": _number(self.peak),
                   "threshold": _number(self.threshold),
                   "percent": _number(None if self.peak is None else self.peak * 100)}
        return str(SUMMARIES.get(self.rule, self.evidence)) % numbers


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


class VerificationNotice(models.Model):
    """A verification notice (核查通知): the office asks a town office or a department to check alarms
    on site by a deadline; the receiver records what it found (confirmed or not, measures taken,
    photos). The first step of supervision: a case of the task ledger may start from it."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        REPORTED = "reported", _("result reported")
        CLOSED = "closed", _("closed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="verification_notices",
                               verbose_name=_("region"), help_text=_("Where the check is made."))
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="verification_notices",
                                  verbose_name=_("to"))
    issued_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    issued = models.DateTimeField(_("issued"))
    deadline = models.DateTimeField(_("deadline"))
    instructions = models.TextField(_("what to check"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    confirmed = models.BooleanField(_("breach confirmed"), null=True)
    finding = models.TextField(_("what was found"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    reported_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("reported by"))
    reported = models.DateTimeField(_("reported"), null=True, blank=True)
    closed_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("closed by"))
    closed = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords()

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("verification notice")
        verbose_name_plural = _("verification notices")
        ordering = ["-issued"]

    def __str__(self) -> str:
        return _("Verification notice %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"{self.issued:%Y}-{self.pk:04d}" if self.pk and self.issued else "-"


class NoticePhoto(models.Model):
    """A photo the receiver of a verification notice took on site."""

    notice = models.ForeignKey(VerificationNotice, on_delete=models.CASCADE, related_name="photos", verbose_name=_("notice"))
    image = models.FileField(_("photo"), upload_to="verification/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    scope = Scope(region="notice__region")

    class Meta:
        verbose_name = _("notice photo")
        verbose_name_plural = _("notice photos")

    def __str__(self) -> str:
        return self.caption or self.image.name
