"""What a source's emergency measures remove together, how strict they are, and the margin a list
keeps over its requirement (pure: the emergency app gathers the units and the measures).

A source is an enterprise or a construction site, seen as the **emitting units** of the inventory:
an enterprise's stacks and fugitive sources (each on one of its production lines, or on none) and
its heavy-vehicle transport; a site's items by activity (earthwork, the rest). A measure *covers*
units, removing a share :math:`s` (0-1) of each one's emissions:

====================  ===============================================  =================
measure               covers                                           :math:`s`
====================  ===============================================  =================
stop                  every production unit (or the one it names)      1
limit the load to x%  every production unit (or the one it names)      (100 - x) / 100
stop named lines      the production units on those lines              1
no transport          the transport units                              1
site: stop earthwork  the site's earthwork items                       1
site: stop all work   all the site's items                             1
====================  ===============================================  =================

Production measures never cover transport, and the transport ban covers nothing else: transport
emissions are removed by a transport measure or not at all. What the measures of one source at
one level remove together is, per pollutant :math:`p`,

.. math:: R_p = \\sum_u e_{u,p} \\, \\max_{m \\ni u} s_{m,u}

each unit once, at the strongest measure that covers it: a level's measures are carried out at the
same time on the same plant, so a kiln stopped by "stop line 1" and limited by "limit to 70 %" is
stopped, not stopped and limited. (Adding the measures up and capping the sum at the plant's total
credited an orange list with 23-27 % more per pollutant than it removes, and let a production
overcount stand in for a transport ban: issue 14.)

Notes
-----
The plans ask that the emergency list be broken down to each enterprise's production processes so
that every measure "can be counted, monitored, verified and quantified" (细化分解到每个行业企业的具体
生产工序……实现措施可统计、可监测、可核查、可量化评估: Henan's 2017 plan, shared/seeds/henan-2017-one-
city-one-policy.txt, 8. 实施工业企业轮停措施, and again under 完善管控清单; "实施'一厂一策'清单化管理，
确保应急减排措施可操作、可核查": Yibin 2018-2020 plan §33 (3)), and the key-industry technical guide
issued with 环办大气函〔2019〕648号 (重点行业应急减排措施制定技术指南;
outline in shared/standards/air-quality.md §6, its text not read) writes each enterprise's measures
per line and process in its plant measure sheet (一厂一策). Counting each process once follows from
that breakdown; the per-unit formula is this module's reading of it, not a quoted clause.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

__all__ = ["PRODUCTION_KINDS", "THIN_MARGIN", "Margin", "Measure", "Unit", "removal", "removed_shares", "strictness"]

ONE, HUNDRED = Decimal("1"), Decimal("100")

STOP, LIMIT, STOP_LINES = "stop", "limit", "stop_lines"
NO_TRANSPORT, SITE_EARTHWORK, SITE_STOP = "no_transport", "site_earthwork", "site_stop"
#: The measures on production (the class rule and the strictness look at these only).
PRODUCTION_KINDS = (STOP, LIMIT, STOP_LINES)


@dataclass(frozen=True)
class Unit:
    """An emitting unit: its emissions per pollutant (t/a), its production line (``None``: none), and
    whether it is heavy-vehicle transport; a site's item names its ``activity`` (``earthwork``, ...)."""

    emissions: Mapping[str, Decimal]
    line: Hashable | None = None
    transport: bool = False
    activity: str = ""

    @property
    def tonnage(self) -> Decimal:
        return sum(self.emissions.values(), Decimal("0"))


