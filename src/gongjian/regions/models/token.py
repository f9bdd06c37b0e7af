"""A person's API tokens: a script or another system signs in to the API as that person.

Only a digest of the token is stored (SHA-256 of a 256-bit random secret: a stolen database yields no
usable token, and a secret of that entropy needs no slow hash); the person sees the token once, when
it is made, and afterwards only its first characters. A revoked token is refused from the next request
on: authentication reads the row every time (:mod:`gongjian.regions.tokens`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ApiToken"]


class ApiToken(models.Model):
    """One API token of one person, with a name saying what it is for."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                               verbose_name=_("person"))
    name = models.CharField(_("name"), max_length=80, help_text=_("What the token is for, e.g. the county's data feed."))
    prefix = models.CharField(_("token begins"), max_length=12, help_text=_("The first characters, to recognise it."))
    digest = models.CharField(_("token digest (SHA-256)"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked})"

    @property
    def masked(self) -> str:
        """The token as every page after its creation shows it: its first characters only."""
        return f"{self.prefix}…"
