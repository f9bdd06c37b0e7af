"""People who sign in, with the role and jurisdiction that scope what they see."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.core.scope import Scope

from .organisation import Organisation, OrganisationKind
from .region import Region, RegionLevel

__all__ = ["Person", "Role"]


class Role(models.TextChoices):
    CAMPAIGN_OFFICE = "campaign_office", _("campaign office")
    ENVIRONMENT_BUREAU = "environment_bureau", _("environment bureau")
    DEPARTMENT = "department", _("department")
    TOWN_GOVERNMENT = "town_government", _("town government")
    ENTERPRISE = "enterprise", _("enterprise")
    PUBLIC_REVIEWER = "public_reviewer", _("public reviewer")


#: Roles that edit registries within their jurisdiction.
EDITOR_ROLES = frozenset({Role.CAMPAIGN_OFFICE, Role.ENVIRONMENT_BUREAU})


class Person(AbstractUser):
    """A user. ``jurisdiction`` is the region subtree they work in; ``organisation`` the body
    they act for (required for departments and enterprises). Only an administrator may be
    without a jurisdiction, and then sees everything."""

    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.CAMPAIGN_OFFICE)
    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        verbose_name=_("jurisdiction"), help_text=_("The region (with everything below it) this person works in."),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        verbose_name=_("organisation"),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    secret_fields = ("password",)

    scope = Scope(region="jurisdiction", organisation="organisation")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=True) | Q(jurisdiction__isnull=False),
                name="person_has_jurisdiction",
                violation_error_message=_("Every person except an administrator needs a jurisdiction."),
            ),
        ]

    @property
    def role_can_edit(self) -> bool:
        """Whether this person edits registries (within their jurisdiction)."""
        return self.is_superuser or self.role in EDITOR_ROLES

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.jurisdiction_id is None and not self.is_superuser:
            errors["jurisdiction"] = _("Every person except an administrator needs a jurisdiction.")
        if self.role in (Role.DEPARTMENT, Role.ENTERPRISE) and self.organisation_id is None:
            errors["organisation"] = _("A %(role)s user must belong to an organisation.") % {"role": Role(self.role).label}
        if self.role == Role.ENTERPRISE and self.organisation_id and self.organisation.kind != OrganisationKind.ENTERPRISE:
            errors["organisation"] = _("An enterprise user must belong to an enterprise.")
        if (self.role == Role.TOWN_GOVERNMENT and self.jurisdiction_id
                and self.jurisdiction.level != RegionLevel.TOWN):
            errors["jurisdiction"] = _("A town government user's jurisdiction is a town.")
        if self.jurisdiction_id and self.organisation_id:
            org_region = self.organisation.region
            if not (org_region.path.startswith(self.jurisdiction.path) or self.jurisdiction.path.startswith(org_region.path)):
                errors["organisation"] = _("The organisation lies outside the person's jurisdiction.")
        if errors:
            raise ValidationError(errors)
