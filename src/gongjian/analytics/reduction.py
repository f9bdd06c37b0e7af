"""Proposing emergency reduction measures with the least lost output (a mixed-integer programme).

For one warning level: every enterprise takes exactly one of its options (no action, load limits,
stopping lines, stopping; each with the emissions it removes and the output it costs), so that every
pollutant's removal reaches its target (the level's share of whole-society emissions), at the least
total lost output. Rules, from the key-industry guideline (环办大气函〔2019〕648号, outline in
shared/standards/air-quality.md §6) and the plans:

* an exempt enterprise (livelihood guarantee 民生保障, strategic) keeps its exempt option only;
* an A-class enterprise decides its own measures: it keeps its declared option only;
* within an industry, B-class measures are no stricter than C-class ones, C no stricter than D
  (strictness = the option's ``rank``): with per-class bounds u_k, l_k, every class-k enterprise has
  l_k <= rank <= u_k, and u_B <= l_C, u_C <= l_D, which is linear in the number of enterprises.

Solved with HiGHS (``highspy``); every choice comes with its reason. Verified optimal against brute
force on random small instances (tests/analytics/test_reduction.py).

When the time limit ends the search first, the best plan found is returned with its status, the
proven lower bound and the gap between them, so an office sees how far from the best it can be.
Scaling, measured (``python -m bench.optimiser``): the threshold formulation below proves optimality
for 3,000 enterprises x 4 options in about 15 s (the first formulation, continuous per-class rank
bounds: 35 s); at 10,000 the class rule couples whole industries and HiGHS does not close the gap
within the issue's 5 s (figures in the bench's output).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np

__all__ = ["Choice", "Enterprise", "Option", "Plan", "optimise"]

ORDERED_CLASSES = ("B", "C", "D")


@dataclass(frozen=True)
class Option:
    name: str
    rank: int  # strictness: 0 = no action, higher = stricter
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


@dataclass
class Plan:
    status: str  # optimal, infeasible, or the solver's status
    choices: list[Choice] = field(default_factory=list)
    removal: dict[str, float] = field(default_factory=dict)
    lost_output: float = 0.0
    shortfall: dict[str, float] = field(default_factory=dict)  # when infeasible: what even the strictest plan misses
    bound: float = 0.0  # the proven least possible lost output
    gap: float = 0.0  # (lost_output - bound) / lost_output: 0 when proven optimal to the tolerance


def _max_removal(enterprises: list[Enterprise], pollutants: list[str]) -> dict[str, float]:
    best = dict.fromkeys(pollutants, 0.0)
    for e in enterprises:
        allowed = [o for o in e.options if e.fixed_option in (None, o.name)]
        for p in pollutants:
            best[p] += max(o.removal.get(p, 0.0) for o in allowed)
    return best


def optimise(enterprises: list[Enterprise], targets: dict[str, float], time_limit: float = 60.0,
             mip_gap: float = 1e-4) -> Plan:
    """The least-cost plan meeting every pollutant's ``targets``, or ``infeasible`` with the shortfall.

    ``mip_gap`` is the relative optimality tolerance (HiGHS's default, 1e-4): the plan's lost output is
    within that fraction of the proven lower bound.
    """
    pollutants = sorted(targets)
    ceiling = _max_removal(enterprises, pollutants)
    if any(ceiling[p] < targets[p] - 1e-9 for p in pollutants):
        return Plan("infeasible", shortfall={p: targets[p] - ceiling[p] for p in pollutants if ceiling[p] < targets[p]})
    model = _Model(enterprises, pollutants, targets)
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", float(time_limit))
    solver.setOptionValue("mip_rel_gap", mip_gap)
    solver.passModel(model.lp())
    solver.run()
    status = solver.modelStatusToString(solver.getModelStatus()).lower()
    info = solver.getInfo()
    if info.primal_solution_status != 2:  # no feasible plan found within the time limit
        return Plan(status)
    plan = model.plan(np.asarray(solver.getSolution().col_value), status)
    plan.bound, plan.gap = info.mip_dual_bound, max(0.0, info.mip_gap)
    return plan


class _Model:
    """The MILP: a binary x per allowed (enterprise, option); binaries s[industry, boundary, r] meaning
    "the boundary's threshold is at least r" for the class rule.

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

    def plan(self, values: np.ndarray, status: str) -> Plan:
        plan = Plan(status, removal=dict.fromkeys(self.pollutants, 0.0))
        chosen = {self.col_owner[c]: self.col_option[c] for c in range(self.n_x) if values[c] > 0.5}
        for i, e in enumerate(self.enterprises):
            option = e.options[chosen[i]]
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
