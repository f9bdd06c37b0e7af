"""API tokens: made by their person, shown once, stored as a digest, revoked at once.

The API reads ``Authorization: Token <token>`` (the header Django REST framework's own token
scheme reads, so clients need no change); :class:`HashedTokenAuthentication` looks the digest up
on every request, so a revoked token is refused from the very next one. Tokens are real events of
the person's account, stamped with the wall clock (:func:`gongjian.clock.wall_now`), not the as-of
time a demo or a replay runs at.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from gongjian import clock

from .models import ApiToken

__all__ = ["PREFIX", "HashedTokenAuthentication", "active_tokens", "issue", "revoke"]

#: Every token begins so, which tells a leaked one apart in logs and in secret scanners.
PREFIX = "gj_"
#: How many characters of a token its pages show after creation (the prefix and 8 of the secret).
SHOWN = len(PREFIX) + 8


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_tokens(person):
    """``person``'s tokens that still open the API."""
    return ApiToken.objects.filter(person=person, revoked__isnull=True)


def issue(person, name: str) -> tuple[ApiToken, str]:
    """A new token for ``person``: the stored record and the token itself, which is shown this once
    and kept nowhere."""
    if not getattr(person, "is_active", False):
        raise ValidationError(_("Only an active account can have API tokens."))
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(person=person, name=name, prefix=token[:SHOWN], digest=_digest(token),
                                     created=clock.wall_now())
    return record, token


def revoke(record: ApiToken, person) -> None:
    """Revoke ``record``, one of ``person``'s own tokens; nobody revokes another's."""
    if record.person_id != person.pk:
        raise ValidationError(_("This token is not yours."))
    if record.revoked is None:
        record.revoked = clock.wall_now()
        record.save(update_fields=["revoked"])


class HashedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>`` against the stored digests (not the tokens themselves)."""

    def authenticate_credentials(self, key):
        record = (ApiToken.objects.select_related("person").filter(digest=_digest(key), revoked__isnull=True)
                  .first())
        if record is None or not record.person.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        ApiToken.objects.filter(pk=record.pk).update(last_used=clock.wall_now())
        return record.person, record
