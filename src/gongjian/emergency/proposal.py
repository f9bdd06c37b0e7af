"""The optimiser applied to a draft list: options per enterprise from its inventory, the level's
required reductions, and accepting a proposal into the draft.

Options of an enterprise at a level: no production measure; limit the load to 70 %; limit to 30 %;
stop its line with the most emissions when it has two or more lines; stop. Each removes what
:func:`gongjian.emergency.removal.removal_of` computes (each unit once), ranks by its strictness
(the share of the enterprise's production emissions it removes, as the list's class check ranks
it) and costs the lost share of the enterprise's output value. Exempt enterprises keep no production
measure; A-class enterprises keep the measures they declared (self-determined, counted together:
each unit once); site and transport measures already in the draft count towards the targets as they
are, each source's together. Measures escalate: at orange and red an enterprise keeps at least the
strictness of its measures one level below. An enterprise without production emissions in the
inventory has nothing to propose.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongjian.analytics.reduction import Enterprise as Candidate
from gongjian.analytics.reduction import Option, Plan, optimise
from gongjian.analytics.removal import PRODUCTION_KINDS
from gongjian.sources import services as sources
from gongjian.sources.services import POLLUTANTS

from .models import MEASURE_LEVELS, Measure, ReductionList
from .removal import Inventory, ListAccount, removal_of, removal_together, strictness_of

__all__ = ["Proposal", "accept", "explain", "propose"]



@dataclass
class Proposal:
    level: str
    plan: Plan
    measures: dict[int, Measure | None]  # enterprise pk -> proposed production measure (None: none)
    current: dict[int, str]  # enterprise pk -> the draft's production measures now, described
    enterprises: dict[int, object]  # pk -> enterprise (sources.services.enterprises_in)
    targets: dict[str, float]


def _main_line(enterprise, inventory: Inventory):
    lines = list(enterprise.lines.all())
    if len(lines) < 2:
        return None
    def weight(line):
        return sum(sum(inventory.units[u].values()) for u in inventory.enterprise_units(enterprise.pk)
                   if inventory.unit_line.get(u) == line.pk)
    return max(lines, key=weight)


def _options(enterprise, inventory: Inventory) -> list[tuple[Option, Measure | None]]:
    output = float(enterprise.annual_output)
    candidates: list[tuple[str, Measure | None, float]] = [("none", None, 0.0)]
    for load in (Decimal("70"), Decimal("30")):
        candidates.append((f"limit {load}%", Measure(kind=Measure.Kind.LIMIT, enterprise=enterprise, load_percent=load),
                           float(1 - load / 100)))
    line = _main_line(enterprise, inventory)
    if line is not None:
        stop_line = Measure(kind=Measure.Kind.STOP_LINES, enterprise=enterprise)
        stop_line.proposed_lines = [line]
        candidates.append((f"stop {line.name}", stop_line, float(line.output_share)))
    candidates.append(("stop", Measure(kind=Measure.Kind.STOP, enterprise=enterprise), 1.0))
    out = []
    for name, measure, lost in candidates:
        removed = {} if measure is None else removal_of(measure, inventory)
        rank = strictness_of([] if measure is None else [measure], inventory, ("enterprise", enterprise.pk))
        out.append((Option(name, rank, {p: float(v) for p, v in removed.items()}, lost * output), measure))
    return out


def propose(version: ReductionList, level: str, account: ListAccount, inventory: Inventory,
            time_limit: float = 20.0) -> Proposal:
    """The least-lost-output production measures meeting the level's required reductions."""
    enterprises = {e.pk: e for e in sources.enterprises_in(version.region).prefetch_related("lines")}
    enterprises = {pk: e for pk, e in enterprises.items() if any(inventory.production(pk).values())}
    by_source = account.sources[level]
    fixed_removal = dict.fromkeys(POLLUTANTS, 0.0)
    current: dict[int, str] = {}
    for (kind, pk), entry in by_source.items():  # site and transport measures stay as they are
        others = [m for m in entry.measures if m.kind not in PRODUCTION_KINDS]
        for p, v in removal_together(others, inventory).items():
            fixed_removal[p] += float(v)
        if kind == "enterprise":
            current[pk] = "; ".join(m.describe() for m in entry.measures if m.kind in PRODUCTION_KINDS)
    below = MEASURE_LEVELS[MEASURE_LEVELS.index(level) - 1] if MEASURE_LEVELS.index(level) else None
    candidates, measures_of = [], {}
    for pk, e in enterprises.items():
        options = _options(e, inventory)
        floor = account.sources[below].get(("enterprise", pk)) if below else None
        if floor is not None and not e.exemption and e.performance_class != "A":
            options = [(o, m) for o, m in options if o.rank >= floor.strictness]
        measures_of[pk] = {o.name: m for o, m in options}
        fixed, reason = None, ""
        if e.exemption:
            fixed, reason = "none", f"{e.get_exemption_display()}: {e.exemption_reason}"
        elif e.performance_class == "A":
            declared = [m for m in by_source.get(("enterprise", pk), []).measures if m.kind in PRODUCTION_KINDS] \
                if ("enterprise", pk) in by_source else []
            removed = {p: float(v) for p, v in removal_together(declared, inventory).items()}
            options.append((Option("declared", 0, removed, 0.0), None))
            measures_of[pk]["declared"] = "declared"
            fixed, reason = "declared", _("A-class: its own declared measures")
        candidates.append(Candidate(str(pk), e.industry, e.performance_class, tuple(o for o, _m in options),
                                    fixed_option=fixed, fixed_reason=reason))
    targets = {p: max(0.0, float(account.required[level][p]) - fixed_removal[p]) for p in POLLUTANTS}
    plan = optimise(candidates, targets, time_limit=time_limit)
    proposed = {}
    for choice in plan.choices:
        measure = measures_of[int(choice.enterprise)][choice.option]
        proposed[int(choice.enterprise)] = measure
    return Proposal(level, plan, proposed, current, enterprises, targets)


