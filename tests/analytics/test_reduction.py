"""The measure optimiser: optimal against brute force, and never breaking an exemption or class rule."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjian.analytics.reduction import Enterprise, Option, optimise

POLLUTANTS = ("so2", "nox", "pm", "vocs")


def options(scale: float, vocs: float = 0.0):
    return (Option("none", 0, {}, 0.0),
            Option("limit", 1, {"so2": 0.3 * scale, "nox": 0.5 * scale, "pm": 1.0 * scale, "vocs": vocs}, 2.0 * scale),
            Option("lines", 2, {"so2": 0.7 * scale, "nox": 1.2 * scale, "pm": 2.0 * scale, "vocs": 2 * vocs}, 5.0 * scale),
            Option("stop", 3, {"so2": 1.0 * scale, "nox": 2.0 * scale, "pm": 3.0 * scale, "vocs": 3 * vocs}, 9.0 * scale))


def rules_hold(enterprises, chosen: dict[str, str]) -> bool:
    by_key = {e.key: e for e in enterprises}
    rank = {k: next(o.rank for o in by_key[k].options if o.name == name) for k, name in chosen.items()}
    for e in enterprises:
        if e.fixed_option is not None and chosen[e.key] != e.fixed_option:
            return False
    for industry in {e.industry for e in enterprises}:
        free = [e for e in enterprises if e.industry == industry and e.fixed_option is None]
        for lighter, stricter in (("B", "C"), ("C", "D"), ("B", "D")):
            light = [rank[e.key] for e in free if e.performance_class == lighter]
            strict = [rank[e.key] for e in free if e.performance_class == stricter]
            if light and strict and max(light) > min(strict):
                return False
    return True


def brute_force(enterprises, targets):
    best = None
    for combo in itertools.product(*[e.options for e in enterprises]):
        totals = {p: sum(o.removal.get(p, 0.0) for o in combo) for p in targets}
        if any(totals[p] < targets[p] - 1e-9 for p in targets):
            continue
        chosen = {e.key: o.name for e, o in zip(enterprises, combo, strict=True)}
        if not rules_hold(enterprises, chosen):
            continue
        cost = sum(o.lost_output for o in combo)
        if best is None or cost < best - 1e-9:
            best = cost
    return best


enterprise = st.builds(
    lambda i, industry, cls, scale, exempt: Enterprise(
        f"e{i}", industry, cls, options(scale, vocs=scale if industry == "coating" else 0.0),
        fixed_option=("limit" if cls == "A" else "none" if exempt else None),
        fixed_reason="民生保障" if exempt else ""),
    st.integers(0, 10**6), st.sampled_from(["cement", "coating"]), st.sampled_from(["A", "B", "C", "D"]),
    st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0]), st.booleans())


@pytest.mark.parametrize("method", ["direct", "search"])
@settings(max_examples=40, deadline=None)
@given(st.lists(enterprise, min_size=2, max_size=5, unique_by=lambda e: e.key),
       st.floats(0.05, 0.7), st.floats(0.05, 0.7))
def test_optimal_and_rule_abiding_against_brute_force(method, enterprises, pm_share, nox_share):
    ceiling = {p: sum(max(o.removal.get(p, 0) for o in e.options) for e in enterprises) for p in ("pm", "nox")}
    targets = {"pm": pm_share * ceiling["pm"], "nox": nox_share * ceiling["nox"]}
    plan = optimise(enterprises, targets, method=method)
    expected = brute_force(enterprises, targets)
    if expected is None:
        assert plan.status != "optimal"
        return
    assert plan.status == "optimal"
    assert abs(plan.lost_output - expected) < 1e-6
    chosen = {c.enterprise: c.option for c in plan.choices}
    assert rules_hold(enterprises, chosen)
    for p, target in targets.items():
        assert plan.removal[p] >= target - 1e-6


def percent_options(scale: float, line_rank: int):
    """Options ranked as the list ranks them, by the removed share (%) of the enterprise's emissions:
    limit to 70 % removes 30, stop 100, and stopping a line whatever share that line emits."""
    return (Option("none", 0, {}, 0.0),
            Option("limit", 30, {"so2": 0.3 * scale, "nox": 0.5 * scale, "pm": 1.0 * scale}, 2.0 * scale),
            Option("lines", line_rank, {"so2": 0.7 * scale, "nox": 1.2 * scale, "pm": 2.0 * scale}, 5.0 * scale),
            Option("stop", 100, {"so2": 1.0 * scale, "nox": 2.0 * scale, "pm": 3.0 * scale}, 9.0 * scale))


percent_enterprise = st.builds(
    lambda i, cls, scale, line_rank: Enterprise(f"e{i}", "cement", cls, percent_options(scale, line_rank)),
    st.integers(0, 10**6), st.sampled_from(["B", "C", "D"]), st.sampled_from([0.5, 1.0, 2.0]), st.integers(1, 99))


@pytest.mark.parametrize("method", ["direct", "search"])
@settings(max_examples=40, deadline=None)
@given(st.lists(percent_enterprise, min_size=2, max_size=5, unique_by=lambda e: e.key), st.floats(0.05, 0.7))
def test_ranks_in_per_cent_differing_per_enterprise_keep_the_class_rule_and_the_optimum(method, enterprises, share):
    """A stopped line ranks by what it removes (1-99 %, below or above a limit's 30 %): the optimiser
    reads only the ranks' order within the industry, and stays optimal and rule-abiding."""
    targets = {"pm": share * sum(max(o.removal.get("pm", 0) for o in e.options) for e in enterprises)}
    plan = optimise(enterprises, targets, method=method)
    expected = brute_force(enterprises, targets)
    if expected is None:
        assert plan.status != "optimal"
        return
    assert plan.status == "optimal" and abs(plan.lost_output - expected) < 1e-6
    assert rules_hold(enterprises, {c.enterprise: c.option for c in plan.choices})


def test_exemptions_and_a_class_are_kept_with_their_reason():
    enterprises = [Enterprise("heat", "power", "C", options(5.0), fixed_option="none", fixed_reason="民生保障: district heating"),
                   Enterprise("leader", "cement", "A", options(1.0), fixed_option="limit"),
                   Enterprise("plain", "cement", "D", options(1.0))]
    plan = optimise(enterprises, {"pm": 3.5})
    chosen = {c.enterprise: c for c in plan.choices}
    assert chosen["heat"].option == "none" and chosen["heat"].reason.startswith("民生保障")
    assert chosen["leader"].option == "limit" and "A-class" in chosen["leader"].reason
    # the A-class limit removes 1.0; 3.5 needs 2.5 more: stopping lines (2.0) is not enough, stopping (3.0) is
    assert chosen["plain"].option == "stop" and plan.removal["pm"] == 4.0


def test_infeasible_targets_report_the_shortfall():
    plan = optimise([Enterprise("only", "cement", "C", options(1.0))], {"pm": 5.0, "nox": 1.0})
    assert plan.status == "infeasible" and plan.shortfall == {"pm": 2.0}


def test_bad_enterprises_are_refused():
    with pytest.raises(ValueError, match="declares its own option"):
        Enterprise("a", "cement", "A", options(1.0))
    with pytest.raises(ValueError, match="not one of"):
        Enterprise("b", "cement", "C", options(1.0), fixed_option="close forever")


def _cases(seed: int, n: int):
    """Small lists of two industries and every class, for the method tests (brute force is exact)."""
    import random

    rng = random.Random(seed)
    out = []
    for i in range(n):
        cls = rng.choice("ABCD")
        out.append(Enterprise(f"e{i}", rng.choice(["cement", "coating"]), cls, options(rng.choice([0.5, 1.0, 2.0, 3.0])),
                              fixed_option="limit" if cls == "A" else None))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_auto_reports_the_method_and_each_attempt(seed):
    enterprises = _cases(seed, 5)
    targets = {"pm": 0.4 * sum(e.options[3].removal["pm"] for e in enterprises)}
    plan = optimise(enterprises, targets)
    assert plan.status == "optimal" and abs(plan.lost_output - brute_force(enterprises, targets)) < 1e-6
    # a short list goes to the direct MILP first (DIRECT_FIRST_LIMIT), which proves it: no second attempt
    assert plan.method == "direct" and [a.method for a in plan.attempts] == ["direct"]
    assert plan.attempts[0].status == "optimal" and plan.attempts[0].lost_output == pytest.approx(plan.lost_output)
    assert plan.seconds >= plan.attempts[0].seconds > 0
    assert plan.bound <= plan.lost_output + 1e-9 and plan.gap <= 1e-4


@pytest.mark.parametrize("first, then", [("direct", "search"), ("search", "direct")])
@pytest.mark.parametrize("seed", range(6))
def test_an_unproven_first_method_escalates_to_the_other_with_the_same_optimum(monkeypatch, first, then, seed):
    """No time for the first method (``first_budget=0``: HiGHS stops before presolve, the search after
    one price evaluation, neither with a proven plan): the other one runs and proves the optimum."""
    from gongjian.analytics import reduction

    monkeypatch.setattr(reduction, "DIRECT_FIRST_LIMIT", 10**6 if first == "direct" else 0)
    enterprises = _cases(seed, 5)
    targets = {"pm": 0.5 * sum(e.options[3].removal["pm"] for e in enterprises),
               "nox": 0.3 * sum(e.options[3].removal["nox"] for e in enterprises)}
    plan = optimise(enterprises, targets, first_budget=0.0)
    assert [a.method for a in plan.attempts] == [first, then] and plan.method == f"{first}, then {then}"
    assert plan.attempts[0].status != "optimal"
    assert plan.status == "optimal" and abs(plan.lost_output - brute_force(enterprises, targets)) < 1e-6
    assert rules_hold(enterprises, {c.enterprise: c.option for c in plan.choices})


@pytest.mark.parametrize("seed", range(4))
def test_the_second_method_starts_from_the_first_ones_plan(monkeypatch, seed):
    """The search handed the direct MILP's plan as incumbent keeps it when it is optimal, and the
    direct MILP started from the search's plan returns a plan no worse: each prunes with the other's."""
    from gongjian.analytics import reduction

    enterprises = reduction._ordinal_ranks(_cases(seed, 6))
    targets = {"pm": 0.45 * sum(e.options[3].removal["pm"] for e in enterprises)}
    space = reduction._Space(enterprises, ["pm"], targets)
    best, status, _bound = reduction._direct(space, 10.0, 1e-4)
    assert status == "optimal"
    optimum = float(space.cost[best].sum())
    assert abs(optimum - brute_force(enterprises, targets)) < 1e-6
    kept, status, bound = reduction._Search(space, 1e9, 1e-4).run(incumbent=best)
    assert status == "optimal" and float(space.cost[kept].sum()) == pytest.approx(optimum) and bound <= optimum + 1e-9
    # the MILP from a start that is the optimum: the start's threshold columns satisfy every row
    model = reduction._DirectModel(space.enterprises, space.pollutants, targets)
    values = model.start(best)
    lp = model.lp()
    a = np.zeros((lp.num_row_, lp.num_col_))
    for column in range(lp.num_col_):
        for k in range(lp.a_matrix_.start_[column], lp.a_matrix_.start_[column + 1]):
            a[lp.a_matrix_.index_[k], column] = lp.a_matrix_.value_[k]
    activity = a @ values
    assert (activity >= np.asarray(lp.row_lower_) - 1e-9).all() and (activity <= np.asarray(lp.row_upper_) + 1e-9).all()
    again, status, _ = reduction._direct(space, 10.0, 1e-4, start=best)
    assert status == "optimal" and float(space.cost[again].sum()) == pytest.approx(optimum)


def test_a_list_without_a_plan_in_time_reports_no_gap_of_zero():
    """When no method finds a plan in time, the answer says so: no choices and an infinite gap, not a
    lost output of 0 "within 0 %"."""
    enterprises = _cases(1, 5)
    targets = {"pm": 0.5 * sum(e.options[3].removal["pm"] for e in enterprises)}
    plan = optimise(enterprises, targets, time_limit=0.0, method="direct")
    assert plan.status == "time limit reached" and not plan.choices and plan.gap == float("inf")
    assert plan.method == "direct"


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method must be one of"):
        optimise(_cases(0, 3), {"pm": 1.0}, method="fastest")
