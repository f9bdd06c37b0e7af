"""The measure optimiser: optimal against brute force, and never breaking an exemption or class rule."""

import itertools

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
