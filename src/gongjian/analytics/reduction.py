"""Proposing emergency reduction measures with the least lost output (a mixed-integer programme).

For one warning level: every enterprise takes exactly one of its options (no action, load limits,
stopping lines, stopping; each with the emissions it removes and the output it costs), so that every
pollutant's removal reaches its target (the level's share of whole-society emissions), at the least
total lost output. Rules, from the key-industry guideline (环办大气函〔2019〕648号, outline in
shared/standards/air-quality.md §6) and the plans:

* an exempt enterprise (livelihood guarantee 民生保障, strategic) keeps its exempt option only;
* an A-class enterprise decides its own measures: it keeps its declared option only;
* within an industry, B-class measures are no stricter than C-class ones, C no stricter than D
  (strictness = the option's ``rank``; only the order of the ranks matters, so each industry's are
  replaced by their positions among its distinct ranks before solving, :func:`_ordinal_ranks`).

Two exact methods, both reporting a proven lower bound. One MILP on HiGHS (:class:`_DirectModel`).
And a search (:class:`_Search`): the rule is the same as two integer thresholds per industry, t_BC <= t_CD,
with every B rank <= t_BC <= every C rank <= t_CD <= every D rank (a *combo*; ten per industry for
ranks 0-3). Moving the four target rows into the objective with prices (Lagrangian relaxation) gives
a lower bound that is tight for long lists and costs milliseconds, because for fixed prices
each industry's best combo and each enterprise's best option are found by enumeration. Combo vectors
are then searched best bound first; each one left is a multiple-choice problem solved on a small core
of nearly tied enterprises with HiGHS (``highspy``) and proven by reduced-cost fixing. Every choice
comes with its reason; when the time limit ends the search, the best plan comes back with its status,
the proven lower bound and the gap.

Which method (``method="auto"``) is decided by measured behaviour, not by a fixed rule alone. Neither
method is faster everywhere, nor predictably so: on the bench's lists (``python -m bench.optimiser``,
docs/performance.md) the direct MILP proves 30-1,000 enterprises in 0.2-3 s where the search needs 5 s
to more than 10 s (its Lagrangian bound is loose on a short list: one enterprise is a large share of
the cost), and the search proves 2,000-10,000 in 1-3 s where the direct MILP has not closed its gap
after 10-60 s. So the method measured faster at the list's size (:data:`DIRECT_FIRST_LIMIT`) runs
first, for at most :data:`FIRST_BUDGET` seconds; a list on which it has not proved its plan by then
goes to the other method with the first one's plan as its incumbent (the search prunes against it,
the MILP starts from it), for the rest of the time limit. The answer is the better plan, with the
larger of the two proven bounds; :attr:`Plan.method`, :attr:`Plan.seconds` and :attr:`Plan.attempts`
say what ran, how long, and what each attempt proved.

Verified optimal against brute force on random small instances, each method and the escalation from
one to the other (tests/analytics/test_reduction.py).
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

__all__ = ["Attempt", "Choice", "Enterprise", "Option", "Plan", "optimise"]

ORDERED_CLASSES = ("B", "C", "D")


@dataclass(frozen=True)
class Option:
    name: str
    rank: int  # strictness, e.g. the removed share (%) of the enterprise's emissions: higher = stricter
    removal: dict[str, float]  # pollutant -> emissions removed (e.g. t/day)
    lost_output: float  # what the measure costs (output value, e.g. 10k yuan/day)


@dataclass(frozen=True)
class Enterprise:
    key: str
    industry: str
    performance_class: str  # A, B, C, D or another class of the industry
    options: tuple[Option, ...]
    fixed_option: str | None = None  # the only option allowed (exempt, or an A-class declaration)
    fixed_reason: str = ""

    def __post_init__(self) -> None:
        if not self.options:
            raise ValueError(f"{self.key}: no options")
        names = [o.name for o in self.options]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.key}: option names repeat")
        if self.fixed_option is not None and self.fixed_option not in names:
            raise ValueError(f"{self.key}: fixed option {self.fixed_option!r} is not one of {names}")
        if self.performance_class == "A" and self.fixed_option is None:
            raise ValueError(f"{self.key}: an A-class enterprise declares its own option (fixed_option)")


@dataclass(frozen=True)
class Choice:
    enterprise: str
    option: str
    removal: dict[str, float]
    lost_output: float
    reason: str


@dataclass(frozen=True)
class Attempt:
    """One method's run within :func:`optimise`: its status, seconds, the lost output of its best plan
    (``None``: it found none) and the lower bound it proved."""

    method: str
    status: str
    seconds: float
    lost_output: float | None
    bound: float


@dataclass
class Plan:
    status: str  # optimal, infeasible, or the solver's status
    choices: list[Choice] = field(default_factory=list)
    removal: dict[str, float] = field(default_factory=dict)
    lost_output: float = 0.0
    shortfall: dict[str, float] = field(default_factory=dict)  # when infeasible: what even the strictest plan misses
    bound: float = 0.0  # the proven least possible lost output
    gap: float = 0.0  # (lost_output - bound) / lost_output: 0 when proven optimal to the tolerance; inf: no plan
    method: str = ""  # what produced the plan: "direct", "search", or "direct, then search" (an escalation)
    seconds: float = 0.0  # the time spent in the methods
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def gap_proven(self) -> bool:
        """Whether a bound proves the plan within :attr:`gap` (not so when no plan was found in time)."""
        return self.gap != float("inf")


def _max_removal(enterprises: list[Enterprise], pollutants: list[str]) -> dict[str, float]:
    best = dict.fromkeys(pollutants, 0.0)
    for e in enterprises:
        allowed = [o for o in e.options if e.fixed_option in (None, o.name)]
        for p in pollutants:
            best[p] += max(o.removal.get(p, 0.0) for o in allowed)
    return best


def _ordinal_ranks(enterprises: list[Enterprise]) -> list[Enterprise]:
    """The enterprises with each option's rank replaced by its position among the distinct ranks of
    its industry (0 stays 0, no action; then 1, 2, ...). The class rule compares ranks within an industry by order only, so
    the plans are the same; but the class thresholds then take as few values as there are distinct
    ranks (a strictness in per cent would give them 101, and the direct model a row per value)."""
    ranks: dict[str, set[int]] = {}
    for e in enterprises:
        ranks.setdefault(e.industry, set()).update(o.rank for o in e.options)
    position = {industry: {r: i for i, r in enumerate(sorted(found | {0}))} for industry, found in ranks.items()}
    return [replace(e, options=tuple(replace(o, rank=position[e.industry][o.rank]) for o in e.options))
            for e in enterprises]


#: Up to this many enterprises the direct MILP runs first, above it the search: the crossover measured
#: on the bench's lists (bench/optimiser.py; docs/performance.md: direct 2.9 s against search 5.5 s at
#: 1,000; search 0.9 s against direct unproven after 10 s at 2,000).
DIRECT_FIRST_LIMIT = 1_500
#: Seconds the first method gets before the other is tried with its plan (the whole time limit when
#: shorter). Both methods prove the bench's lists within 3 s when they are the faster one at the
#: size; the slower one often not within 10 s.
FIRST_BUDGET = 4.0
METHODS = ("auto", "direct", "search")


def optimise(enterprises: list[Enterprise], targets: dict[str, float], time_limit: float = 60.0,
             mip_gap: float = 1e-4, method: str = "auto", first_budget: float | None = None) -> Plan:
    """The least-cost plan meeting every pollutant's ``targets``, or ``infeasible`` with the shortfall.

    ``mip_gap`` is the relative optimality tolerance (HiGHS's default, 1e-4): the plan's lost output
    is within that fraction of the proven lower bound (``Plan.bound``). When ``time_limit`` ends the
    search first, the best plan found comes back with its status and gap. ``method``: ``direct``
    (one MILP), ``search`` (:class:`_Search`) or ``auto``: the one measured faster at the list's size
    (:data:`DIRECT_FIRST_LIMIT`) for ``first_budget`` seconds (default :data:`FIRST_BUDGET`), then,
    unless it proved its plan, the other, starting from its plan, for the rest of ``time_limit``.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    started = time.perf_counter()
    pollutants = sorted(targets)
    enterprises = _ordinal_ranks(enterprises)
    ceiling = _max_removal(enterprises, pollutants)
    if any(ceiling[p] < targets[p] - 1e-9 for p in pollutants):
        return Plan("infeasible", shortfall={p: targets[p] - ceiling[p] for p in pollutants if ceiling[p] < targets[p]})
    space = _Space(enterprises, pollutants, targets)
    if any(not space.feasible_combos[g].any() for g in range(len(space.groups))):
        return Plan("infeasible")  # no class thresholds fit every enterprise's options
    if method == "auto":
        order = ("direct", "search") if len(enterprises) <= DIRECT_FIRST_LIMIT else ("search", "direct")
    else:
        order = (method,)
    deadline = started + time_limit
    budget = FIRST_BUDGET if first_budget is None else first_budget
    best, best_cost, bound, status, attempts = None, np.inf, -np.inf, "time limit reached", []
    for k, name in enumerate(order):
        begun = time.perf_counter()
        left = max(0.0, deadline - begun)
        until = begun + (left if k == len(order) - 1 else min(left, budget))
        if name == "direct":
            chosen, status, found = _direct(space, until - begun, mip_gap, start=best)
        else:
            chosen, status, found = _Search(space, until, mip_gap).run(incumbent=best)
        cost = float(space.cost[chosen].sum()) if chosen is not None else None
        attempts.append(Attempt(name, status, time.perf_counter() - begun, cost, float(found)))
        if cost is not None and cost < best_cost:
            best, best_cost = chosen, cost
        bound = max(bound, found)
        if status == "optimal":
            break
    ran = ", then ".join(a.method for a in attempts)
    seconds = time.perf_counter() - started
    if best is None:
        return Plan(status, bound=max(bound, 0.0), gap=np.inf, method=ran, seconds=seconds, attempts=attempts)
    plan = space.plan(best, status)
    plan.bound = min(bound, plan.lost_output)
    plan.gap = (plan.lost_output - plan.bound) / plan.lost_output if plan.lost_output > 0 else 0.0
    if status != "optimal" and plan.gap <= mip_gap:  # the other method's bound proves this one's plan
        plan.status = "optimal"
    plan.method, plan.seconds, plan.attempts = ran, seconds, attempts
    return plan


def _direct(space: _Space, time_limit: float, gap: float,
            start: np.ndarray | None = None) -> tuple[np.ndarray | None, str, float]:
    """The direct MILP within ``time_limit`` seconds, from the plan ``start`` (chosen row per
    enterprise) when given: (plan or None, status, proven lower bound)."""
    model = _DirectModel(space.enterprises, space.pollutants, dict(zip(space.pollutants, space.target, strict=True)))
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", max(0.0, float(time_limit)))
    solver.setOptionValue("mip_rel_gap", gap)
    solver.passModel(model.lp())
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(model.start(start))
        solution.value_valid = True
        solver.setSolution(solution)
    solver.run()
    status = solver.modelStatusToString(solver.getModelStatus()).lower()
    info = solver.getInfo()
    if info.primal_solution_status != 2:  # no feasible plan found within the time limit
        return None, status, -np.inf
    x = np.asarray(solver.getSolution().col_value[:model.n_x])
    return space.first_per_enterprise(np.flatnonzero(x > 0.5)), status, info.mip_dual_bound


class _DirectModel:
    """The whole problem as one MILP for HiGHS (the faster method on short lists,
    :data:`DIRECT_FIRST_LIMIT`): a binary x per allowed (enterprise, option), in the order of
    :class:`_Space`'s rows; binaries s[industry, boundary, r] meaning "the boundary's threshold is at
    least r" for the class rule.

    The class rule B <= C <= D holds iff two integer thresholds t_BC <= t_CD exist with every B rank <=
    t_BC <= every C rank <= t_CD <= every D rank. Writing "rank >= r" as the sum of the options of rank
    r or more, each enterprise gets one row per r: B: sum <= s[BC, r]; C: s[BC, r] <= sum <= s[CD, r];
    D: s[CD, r] <= sum. These variable bounds give a far tighter relaxation than bounding the
    enterprise's rank by a continuous per-class bound (the first formulation: 3,000 enterprises took
    19 s; bench/optimiser.py).
    """

    def __init__(self, enterprises: list[Enterprise], pollutants: list[str], targets: dict[str, float]) -> None:
        self.enterprises, self.pollutants = enterprises, pollutants
        self.col_owner: list[int] = []
        self.col_option: list[int] = []
        self.cost: list[float] = []
        self.integer: list[bool] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.entries: list[tuple[int, int, float]] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        #: per ordered industry: its members and its threshold binaries s[(boundary, r)] -> column
        self.thresholds: list[tuple[list[int], dict[tuple[str, int], int]]] = []
        first: dict[int, int] = {}
        for i, e in enumerate(enterprises):
            first[i] = len(self.col_owner)
            for j, o in enumerate(e.options):
                if e.fixed_option in (None, o.name):
                    self._column(o.lost_output, owner=i, option=j)
        self.n_x = len(self.col_owner)
        for i in range(len(enterprises)):  # exactly one option each
            r = self._row(1.0, 1.0)
            self.entries.extend((r, c, 1.0) for c in self._columns_of(i, first))
        for p in pollutants:  # every pollutant's target
            r = self._row(targets[p], highspy.kHighsInf)
            self.entries.extend((r, c, v) for c in range(self.n_x)
                                if (v := self._option(c).removal.get(p, 0.0)))
        self._class_rule(first)

    def _column(self, cost: float, owner: int = -1, option: int = -1) -> int:
        self.col_owner.append(owner)
        self.col_option.append(option)
        self.cost.append(cost)
        self.lower.append(0.0)
        self.upper.append(1.0)
        return len(self.col_owner) - 1

    def _row(self, lower: float, upper: float) -> int:
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        return len(self.row_lower) - 1

    def _option(self, column: int) -> Option:
        return self.enterprises[self.col_owner[column]].options[self.col_option[column]]

    def _columns_of(self, i: int, first: dict[int, int]) -> range:
        end = first[i + 1] if i + 1 in first else self.n_x
        return range(first[i], end)

    def _class_rule(self, first: dict[int, int]) -> None:
        by_industry: dict[str, list[int]] = {}
        for i, e in enumerate(self.enterprises):
            # exempt and A-class enterprises stand outside the ordering (found by the property test)
            if e.fixed_option is None and e.performance_class in ORDERED_CLASSES:
                by_industry.setdefault(e.industry, []).append(i)
        for members in by_industry.values():
            if len({self.enterprises[i].performance_class for i in members}) < 2:
                continue
            top = max(o.rank for i in members for o in self.enterprises[i].options)
            s = {(b, r): self._column(0.0) for b in ("BC", "CD") for r in range(1, top + 1)}
            self.thresholds.append((members, s))
            for r in range(1, top + 1):
                self._difference(s[("BC", r)], s[("CD", r)])  # t_BC <= t_CD
                if r > 1:  # "t >= r" implies "t >= r - 1"
                    self._difference(s[("BC", r)], s[("BC", r - 1)])
                    self._difference(s[("CD", r)], s[("CD", r - 1)])
            for i in members:
                cls = self.enterprises[i].performance_class
                for r in range(1, top + 1):
                    at_least = [c for c in self._columns_of(i, first) if self._option(c).rank >= r]
                    if cls in ("B", "C"):  # rank <= t_BC (B) or rank <= t_CD (C)
                        row = self._row(-highspy.kHighsInf, 0.0)
                        self.entries.extend((row, c, 1.0) for c in at_least)
                        self.entries.append((row, s[("BC" if cls == "B" else "CD", r)], -1.0))
                    if cls in ("C", "D"):  # rank >= t_BC (C) or rank >= t_CD (D)
                        row = self._row(-highspy.kHighsInf, 0.0)
                        self.entries.extend((row, c, -1.0) for c in at_least)
                        self.entries.append((row, s[("BC" if cls == "C" else "CD", r)], 1.0))

    def start(self, chosen: np.ndarray) -> np.ndarray:
        """Every column's value for the plan ``chosen`` (an option row of :class:`_Space` per
        enterprise, which are the x columns): the thresholds at t_BC = the highest B rank taken,
        t_CD = the highest B or C rank, which a plan keeping B <= C <= D satisfies."""
        values = np.zeros(len(self.col_owner))
        values[chosen] = 1.0
        for members, s in self.thresholds:
            taken = {cls: [self._option(int(chosen[i])).rank for i in members
                           if self.enterprises[i].performance_class == cls] for cls in ORDERED_CLASSES}
            t_bc = max(taken["B"], default=0)
            t_cd = max([t_bc, *taken["C"]])
            for (boundary, r), column in s.items():
                values[column] = float((t_bc if boundary == "BC" else t_cd) >= r)
        return values

    def _difference(self, smaller: int, larger: int) -> None:
        row = self._row(-highspy.kHighsInf, 0.0)
        self.entries.extend(((row, smaller, 1.0), (row, larger, -1.0)))

    def lp(self) -> highspy.HighsLp:
        entries = sorted(self.entries, key=lambda t: (t[1], t[0]))
        cols = np.fromiter((t[1] for t in entries), dtype=np.int64, count=len(entries))
        n_cols = len(self.col_owner)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_cols, len(self.row_lower)
        lp.col_cost_ = np.asarray(self.cost)
        lp.col_lower_, lp.col_upper_ = np.asarray(self.lower), np.asarray(self.upper)
        lp.row_lower_, lp.row_upper_ = np.asarray(self.row_lower), np.asarray(self.row_upper)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.searchsorted(cols, np.arange(n_cols + 1))
        lp.a_matrix_.index_ = np.fromiter((t[0] for t in entries), dtype=np.int32, count=len(entries))
        lp.a_matrix_.value_ = np.fromiter((t[2] for t in entries), dtype=np.float64, count=len(entries))
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols
        return lp


class _Space:
    """The options as arrays, one row per allowed option, grouped by enterprise, and the class rule as
    *combos*: an industry whose free enterprises span two or more of B, C, D (a *group*) takes two
    integer thresholds t_BC <= t_CD, and then every B rank <= t_BC <= every C rank <= t_CD <= every D
    rank, which is exactly B <= C <= D. ``allowed[k, j]``: option j may be taken under combo k."""

    def __init__(self, enterprises: list[Enterprise], pollutants: list[str], targets: dict[str, float]) -> None:
        self.enterprises, self.pollutants = enterprises, pollutants
        self.target = np.asarray([targets[p] for p in pollutants], dtype=float)
        owner, option, rank, cost, removal = [], [], [], [], []
        for i, e in enumerate(enterprises):
            for j, o in enumerate(e.options):
                if e.fixed_option in (None, o.name):
                    owner.append(i)
                    option.append(j)
                    rank.append(o.rank)
                    cost.append(o.lost_output)
                    removal.append([o.removal.get(p, 0.0) for p in pollutants])
        self.n = len(enterprises)
        # int arrays even when empty (a list with no enterprises): they index other arrays
        self.owner, self.option = np.asarray(owner, dtype=int), np.asarray(option, dtype=int)
        self.rank, self.cost = np.asarray(rank, dtype=int), np.asarray(cost, dtype=float)
        self.removal = np.asarray(removal, dtype=float).reshape(len(owner), len(pollutants))
        self.starts = np.searchsorted(self.owner, np.arange(self.n))
        classes: dict[str, set[str]] = {}
        for e in enterprises:
            if e.fixed_option is None and e.performance_class in ORDERED_CLASSES:
                classes.setdefault(e.industry, set()).add(e.performance_class)
        self.groups = sorted(industry for industry, found in classes.items() if len(found) >= 2)
        index = {industry: g for g, industry in enumerate(self.groups)}
        self.group = np.asarray([index.get(e.industry, -1) if e.fixed_option is None
                                 and e.performance_class in ORDERED_CLASSES else -1 for e in enterprises], dtype=int)
        top = int(self.rank.max()) if len(self.rank) else 0
        self.combos = [(a, b) for a in range(top + 1) for b in range(a, top + 1)]
        cls = np.asarray([ORDERED_CLASSES.index(e.performance_class) if self.group[i] >= 0 else -1
                          for i, e in enumerate(enterprises)], dtype=int)[self.owner]  # int even when empty
        lo = np.zeros((len(self.combos), len(owner)))
        hi = np.full((len(self.combos), len(owner)), float(top))
        for k, (t_bc, t_cd) in enumerate(self.combos):
            hi[k, cls == 0] = t_bc
            lo[k, cls == 1], hi[k, cls == 1] = t_bc, t_cd
            lo[k, cls == 2] = t_cd
        self.allowed = (self.rank >= lo) & (self.rank <= hi)
        has_option = np.logical_or.reduceat(self.allowed, self.starts, axis=1) if self.n else self.allowed
        self.feasible_combos = np.asarray([has_option[:, self.group == g].all(axis=1) for g in range(len(self.groups))])

    def mask(self, combo: np.ndarray) -> np.ndarray:
        """Options allowed when group g takes combo ``combo[g]``."""
        if not len(self.groups):
            return np.ones(len(self.owner), dtype=bool)
        group = self.group[self.owner]
        return np.where(group >= 0, self.allowed[combo[np.maximum(group, 0)], np.arange(len(self.owner))], True)

    def first_per_enterprise(self, rows: np.ndarray) -> np.ndarray:
        """From option rows (ascending), the first of each enterprise, as chosen[enterprise]."""
        chosen = np.full(self.n, -1)
        keep = np.r_[True, self.owner[rows][1:] != self.owner[rows][:-1]] if len(rows) else np.zeros(0, bool)
        chosen[self.owner[rows[keep]]] = rows[keep]
        return chosen

    def plan(self, chosen: np.ndarray, status: str) -> Plan:
        plan = Plan(status, removal=dict.fromkeys(self.pollutants, 0.0))
        for i, e in enumerate(self.enterprises):
            option = e.options[int(self.option[chosen[i]])]
            if e.fixed_option is not None:
                reason = e.fixed_reason or ("A-class: its own declared measures" if e.performance_class == "A" else "fixed")
            elif option.rank == 0:
                reason = "no action needed: the targets are met more cheaply elsewhere"
            else:
                reason = (f"chosen at the least lost output for the targets (class {e.performance_class} in "
                          f"{e.industry}, within the B <= C <= D rule)")
            plan.choices.append(Choice(e.key, option.name, dict(option.removal), option.lost_output, reason))
            plan.lost_output += option.lost_output
            for p in self.pollutants:
                plan.removal[p] += option.removal.get(p, 0.0)
        return plan


def _kelley(evaluate, target: np.ndarray, cap: np.ndarray, deadline: float, iterations: int = 300):
    """Maximise the concave Lagrangian function ``evaluate(prices) -> (value, removal of its choice)``
    over prices in [0, cap] with Kelley's cutting planes (an LP in the prices). Returns the best
    value and prices."""
    P = len(target)
    prices, best, best_prices = np.zeros(P), -np.inf, np.zeros(P)
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    for _ in range(iterations):
        value, removed = evaluate(prices)
        if value > best:
            best, best_prices = value, prices.copy()
        gradient = target - removed
        rows.append(np.append(-gradient, 1.0))  # z <= value + gradient . (lambda - prices)
        rhs.append(value - float(gradient @ prices))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = P + 1, len(rows)
        lp.col_cost_ = np.append(np.zeros(P), -1.0)
        lp.col_lower_ = np.append(np.zeros(P), -highspy.kHighsInf)
        lp.col_upper_ = np.append(cap, highspy.kHighsInf)
        lp.row_lower_, lp.row_upper_ = np.full(len(rows), -highspy.kHighsInf), np.asarray(rhs)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.arange(0, len(rows) * (P + 1) + 1, P + 1)
        lp.a_matrix_.index_ = np.tile(np.arange(P + 1), len(rows)).astype(np.int32)
        lp.a_matrix_.value_ = np.concatenate(rows)
        solver.clearModel()
        solver.passModel(lp)
        solver.run()
        solution = np.asarray(solver.getSolution().col_value)
        prices, ceiling = np.clip(solution[:P], 0.0, cap), solution[P]
        if ceiling - best <= 1e-10 * max(1.0, abs(best)) or time.perf_counter() > deadline:
            break
    return best, best_prices


class _Search:
    """Exact search over the groups' combos with Lagrangian bounds.

    The targets' rows move into the objective with prices lambda >= 0: for any plan,
    cost >= L(lambda) = lambda . T + sum over enterprises of min (cost - lambda . removal), the
    minimum taken over what the plan's combos allow. At the root (combos free) this bound is tight
    (the rule couples enterprises only within an industry); a combo vector's bound at the root prices
    costs nothing to evaluate, so combo vectors are enumerated best bound first and pruned against
    the best plan. Each combo vector left is a multiple-choice problem with four target rows
    (:meth:`leaf`): its own prices, a small core MILP on the enterprises whose options are nearly
    tied, and reduced-cost fixing to prove it.
    """

    CORE = 120

    def __init__(self, space: _Space, deadline: float, gap: float) -> None:
        self.s, self.deadline, self.gap = space, deadline, gap
        self.tolerance = 0.0
        self.cap = np.full(len(space.pollutants), (float(space.cost.sum()) or 1.0)) / np.maximum(space.target, 1e-9)

    def _adjusted(self, prices: np.ndarray) -> np.ndarray:
        return self.s.cost - self.s.removal @ prices

    def _root_terms(self, prices: np.ndarray):
        """Per group and combo, the sum over members of their best allowed adjusted cost; and the
        ungrouped enterprises' sum."""
        s = self.s
        adjusted = self._adjusted(prices)
        grouped = s.group[s.owner] >= 0
        ungrouped = np.minimum.reduceat(np.where(grouped, np.inf, adjusted), s.starts)
        fixed_part = float(prices @ s.target) + float(ungrouped[s.group < 0].sum())
        values = np.full((len(s.groups), len(s.combos)), np.inf)
        if len(s.groups):
            per_combo = np.minimum.reduceat(np.where(s.allowed, adjusted[None, :], np.inf), s.starts, axis=1)
            for g in range(len(s.groups)):
                values[g] = per_combo[:, s.group == g].sum(axis=1)
            values[~s.feasible_combos] = np.inf
        return fixed_part, values, adjusted

    def _root_evaluate(self, prices: np.ndarray):
        s = self.s
        fixed_part, values, adjusted = self._root_terms(prices)
        combo = values.argmin(axis=1) if len(s.groups) else np.zeros(0, dtype=int)
        value = fixed_part + (float(values.min(axis=1).sum()) if len(s.groups) else 0.0)
        return value, self._choice_removal(adjusted, s.mask(combo))

    def _choice_removal(self, adjusted: np.ndarray, mask: np.ndarray) -> np.ndarray:
        s = self.s
        masked = np.where(mask, adjusted, np.inf)
        best = np.minimum.reduceat(masked, s.starts)
        chosen = s.first_per_enterprise(np.flatnonzero(masked <= best[s.owner]))
        return s.removal[chosen].sum(axis=0)

    def run(self, incumbent: np.ndarray | None = None) -> tuple[np.ndarray | None, str, float]:
        """(best plan or None, status, proven lower bound); ``incumbent``, a plan found already (by the
        direct MILP), is what combo vectors are pruned against from the start."""
        s = self.s
        root, prices = _kelley(self._root_evaluate, s.target, self.cap, self.deadline)
        self.tolerance = 0.5 * self.gap * max(root, 0.0)
        fixed_part, values, _adjusted = self._root_terms(prices)
        best_cost = np.inf if incumbent is None else float(s.cost[incumbent].sum())
        if not len(s.groups):
            chosen, bound, exact = self.leaf(np.zeros(0, dtype=int), best_cost)
            if incumbent is not None and (chosen is None or s.cost[chosen].sum() >= best_cost):
                chosen = incumbent  # the leaf found nothing cheaper (or proved the incumbent)
            return chosen, "optimal" if exact and chosen is not None else "time limit reached", min(bound, best_cost)
        order = np.argsort(values, axis=1)  # per group, combos from the best bound
        ranked = np.take_along_axis(values, order, axis=1)
        base = fixed_part + float(ranked[:, 0].sum())
        best_plan, unproven = incumbent, np.inf
        start = tuple([0] * len(s.groups))
        heap, seen = [(base, start)], {start}
        while heap:
            bound, position = heapq.heappop(heap)
            if bound >= best_cost * (1 - self.gap) or not np.isfinite(bound):
                heap.append((bound, position))
                break
            if time.perf_counter() > self.deadline:
                heap.append((bound, position))
                break
            combo = np.asarray([order[g][r] for g, r in enumerate(position)])
            chosen, leaf_bound, exact = self.leaf(combo, best_cost)
            if chosen is not None and s.cost[chosen].sum() < best_cost:
                best_cost, best_plan = float(s.cost[chosen].sum()), chosen
            if not exact:
                unproven = min(unproven, leaf_bound)
            for g in range(len(s.groups)):
                child = list(position)
                child[g] += 1
                child = tuple(child)
                if child[g] < len(s.combos) and child not in seen:
                    seen.add(child)
                    heapq.heappush(heap, (bound - ranked[g][position[g]] + ranked[g][child[g]], child))
        remaining = min((b for b, _p in heap), default=np.inf)
        bound = min(remaining, unproven, best_cost)
        proven = best_plan is not None and bound >= best_cost * (1 - self.gap) - 1e-9
        return best_plan, "optimal" if proven else "time limit reached", max(bound, min(root, best_cost))

    def leaf(self, combo: np.ndarray, incumbent: float = np.inf) -> tuple[np.ndarray | None, float, bool]:
        """The best plan under fixed combos: (plan or None, lower bound, proven within the gap)."""
        s = self.s
        mask = s.mask(combo)

        def evaluate(prices):
            adjusted = self._adjusted(prices)
            best = np.minimum.reduceat(np.where(mask, adjusted, np.inf), s.starts)
            return float(prices @ s.target) + float(best.sum()), self._choice_removal(adjusted, mask)

        bound, prices = _kelley(evaluate, s.target, self.cap, self.deadline)
        if bound >= incumbent * (1 - self.gap):
            return None, bound, True
        adjusted = np.where(mask, self._adjusted(prices), np.inf)
        best = np.minimum.reduceat(adjusted, s.starts)
        reduced = adjusted - best[s.owner]
        chosen = s.first_per_enterprise(np.flatnonzero(reduced <= 0))
        others = np.where(np.arange(len(s.owner)) == chosen[s.owner], np.inf, reduced)
        second = np.minimum.reduceat(others, s.starts)
        size = self.CORE
        while True:
            core = np.argsort(second)[:size]
            plan = self._core_milp(chosen, np.isin(s.owner, core) & mask)
            if plan is not None or size >= s.n:
                break
            size *= 4
        if plan is None:
            return None, np.inf, True
        cost = float(s.cost[plan].sum())
        if cost - bound <= self.gap * cost:
            return plan, bound, True
        survivors = mask & (reduced <= cost - bound + 1e-9 * max(1.0, cost))  # reduced-cost fixing
        exact = self._core_milp(plan, survivors, start=plan)
        if exact is None:
            return plan, bound, False
        return exact, bound, time.perf_counter() <= self.deadline

    def _core_milp(self, chosen: np.ndarray, free: np.ndarray, start: np.ndarray | None = None) -> np.ndarray | None:
        """Re-choose the options of enterprises with two or more ``free`` options (the others keep
        ``chosen``) at least cost; ``None`` when the targets cannot be met so."""
        s = self.s
        counts = np.bincount(s.owner[free], minlength=s.n)
        columns = np.flatnonzero(free & (counts[s.owner] >= 2))
        movable = np.zeros(s.n, dtype=bool)
        movable[s.owner[columns]] = True
        kept = chosen[~movable]
        need = s.target - s.removal[kept].sum(axis=0)
        if not len(columns):
            return chosen if (need <= 1e-9 * np.maximum(s.target, 1.0)).all() else None
        members = np.unique(s.owner[columns])
        position = np.searchsorted(members, s.owner[columns])
        P = len(s.pollutants)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(columns), len(members) + P
        lp.col_cost_ = s.cost[columns]
        lp.col_lower_, lp.col_upper_ = np.zeros(len(columns)), np.ones(len(columns))
        lp.row_lower_ = np.concatenate([np.ones(len(members)), need])
        lp.row_upper_ = np.concatenate([np.ones(len(members)), np.full(P, highspy.kHighsInf)])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.arange(0, len(columns) * (P + 1) + 1, P + 1)
        lp.a_matrix_.index_ = np.column_stack([position, np.tile(len(members) + np.arange(P), (len(columns), 1))]
                                              ).ravel().astype(np.int32)
        lp.a_matrix_.value_ = np.column_stack([np.ones(len(columns)), s.removal[columns]]).ravel()
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(columns)
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        solver.setOptionValue("mip_rel_gap", 0.0)
        solver.setOptionValue("mip_abs_gap", self.tolerance)  # a share of the whole plan's gap, not the core's
        solver.setOptionValue("time_limit", max(0.05, self.deadline - time.perf_counter()))
        solver.passModel(lp)
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = list((start[s.owner[columns]] == columns).astype(float))
            solution.value_valid = True
            solver.setSolution(solution)
        solver.run()
        if solver.getInfo().primal_solution_status != 2:
            return None
        x = np.asarray(solver.getSolution().col_value)
        plan = chosen.copy()
        picked = columns[x > 0.5]
        plan[s.owner[picked]] = picked
        return plan
