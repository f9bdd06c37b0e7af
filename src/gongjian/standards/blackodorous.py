"""Urban black-odorous water (城市黑臭水体整治工作指南, 住房城乡建设部 建城〔2015〕130号), §2 grading.

Table (water-quality.md §3, [V-2]):

============================  ==================  ==============
Indicator                     轻度黑臭 (light)     重度黑臭 (heavy)
============================  ==================  ==============
transparency (cm)             25 – 10 (*)         < 10 (*)
dissolved oxygen (mg/L)       0.2 – 2.0           < 0.2
ORP (mV)                      −200 – 50           < −200
ammonia nitrogen (mg/L)       8.0 – 15            > 15
============================  ==================  ==============

(*) water shallower than 25 cm: "该指标按水深的40%取值".

Boundaries. The guideline writes ranges without saying which end is inside; we follow the one
implementation found (Silence.Water ``CityService``, [V-1]): a value on the outer bound is **not**
black-odorous (transparency 25 cm, DO 2.0 mg/L, ORP 50 mV, NH3-N 8.0 mg/L) and a value on the
light/heavy bound is **light** (transparency 10 cm, DO 0.2, ORP −200, NH3-N 15). The depth rule
scales the heavy bound: 10 cm is 40 % of 25 cm, so in water shallower than 25 cm transparency below
40 % of the depth is heavy, at or above it light, and water seen to the bottom (transparency at
least the depth, or ``clear_to_bottom``) is not black-odorous on this indicator.

Judgement (guideline §2.3, water-quality.md §3, [V-1] text, [V-2] numbers):

* a point is **heavy** when one indicator has more than 60 % of its results in the heavy band, or
  at least two indicators each have more than 30 % there; otherwise light. The research pack
  (water-quality.md §3) writes "> 60 %" and "> 30 %"; the guideline's own wording ("以上", which
  Chinese legal texts read as including the number, 民法典 第一千二百五十九条) could not be read
  here, so the exclusive reading is the default and the inclusive one a named choice
  (:data:`SHARES_INCLUSIVE`, ``point_grade(..., inclusive=True)``); the two differ only at exactly
  60 % or 30 % (3 of 5 or 3 of 10 samplings). Pages state which reading they used.
* three or more consecutive heavy points make the reach between them heavy; 60 % or more of the
  points heavy make the whole water body heavy.
* The guideline grades water bodies already identified as black-odorous. A point none of whose
  results falls in either band is reported here as not black-odorous, and a water body with no
  black-odorous point likewise (our reading, stated on the pages).
* At least 3 points per water body and 3 samplings per point: fewer are judged but flagged
  (``enough`` is ``False``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction

__all__ = ["HEAVY_REACH_POINTS", "HEAVY_SHARE_ONE", "HEAVY_SHARE_TWO", "INDICATORS", "MIN_POINTS", "MIN_SAMPLINGS",
           "SHARES_INCLUSIVE", "SHALLOW_DEPTH",
           "WATER_BODY_HEAVY_SHARE", "Grade", "PointResult", "WaterBodyResult", "indicator_grade", "point_grade",
           "sample_grade", "water_body_grade"]


class Grade(IntEnum):
    """不黑臭 / 轻度黑臭 / 重度黑臭, ordered so that worse is greater."""

    NONE = 0
    LIGHT = 1
    HEAVY = 2

    @property
    def name_zh(self) -> str:
        return ("不黑臭", "轻度黑臭", "重度黑臭")[self]


#: The four indicators and their units.
INDICATORS = {"transparency": "cm", "do": "mg/L", "orp": "mV", "nh3n": "mg/L"}
#: Below this depth (cm) transparency is judged against 40 % of the depth.
SHALLOW_DEPTH = 25
_SHALLOW_SHARE = Fraction(2, 5)
#: A point is heavy with one indicator at this share of heavy results, or two at the next.
#: Whether a point's heavy share counts when it equals :data:`HEAVY_SHARE_ONE` or
#: :data:`HEAVY_SHARE_TWO` ("以上" read as inclusive); ``False``: the pack's "> 60 %", "> 30 %".
SHARES_INCLUSIVE = False
HEAVY_SHARE_ONE = Fraction(3, 5)
HEAVY_SHARE_TWO = Fraction(3, 10)
#: A water body is heavy with this share of heavy points; 3 consecutive heavy points make a heavy reach.
WATER_BODY_HEAVY_SHARE = Fraction(3, 5)
HEAVY_REACH_POINTS = 3
MIN_POINTS = 3
MIN_SAMPLINGS = 3


def _exact(value: float) -> Fraction:
    return Fraction(repr(float(value)))


def indicator_grade(indicator: str, value: float | None, depth: float | None = None, *,
                    clear_to_bottom: bool = False) -> Grade | None:
    """The grade of one result (``None``: no data). ``depth`` (cm) matters for transparency only.

    >>> [indicator_grade("do", v).name for v in (2.0, 1.99, 0.2, 0.19)]
    ['NONE', 'LIGHT', 'LIGHT', 'HEAVY']
    >>> indicator_grade("transparency", 8, depth=20).name, indicator_grade("transparency", 7.9, depth=20).name
    ('LIGHT', 'HEAVY')
    """
    if indicator not in INDICATORS:
        raise ValueError(f"unknown black-odorous indicator {indicator!r}: one of {', '.join(INDICATORS)}")
    if value is None:
        return None
    v = _exact(value)
    if indicator != "orp" and v < 0:
        raise ValueError(f"{indicator} cannot be negative: {value!r}")
    if indicator == "transparency":
        if depth is not None and depth <= 0:
            raise ValueError(f"water depth must be positive, not {depth!r}")
        if depth is not None and _exact(depth) < SHALLOW_DEPTH:
            d = _exact(depth)
            if clear_to_bottom or v >= d:
                return Grade.NONE
            return Grade.HEAVY if v < _SHALLOW_SHARE * d else Grade.LIGHT
        if clear_to_bottom:
            return Grade.NONE
        return Grade.NONE if v >= 25 else Grade.LIGHT if v >= 10 else Grade.HEAVY
    if indicator == "do":
        return Grade.NONE if v >= 2 else Grade.LIGHT if v >= Fraction(1, 5) else Grade.HEAVY
    if indicator == "orp":
        return Grade.NONE if v >= 50 else Grade.LIGHT if v >= -200 else Grade.HEAVY
    return Grade.NONE if v <= 8 else Grade.LIGHT if v <= 15 else Grade.HEAVY


def _grades(result: Mapping[str, float | None]) -> dict[str, Grade]:
    unknown = set(result) - set(INDICATORS) - {"depth", "clear_to_bottom"}
    if unknown:
        raise ValueError(f"unknown black-odorous indicator(s) {sorted(unknown)}")
    depth = result.get("depth")
    grades = {k: indicator_grade(k, result.get(k), depth, clear_to_bottom=bool(result.get("clear_to_bottom")))
              for k in INDICATORS}
    return {k: g for k, g in grades.items() if g is not None}


def sample_grade(result: Mapping[str, float | None]) -> Grade | None:
    """The worst indicator grade of one sampling (``transparency``, ``do``, ``orp``, ``nh3n`` and
    optionally ``depth`` in cm and ``clear_to_bottom``); ``None`` when nothing was measured."""
    grades = _grades(result)
    return max(grades.values()) if grades else None


@dataclass(frozen=True)
class PointResult:
    """A point's grade (``None``: no data), each indicator's share of heavy results, the number
    of samplings, and whether there were enough (:data:`MIN_SAMPLINGS`)."""

    grade: Grade | None
    heavy_shares: dict[str, Fraction]
    samplings: int
    enough: bool


def point_grade(results: Sequence[Mapping[str, float | None]], *, inclusive: bool = SHARES_INCLUSIVE) -> PointResult:
    """A point's grade from its samplings (guideline §2.3, rules in the module docstring); with
    ``inclusive`` a heavy share of exactly 60 % (one indicator) or 30 % (two) makes the point heavy.

    >>> r = point_grade([{"do": 0.1, "nh3n": 16}, {"do": 0.5, "nh3n": 16}, {"do": 1.0, "nh3n": 9}])
    >>> r.grade.name, r.heavy_shares["do"], r.heavy_shares["nh3n"]
    ('HEAVY', Fraction(1, 3), Fraction(2, 3))
    """
    per_indicator: dict[str, list[Grade]] = {k: [] for k in INDICATORS}
    for result in results:
        for k, g in _grades(result).items():
            per_indicator[k].append(g)
    measured = {k: gs for k, gs in per_indicator.items() if gs}
    shares = {k: Fraction(sum(g is Grade.HEAVY for g in gs), len(gs)) for k, gs in measured.items()}
    enough = len(results) >= MIN_SAMPLINGS
    if not measured:
        return PointResult(None, shares, len(results), enough)
    def over(share: Fraction, bound: Fraction) -> bool:
        return share >= bound if inclusive else share > bound

    heavy = (any(over(s, HEAVY_SHARE_ONE) for s in shares.values())
             or sum(over(s, HEAVY_SHARE_TWO) for s in shares.values()) >= 2)
    if heavy:
        grade = Grade.HEAVY
    elif any(g > Grade.NONE for gs in measured.values() for g in gs):
        grade = Grade.LIGHT
    else:
        grade = Grade.NONE
    return PointResult(grade, shares, len(results), enough)


@dataclass(frozen=True)
class WaterBodyResult:
    """A water body's grade (``None``: no point with data), the heavy reaches as ``(first, last)``
    point indices (0-based, in the order given: along the water), the share of heavy points, and
    whether there were enough points (:data:`MIN_POINTS`)."""

    grade: Grade | None
    heavy_reaches: tuple[tuple[int, int], ...]
    heavy_share: Fraction | None
    enough: bool


def water_body_grade(points: Sequence[Grade | None]) -> WaterBodyResult:
    """A water body's grade from its points' grades, given in order along the water.

    >>> H, L = Grade.HEAVY, Grade.LIGHT
    >>> r = water_body_grade([L, H, H, H, L, L])
    >>> r.grade.name, r.heavy_reaches, r.heavy_share
    ('LIGHT', ((1, 3),), Fraction(1, 2))
    """
    graded = [g for g in points if g is not None]
    if not graded:
        return WaterBodyResult(None, (), None, False)
    reaches = []
    start = None
    for i, g in enumerate([*points, None]):
        if g is Grade.HEAVY:
            start = i if start is None else start
        elif start is not None:
            if i - start >= HEAVY_REACH_POINTS:
                reaches.append((start, i - 1))
            start = None
    share = Fraction(sum(g is Grade.HEAVY for g in graded), len(graded))
    if share >= WATER_BODY_HEAVY_SHARE:
        grade = Grade.HEAVY
    else:
        grade = Grade.LIGHT if any(g > Grade.NONE for g in graded) else Grade.NONE
    return WaterBodyResult(grade, tuple(reaches), share, len(graded) >= MIN_POINTS)