@dataclass(frozen=True)
class Measure:
    """A measure as the arithmetic reads it: its kind (the values of the emergency list's measure
    kinds), the one unit it names (``None``: the whole source), the lines it stops, the allowed load (%)."""

    kind: str
    unit: Hashable | None = None
    lines: frozenset = frozenset()
    load_percent: Decimal | None = None

    def covers(self, units: Mapping[Hashable, Unit]) -> dict[Hashable, Decimal]:
        """The units this measure covers, with the share of each one's emissions it removes."""
        if self.kind in (STOP, LIMIT):
            share = ONE if self.kind == STOP else (HUNDRED - self.load_percent) / HUNDRED
            named = [self.unit] if self.unit is not None else list(units)
            return {key: share for key in named if key in units and not units[key].transport}
        if self.kind == STOP_LINES:
            return {key: ONE for key, u in units.items() if not u.transport and u.line is not None and u.line in self.lines}
        if self.kind == NO_TRANSPORT:
            return {key: ONE for key, u in units.items() if u.transport}
        if self.kind == SITE_EARTHWORK:
            return {key: ONE for key, u in units.items() if u.activity == "earthwork"}
        if self.kind == SITE_STOP:
            return dict.fromkeys(units, ONE)
        raise ValueError(f"unknown measure kind {self.kind!r}")


def removed_shares(measures: Iterable[Measure], units: Mapping[Hashable, Unit]) -> dict[Hashable, Decimal]:
    """Each covered unit's removed share: the largest of the measures that cover it, never their sum."""
    shares: dict[Hashable, Decimal] = {}
    for measure in measures:
        for key, share in measure.covers(units).items():
            shares[key] = max(share, shares.get(key, Decimal("0")))
    return shares


def removal(measures: Iterable[Measure], units: Mapping[Hashable, Unit], pollutants: Iterable[str]) -> dict[str, Decimal]:
    """What ``measures`` remove together from ``units`` (t/a per pollutant): :math:`R_p` above."""
    shares = removed_shares(measures, units)
    return {p: sum((units[key].emissions.get(p, Decimal("0")) * share for key, share in shares.items()), Decimal("0"))
            for p in pollutants}


def strictness(measures: Iterable[Measure], units: Mapping[Hashable, Unit]) -> int | None:
    """How strict a source's production measures are: the share of its production emissions they
    remove together, in whole per cent rounded up (0: none, 100: everything stopped); ``None`` when
    the source has no production emissions to take a share of.

    The class rule (B no stricter than C, C no stricter than D, 环办大气函〔2019〕648号) and the
    escalation from one level to the next compare these. Ranking by what a measure removes, not by
    its kind, keeps "stop the line-1 stack" from ranking as a full stop, and "stop line 2" from
    ranking above "limit to 50 %" when line 2 emits a fifth of the plant.

    Notes
    -----
    The four pollutants' tonnages are added (t/a): no single pollutant fits every industry (NOx for
    cement, VOCs for printing), and the sum is the weight by which the optimiser already picks an
    enterprise's main line. Rounded up, so that any removal ranks above none; in whole per cent,
    so that the comparison ignores differences under a point, a precision inventory estimates do
    not have. Transport measures are not production measures and do not count.
    """
    production = {key: u for key, u in units.items() if not u.transport}
    total = sum((u.tonnage for u in production.values()), Decimal("0"))
    if total <= 0:
        return None
    shares = removed_shares((m for m in measures if m.kind in PRODUCTION_KINDS), production)
    removed = sum((production[key].tonnage * share for key, share in shares.items()), Decimal("0"))
    return int((removed / total * HUNDRED).to_integral_value(rounding=ROUND_CEILING))


#: A margin under this share of the required reduction (%) is flagged as thin: an inventory's
#: estimates move by more than that from one revision to the next (a house choice, no standard sets
#: one; the requirement itself is the standard's: 10/20/30 % of whole-society emissions).
THIN_MARGIN = Decimal("5")


@dataclass(frozen=True)
class Margin:
    """How far a list's removal of one pollutant at one level is above (or below) its requirement."""

    required: Decimal
    achieved: Decimal

    @property
    def amount(self) -> Decimal:
        """Achieved minus required (t/a); negative when the list falls short."""
        return self.achieved - self.required

    @property
    def percent(self) -> Decimal | None:
        """The margin as a share of the requirement (%); ``None`` when nothing is required."""
        return self.amount / self.required * HUNDRED if self.required > 0 else None

    @property
    def met(self) -> bool:
        return self.amount >= 0

    @property
    def thin(self) -> bool:
        """Met, but by less than :data:`THIN_MARGIN` of the requirement."""
        return self.met and self.percent is not None and self.percent < THIN_MARGIN
