"""GB 3838-2002 surface-water classes and the section evaluation of 环办〔2011〕22号.

Limits: GB 3838-2002 Table 1 (basic items), read from the official text
(shared/standards/water-quality.md §1). Evaluation: 地表水环境质量评价办法（试行）, 环办〔2011〕22号
(water-quality.md §2): the single-factor method over 21 items, the qualitative status of a class,
the section-class proportion method for a river or basin, and the reporting rates.

Classes are the integers 1..5 for Ⅰ..Ⅴ and :data:`WORSE_THAN_V` (6) for 劣Ⅴ, so "worse" is "greater"
and a section meets a target class when its class is less than or equal to it. Missing data is
``None`` throughout ("no data", never a class).

Values are compared exactly as given, in the Table 1 units (mg/L; pH dimensionless; faecal
coliform 个/L); converting HJ 212 µg/L codes is the caller's job (:mod:`gongjian.standards.units`).
Not settled by the sources read, and therefore not implemented here: rounding of a result before
it is classified, and the treatment of values below the detection limit (the 2011 method's own
text on either could not be read; water-quality.md has neither).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .rounding import round_half_even

__all__ = [
    "CLASS_NAMES", "EVALUATED_ITEMS", "ITEMS", "KINDS", "LAKE_KINDS", "LAKE_TP_LIMITS", "MIN_PROPORTION_SECTIONS",
    "PH_RANGE", "SEPARATE_ITEMS", "STATUSES", "WORSE_THAN_V", "BasinResult", "Item", "SectionResult", "Status",
    "attainment_rate", "basin_state", "exceedance_multiple", "exceedances", "item_class", "limit", "meets_target",
    "percent", "period_mean", "proportion_status", "section_class", "share_iii_or_better", "share_worse_than_v",
    "status",
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
    """One Table 1 item: ``rule`` is ``"max"`` (upper limit), ``"min"`` (dissolved oxygen, a lower
    limit), ``"range"`` (pH) or ``"none"`` (water temperature, limited as a man-made change only);
    ``limits`` are classes Ⅰ..Ⅴ; ``codes`` are the HJ 212-2017 codes (units per hj212.md §6)."""

    key: str
    name_zh: str
    rule: str
    limits: tuple[float, ...]
    codes: tuple[str, ...]


def _item(key, name_zh, rule, limits, *codes):
    return key, Item(key, name_zh, rule, tuple(float(v) for v in limits), codes)


#: GB 3838-2002 Table 1, items 1–24, in the table's order. Total phosphorus here is the river
#: value; lakes and reservoirs use :data:`LAKE_TP_LIMITS`. Total nitrogen is given for lakes and
#: reservoirs only ("湖、库，以N计"). Class Ⅰ DO is "饱和率90%（或7.5）": 7.5 mg/L here, and
#: :func:`item_class` accepts a saturation too.
ITEMS: dict[str, Item] = dict([
    _item("water_temperature", "水温", "none", (), "w01010"),
    _item("ph", "pH值", "range", (6, 6, 6, 6, 6), "w01001"),
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
    _item("fecal_coliform", "粪大肠菌群", "max", (200, 2000, 10000, 20000, 40000), "w02003"),
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
    target's limit (``None`` for pH and DO, which have none), worst class first."""
    _check_class(target)
    worse = [(item_class(k, values.get(k), kind), k) for k in EVALUATED_ITEMS if values.get(k) is not None]
    worse = sorted(((c, k) for c, k in worse if c > target), key=lambda ck: -ck[0])
    return {k: exceedance_multiple(k, values[k], target, kind) for _, k in worse}


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


def proportion_status(classes: Sequence[int]) -> Status:
    """The status of a river or basin by the section-class proportion method (断面水质类别比例法,
    water-quality.md §2.3, [V-2]), on exact shares:

    * Ⅰ–Ⅲ ≥ 90 %: 优; 75 % ≤ Ⅰ–Ⅲ < 90 %: 良好;
    * Ⅰ–Ⅲ < 75 % and 劣Ⅴ < 20 %: 轻度污染; and 20 % ≤ 劣Ⅴ < 40 %: 中度污染; and 劣Ⅴ ≥ 40 %: 重度污染.

    The last row is the verified wording (Shenzhen MEEB); a recollection of the original as
    "Ⅰ–Ⅲ < 60 % and 劣Ⅴ ≥ 40 %" is unverified. The shares add up to at most 100 %, so the two
    readings differ only at exactly Ⅰ–Ⅲ = 60 % and 劣Ⅴ = 40 %, which the other reading leaves
    without a row; here it is 重度污染.

    ``classes`` are the evaluated sections' classes; fewer than :data:`MIN_PROPORTION_SECTIONS`
    raise ``ValueError`` (use :func:`basin_state`, which averages them).
    """
    if len(classes) < MIN_PROPORTION_SECTIONS:
        raise ValueError(f"the proportion method needs at least {MIN_PROPORTION_SECTIONS} sections")
    good, worst = share_iii_or_better(classes), share_worse_than_v(classes)
    if good >= Fraction(9, 10):
        return STATUSES[1]
    if good >= Fraction(3, 4):
        return STATUSES[3]
    if worst < Fraction(1, 5):
        return STATUSES[4]
    if worst < Fraction(2, 5):
        return STATUSES[5]
    return STATUSES[WORSE_THAN_V]


@dataclass(frozen=True)
class BasinResult:
    """A river or basin's state; ``cls`` only when it came from averaging (fewer than 5 sections)."""

    status: Status | None
    cls: int | None


def basin_state(sections: Sequence[Mapping[str, float | None]], kind: str = "river") -> BasinResult:
    """The state of a river or basin from its sections' period values (环办〔2011〕22号 二(二)):
    fewer than 5 sections: each item averaged over the sections, then the single-factor class;
    5 or more: :func:`proportion_status` over the sections' classes. Sections with no evaluated
    data are left out; none at all is no data.
    """
    _check_kind(kind)
    results = [section_class(s, kind) for s in sections]
    measured = [s for s, r in zip(sections, results, strict=True) if r.cls is not None]
    if not measured:
        return BasinResult(None, None)
    if len(measured) >= MIN_PROPORTION_SECTIONS:
        return BasinResult(proportion_status([r.cls for r in results if r.cls is not None]), None)
    keys = {k for s in measured for k in s}
    mean = {k: period_mean(s.get(k) for s in measured) for k in keys}
    cls = section_class(mean, kind).cls
    return BasinResult(None if cls is None else STATUSES[cls], cls)
