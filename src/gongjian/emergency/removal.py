"""What the list's measures remove, computed from the emission inventory (never typed in).

This module only gathers the inputs: the inventory of the list's region and year as emitting units
per source (an enterprise's emission units with their line and whether they are transport; a site's
items by activity) and each measure in its pure form. The arithmetic is
:mod:`gongjian.analytics.removal`: per source and level, every emitting unit is removed once, at the
strongest measure that covers it; a measure on the whole enterprise covers every production unit;
transport emissions are removed only by the transport ban; and a source's strictness is the share
of its production emissions its production measures remove.

Figures are t/a of the inventory year: the reduction ratios compare annual-equivalent removals with
annual whole-society totals, so the day length cancels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from gongjian.analytics import removal as arithmetic
from gongjian.sources import services as source_registry
from gongjian.sources.services import POLLUTANTS

from .models import MEASURE_LEVELS, Measure, ReductionList

ZERO = Decimal("0")
HUNDRED = Decimal("100")

__all__ = ["Inventory", "ListAccount", "SourceRemoval", "account", "removal_of", "removal_together"]

Key = tuple[str, int]  # ("enterprise", pk) or ("site", pk)


def _zero() -> dict[str, Decimal]:
    return dict.fromkeys(POLLUTANTS, ZERO)


def _add(into: dict[str, Decimal], values: dict[str, Decimal]) -> None:
    for p in POLLUTANTS:
        into[p] += values[p]


@dataclass
class Inventory:
    """The inventory of a year in a region, indexed for measures: per unit, per site and activity."""

    units: dict[int, dict[str, Decimal]] = field(default_factory=lambda: defaultdict(_zero))
    transport: set[int] = field(default_factory=set)  # the heavy-vehicle transport units
    unit_line: dict[int, int | None] = field(default_factory=dict)
    unit_enterprise: dict[int, int] = field(default_factory=dict)
    by_enterprise: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    sites: dict[tuple[int, str], dict[str, Decimal]] = field(default_factory=lambda: defaultdict(_zero))

    @classmethod
    def load(cls, region, year: int) -> Inventory:
        inv = cls()
        rows, units = source_registry.inventory_of_sources(region, year)
        for row in rows:
            values = {p: row[p] for p in POLLUTANTS}
            if row["unit_id"]:
                _add(inv.units[row["unit_id"]], values)
            else:
                _add(inv.sites[(row["site_id"], row["activity"])], values)
        for pk, unit in units.items():
            if unit["transport"]:
                inv.transport.add(pk)
            inv.unit_line[pk] = unit["line_id"]
            inv.unit_enterprise[pk] = unit["enterprise_id"]
            inv.by_enterprise[unit["enterprise_id"]].append(pk)
        return inv

    def enterprise_units(self, enterprise_id: int, transport: bool = False) -> list[int]:
        return [u for u in self.by_enterprise.get(enterprise_id, ())
                if (u in self.transport) == transport]

    def production(self, enterprise_id: int) -> dict[str, Decimal]:
        total = _zero()
        for unit in self.enterprise_units(enterprise_id):
            _add(total, self.units[unit])
        return total

    def emitted_by(self, enterprise_id: int) -> dict[str, Decimal]:
        """Everything the enterprise emits (production and its transport): no measure removes more."""
        total = self.production(enterprise_id)
        for unit in self.enterprise_units(enterprise_id, transport=True):
            _add(total, self.units[unit])
        return total

    def source_units(self, key: Key) -> dict[object, arithmetic.Unit]:
        """The emitting units of an enterprise (by unit pk) or of a site (by activity)."""
        kind, pk = key
        if kind == "enterprise":
            return {u: arithmetic.Unit(self.units[u], line=self.unit_line.get(u), transport=u in self.transport)
                    for u in self.by_enterprise.get(pk, ())}
        return {activity: arithmetic.Unit(values, activity=activity)
                for (site, activity), values in self.sites.items() if site == pk}


def source_of(measure: Measure) -> Key:
    return ("enterprise", measure.enterprise_id) if measure.enterprise_id else ("site", measure.site_id)


def _pure(measure: Measure) -> arithmetic.Measure:
    """The measure as the arithmetic reads it. Its lines: an unsaved proposal's ``proposed_lines``,
    else the saved ones (prefetched by the callers that read many)."""
    proposed = getattr(measure, "proposed_lines", None)
    lines = proposed if proposed is not None else (measure.lines.all() if measure.pk else [])
    return arithmetic.Measure(str(measure.kind), unit=measure.unit_id, lines=frozenset(line.pk for line in lines),
                              load_percent=measure.load_percent)


def removal_together(measures: Iterable[Measure], inventory: Inventory) -> dict[str, Decimal]:
    """What measures of one source at one level remove together (t/a): each unit once, at the
    strongest measure covering it."""
    measures = list(measures)
    if not measures:
        return _zero()
    return arithmetic.removal([_pure(m) for m in measures], inventory.source_units(source_of(measures[0])), POLLUTANTS)


def removal_of(measure: Measure, inventory: Inventory) -> dict[str, Decimal]:
    """What one measure removes on its own (t/a)."""
    return removal_together([measure], inventory)


def strictness_of(measures: Iterable[Measure], inventory: Inventory, key: Key) -> int | None:
    """The removed share (%) of an enterprise's production emissions (:func:`arithmetic.strictness`);
    0 for a site, whose measures are not production measures."""
    if key[0] != "enterprise":
        return 0
    return arithmetic.strictness([_pure(m) for m in measures], inventory.source_units(key))


@dataclass
class SourceRemoval:
    """One enterprise's or site's measures at one level, with what they remove together and how strict
    they are (the removed share of its production emissions, %; ``None`` without production emissions)."""

    key: Key
    measures: list[Measure]
    removed: dict[str, Decimal]
    strictness: int | None


@dataclass
class ListAccount:
    """Per level: what every source removes, the totals, the requirement, the shortfall and margin."""

    totals: dict[str, Decimal]  # whole-society emissions, t/a
    sources: dict[str, dict[Key, SourceRemoval]]  # level -> source -> removal
    achieved: dict[str, dict[str, Decimal]]  # level -> pollutant -> t/a
    required: dict[str, dict[str, Decimal]]  # level -> pollutant -> t/a

    def shortfall(self, level: str, pollutant: str) -> Decimal:
        return max(ZERO, self.required[level][pollutant] - self.achieved[level][pollutant])

    def margin(self, level: str, pollutant: str) -> arithmetic.Margin:
        return arithmetic.Margin(self.required[level][pollutant], self.achieved[level][pollutant])

    def share(self, level: str, pollutant: str) -> Decimal | None:
        total = self.totals[pollutant]
        return self.achieved[level][pollutant] / total * HUNDRED if total else None


def account(version: ReductionList, standard, totals: dict[str, Decimal], inventory: Inventory | None = None) -> ListAccount:
    """The list's reductions at every level against ``standard``'s ratios of the whole-society ``totals``."""
    inventory = inventory or Inventory.load(version.region, version.inventory_year)
    grouped: dict[str, dict[Key, list[Measure]]] = {level: {} for level in MEASURE_LEVELS}
    for m in version.measures.select_related("enterprise", "site", "unit").prefetch_related("lines"):
        grouped[m.level].setdefault(source_of(m), []).append(m)
    sources: dict[str, dict[Key, SourceRemoval]] = {level: {} for level in MEASURE_LEVELS}
    achieved = {}
    for level, by_source in grouped.items():
        achieved[level] = _zero()
        for key, measures in by_source.items():
            entry = SourceRemoval(key, measures, removal_together(measures, inventory),
                                  strictness_of(measures, inventory, key))
            sources[level][key] = entry
            _add(achieved[level], entry.removed)
    required = {level: {p: totals[p] * standard.ratio(level, p) / HUNDRED for p in POLLUTANTS}
                for level in MEASURE_LEVELS}
    return ListAccount(totals, sources, achieved, required)
