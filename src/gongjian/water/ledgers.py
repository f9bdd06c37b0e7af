"""The water ledgers (台账) of the plans: drinking-water sources with their protection zones and the
problems to rectify, black-odorous water bodies, and river outfalls. Each record whose status moves
does so on the one mechanism of :mod:`gongjian.core.ledger` (a declared :class:`Workflow`, a step
with who, when, the note and the evidence); the lists the public side shows are frozen
:class:`~gongjian.core.ledger.Publication` records.

The services are :mod:`gongjian.water.drinking`, :mod:`gongjian.water.blackodorous` and
:mod:`gongjian.water.outfalls`.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjian.core.ledger import LedgerStep, Move, Publication, Workflow
from gongjian.core.models import RegistryModel
from gongjian.core.scope import Scope
from gongjian.standards import blackodorous as guideline

__all__ = ["OUTFALL_ITEMS", "SURVEY_DAYS", "judge", "survey_window", "code_for", "BlackOdorousList", "BlackOdorousStep", "BlackOdorousSurvey", "BlackOdorousWaterBody",
           "DrinkingDisclosure", "DrinkingWaterSource", "Outfall", "OutfallLimit", "OutfallResult", "OutfallStep",
           "ProtectionZone", "PublishedMonth", "SourceProblem", "SourceProblemStep"]

NOT_NEGATIVE = [MinValueValidator(0)]


# --- drinking-water sources ---------------------------------------------------------------------

class DrinkingWaterSource(RegistryModel):
    """A centralised drinking-water source (集中式饮用水水源地; 千吨万人 where it supplies at least
    a thousand tonnes a day or ten thousand people, as the Zhengzhou 2020 plan names them). Its intake
    is a water section, so that its results come through the samples store like every section's."""

    class Kind(models.TextChoices):
        RIVER = "river", _("river")
        LAKE = "lake", _("lake")
        RESERVOIR = "reservoir", _("reservoir")
        GROUNDWATER = "groundwater", _("groundwater")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of source"), max_length=12, choices=Kind.choices)
    thousand_ton = models.BooleanField(_("千吨万人 source"), default=False,
                                       help_text=_("Supplies at least 1000 t a day or 10000 people (千吨万人)."))
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    served_population = models.PositiveIntegerField(_("served population"), null=True, blank=True)
    supply_scale = models.FloatField(_("supply scale (10⁴ t/d)"), null=True, blank=True, validators=NOT_NEGATIVE)
    intake = models.ForeignKey("water.WaterSection", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="drinking_sources", verbose_name=_("intake section"),
                               help_text=_("The water section at the intake, whose samples are evaluated."))

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("drinking-water source")
        verbose_name_plural = _("drinking-water sources")
        ordering = ["region__path", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def water_kind(self) -> str:
        """The GB 3838 kind its results are judged as: lakes and reservoirs by their TP limits;
        groundwater sources are evaluated as rivers here (GB/T 14848 is not implemented)."""
        return self.kind if self.kind in ("lake", "reservoir") else "river"


class ProtectionZone(RegistryModel):
    """A protection zone of a source (一级/二级保护区, 准保护区): its area, what it covers, and the
    boundary markers the plans require (保护区边界标志)."""

    class Level(models.TextChoices):
        FIRST = "first", _("level 1 zone")
        SECOND = "second", _("level 2 zone")
        QUASI = "quasi", _("quasi-protection zone")

    source = models.ForeignKey(DrinkingWaterSource, on_delete=models.CASCADE, related_name="zones",
                               verbose_name=_("drinking-water source"))
    level = models.CharField(_("zone"), max_length=8, choices=Level.choices)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True, validators=NOT_NEGATIVE)
    description = models.TextField(_("description"), blank=True)
    markers_required = models.PositiveIntegerField(_("boundary markers required"), null=True, blank=True)
    markers_set = models.PositiveIntegerField(_("boundary markers set"), null=True, blank=True)

    scope = Scope(region="source__region")

    class Meta:
        verbose_name = _("protection zone")
        verbose_name_plural = _("protection zones")
        ordering = ["source__code", "level"]
        constraints = [models.UniqueConstraint(fields=["source", "level"], name="water_zone_unique")]

    def __str__(self) -> str:
        return f"{self.source.name} {self.get_level_display()}"

    def clean(self):
        if self.markers_set is not None and self.markers_required is not None and self.markers_set > self.markers_required:
            raise ValidationError({"markers_set": _("More markers set than required: correct one of them.")})