def explain(enterprise, measure) -> str:
    """Why the optimiser proposes ``measure`` (None: no production measure) for ``enterprise``."""
    if enterprise.exemption:
        return f"{enterprise.get_exemption_display()}: {enterprise.exemption_reason}"
    if enterprise.performance_class == "A":
        return _("A-class: its own declared measures")
    if measure is None:
        return _("No production measure: the requirement is met at less lost output elsewhere")
    return _("Least lost output for the requirement (class %(cls)s in %(industry)s, B ≤ C ≤ D kept)") % {
        "cls": enterprise.get_performance_class_display(), "industry": enterprise.get_industry_display()}


@transaction.atomic
def accept(version: ReductionList, proposal: Proposal, enterprise_ids: set[int]) -> int:
    """Write the proposal's measures for ``enterprise_ids`` into the draft (replacing their production
    measures at the level); A-class declarations and exempt enterprises are left as they are."""
    if not version.editable:
        raise ValueError("only a draft takes a proposal")
    chosen = [pk for pk in sorted(enterprise_ids) if pk in proposal.measures and proposal.measures[pk] != "declared"]
    version.measures.filter(level=proposal.level, enterprise_id__in=chosen, kind__in=PRODUCTION_KINDS).delete()
    new, lines = [], []
    for pk in chosen:
        measure = proposal.measures[pk]
        if measure is None:
            continue
        record = Measure(reduction_list=version, level=proposal.level, kind=measure.kind, enterprise_id=pk,
                         load_percent=measure.load_percent, note=_("Proposed by the optimiser: %(r)s") % {
                             "r": explain(proposal.enterprises[pk], measure)})
        record.full_clean()
        new.append(record)
        lines.append(getattr(measure, "proposed_lines", []))
    for record, stopped in zip(bulk_create_with_history(new, Measure), lines, strict=True):
        if stopped:
            record.lines.set(stopped)
    changed = len(chosen)
    return changed
