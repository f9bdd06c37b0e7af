"""River outfalls: monthly results judged against each outfall's limits, and the
``outfall_over_limit`` alarm (the plans' 查、测、溯、治: traced, monitored, traced back, rectified).

:func:`record_results` is the one way a month's results enter: every value checked first (a known
item, a number not negative, not recorded before for that day), then all stored with the limit in
force and the judgement, in one transaction; each result over its limit raises (or refreshes) one
alarm through :func:`gongjian.water.alarms.raise_alarm`, whose fingerprint (outfall, item, day)
makes recording again idempotent. An item without a limit is stored unjudged (``over_limit``
empty): no limit is "no limit", never "compliant".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.regions import policy

from .alarms import raise_alarm
from .ledgers import OUTFALL_ITEMS, Outfall, OutfallLimit, OutfallResult, code_for
from .models import WaterAlarm

__all__ = ["OPEN_TO_RESULTS", "code_for", "fingerprint", "over_limit", "record_results"]

ITEM_NAMES = dict(OUTFALL_ITEMS)
#: Statuses in which an outfall takes monthly results: once it is numbered, until it is closed out.
OPEN_TO_RESULTS = frozenset({Outfall.Status.NUMBERED, Outfall.Status.MONITORED, Outfall.Status.RECTIFYING,
                             Outfall.Status.RECTIFIED})


def over_limit(value: float, limit: OutfallLimit | None) -> bool | None:
    """Whether ``value`` breaks ``limit`` (above it, or below its lower bound for a range);
    ``None`` where no limit applies. Compared as the decimals written, so a value equal to its
    limit complies."""
    if limit is None:
        return None
    reading = Decimal(repr(float(value)))
    if reading > Decimal(repr(float(limit.value))):
        return True
    return limit.lower is not None and reading < Decimal(repr(float(limit.lower)))


def fingerprint(outfall: Outfall, item: str, day: dt.date) -> str:
    return f"outfall_over_limit:{outfall.pk}:{item}:{day.isoformat()}"


def _evidence(outfall: Outfall, result: OutfallResult, limit: OutfallLimit) -> str:
    bound = f"{limit.lower:g}～{limit.value:g}" if limit.lower is not None else f"{limit.value:g}"
    unit = "" if result.item == "ph" else " mg/L"
    text = (f"入河排污口{outfall}于{result.sampled:%Y年%m月%d日}监测，{ITEM_NAMES[result.item]}为{result.value:g}{unit}，"
            f"超过限值{bound}{unit}（{limit.source}）")
    if result.item != "ph" and limit.value > 0:
        multiple = (Decimal(repr(result.value)) - Decimal(repr(limit.value))) / Decimal(repr(limit.value))
        text += f"，超标{multiple.quantize(Decimal('0.01'))}倍"
    return text + "。"


def record_results(outfall: Outfall, sampled: dt.date, values: dict[str, float], person) -> list[OutfallResult]:
    """Store one sampling's results (``values``: item -> mg/L; pH without unit) for ``outfall``,
    judged against its limits; raises an alarm for each result over its limit. Refused with nothing
    stored (``ValidationError`` naming the item) for an unknown item, a negative value, a result
    already recorded, a day in the future, or an outfall not numbered yet or closed out;
    ``PermissionDenied`` where ``person`` may not change the outfall."""
    if not policy.can_change(person, outfall):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if outfall.status not in OPEN_TO_RESULTS:
        errors.setdefault("outfall", []).append(_("An outfall that is %(status)s takes no results: it is monitored "
                                                  "once numbered and until closed out.")
                                                % {"status": outfall.get_status_display()})
    if sampled > clock.today():
        errors.setdefault("sampled", []).append(_("The sampling day is in the future."))
    if not values:
        errors.setdefault("values", []).append(_("Give at least one result."))
    stored = set(OutfallResult.objects.filter(outfall=outfall, sampled=sampled).values_list("item", flat=True))
    for item, value in values.items():
        name = ITEM_NAMES.get(item, item)
        if item not in ITEM_NAMES:
            errors.setdefault(item, []).append(_("Unknown item %(item)s: one of %(items)s.")
                                               % {"item": item, "items": "、".join(ITEM_NAMES)})
        elif value is None or value < 0:
            errors.setdefault(item, []).append(_("%(item)s: a result cannot be negative (%(value)s).")
                                               % {"item": name, "value": value})
        elif item == "ph" and value > 14:
            errors.setdefault(item, []).append(_("pH must lie in 0-14, not %(value)s.") % {"value": value})
        elif item in stored:
            errors.setdefault(item, []).append(_("%(item)s of %(day)s is recorded already.")
                                               % {"item": name, "day": sampled.isoformat()})
    if errors:
        raise ValidationError(errors)
    limits = {lim.item: lim for lim in outfall.limits.all()}
    now = clock.now()
    with transaction.atomic():
        results = []
        for item, value in values.items():
            limit = limits.get(item)
            result = OutfallResult(outfall=outfall, sampled=sampled, item=item, value=value,
                                   limit=limit.value if limit else None, limit_source=limit.source if limit else "",
                                   over_limit=over_limit(value, limit), recorded_by=person, recorded=now)
            result.full_clean()
            result.save()
            results.append(result)
            if result.over_limit:
                start, end = clock.day_bounds(sampled)
                raise_alarm(WaterAlarm.Kind.OUTFALL_OVER_LIMIT, outfall.region, f"{outfall} {ITEM_NAMES[item]}", start,
                            end, section=outfall.section, item=item, value=value, threshold=limit.value,
                            evidence=_evidence(outfall, result, limit), fingerprint=fingerprint(outfall, item, sampled))
    return results
