"""Air-quality registries. For now: the year's air-quality targets of each region."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.regions.models import Region
from gongjian.site.models import RegistryModel
from gongjian.site.scope import Scope

__all__ = ["AirQualityTarget", "TargetMetric"]


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
