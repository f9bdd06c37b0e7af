"""Administrative regions (行政区) as a tree, and named groups of regions."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from gongjian.core.models import RegistryModel
from gongjian.core.scope import SELF, Scope

__all__ = ["Region", "RegionGroup", "RegionLevel"]


class RegionLevel(models.IntegerChoices):
    """Tiers of Chinese administration. County includes districts (区), county-level
    cities (县级市) and development or demonstration zones (开发区, 示范区)."""

    PROVINCE = 1, _("province")
    CITY = 2, _("city")
    COUNTY = 3, _("county")
    TOWN = 4, _("town")
    VILLAGE = 5, _("village")


#: Lengths of the statutory division code (GB/T 2260 for six digits; the statistical
#: code extends it to 9 digits for towns and 12 for villages).
CODE_LENGTHS = {
    RegionLevel.PROVINCE: (6,),
    RegionLevel.CITY: (6,),
    RegionLevel.COUNTY: (6,),
    RegionLevel.TOWN: (9, 12),
    RegionLevel.VILLAGE: (12,),
}


class RegionQuerySet(MP_NodeQuerySet):
    def with_parent_id(self):
        """Annotate ``parent_id`` in the same query (the parent's path is ours minus one step)."""
        parent = Region.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Region.steplen))
        return self.annotate(parent_id=Subquery(parent.values("pk")[:1]))


class RegionManager(MP_NodeManager):
    def get_queryset(self):
        return RegionQuerySet(self.model).order_by("path")

    def with_parent_id(self):
        return self.get_queryset().with_parent_id()


class Region(MP_Node, RegistryModel):
    """An administrative unit: province, city, county (district, county-level city, zone),
    town or village. The tree is a materialised path, so a jurisdiction is a path prefix."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        PREFECTURE_CITY = "prefecture_city", _("prefecture-level city")
        DISTRICT = "district", _("district")
        COUNTY = "county", _("county")
        COUNTY_CITY = "county_city", _("county-level city")
        ZONE = "zone", _("development or demonstration zone")
        TOWN = "town", _("town")
        TOWNSHIP = "township", _("township")
        SUBDISTRICT = "subdistrict", _("subdistrict")
        VILLAGE = "village", _("village or community")

    code = models.CharField(
        _("division code"),
        max_length=12,
        blank=True,
        help_text=_("Statutory administrative division code: 6 digits down to county, 9 or 12 for towns."),
    )
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("GeoJSON Polygon or MultiPolygon (WGS 84 longitude/latitude), imported by a user."),
    )

    node_order_by = None
    scope = Scope(region=SELF, public=True)
    objects = RegionManager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="region_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.code:
            if not re.fullmatch(r"\d+", self.code):
                errors["code"] = _("A division code has digits only.")
            elif self.level and len(self.code) not in CODE_LENGTHS[RegionLevel(self.level)]:
                errors["code"] = _("A %(level)s code has %(lengths)s digits.") % {
                    "level": RegionLevel(self.level).label,
                    "lengths": " or ".join(str(n) for n in CODE_LENGTHS[RegionLevel(self.level)]),
                }
            elif Region.objects.filter(code=self.code).exclude(pk=self.pk).exists():
                errors["code"] = _("Division code %(code)s is already used.") % {"code": self.code}
        if errors:
            raise ValidationError(errors)

    def check_parent(self, parent: "Region | None") -> None:
        """A child sits below its parent's tier; only a province may be a root."""
        if parent is None:
            if self.level != RegionLevel.PROVINCE:
                raise ValidationError({"parent": _("Only a province can stand without a parent region.")})
        elif self.level <= parent.level:
            raise ValidationError(
                {"level": _("A %(child)s cannot sit under a %(parent)s.") % {
                    "child": RegionLevel(self.level).label, "parent": RegionLevel(parent.level).label}}
            )

    def tree_label(self) -> str:
        """The name indented by depth, for tree-ordered lists."""
        return "\u3000" * (self.depth - 1) + self.name

    tree_label.short_description = _("name")

    def ancestors_and_self(self):
        """From the root down to this region (one query)."""
        return Region.objects.filter(path__in=[self.path[:i] for i in range(self.steplen, len(self.path) + 1, self.steplen)]).order_by("depth")


class RegionGroup(RegistryModel):
    """A named set of regions used for ranking and assessment, e.g. Henan's "7+3" channel
    cities or the ten directly administered counties (省直管县)."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(Region, related_name="groups", verbose_name=_("members"), blank=True)

    scope = Scope(region=None, public=True)

    class Meta:
        verbose_name = _("region group")
        verbose_name_plural = _("region groups")

    def __str__(self) -> str:
        return self.name
