"""Quality findings in words: the name of each check and its evidence in the reader's language.

The checks (:mod:`gongjian.analytics.airqc`) write their evidence as language-free ``name=value``
pairs, so that a finding stored once reads in Chinese or English as the reader chose."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gongjian.standards.hj633 import POLLUTANT_OF

__all__ = ["EVIDENCE", "RULE_NAMES", "evidence"]

#: Each check of :data:`gongjian.analytics.airqc.CHECKS` as a reviewer names it.
RULE_NAMES = {"out_of_range": gettext_lazy("out of range"), "stuck": gettext_lazy("stuck value"),
              "pm25_above_pm10": gettext_lazy("PM2.5 above PM10"), "spike": gettext_lazy("spike"),
              "gap": gettext_lazy("missing hours"), "neighbours": gettext_lazy("unlike its neighbours")}

#: The evidence of each check in words; the names are those of the check's ``detail`` pairs.
EVIDENCE = {
    "out_of_range": gettext_lazy("%(pollutant)s %(value)s outside the plausible range 0–%(maximum)s"),
    "stuck": gettext_lazy("%(pollutant)s stays at %(value)s"),
    "pm25_above_pm10": gettext_lazy("PM2.5 %(pm25)s above PM10 %(pm10)s"),
    "spike": gettext_lazy("%(pollutant)s jumps to %(value)s from %(before)s and back to %(after)s"),
    "gap": gettext_lazy("%(pollutant)s missing for at least %(hours)s hours"),
    "neighbours": gettext_lazy("%(pollutant)s %(value)s against a group median of %(median)s"),
}


def evidence(rule: str, pollutant: str, detail: str) -> str:
    """A finding's evidence in the reader's language, from the check's language-free ``detail``
    (``value=52.0;median=20.5``); a detail not in that form (written by hand, or by an older version)
    is shown as it is."""
    try:
        values = dict(pair.split("=", 1) for pair in detail.split(";"))
        return str(EVIDENCE[rule]) % {"pollutant": POLLUTANT_OF.get(pollutant, pollutant.upper()), **values}
    except (KeyError, ValueError, TypeError):
        return detail
