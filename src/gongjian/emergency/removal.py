"""What each measure removes, computed from the emission inventory and the measure (never typed in).

Per pollutant, in t/a of the inventory year (the reduction ratios compare annual-equivalent removals
with annual whole-society totals, so the day length cancels):

* stop: all production emissions of the enterprise (or of the named emission unit);
* limit the load to x %: (100 - x) % of them;
* stop named lines: the production emissions of the units on those lines;
* no heavy-vehicle transport: the enterprise's transport units;
* site, stop earthwork: the site's earthwork items; site, stop all work: all its items.

Two measures of one enterprise at one level may overlap (a limit and a stopped line); the enterprise's
removal is capped at its inventory per pollutant, so nothing is counted twice beyond what exists.
The lost output of a production measure is the removed share of the enterprise's output value
(lines by their output share).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from gongjian.sources import services as source_registry
from gongjian.sources.services import POLLUTANTS

from .models import Measure, ReductionList

ZERO = Decimal("0")
HUNDRED = Decimal("100")

__all__ = ["Inventory", "ListAccount", "account", "removal_of"]


def _zero() -> dict[str, Decimal]:
    return dict.fromkeys(POLLUTANTS, ZERO)


def _add(into: dict[str, Decimal], values: dict[str, Decimal], factor: Decimal = Decimal("1")) -> None:
    for p in POLLUTANTS:
        into[p] += values[p] * factor


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


def removal_of(measure: Measure, inventory: Inventory, line_ids: list[int] | None = None) -> dict[str, Decimal]:
    """The emissions (t/a) one measure removes. ``line_ids``: the measure's lines when already fetched."""
    removed = _zero()
    kind = measure.kind
    if kind in (Measure.Kind.STOP, Measure.Kind.LIMIT):
        units = [measure.unit_id] if measure.unit_id else inventory.enterprise_units(measure.enterprise_id)
        share = Decimal("1") if kind == Measure.Kind.STOP else (HUNDRED - measure.load_percent) / HUNDRED
        for unit in units:
            _add(removed, inventory.units.get(unit, _zero()), share)
    elif kind == Measure.Kind.STOP_LINES:
        lines = set(line_ids if line_ids is not None else measure.lines.values_list("pk", flat=True))
        for unit in inventory.enterprise_units(measure.enterprise_id):
            if inventory.unit_line.get(unit) in lines:
                _add(removed, inventory.units[unit])
    elif kind == Measure.Kind.NO_TRANSPORT:
        for unit in inventory.enterprise_units(measure.enterprise_id, transport=True):
            _add(removed, inventory.units[unit])
    elif kind == Measure.Kind.SITE_EARTHWORK:
        _add(removed, inventory.sites.get((measure.site_id, "earthwork"), _zero()))
    elif kind == Measure.Kind.SITE_STOP:
        for (site, _activity), values in inventory.sites.items():
            if site == measure.site_id:
                _add(removed, values)
    return removed


@dataclass
class SourceRemoval:
    """One enterprise's or site's measures at one level, with what they remove together."""

    key: tuple[str, int]  # ("enterprise", pk) or ("site", pk)
    measures: list[Measure]
    removed: dict[str, Decimal]
    strictness: int


@dataclass
class ListAccount:
    """Per level: what every source removes, the totals, the requirement and the shortfall."""

    totals: dict[str, Decimal]  # whole-society emissions, t/a
    sources: dict[str, dict[tuple[str, int], SourceRemoval]]  # level -> source -> removal
    achieved: dict[str, dict[str, Decimal]]  # level -> pollutant -> t/a
    required: dict[str, dict[str, Decimal]]  # level -> pollutant -> t/a

    def shortfall(self, level: str, pollutant: str) -> Decimal:
        return max(ZERO, self.required[level][pollutant] - self.achieved[level][pollutant])

    def share(self, level: str, pollutant: str) -> Decimal | None:
        total = self.totals[pollutant]
        return self.achieved[level][pollutant] / total * HUNDRED if total else None


def account(version: ReductionList, standard, totals: dict[str, Decimal], inventory: Inventory | None = None) -> ListAccount:
    """The list's reductions at every level against ``standard``'s ratios of the whole-society ``totals``."""
    from .models import MEASURE_LEVELS

    inventory = inventory or Inventory.load(version.region, version.inventory_year)
    measures = list(version.measures.select_related("enterprise", "site").prefetch_related("lines"))
    sources: dict[str, dict[tuple[str, int], SourceRemoval]] = {level: {} for level in MEASURE_LEVELS}
    for m in measures:
        key = ("enterprise", m.enterprise_id) if m.enterprise_id else ("site", m.site_id)
        entry = sources[m.level].setdefault(key, SourceRemoval(key, [], _zero(), 0))
        entry.measures.append(m)
        _add(entry.removed, removal_of(m, inventory, [line.pk for line in m.lines.all()]))
        entry.strictness = max(entry.strictness, m.strictness)
    achieved = {}
    for level, by_source in sources.items():
        achieved[level] = _zero()
        for (kind, pk), entry in by_source.items():
            if kind == "enterprise":  # overlapping measures never remove more than the enterprise emits
                ceiling = inventory.emitted_by(pk)
                entry.removed = {p: min(entry.removed[p], ceiling[p]) for p in POLLUTANTS}
            _add(achieved[level], entry.removed)
    required = {level: {p: totals[p] * standard.ratio(level, p) / HUNDRED for p in POLLUTANTS}
                for level in MEASURE_LEVELS}
    return ListAccount(totals, sources, achieved, required)
