"""The city water-quality index (城市水质指数, CWQI) of 城市地表水环境质量排名技术规定（试行）
(环办监测〔2017〕51号) and its change ΔCWQI.

What is verified and what is not — pages that show a CWQI must say so while :data:`VERIFIED` is
``False``:

* The items: the 21 items of GB 3838-2002 Table 1 other than water temperature, faecal coliform and
  total nitrogen, as for evaluation (press coverage of the ranking, water-quality.md sources, [V-2]).
* Ranking: smaller CWQI ranks first (better water); ΔCWQI ranks from most negative (most improved)
  (宁夏 ranking announcement, 2020, [V-1]).
* Single-item indices, from one implementation of the 2017 rule (``CWQICalculatorV2017`` of
  Silence.SurfaceWater, [V-1]), not from the rule's text:

  .. math::

      CWQI_i = C_i / C_{i,III}                 \\text{(upper-limited items; lake/reservoir TP)}

      CWQI_{DO} = DO_{III} / C_{DO}            \\;(DO_{III} = 5)

      CWQI_{pH} = (7 - pH) / (7 - 6) \\text{ for } pH \\le 7, \\quad (pH - 7) / (9 - 7) \\text{ otherwise}

  and a section's index is the sum over its measured items.
* A river's index is the mean over its sections, a lake's over its points, and the city's is the
  two weighted by their numbers of sections, :math:`(CWQI_r n_r + CWQI_l n_l) / (n_r + n_l)` —
  **[UNVERIFIED]**, recalled, not read.
* :math:`\\Delta CWQI = (CWQI_{now} - CWQI_{base}) / CWQI_{base} \\times 100\\%` — **[UNVERIFIED]**.

Values are in the Table 1 units; below-detection results enter as
:meth:`gongjian.standards.gb3838.Reading.statistic`. Arithmetic is exact (fractions of the decimal
readings); results are returned unrounded as ``float``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import NamedTuple

from . import gb3838

__all__ = ["CWQI_ITEMS", "SOURCE", "VERIFIED", "SectionIndex", "change", "city_index", "item_index", "mean_index",
           "section_index", "section_result"]

#: False until the rule's own text has been read: pages show the index as provisional.
VERIFIED = False
#: Where the method comes from, for pages and exports.
SOURCE = "城市地表水环境质量排名技术规定（试行）（环办监测〔2017〕51号）；单项指数公式据公开实现核对，城市加权与变化率未经原文核实"
#: The items the index sums (the 21 evaluated items).
CWQI_ITEMS = gb3838.EVALUATED_ITEMS


def _exact(value: float) -> Fraction:
    return Fraction(repr(float(value)))


def _item_index(key: str, value: float, kind: str) -> Fraction:
    if key not in CWQI_ITEMS:
        raise ValueError(f"{key!r} is not one of the CWQI items")
    gb3838.item_class(key, value, kind)  # the same checks: negative values, pH outside 0–14, kind
    c = _exact(value)
    if key == "ph":
        return 7 - c if c <= 7 else (c - 7) / 2
    if key == "do":
        if c == 0:
            raise ValueError("dissolved oxygen of 0 has no CWQI (the index divides by it)")
        return _exact(gb3838.limit("do", 3, kind)) / c
    return c / _exact(gb3838.limit(key, 3, kind))


def item_index(key: str, value: float, kind: str = "river") -> float:
    """The single-item index of one of :data:`CWQI_ITEMS` (formulas in the module docstring).

    >>> item_index("nh3n", 1.5), item_index("tp", 0.1, "lake"), item_index("do", 4), item_index("ph", 8)
    (1.5, 2.0, 1.25, 0.5)
    """
    return float(_item_index(key, value, kind))


class SectionIndex(NamedTuple):
    """A section's CWQI with the number of :data:`CWQI_ITEMS` it rests on: ``complete`` when all 21
    were measured. ``index`` is the sum over the measured items (``None``: none measured)."""

    index: float | None
    items: int
    complete: bool


def section_result(values: Mapping[str, float | None], kind: str = "river") -> SectionIndex:
    """The sum of the single-item indices of the CWQI items a section measured (other keys, such as
    TN or faecal coliform, are left out), with how many items it measured."""
    parts = [_item_index(k, v, kind) for k, v in values.items() if k in CWQI_ITEMS and v is not None]
    return SectionIndex(float(sum(parts)) if parts else None, len(parts), len(parts) == len(CWQI_ITEMS))


def section_index(values: Mapping[str, float | None], kind: str = "river", *, partial: bool = False) -> float | None:
    """A section's CWQI: the sum of the single-item indices of the 21 CWQI items. The index is a sum,
    so a section that measured fewer items has a smaller index and would rank as cleaner water: an
    incomplete set has no index (``None``), unless ``partial`` asks for the sum over what was
    measured (then compare only sections of the same items; :func:`section_result` gives the count).
    ``None`` also when it measured none."""
    result = section_result(values, kind)
    return result.index if result.complete or partial else None


def mean_index(indices: Sequence[float | None]) -> float | None:
    """The mean of the sections' (or a lake's points') indices with data; ``None`` when none has."""
    got = [_exact(i) for i in indices if i is not None]
    return float(sum(got) / len(got)) if got else None


def city_index(river: Sequence[float | None], lake: Sequence[float | None] = ()) -> float | None:
    """The city's CWQI from its river sections' and lake/reservoir points' indices: each group's
    mean, weighted by the number of its sections with data ([UNVERIFIED] weighting)."""
    rivers = [_exact(i) for i in river if i is not None]
    lakes = [_exact(i) for i in lake if i is not None]
    if not rivers and not lakes:
        return None
    def weighted(group: list[Fraction]) -> Fraction:  # the group's mean times its number of sections
        return sum(group) / len(group) * len(group) if group else Fraction(0)

    return float((weighted(rivers) + weighted(lakes)) / (len(rivers) + len(lakes)))


def change(current: float | None, baseline: float | None) -> float | None:
    """ΔCWQI in per cent: ``(current − baseline) / baseline × 100``; negative is improvement.
    ``None`` without both, or with a baseline of 0 ([UNVERIFIED] formula).

    >>> change(4.5, 5.0), change(None, 5.0)
    (-10.0, None)
    """
    if current is None or baseline is None or baseline == 0:
        return None
    return float((_exact(current) - _exact(baseline)) / _exact(baseline) * 100)
