"""Secrets a record holds (a monitoring device's HJ 212 access password) are never shown by default.

A model names them in ``secret_fields``; every generic view reads the declaration: the list, detail
and history pages show :data:`MASK` (a change shows as changed, never its values, so an enterprise
reading its device's history learns nothing it could forge packets with), API serializers make them
write-only, and the edit form shows the value to an editor only when asked (``?reveal=1``), leaving it
unchanged when the field is left blank.
"""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

__all__ = ["MASK", "is_secret", "masked", "secret_fields"]

MASK = "••••••"
#: What the history shows for a secret that changed.
CHANGED = _("changed (hidden)")


def secret_fields(model: type[Model] | Model) -> frozenset[str]:
    return frozenset(getattr(model, "secret_fields", ()))


def is_secret(model, name: str) -> bool:
    return name in secret_fields(model)


def masked(model, name: str, value):
    """``value`` as a page may show it: the mask for a secret that is set, the value otherwise."""
    return MASK if is_secret(model, name) and value not in (None, "") else value
