"""The water app's registries."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.core.models import RegistryModel
from gongjian.core.scope import Scope


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
