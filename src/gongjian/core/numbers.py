"""Numbers typed or uploaded by people: finite decimals only.

``float("inf")``, ``float("nan")`` and ``float("1e309")`` (which overflows to infinity) are all
accepted by Python but are no measurement; stored, they poison every sum and mean computed from them
and JSON cannot even carry them. Every reader of a number from outside uses :func:`finite_number`,
and the API checks every float with :func:`validate_finite`.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["finite_number", "validate_finite"]


def finite_number(value) -> float | None:
    """``value`` (text or number) as a finite float, ``None`` if it is not one."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def validate_finite(value) -> None:
    if value is not None and not math.isfinite(float(value)):
        raise ValidationError(_("%(value)s is not a finite number."), params={"value": value}, code="not_finite")
