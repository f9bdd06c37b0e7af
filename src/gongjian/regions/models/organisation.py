"""Organisations (departments, offices, the power company, enterprises' owners) and the
aliases by which imported documents name them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.analytics.orgnames import normalise
from gongjian.core.models import RegistryModel
from gongjian.core.scope import SELF, Scope

from .region import Region

__all__ = ["Organisation", "OrganisationAlias", "OrganisationKind"]


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("people's government")
    CAMPAIGN_OFFICE = "campaign_office", _("campaign office")
    ENVIRONMENT_BUREAU = "environment_bureau", _("environment bureau")
    DEPARTMENT = "department", _("department")
    ZONE_COMMITTEE = "zone_committee", _("zone management committee")
    TOWN_OFFICE = "town_office", _("town government")
    POWER_COMPANY = "power_company", _("power company")
    ENTERPRISE = "enterprise", _("enterprise")
    OTHER = "other", _("other")


class Organisation(RegistryModel):
    """A body that holds tasks, receives notices or owns sources, at a level of government
    (its ``region``). The full name is unique within its region; documents often use short
    or outdated names, which :class:`OrganisationAlias` maps back to it."""

    name = models.CharField(_("name"), max_length=128, help_text=_("Full official name, e.g. 郑州市生态环境局."))
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region"),
        help_text=_("The level of government it belongs to, or where an enterprise is located."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent organisation"),
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True,
        help_text=_("18 characters, for enterprises and public institutions."),
    )

    scope = Scope(region="region", organisation=SELF, public=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_name_unique_in_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = normalise(self.name)
        if self.region_id and OrganisationAlias.objects.filter(region_id=self.region_id, alias=self.name).exclude(
            organisation_id=self.pk
        ).exists():
            raise ValidationError({"name": _("%(name)s is already an alias of another organisation in this region.")
                                   % {"name": self.name}})


class OrganisationAlias(RegistryModel):
    """Another name for an organisation as documents write it (市应急局 for 市应急管理局).

    An alias is unique in its region and may not be another organisation's name there:
    otherwise a document's name would resolve to two bodies."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("organisation")
    )
    alias = models.CharField(_("alias"), max_length=128)
    # Copied from the organisation so that uniqueness per region is a database constraint.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("region"))

    scope = Scope(region="region", organisation="organisation", public=True)

    class Meta:
        verbose_name = _("organisation alias")
        verbose_name_plural = _("organisation aliases")
        constraints = [models.UniqueConstraint(fields=["region", "alias"], name="alias_unique_in_region")]

    def __str__(self) -> str:
        return self.alias

    def clean(self) -> None:
        self.alias = normalise(self.alias)
        if self.organisation_id is None:
            return  # the organisation's own field error says what is missing; nothing to compare with
        org = self.organisation
        self.region_id = org.region_id
        if self.alias == org.name:
            raise ValidationError({"alias": _("An alias must differ from the organisation's own name.")})
        clash = Organisation.objects.filter(region_id=org.region_id, name=self.alias).exclude(pk=org.pk).first()
        if clash:
            raise ValidationError({"alias": _("%(alias)s is the name of another organisation in %(region)s.")
                                   % {"alias": self.alias, "region": org.region}})
        taken = OrganisationAlias.objects.filter(region_id=org.region_id, alias=self.alias).exclude(pk=self.pk).first()
        if taken:
            raise ValidationError({"alias": _("%(alias)s already names %(other)s.")
                                   % {"alias": self.alias, "other": taken.organisation}})

    def save(self, *args, **kwargs):
        self.region_id = self.organisation.region_id
        super().save(*args, **kwargs)