class SourceProblem(RegistryModel):
    """A problem found in a source's protection zones (an outfall, an illegal project, cage farming:
    the Yibin plan's list), to be rectified by a deadline; its status moves on the ledger's steps."""

    class Kind(models.TextChoices):
        OUTFALL = "outfall", _("outfall in the zone")
        PROJECT = "project", _("illegal project")
        FARMING = "farming", _("cage or livestock farming")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        FOUND = "found", pgettext_lazy("ledger status", "found")
        RECTIFYING = "rectifying", _("being rectified")
        RECTIFIED = "rectified", _("rectification reported")
        CLOSED = "closed", _("verified and closed")

    workflow = Workflow(Status, Status.FOUND, [
        Move(Status.FOUND, Status.RECTIFYING, label=_("Start rectification")),
        Move(Status.RECTIFYING, Status.RECTIFIED, evidence=True, label=_("Report it rectified")),
        Move(Status.RECTIFIED, Status.RECTIFYING, label=_("Not rectified: back to rectification")),
        Move(Status.RECTIFIED, Status.CLOSED, evidence=True, label=_("Verified: close (销号)")),
    ])

    source = models.ForeignKey(DrinkingWaterSource, on_delete=models.CASCADE, related_name="problems",
                               verbose_name=_("drinking-water source"))
    kind = models.CharField(_("kind of problem"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("problem"), max_length=200)
    found_on = models.DateField(_("found on"))
    deadline = models.DateField(_("deadline"))
    responsible = models.CharField(_("responsible unit"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.FOUND, editable=False)

    scope = Scope(region="source__region")

    class Meta:
        verbose_name = _("source problem")
        verbose_name_plural = _("source problems")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.source.name}: {self.title}"

    def clean(self):
        if self.found_on and self.deadline and self.deadline < self.found_on:
            raise ValidationError({"deadline": _("The deadline is before the day the problem was found.")})


class SourceProblemStep(LedgerStep):
    record = models.ForeignKey(SourceProblem, on_delete=models.CASCADE, related_name="steps",
                               verbose_name=_("source problem"))

    scope = Scope(region="record__source__region")

    class Meta(LedgerStep.Meta):
        verbose_name = _("source problem step")
        verbose_name_plural = _("source problem steps")


class DrinkingDisclosure(Publication):
    """The quarterly disclosure of drinking-water quality (the Yibin plan: city- and county-level
    sources disclosed to the public at least every quarter), as published: every source evaluated,
    its class, its compliance and the compliance rate."""

    scope = Scope(region="region", public=True)

    class Meta(Publication.Meta):
        verbose_name = _("drinking-water disclosure")
        verbose_name_plural = _("drinking-water disclosures")
        constraints = [models.UniqueConstraint(fields=["region", "period", "number"], name="water_disclosure_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.period} ({self.number})"


class PublishedMonth(Publication):
    """The monthly classes of a region's sections as published to the public: each section's class,
    target and whether it met it, frozen at publication. The stored monthly results
    (:class:`~gongjian.water.models.SectionMonth`) change with a late or corrected sample; what the
    public was told does not: a correction is a new edition of the month."""

    scope = Scope(region="region", public=True)

    class Meta(Publication.Meta):
        verbose_name = _("published monthly classes")
        verbose_name_plural = _("published monthly classes")
        constraints = [models.UniqueConstraint(fields=["region", "period", "number"], name="water_published_month_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.period} ({self.number})"


# --- black-odorous water bodies ---------------------------------------------------------------

class BlackOdorousWaterBody(RegistryModel):
    """An urban black-odorous water body (城市黑臭水体) on the list: where it runs, how long or large
    it is, who answers for it, its level judged from the surveys (城市黑臭水体整治工作指南), the year
    the plan eliminates it by, and its status found -> rectifying -> eliminated -> long-term stable
    (长制久清), each move a step with evidence."""

    class Level(models.TextChoices):
        LIGHT = "light", _("light black-odorous")
        HEAVY = "heavy", _("heavy black-odorous")

    class Status(models.TextChoices):
        FOUND = "found", pgettext_lazy("ledger status", "found")
        RECTIFYING = "rectifying", _("being rectified")
        ELIMINATED = "eliminated", _("eliminated")
        STABLE = "stable", _("long-term stable (长制久清)")

    workflow = Workflow(Status, Status.FOUND, [
        Move(Status.FOUND, Status.RECTIFYING, label=_("Start rectification")),
        Move(Status.RECTIFYING, Status.ELIMINATED, evidence=True, label=_("Eliminated (with the survey)")),
        Move(Status.ELIMINATED, Status.STABLE, evidence=True, label=_("Long-term stable (长制久清)")),
        Move(Status.ELIMINATED, Status.RECTIFYING, label=_("Black-odorous again: back to rectification")),
        Move(Status.STABLE, Status.RECTIFYING, label=_("Black-odorous again: back to rectification")),
    ])

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    start_point = models.CharField(_("start point"), max_length=100, blank=True)
    end_point = models.CharField(_("end point"), max_length=100, blank=True)
    length_km = models.FloatField(_("length (km)"), null=True, blank=True, validators=NOT_NEGATIVE)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True, validators=NOT_NEGATIVE)
    responsible_units = models.CharField(_("responsible units"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, blank=True, editable=False,
                             help_text=_("Judged from the latest survey; empty until surveyed."))
    target_year = models.PositiveSmallIntegerField(_("eliminated by (year)"), null=True, blank=True,
                                                   validators=[MinValueValidator(2015), MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.FOUND, editable=False)

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("black-odorous water body")
        verbose_name_plural = _("black-odorous water bodies")
        ordering = ["region__path", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self):
        if self.length_km is None and self.area_km2 is None:
            raise ValidationError({"length_km": _("Give the length (a river) or the area (a pond or lake).")})


class BlackOdorousStep(LedgerStep):
    record = models.ForeignKey(BlackOdorousWaterBody, on_delete=models.CASCADE, related_name="steps",
                               verbose_name=_("black-odorous water body"))

    scope = Scope(region="record__region")

    class Meta(LedgerStep.Meta):
        verbose_name = _("black-odorous step")
        verbose_name_plural = _("black-odorous steps")


class BlackOdorousSurvey(RegistryModel):
    """One point's result of one survey of a black-odorous water body: the guideline's four
    indicators and the water depth (the transparency threshold is 40 % of the depth below 25 cm)."""

    body = models.ForeignKey(BlackOdorousWaterBody, on_delete=models.CASCADE, related_name="surveys",
                             verbose_name=_("black-odorous water body"))
    sampled = models.DateField(_("sampled on"))
    point = models.CharField(_("point"), max_length=40)
    transparency_cm = models.FloatField(_("transparency (cm)"), validators=NOT_NEGATIVE)
    do_mg_l = models.FloatField(_("dissolved oxygen (mg/L)"), validators=NOT_NEGATIVE)
    orp_mv = models.FloatField(_("ORP (mV)"))
    nh3n_mg_l = models.FloatField(_("ammonia nitrogen (mg/L)"), validators=NOT_NEGATIVE)
    depth_cm = models.FloatField(_("water depth (cm)"), null=True, blank=True, validators=NOT_NEGATIVE)

    scope = Scope(region="body__region")

    class Meta:
        verbose_name = _("black-odorous survey result")
        verbose_name_plural = _("black-odorous survey results")
        ordering = ["body__code", "-sampled", "point"]
        constraints = [models.UniqueConstraint(fields=["body", "sampled", "point"], name="water_bo_survey_unique")]

    def __str__(self) -> str:
        return f"{self.body.name} {self.sampled:%Y-%m-%d} {self.point}"


#: The days one survey spans: the guideline samples every 1-7 days, at least 3 times.
SURVEY_DAYS = 31

LEVELS = {guideline.Grade.LIGHT: BlackOdorousWaterBody.Level.LIGHT, guideline.Grade.HEAVY: BlackOdorousWaterBody.Level.HEAVY,
          guideline.Grade.NONE: ""}


def _along(point: str) -> tuple:
    """Points in their order along the water: by their names, numbers read as numbers (P2 before P10)."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", point))


def survey_window(body: BlackOdorousWaterBody, end: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The days of the body's survey ending on ``end`` (default its latest sampling); ``None``
    when it was never surveyed."""
    if end is None:
        end = body.surveys.order_by("-sampled").values_list("sampled", flat=True).first()
        if end is None:
            return None
    return end - dt.timedelta(days=SURVEY_DAYS - 1), end


def judge(body: BlackOdorousWaterBody, end: dt.date | None = None, *, save: bool = True) -> guideline.WaterBodyResult:
    """The body's grade from the survey ending on ``end``; with ``save`` its ``level`` is set from it
    (light or heavy; empty where the survey finds it no longer black-odorous or there is no survey)."""
    window = survey_window(body, end)
    points: dict[str, list[dict]] = {}
    if window is not None:
        for s in body.surveys.filter(sampled__range=window).order_by("point", "sampled"):
            points.setdefault(s.point, []).append({"transparency": s.transparency_cm, "do": s.do_mg_l, "orp": s.orp_mv,
                                                   "nh3n": s.nh3n_mg_l, "depth": s.depth_cm})
    grades = [guideline.point_grade(points[p]).grade for p in sorted(points, key=_along)]
    result = guideline.water_body_grade(grades)
    if save:
        level = "" if result.grade is None else LEVELS[result.grade]
        if body.level != level:  # derived from the surveys, whose history keeps what changed
            body.level = level
            BlackOdorousWaterBody.objects.filter(pk=body.pk).update(level=level)
    return result


@receiver([post_save, post_delete], sender=BlackOdorousSurvey)
def _survey_changed(sender, instance, **kwargs):
    """A survey result added, corrected or removed (page, import, API alike) judges the body again."""
    body = BlackOdorousWaterBody.objects.filter(pk=instance.body_id).first()
    if body is not None:
        judge(body)


class BlackOdorousList(Publication):
    """The half-yearly public list of black-odorous water bodies and their rectification (the
    Jiaozuo plan: 每半年公布治理情况), as published."""

    scope = Scope(region="region", public=True)

    class Meta(Publication.Meta):
        verbose_name = _("black-odorous list")
        verbose_name_plural = _("black-odorous lists")
        constraints = [models.UniqueConstraint(fields=["region", "period", "number"], name="water_bo_list_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.period} ({self.number})"


# --- outfalls ----------------------------------------------------------------------------------

class Outfall(RegistryModel):
    """A river outfall (入河排污口), traced (排查), numbered (编号), monitored monthly against its limits,
    rectified and closed out (销号): the Yibin and Zhengzhou plans' 查、测、溯、治. Its code is given when
    it is numbered (:func:`gongjian.water.outfalls.code_for`)."""

    class Kind(models.TextChoices):
        INDUSTRIAL = "industrial", _("industrial")
        MUNICIPAL = "municipal", _("municipal sewage")
        AGRICULTURAL = "agricultural", _("agricultural")
        OTHER = "other", _("other")

    class Size(models.TextChoices):
        ABOVE = "above", _("above the reporting scale (规模以上)")
        BELOW = "below", _("below the reporting scale (规模以下)")

    class Status(models.TextChoices):
        TRACED = "traced", _("traced")
        NUMBERED = "numbered", _("numbered")
        MONITORED = "monitored", _("monitored")
        RECTIFYING = "rectifying", _("being rectified")
        RECTIFIED = "rectified", _("rectification reported")
        CLOSED = "closed", _("closed out (销号)")

    workflow = Workflow(Status, Status.TRACED, [
        Move(Status.TRACED, Status.NUMBERED, label=_("Number it (编号)")),
        Move(Status.NUMBERED, Status.MONITORED, label=_("Put under monthly monitoring")),
        Move(Status.NUMBERED, Status.RECTIFYING, label=_("Start rectification")),
        Move(Status.MONITORED, Status.RECTIFYING, label=_("Start rectification")),
        Move(Status.RECTIFYING, Status.RECTIFIED, evidence=True, label=_("Report it rectified")),
        Move(Status.RECTIFIED, Status.RECTIFYING, label=_("Not rectified: back to rectification")),
        Move(Status.RECTIFIED, Status.CLOSED, evidence=True, label=_("Verified: close out (销号)")),
    ])

    code = models.CharField(_("code"), max_length=32, unique=True, null=True, blank=True, editable=False,
                            help_text=_("Given when the outfall is numbered."))
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    receiving_water = models.CharField(_("receiving water"), max_length=100)
    section = models.ForeignKey("water.WaterSection", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="outfalls", verbose_name=_("section downstream"))
    kind = models.CharField(_("kind of outfall"), max_length=12, choices=Kind.choices)
    size = models.CharField(_("size"), max_length=6, choices=Size.choices, default=Size.BELOW)
    discharger = models.CharField(_("discharging unit"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True,
                                 validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), null=True, blank=True,
                                  validators=[MinValueValidator(-180), MaxValueValidator(180)])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.TRACED, editable=False)

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("outfall")
        verbose_name_plural = _("outfalls")
        ordering = ["region__path", "code", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    def entered(self, step) -> None:
        """Numbering gives the outfall its code (the ledger's hook, in the step's transaction)."""
        if step.status == self.Status.NUMBERED and not self.code:
            self.code = code_for(self)
            self.save()


#: The letter of each kind of outfall in its code.
KIND_LETTERS = {"industrial": "G", "municipal": "S", "agricultural": "N", "other": "Q"}


def code_for(outfall: Outfall) -> str:
    """The code an outfall is numbered with: ``RH`` (入河), the division code of its region (GB/T
    2260; the region's id where it has none), the letter of its kind (G industrial, S municipal
    sewage, N agricultural, Q other) and a four-digit sequence within that region and kind, e.g.
    ``RH410122G0003``. This is the house rule, configurable in nothing: HJ 1235-2021 (入河（海）排污口
    命名与编码规则) could not be read here, and a deployment that must follow it replaces this one
    function. The sequence continues after the highest number given, so a closed-out outfall's code
    is never reused."""
    prefix = f"RH{outfall.region.code or outfall.region_id}{KIND_LETTERS[outfall.kind]}"
    taken = Outfall.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix):]) for c in taken if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


class OutfallStep(LedgerStep):
    record = models.ForeignKey(Outfall, on_delete=models.CASCADE, related_name="steps", verbose_name=_("outfall"))

    scope = Scope(region="record__region")

    class Meta(LedgerStep.Meta):
        verbose_name = _("outfall step")
        verbose_name_plural = _("outfall steps")


#: What an outfall's limits and monthly results name: the discharge items offices monitor.
OUTFALL_ITEMS = [("cod", "化学需氧量"), ("bod5", "五日生化需氧量"), ("nh3n", "氨氮"), ("tp", "总磷"), ("tn", "总氮"),
                 ("ss", "悬浮物"), ("petroleum", "石油类"), ("ph", "pH")]


class OutfallLimit(RegistryModel):
    """The limit that applies to one item at one outfall, and where it comes from (a discharge
    standard's class, a permit, the plan): a result above it raises an ``outfall_over_limit``
    alarm. pH is a range, given as its upper limit here and its lower one in ``lower``."""

    outfall = models.ForeignKey(Outfall, on_delete=models.CASCADE, related_name="limits", verbose_name=_("outfall"))
    item = models.CharField(_("item"), max_length=12, choices=OUTFALL_ITEMS)
    value = models.FloatField(_("limit"), validators=NOT_NEGATIVE, help_text=_("mg/L; pH without unit."))
    lower = models.FloatField(_("lower limit"), null=True, blank=True, validators=NOT_NEGATIVE,
                              help_text=_("Only for a range (pH 6-9)."))
    source = models.CharField(_("source of the limit"), max_length=200,
                              help_text=_("e.g. GB 18918-2002 一级A, the discharge permit, the plan."))

    scope = Scope(region="outfall__region")

    class Meta:
        verbose_name = _("outfall limit")
        verbose_name_plural = _("outfall limits")
        ordering = ["outfall__code", "item"]
        constraints = [models.UniqueConstraint(fields=["outfall", "item"], name="water_outfall_limit_unique")]

    def __str__(self) -> str:
        return f"{self.outfall} {self.get_item_display()} ≤ {self.value}"

    def clean(self):
        if self.lower is not None and self.value is not None and self.lower > self.value:
            raise ValidationError({"lower": _("The lower limit is above the limit.")})


class OutfallResult(RegistryModel):
    """One monthly monitoring result of one item at an outfall (mg/L; pH without unit), as recorded
    by :func:`gongjian.water.outfalls.record_results`, which judges it against the limit then in
    force and keeps the judgement with the result."""

    outfall = models.ForeignKey(Outfall, on_delete=models.CASCADE, related_name="results", verbose_name=_("outfall"))
    sampled = models.DateField(_("sampled on"))
    item = models.CharField(_("item"), max_length=12, choices=OUTFALL_ITEMS)
    value = models.FloatField(_("value"), validators=NOT_NEGATIVE)
    limit = models.FloatField(_("limit"), null=True, blank=True)
    limit_source = models.CharField(_("source of the limit"), max_length=200, blank=True)
    over_limit = models.BooleanField(_("over the limit"), null=True, blank=True,
                                     help_text=_("Empty where no limit applies to the item."))
    recorded_by = models.ForeignKey("regions.Person", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded = models.DateTimeField(_("recorded"))

    scope = Scope(region="outfall__region")

    class Meta:
        verbose_name = _("outfall result")
        verbose_name_plural = _("outfall results")
        ordering = ["-sampled", "item"]
        constraints = [models.UniqueConstraint(fields=["outfall", "sampled", "item"], name="water_outfall_result_unique")]

    def __str__(self) -> str:
        return f"{self.outfall} {self.sampled:%Y-%m-%d} {self.get_item_display()} {self.value}"
