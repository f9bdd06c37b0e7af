"""GB 3838-2002 surface-water classes and the section evaluation of 环办〔2011〕22号.

Limits: GB 3838-2002 Table 1 (basic items), read from the official text
(shared/standards/water-quality.md §1). Evaluation: 地表水环境质量评价办法（试行）, 环办〔2011〕22号
(water-quality.md §2): the single-factor method over 21 items, the qualitative status of a class,
the section-class proportion method for a river or basin, and the reporting rates.

Classes are the integers 1..5 for Ⅰ..Ⅴ and :data:`WORSE_THAN_V` (6) for 劣Ⅴ, so "worse" is "greater"
and a section meets a target class when its class is less than or equal to it. Missing data is
``None`` throughout ("no data", never a class).

Values are compared exactly as given, in the Table 1 units (:attr:`Item.unit`: mg/L; pH
dimensionless; faecal coliform 个/L); HJ 212-2017 sends some metals in µg/L (:func:`code_unit`),
converted with :func:`gongjian.standards.units.water_factor`.

Below the detection limit: 《地表水环境质量监测数据统计技术规定（试行）》(环办监测函〔2020〕82号)
point 7, "当监测数据低于检出限时，以1/2检出限值参与计算和统计" (quoted by a monitoring company's
digest of the rules, kotakite.com/news/huanbaozixun/815.html, 2022; SL 219-2013 §12.2.5 says the same for means, "小于检出限的按1/2方法检出限参加
计算") — :data:`ND_FACTOR`, applied by :meth:`Reading.statistic`. A result is written as ``0.01L``
(the Chinese convention: below the limit 0.01), ``<0.01`` or ``ND``/``未检出`` (:func:`parse_reading`);
a bare ``ND`` carries no limit and so cannot enter a mean.

Rounding: no source read states how many decimals a result or a period mean keeps before it is
classified (82号 is said to, but its text could not be read), so values are classified unrounded;
:func:`gongjian.analytics.waterquality.section_periods` takes per-item ``decimals`` for an office
that rounds first (GB/T 8170 half-even). Unverified, and off by default.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import NamedTuple

from .rounding import round_half_even

__all__ = [
    "ALL_ITEMS", "CLASS_CODES", "CLASS_NAMES", "CODE_UNITS", "EVALUATED_ITEMS", "ITEMS", "KINDS", "LAKE_KINDS",
    "LAKE_TP_LIMITS", "MIN_PROPORTION_SECTIONS", "ND_FACTOR", "PH_RANGE", "SEPARATE_ITEMS", "SOURCE_BASIC_ITEMS",
    "STATUSES", "SUPPLEMENTARY_ITEMS", "WORSE_THAN_V", "BasinResult", "Item", "Reading", "SectionResult",
    "SourceResult", "Status", "attainment_rate", "basin_state", "class_name", "class_code", "code_unit", "exceedance_multiple",
    "exceedances", "item_class", "item_for_code", "item_for_name", "limit", "meets_target", "parse_class",
    "parse_reading", "percent", "period_mean", "proportion_status", "section_class", "share_iii_or_better",
    "share_worse_than_v", "source_compliant", "status",
]

#: The class beyond V (劣Ⅴ).
WORSE_THAN_V = 6
#: Water-body kinds; lakes and reservoirs share the Table 1 lake/reservoir variants.
KINDS = ("river", "lake", "reservoir")
LAKE_KINDS = frozenset({"lake", "reservoir"})
#: Table 1 item 2: pH 6–9 for every class.
PH_RANGE = (6.0, 9.0)


@dataclass(frozen=True)
class Item:
    """One item: ``rule`` is ``"max"`` (upper limit), ``"min"`` (dissolved oxygen, a lower
    limit), ``"range"`` (pH) or ``"none"`` (water temperature, limited as a man-made change only);
    ``limits`` are classes Ⅰ..Ⅴ (Table 1) or the one limit (Table 2); ``codes`` are the HJ 212-2017
    codes (their units: :func:`code_unit`); ``unit`` the standard's unit (``""``: dimensionless);
    ``table`` the GB 3838-2002 table (1 basic, 2 drinking-water source supplementary)."""

    key: str
    name_zh: str
    rule: str
    limits: tuple[float, ...]
    codes: tuple[str, ...]
    unit: str = "mg/L"
    table: int = 1


def _item(key, name_zh, rule, limits, *codes, unit="mg/L", table=1):
    return key, Item(key, name_zh, rule, tuple(float(v) for v in limits), codes, unit, table)


#: GB 3838-2002 Table 1, items 1–24, in the table's order. Total phosphorus here is the river
#: value; lakes and reservoirs use :data:`LAKE_TP_LIMITS`. Total nitrogen is given for lakes and
#: reservoirs only ("湖、库，以N计"). Class Ⅰ DO is "饱和率90%（或7.5）": 7.5 mg/L here, and
#: :func:`item_class` accepts a saturation too.
ITEMS: dict[str, Item] = dict([
    _item("water_temperature", "水温", "none", (), "w01010", unit="°C"),
    _item("ph", "pH值", "range", (6, 6, 6, 6, 6), "w01001", unit=""),
    _item("do", "溶解氧", "min", (7.5, 6, 5, 3, 2), "w01009"),
    _item("codmn", "高锰酸盐指数", "max", (2, 4, 6, 10, 15), "w01019"),
    _item("cod", "化学需氧量", "max", (15, 15, 20, 30, 40), "w01018"),
    _item("bod5", "五日生化需氧量", "max", (3, 3, 4, 6, 10), "w01017"),
    _item("nh3n", "氨氮", "max", (0.15, 0.5, 1.0, 1.5, 2.0), "w21003"),
    _item("tp", "总磷", "max", (0.02, 0.1, 0.2, 0.3, 0.4), "w21011"),
    _item("tn", "总氮", "max", (0.2, 0.5, 1.0, 1.5, 2.0), "w21001"),
    _item("cu", "铜", "max", (0.01, 1.0, 1.0, 1.0, 1.0), "w20122"),
    _item("zn", "锌", "max", (0.05, 1.0, 1.0, 2.0, 2.0), "w20123"),
    _item("fluoride", "氟化物", "max", (1.0, 1.0, 1.0, 1.5, 1.5), "w21017"),
    _item("se", "硒", "max", (0.01, 0.01, 0.01, 0.02, 0.02), "w20128"),
    _item("as", "砷", "max", (0.05, 0.05, 0.05, 0.1, 0.1), "w20119", "w20141"),
    _item("hg", "汞", "max", (0.00005, 0.00005, 0.0001, 0.001, 0.001), "w20111", "w20142"),
    _item("cd", "镉", "max", (0.001, 0.005, 0.005, 0.005, 0.01), "w20115", "w20143"),
    _item("cr6", "铬（六价）", "max", (0.01, 0.05, 0.05, 0.05, 0.1), "w20117"),
    _item("pb", "铅", "max", (0.01, 0.01, 0.05, 0.05, 0.1), "w20120", "w20144"),
    _item("cyanide", "氰化物", "max", (0.005, 0.05, 0.2, 0.2, 0.2), "w21016"),
    _item("volatile_phenol", "挥发酚", "max", (0.002, 0.002, 0.005, 0.01, 0.1), "w23002"),
    _item("petroleum", "石油类", "max", (0.05, 0.05, 0.05, 0.5, 1.0), "w22001"),
    _item("las", "阴离子表面活性剂", "max", (0.2, 0.2, 0.2, 0.3, 0.3), "w19002"),
    _item("sulfide", "硫化物", "max", (0.05, 0.1, 0.2, 0.5, 1.0), "w21019"),
    _item("fecal_coliform", "粪大肠菌群", "max", (200, 2000, 10000, 20000, 40000), "w02003", unit="个/L"),
])
#: Table 1 item 8, total phosphorus for lakes and reservoirs, classes Ⅰ..Ⅴ.
LAKE_TP_LIMITS = (0.01, 0.025, 0.05, 0.1, 0.2)

#: 环办〔2011〕22号 一(一)1: the section class uses the 21 Table 1 items other than water
#: temperature, total nitrogen and faecal coliform (water-quality.md §2.1, [V-2]).
EVALUATED_ITEMS = tuple(k for k in ITEMS if k not in {"water_temperature", "tn", "fecal_coliform"})
#: Evaluated on their own (单独评价), outside the section class: TN for lakes and reservoirs, and
#: faecal coliform (water-quality.md §2.1).
SEPARATE_ITEMS = ("tn", "fecal_coliform")

#: Class labels as written in bulletins.
CLASS_NAMES = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ", WORSE_THAN_V: "劣Ⅴ"}


@dataclass(frozen=True)
class Status:
    """The qualitative status (水质状况) of a section class, and its map colour."""

    name_zh: str
    name_en: str
    colour: str


_EXCELLENT = Status("优", "excellent", "blue")
#: 环办〔2011〕22号 table of section class against status (names [V-2], colours [V-1]):
#: Ⅰ–Ⅱ 优, Ⅲ 良好, Ⅳ 轻度污染, Ⅴ 中度污染, 劣Ⅴ 重度污染. The proportion method uses the same names.
STATUSES = {
    1: _EXCELLENT, 2: _EXCELLENT,
    3: Status("良好", "good", "green"),
    4: Status("轻度污染", "lightly polluted", "yellow"),
    5: Status("中度污染", "moderately polluted", "orange"),
    WORSE_THAN_V: Status("重度污染", "heavily polluted", "red"),
}


def status(cls: int) -> Status:
    """The status of a section class (1..6)."""
    return STATUSES[cls]


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")


def _check_class(target: int) -> None:
    if target not in (1, 2, 3, 4, 5):
        raise ValueError(f"a target class is 1..5 (Ⅰ..Ⅴ), not {target!r}")


def _item_of(key: str) -> Item:
    try:
        return ITEMS[key]
    except KeyError:
        raise ValueError(f"unknown GB 3838 Table 1 item {key!r}") from None


def limit(key: str, cls: int, kind: str = "river") -> float:
    """The Table 1 limit of ``key`` for class ``cls`` (1..5) in a water body of ``kind``: the lower
    limit for DO, the upper limit otherwise, the lake/reservoir value for total phosphorus.

    >>> limit("tp", 3), limit("tp", 3, "lake"), limit("do", 3)
    (0.2, 0.05, 5.0)
    """
    _check_kind(kind)
    _check_class(cls)
    item = _item_of(key)
    if item.rule in {"none", "range"}:
        raise ValueError(f"{key} has no per-class limit")
    if key == "tn" and kind not in LAKE_KINDS:
        raise ValueError("total nitrogen has Table 1 limits for lakes and reservoirs only")
    limits = LAKE_TP_LIMITS if key == "tp" and kind in LAKE_KINDS else item.limits
    return limits[cls - 1]


def item_class(key: str, value: float | None, kind: str = "river", *, saturation: float | None = None) -> int | None:
    """The single-factor class of one item's value: the best class whose limit it meets, or 劣Ⅴ.

    Upper limits are met at equality (COD 15 is class Ⅰ, the limit Ⅰ and Ⅱ share); DO, a lower
    limit, is met at or above it, and class Ⅰ is also met by a ``saturation`` (%) of at least 90
    (Table 1 "饱和率90%（或7.5）"). pH 6–9 is class Ⅰ and anything else 劣Ⅴ: Table 1 gives one range for
    all classes. Water temperature has no class. ``None`` is no data.

    Raises ``ValueError`` for an unknown item, a negative value, a pH outside 0–14, or total
    nitrogen of a river (Table 1 limits it for lakes and reservoirs only).

    >>> item_class("nh3n", 1.0), item_class("nh3n", 1.01), item_class("do", 4.9), item_class("ph", 9.2)
    (3, 4, 4, 6)
    """
    _check_kind(kind)
    item = _item_of(key)
    if item.rule == "none":
        raise ValueError("water temperature has no class (Table 1 limits its man-made change only)")
    if value is None:
        return None
    if value < 0:
        raise ValueError(f"{key} cannot be negative: {value!r}")
    if item.rule == "range":
        if value > 14:
            raise ValueError(f"pH must lie in 0–14, not {value!r}")
        return 1 if PH_RANGE[0] <= value <= PH_RANGE[1] else WORSE_THAN_V
    limits = [limit(key, cls, kind) for cls in range(1, 6)]
    if item.rule == "min":
        if saturation is not None and saturation >= 90:
            return 1
        return next((cls for cls, bound in enumerate(limits, 1) if value >= bound), WORSE_THAN_V)
    return next((cls for cls, bound in enumerate(limits, 1) if value <= bound), WORSE_THAN_V)


@dataclass(frozen=True)
class SectionResult:
    """A section's class over the evaluated items (``None``: none measured), the items at that
    worst class, and the separately evaluated TN (lakes and reservoirs) and faecal coliform."""

    cls: int | None
    deciding: tuple[str, ...]
    tn_class: int | None
    fecal_coliform_class: int | None

    @property
    def status(self) -> Status | None:
        return None if self.cls is None else STATUSES[self.cls]


def section_class(values: Mapping[str, float | None], kind: str = "river") -> SectionResult:
    """The single-factor class of a section (环办〔2011〕22号 二(一), "参评指标中类别最高的一项"):
    the worst class among the :data:`EVALUATED_ITEMS` measured, with every item at that class.

    ``values`` maps item keys to the period's concentrations (see :func:`period_mean`). Water
    temperature, TN and faecal coliform do not enter the class; TN is classed separately for lakes
    and reservoirs and ignored for rivers, and faecal coliform is classed separately.

    >>> r = section_class({"nh3n": 1.2, "tp": 0.25, "codmn": 3, "tn": 5.0, "fecal_coliform": 90000})
    >>> r.cls, r.deciding, r.tn_class, r.fecal_coliform_class
    (4, ('nh3n', 'tp'), None, 6)
    """
    _check_kind(kind)
    for key in values:
        if key not in ALL_ITEMS:
            _item_of(key)
    classes = {k: item_class(k, values.get(k), kind) for k in EVALUATED_ITEMS}
    classes = {k: c for k, c in classes.items() if c is not None}
    worst = max(classes.values(), default=None)
    tn = item_class("tn", values.get("tn"), kind) if kind in LAKE_KINDS else None
    fc = item_class("fecal_coliform", values.get("fecal_coliform"), kind)
    return SectionResult(worst, tuple(k for k, c in classes.items() if c == worst), tn, fc)


def period_mean(values: Iterable[float | None]) -> float | None:
    """The arithmetic mean of a period's results (环办〔2011〕22号 一(二): one sample may stand for a
    week, ten days or a month; several are averaged; the year is the mean of its values).

    Summed as decimal readings, so that a mean landing on a limit is the limit (0.1 and 0.2 give
    0.15, not 0.15000000000000002). Missing values are left out; none at all is no data.

    >>> period_mean([0.1, 0.2]), period_mean([None, 1.5]), period_mean([])
    (0.15, 1.5, None)
    """
    readings = [Decimal(repr(float(v))) for v in values if v is not None]
    if not readings:
        return None
    return float(sum(readings) / len(readings))


def exceedance_multiple(key: str, value: float | None, target: int = 3, kind: str = "river") -> float | None:
    """How many times ``value`` exceeds the target class's limit: ``(C − C_target) / C_target``
    (环办〔2011〕22号 二(一) main pollutants, written there against class Ⅲ; water-quality.md §2.2).

    ``None`` when the value does not exceed the limit, is missing, or the item has no multiple:
    the method gives none for water temperature, pH and dissolved oxygen (water-quality.md §2.2,
    [V-1]: one source lists the exclusions).

    >>> exceedance_multiple("nh3n", 2.3), exceedance_multiple("tp", 0.06, 3, "lake"), exceedance_multiple("do", 1)
    (1.3, 0.2, None)
    """
    _check_class(target)
    item = _item_of(key)
    if value is None or item.rule != "max":
        return None
    bound = Decimal(repr(limit(key, target, kind)))
    reading = Decimal(repr(float(value)))
    if reading <= bound:
        return None
    return float((reading - bound) / bound)


def exceedances(values: Mapping[str, float | None], target: int, kind: str = "river") -> dict[str, float | None]:
    """The evaluated items whose class is worse than ``target``, each with its multiple against the
    target's limit (``None`` for pH and DO, which have none): worst class first, and within a class
    the larger multiple first (the main-pollutant order of 环办〔2011〕22号 as recalled, "类别相同时按
    超标倍数大小排列" — unverified), then the table's order.

    >>> exceedances({"nh3n": 1.2, "tp": 0.25, "do": 4}, 3)
    {'tp': 0.25, 'nh3n': 0.2, 'do': None}
    """
    _check_class(target)
    worse = [(item_class(k, values.get(k), kind), k) for k in EVALUATED_ITEMS if values.get(k) is not None]
    multiples = {k: exceedance_multiple(k, values[k], target, kind) for c, k in worse if c > target}
    order = sorted(((c, k) for c, k in worse if c > target),
                   key=lambda ck: (-ck[0], multiples[ck[1]] is None, -(multiples[ck[1]] or 0)))
    return {k: multiples[k] for _, k in order}


def meets_target(cls: int | None, target: int) -> bool | None:
    """Whether a class meets its target class (class ≤ target); ``None`` when there is no data."""
    _check_class(target)
    return None if cls is None else cls <= target


def _evaluated(classes: Iterable[int | None]) -> list[int]:
    return [c for c in classes if c is not None]


def share_iii_or_better(classes: Iterable[int | None]) -> Fraction | None:
    """Ⅰ–Ⅲ类（优良）比例: sections (or periods) at class Ⅲ or better over those evaluated
    (water-quality.md §2.4). Unevaluated entries are left out; none evaluated is no data."""
    got = _evaluated(classes)
    return Fraction(sum(c <= 3 for c in got), len(got)) if got else None


def share_worse_than_v(classes: Iterable[int | None]) -> Fraction | None:
    """劣Ⅴ类比例: sections (or periods) worse than class Ⅴ over those evaluated (§2.4)."""
    got = _evaluated(classes)
    return Fraction(sum(c == WORSE_THAN_V for c in got), len(got)) if got else None


def attainment_rate(results: Iterable[tuple[int | None, int]]) -> Fraction | None:
    """达标率: of ``(class, target)`` pairs with data, the share whose class meets the target
    (water-quality.md §2.4; per section over periods, or over sections)."""
    met = [meets_target(cls, target) for cls, target in results]
    got = [m for m in met if m is not None]
    return Fraction(sum(got), len(got)) if got else None


def percent(share: Fraction | None) -> Decimal | None:
    """A share as a percentage with one decimal, as national bulletins print it (§2.4, [V-1]),
    rounded by GB/T 8170 (:func:`gongjian.standards.rounding.round_half_even`)."""
    if share is None:
        return None
    exact = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return round_half_even(exact, 1)


#: 环办〔2011〕22号 二(二): the proportion method applies from 5 sections (Shenzhen MEEB writes
#: "more than 5" for it and "fewer than 5" for averaging; exactly 5 is taken as proportion, [V-1]).
MIN_PROPORTION_SECTIONS = 5


def proportion_status(classes: Sequence[int], good_threshold: Fraction = Fraction(3, 4)) -> Status:
    """The status of a river or basin by the section-class proportion method (断面水质类别比例法,
    water-quality.md §2.3, [V-2]), on exact shares, rows in order 优 → 良好 → 轻度 → 中度 → 重度:

    * Ⅰ–Ⅲ ≥ 90 %: 优; 75 % ≤ Ⅰ–Ⅲ < 90 %: 良好;
    * Ⅰ–Ⅲ < 75 % and 劣Ⅴ < 20 %: 轻度污染; and 20 % ≤ 劣Ⅴ < 40 %: 中度污染;
    * Ⅰ–Ⅲ < ``good_threshold`` and 劣Ⅴ ≥ 40 %: 重度污染.

    ``good_threshold`` is the Ⅰ–Ⅲ share of the last row: 75 % (the default) is the verified wording
    (Shenzhen MEEB); a recollection of the original as "Ⅰ–Ⅲ < 60 %" (``Fraction(3, 5)``) is
    **[UNVERIFIED]**. The shares add up to at most 100 %, so the readings differ only at exactly
    Ⅰ–Ⅲ = 60 % and 劣Ⅴ = 40 %, which the 60 % reading leaves without a row; there it is 中度污染
    (the last row whose Ⅰ–Ⅲ condition holds), under the default 重度污染.

    ``classes`` are the evaluated sections' classes; fewer than :data:`MIN_PROPORTION_SECTIONS`
    raise ``ValueError`` (use :func:`basin_state`, which averages them), as does a threshold outside
    (0, 3/4].
    """
    if len(classes) < MIN_PROPORTION_SECTIONS:
        raise ValueError(f"the proportion method needs at least {MIN_PROPORTION_SECTIONS} sections")
    good_threshold = Fraction(good_threshold)
    if not 0 < good_threshold <= Fraction(3, 4):
        raise ValueError(f"good_threshold {good_threshold} outside (0, 3/4]")
    good, worst = share_iii_or_better(classes), share_worse_than_v(classes)
    if good >= Fraction(9, 10):
        return STATUSES[1]
    if good >= Fraction(3, 4):
        return STATUSES[3]
    if worst < Fraction(1, 5):
        return STATUSES[4]
    if worst < Fraction(2, 5) or good >= good_threshold:
        return STATUSES[5]
    return STATUSES[WORSE_THAN_V]


@dataclass(frozen=True)
class BasinResult:
    """A river or basin's state; ``cls`` only when it came from averaging (fewer than 5 sections)."""

    status: Status | None
    cls: int | None


def basin_state(sections: Sequence[Mapping[str, float | None]], kind: str | Sequence[str] = "river") -> BasinResult:
    """The state of a river or basin from its sections' period values (环办〔2011〕22号 二(二)):
    fewer than 5 sections: each item averaged over the sections, then the single-factor class;
    5 or more: :func:`proportion_status` over the sections' classes. Sections with no evaluated
    data are left out; none at all is no data.

    ``kind`` is one kind for every section, or each section's kind in order (a region holds rivers
    and lakes: a lake's total phosphorus is judged on the lake limits). Averaging sections of
    different kinds judges the mean by the lake limits if any measured section is a lake or a
    reservoir (the stricter total-phosphorus limits), else as a river.
    """
    kinds = [kind] * len(sections) if isinstance(kind, str) else list(kind)
    if len(kinds) != len(sections):
        raise ValueError(f"{len(kinds)} kinds for {len(sections)} sections")
    for k in kinds:
        _check_kind(k)
    results = [section_class(s, k) for s, k in zip(sections, kinds, strict=True)]
    measured = [(s, k) for s, k, r in zip(sections, kinds, results, strict=True) if r.cls is not None]
    if not measured:
        return BasinResult(None, None)
    if len(measured) >= MIN_PROPORTION_SECTIONS:
        return BasinResult(proportion_status([r.cls for r in results if r.cls is not None]), None)
    keys = {key for s, _ in measured for key in s}
    mean = {key: period_mean(s.get(key) for s, _ in measured) for key in keys}
    mean_kind = next((k for _, k in measured if k in LAKE_KINDS), "river")
    cls = section_class(mean, mean_kind).cls
    return BasinResult(None if cls is None else STATUSES[cls], cls)


# --- Table 2, item names and codes ---------------------------------------------------------------

#: GB 3838-2002 Table 2, 集中式生活饮用水地表水源地补充项目标准限值 (mg/L), one limit each: sulfate (as
#: SO4²⁻) 250, chloride (as Cl⁻) 250, nitrate (as N) 10, iron 0.3, manganese 0.1 (two public copies of
#: the standard's text agree, [V-2]). No HJ 212 code is given: none was verified.
SUPPLEMENTARY_ITEMS: dict[str, Item] = dict([
    _item("sulfate", "硫酸盐", "max", (250,), table=2),
    _item("chloride", "氯化物", "max", (250,), table=2),
    _item("nitrate", "硝酸盐", "max", (10,), table=2),
    _item("fe", "铁", "max", (0.3,), table=2),
    _item("mn", "锰", "max", (0.1,), table=2),
])
#: Every item of Tables 1 and 2 by key.
ALL_ITEMS: dict[str, Item] = {**ITEMS, **SUPPLEMENTARY_ITEMS}

#: HJ 212-2017 water codes whose unit is not the Table 1 unit: these metals are sent in µg/L
#: (water-quality.md §1 after the HJ 212-2017 appendix); every other code is in its item's unit.
CODE_UNITS = {code: "ug/L" for code in ("w20111", "w20115", "w20117", "w20119", "w20120", "w20128", "w20142", "w20143")}

#: Other spellings people write in a sheet's item column (the key and ``name_zh`` are always
#: accepted). Compared with case, spaces and a parenthesised note such as （以P计） ignored.
_SPELLINGS = {
    "water_temperature": ("温度", "WT"), "ph": ("pH", "酸碱度"), "do": ("DO", "溶氧"),
    "codmn": ("CODMn", "COD_Mn", "高锰酸钾指数", "IMn"), "cod": ("COD", "CODCr", "COD_Cr"),
    "bod5": ("BOD5", "BOD₅", "BOD", "生化需氧量"), "nh3n": ("NH3-N", "NH3N", "NH₃-N", "氨氮（以N计）"),
    "tp": ("TP", "总磷（以P计）"), "tn": ("TN", "总氮（以N计）"), "cu": ("Cu", "总铜"), "zn": ("Zn", "总锌"),
    "fluoride": ("F", "F-", "氟化物（以F-计）"), "se": ("Se", "总硒"), "as": ("As", "总砷"), "hg": ("Hg", "总汞"),
    "cd": ("Cd", "总镉"), "cr6": ("六价铬", "铬(六价)", "Cr6+", "Cr(VI)"), "pb": ("Pb", "总铅"),
    "cyanide": ("CN", "总氰化物"), "volatile_phenol": ("挥发性酚", "挥发酚类"), "petroleum": ("石油", "油类"),
    "las": ("LAS", "阴离子合成洗涤剂"), "sulfide": ("S2-", "硫化物（以S计）"),
    "fecal_coliform": ("粪大肠菌", "粪大肠杆菌", "FC"), "sulfate": ("SO4", "SO42-", "硫酸根"),
    "chloride": ("Cl", "Cl-", "氯离子"), "nitrate": ("硝酸盐氮", "NO3-N", "硝酸盐（以N计）"), "fe": ("Fe", "总铁"),
    "mn": ("Mn", "总锰"),
}


def _name_key(text: str) -> str:
    return re.sub(r"[(（][^)）]*[)）]|\s", "", text).casefold()


_BY_NAME: dict[str, Item] = {}
for _it in ALL_ITEMS.values():
    for _spelling in (_it.key, _it.name_zh, *_SPELLINGS.get(_it.key, ())):
        _BY_NAME.setdefault(_name_key(_spelling), _it)
        _BY_NAME.setdefault(_spelling.casefold().replace(" ", ""), _it)
del _it, _spelling
_BY_CODE = {code: it for it in ALL_ITEMS.values() for code in it.codes}


def item_for_code(code: str) -> Item:
    """The item an HJ 212-2017 water code measures (``w21003`` → 氨氮); both the total and the short
    codes of As, Hg, Cd, Pb. ``ValueError`` for a code that is no GB 3838 item.

    >>> item_for_code("w21011").key, item_for_code("W20142").key
    ('tp', 'hg')
    """
    try:
        return _BY_CODE[code.strip().lower()]
    except KeyError:
        raise ValueError(f"{code!r} is not an HJ 212 code of a GB 3838 item") from None


def item_for_name(name: str) -> Item:
    """The item a sheet names: the Chinese name of Table 1 or 2 (高锰酸盐指数, 氨氮, pH值, 总磷（以P计）),
    the usual abbreviations (CODMn, NH3-N, TP, DO), the key, or an HJ 212 code.

    >>> item_for_name("pH").key, item_for_name("总磷（以P计）").key, item_for_name("NH3-N").key
    ('ph', 'tp', 'nh3n')
    """
    text = name.strip()
    if re.fullmatch(r"[wW]\d{5}", text):
        return item_for_code(text)
    found = _BY_NAME.get(text.casefold().replace(" ", "")) or _BY_NAME.get(_name_key(text))
    if found is None:
        raise ValueError(f"{name!r} is not a GB 3838 item (write its Chinese name, e.g. 氨氮, or its HJ 212 code)")
    return found


def code_unit(code: str) -> str:
    """The unit an HJ 212-2017 code's values arrive in: µg/L for the metals of :data:`CODE_UNITS`,
    otherwise the item's Table 1 unit.

    >>> code_unit("w20111"), code_unit("w20141"), code_unit("w21003")
    ('ug/L', 'mg/L', 'mg/L')
    """
    item = item_for_code(code)
    return CODE_UNITS.get(code.strip().lower(), item.unit)


# --- class codes ---------------------------------------------------------------------------------

#: Classes as plain text writes them (files, the CLI): ``I``..``V`` and ``劣V``.
CLASS_CODES = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", WORSE_THAN_V: "劣V"}
_CLASS_TEXT = {**{v.casefold(): k for k, v in CLASS_CODES.items()}, **{v.casefold(): k for k, v in CLASS_NAMES.items()},
               **{str(k): k for k in range(1, 6)}, "劣5": WORSE_THAN_V}


def class_name(cls: int | None, default: str | None = "") -> str | None:
    """``Ⅰ``..``Ⅴ`` or ``劣Ⅴ`` as pages print a class; ``default`` for no data.

    >>> class_name(3), class_name(6), class_name(None, "无数据")
    ('Ⅲ', '劣Ⅴ', '无数据')
    """
    return default if cls is None else CLASS_NAMES.get(cls, default)


def class_code(cls: int | None) -> str | None:
    """``I``..``V`` or ``劣V``; ``None`` for no data."""
    return None if cls is None else CLASS_CODES[cls]


def parse_class(text: str) -> int:
    """A class written as ``III``, ``Ⅲ``, ``Ⅲ类``, ``3``, ``劣V``/``劣Ⅴ`` → 1..6; ``ValueError`` otherwise.

    >>> parse_class("Ⅲ类"), parse_class("iv"), parse_class("劣Ⅴ"), parse_class("2")
    (3, 4, 6, 2)
    """
    key = text.strip().removesuffix("类").strip().casefold()
    if key not in _CLASS_TEXT:
        raise ValueError(f"{text!r} is not a water-quality class (I..V, Ⅰ..Ⅴ, 1..5 or 劣V)")
    return _CLASS_TEXT[key]


# --- results below the detection limit -----------------------------------------------------------

#: 环办监测函〔2020〕82号 point 7: below the detection limit, half the limit enters means and
#: statistics ([V-1]: quoted, not read in the original; SL 219-2013 §12.2.5 agrees). A parameter
#: of :meth:`Reading.statistic` for a rule that differs.
ND_FACTOR = Fraction(1, 2)

_ND_WORDS = {"nd", "n.d.", "未检出", "<dl", "低于检出限"}


@dataclass(frozen=True)
class Reading:
    """One result as reported: a ``value``, or below the detection limit (``below_limit``) with the
    ``limit`` when it was given (``0.01L``, ``<0.01``) and ``None`` for a bare ``ND``."""

    value: float | None
    below_limit: bool = False
    limit: float | None = None

    def statistic(self, factor: Fraction = ND_FACTOR) -> float | None:
        """The number that enters means and classes: the value, or ``factor`` × the detection limit
        (82号 point 7); ``None`` for a bare ``ND`` (no limit to take half of).

        >>> parse_reading("0.01L").statistic(), parse_reading("0.5").statistic(), parse_reading("ND").statistic()
        (0.005, 0.5, None)
        """
        if not self.below_limit:
            return self.value
        if self.limit is None:
            return None
        return float(Decimal(repr(self.limit)) * factor.numerator / factor.denominator)

    def __str__(self) -> str:
        if not self.below_limit:
            return "" if self.value is None else repr(self.value)
        return "ND" if self.limit is None else f"{self.limit!r}L"


def _number(text: str) -> float:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite() or not math.isfinite(float(value)):
        raise ValueError(f"{text!r} is not a finite number")
    return float(value)


def parse_reading(text: str) -> Reading:
    """A result as laboratories write it: a number; ``0.01L`` (Chinese 'L' suffix: below the
    detection limit 0.01); ``<0.01``/``＜0.01``; ``ND``, ``N.D.``, ``未检出`` (below an unstated limit);
    an empty cell is no data. ``ValueError`` names anything else.

    >>> parse_reading("0.02L"), parse_reading("＜0.05"), parse_reading(" 1.25 ")
    (Reading(value=None, below_limit=True, limit=0.02), Reading(value=None, below_limit=True, limit=0.05), Reading(value=1.25, below_limit=False, limit=None))
    """
    raw = text.strip()
    if raw == "":
        return Reading(None)
    if raw.casefold() in _ND_WORDS:
        return Reading(None, True, None)
    if raw[0] in "<＜":
        limit = _number(raw[1:].strip())
    elif raw[-1] in "Ll" and len(raw) > 1:
        limit = _number(raw[:-1].strip())
    else:
        return Reading(_number(raw))
    if limit <= 0:
        raise ValueError(f"a detection limit must be positive, not {raw!r}")
    return Reading(None, True, limit)


# --- drinking-water sources ----------------------------------------------------------------------

#: Basic items judged for a surface drinking-water source: the 21 evaluated items of the section
#: method (环办〔2011〕22号) against class Ⅲ. The national programme for centralised drinking-water
#: sources (《全国集中式生活饮用水水源地水质监测实施方案》, 环办函〔2012〕1266号) is recalled as judging
#: the Table 1 items except water temperature, total nitrogen and faecal coliform against class Ⅲ, and
#: the Table 2 (and Table 3) items against their limits — **[UNVERIFIED]**: its text could not be read.
SOURCE_BASIC_ITEMS = EVALUATED_ITEMS


class SourceResult(NamedTuple):
    """Whether an intake result complies (``None``: nothing judged) and the failing items, in table
    order, each with its multiple over the limit (``None`` for pH and DO, which have none)."""

    compliant: bool | None
    failing: dict[str, float | None]


def source_compliant(values: Mapping[str, float | None], kind: str = "river",
                     basic_items: Sequence[str] = SOURCE_BASIC_ITEMS) -> SourceResult:
    """A drinking-water intake result against GB 3838-2002: each of ``basic_items`` measured at
    class Ⅲ or better (Table 1; lake and reservoir TP for those kinds), each Table 2 item measured at
    or under its limit. Unmeasured items are not judged; nothing judged is ``None`` (no data). The
    rule's source is unverified (:data:`SOURCE_BASIC_ITEMS`).

    >>> source_compliant({"nh3n": 0.4, "tp": 0.1, "mn": 0.15})
    SourceResult(compliant=False, failing={'mn': 0.5})
    """
    _check_kind(kind)
    for key in values:
        if key not in ALL_ITEMS:
            _item_of(key)
    failing: dict[str, float | None] = {}
    judged = 0
    for key in ITEMS:
        if key not in basic_items or values.get(key) is None:
            continue
        judged += 1
        if item_class(key, values[key], kind) > 3:
            failing[key] = exceedance_multiple(key, values[key], 3, kind)
    for key, item in SUPPLEMENTARY_ITEMS.items():
        value = values.get(key)
        if value is None:
            continue
        if value < 0:
            raise ValueError(f"{key} cannot be negative: {value!r}")
        judged += 1
        bound, reading = Decimal(repr(item.limits[0])), Decimal(repr(float(value)))
        if reading > bound:
            failing[key] = float((reading - bound) / bound)
    return SourceResult(None if judged == 0 else not failing, failing)
