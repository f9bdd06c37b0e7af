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

Known limit, measured (bench/optimiser.py, 2-core machine): with the class-ordering rows this
formulation is weak for branch and bound. 3,000 enterprises x 4 options take 19 s to prove
optimality; at 10,000, HiGHS finds no incumbent within 20 s even at a 1 % gap (without the ordering
rows, 17 s). The emergency issue's goal (10,000 in under 5 s) needs a stronger formulation, e.g.
per-industry threshold binaries for the class rule, or dominance pre-processing of the options.
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


def _max_removal(enterprises: list[Enterprise], pollutants: list[str]) -> dict[str, float]:
    best = dict.fromkeys(pollutants, 0.0)
    for e in enterprises:
        allowed = [o for o in e.options if e.fixed_option in (None, o.name)]
        for p in pollutants:
            best[p] += max(o.removal.get(p, 0.0) for o in allowed)
    return best


def optimise(enterprises: list[Enterprise], targets: dict[str, float], time_limit: float = 60.0,
             mip_gap: float = 1e-4) -> Plan:
    """The least-cost plan meeting every pollutant's ``targets``, or ``infeasible`` with the shortfall."""
    pollutants = sorted(targets)
    ceiling = _max_removal(enterprises, pollutants)
    if any(ceiling[p] < targets[p] - 1e-9 for p in pollutants):
        return Plan("infeasible", shortfall={p: targets[p] - ceiling[p] for p in pollutants if ceiling[p] < targets[p]})

    # columns: one binary per (enterprise, option), then the class bounds u, l per (industry, class)
    owner, ranks, costs, upper = [], [], [], []
    removal = {p: [] for p in pollutants}
    for i, e in enumerate(enterprises):
        for o in e.options:
            owner.append(i)
            ranks.append(o.rank)
            costs.append(o.lost_output)
            upper.append(1.0 if e.fixed_option in (None, o.name) else 0.0)
            for p in pollutants:
                removal[p].append(o.removal.get(p, 0.0))
    n_x = len(owner)
    groups = sorted({(e.industry, e.performance_class) for e in enterprises
                     if e.performance_class in ORDERED_CLASSES and e.fixed_option is None})
    bound_col = {}
    for g in groups:
        bound_col[("u", g)] = n_x + len(bound_col)
        bound_col[("l", g)] = n_x + len(bound_col)
    n_cols = n_x + len(bound_col)
    max_rank = float(max(ranks)) if ranks else 0.0

    rows_lower, rows_upper = [], []
    entries: list[tuple[int, int, float]] = []  # (row, col, value)

    def row(lower: float, upper_: float) -> int:
        rows_lower.append(lower)
        rows_upper.append(upper_)
        return len(rows_lower) - 1

    owner_arr = np.asarray(owner)
    starts = np.searchsorted(owner_arr, np.arange(len(enterprises)))
    ends = np.append(starts[1:], n_x)
    for i in range(len(enterprises)):  # exactly one option each
        r = row(1.0, 1.0)
        entries.extend((r, c, 1.0) for c in range(starts[i], ends[i]))
    for p in pollutants:  # every pollutant's target
        r = row(targets[p], highspy.kHighsInf)
        entries.extend((r, c, v) for c, v in enumerate(removal[p]) if v)
    for i, e in enumerate(enterprises):  # class bounds: l_k <= rank <= u_k
        g = (e.industry, e.performance_class)
        if e.fixed_option is not None or g not in groups:
            continue  # exempt and A-class enterprises stand outside the ordering (found by the property test)
        for bound, lower, upper_ in (("u", -highspy.kHighsInf, 0.0), ("l", 0.0, highspy.kHighsInf)):
            r = row(lower, upper_)
            entries.extend((r, c, float(ranks[c])) for c in range(starts[i], ends[i]) if ranks[c])
            entries.append((r, bound_col[(bound, g)], -1.0))
    industries = sorted({g[0] for g in groups})
    for industry in industries:  # u_B <= l_C, u_C <= l_D (when both classes occur)
        present = [k for k in ORDERED_CLASSES if (industry, k) in groups]
        for lighter, stricter in zip(present, present[1:], strict=False):
            r = row(-highspy.kHighsInf, 0.0)
            entries.append((r, bound_col[("u", (industry, lighter))], 1.0))
            entries.append((r, bound_col[("l", (industry, stricter))], -1.0))

    order = sorted(range(len(entries)), key=lambda k: (entries[k][1], entries[k][0]))
    cols = np.fromiter((entries[k][1] for k in order), dtype=np.int64, count=len(entries))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, len(rows_lower)
    lp.col_cost_ = np.asarray(costs + [0.0] * len(bound_col))
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.asarray(upper + [max_rank] * len(bound_col))
    lp.row_lower_, lp.row_upper_ = np.asarray(rows_lower), np.asarray(rows_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(cols, np.arange(n_cols + 1))
    lp.a_matrix_.index_ = np.fromiter((entries[k][0] for k in order), dtype=np.int32, count=len(entries))
    lp.a_matrix_.value_ = np.fromiter((entries[k][2] for k in order), dtype=np.float64, count=len(entries))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_x + [highspy.HighsVarType.kContinuous] * len(bound_col)
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", float(time_limit))
    solver.setOptionValue("mip_rel_gap", mip_gap)
    solver.passModel(lp)
    solver.run()
    status = solver.modelStatusToString(solver.getModelStatus()).lower()
    if status != "optimal":
        return Plan(status)
    x = np.asarray(solver.getSolution().col_value[:n_x])
    plan = Plan("optimal", removal=dict.fromkeys(pollutants, 0.0))
    for i, e in enumerate(enterprises):
        j = starts[i] + int(np.argmax(x[starts[i]:ends[i]]))
        option = e.options[j - starts[i]]
        if e.fixed_option is not None:
            reason = e.fixed_reason or ("A-class: its own declared measures" if e.performance_class == "A" else "fixed")
        elif option.rank == 0:
            reason = "no action needed: the targets are met more cheaply elsewhere"
        else:
            reason = (f"chosen at the least lost output for the targets (class {e.performance_class} in {e.industry}, "
                      f"within the B <= C <= D rule)")
        plan.choices.append(Choice(e.key, option.name, dict(option.removal), option.lost_output, reason))
        plan.lost_output += option.lost_output
        for p in pollutants:
            plan.removal[p] += option.removal.get(p, 0.0)
    return plan
