"""What a source's measures remove together (each emitting unit once), their strictness, and the margin
over the requirement: on plain values, with the figures worked out by hand."""

from decimal import Decimal as D

import pytest

from gongjian.analytics.removal import (
    THIN_MARGIN,
    Margin,
    Measure,
    Unit,
    removal,
    removed_shares,
    strictness,
)

P = ("so2", "nox", "pm", "vocs")


def unit(so2, nox, pm, vocs, line=None, transport=False):
    return Unit(dict(zip(P, map(D, (so2, nox, pm, vocs)), strict=True)), line=line, transport=transport)


#: A plant with two lines: line 1 a stack and its fugitive part, line 2 a stack; and its trucks.
PLANT = {"stack1": unit(600, 90, 40, 10, line=1), "fugitive1": unit(100, 10, 20, 2, line=1),
         "stack2": unit(300, 60, 30, 8, line=2), "trucks": unit(1, 40, 6, 2, transport=True)}
LIMIT_70 = Measure("limit", load_percent=D("70"))
STOP_LINE_1 = Measure("stop_lines", lines=frozenset({1}))
STOP_STACK_1 = Measure("stop", unit="stack1")


def test_overlapping_measures_remove_each_unit_once_at_the_strongest():
    # "limit to 70 %", "stop line 1" and "stop the line-1 stack" at one level: line 1 (stack and
    # fugitive) is stopped, once; line 2 keeps 70 % of its load; the trucks are untouched.
    # SO2: 600 + 100 + 0.3 * 300 = 790 (adding the three up gave 0.3 * 1000 + 700 + 600 = 1600,
    # capped at the plant's 1001 with its trucks).
    together = removal([LIMIT_70, STOP_LINE_1, STOP_STACK_1], PLANT, P)
    assert together == {"so2": D("790"), "nox": D("118"), "pm": D("69"), "vocs": D("14.4")}
    assert removed_shares([LIMIT_70, STOP_LINE_1, STOP_STACK_1], PLANT) == {
        "stack1": 1, "fugitive1": 1, "stack2": D("0.3")}
    assert removal([STOP_STACK_1, STOP_LINE_1, LIMIT_70], PLANT, P) == together  # order does not matter


def test_transport_is_removed_by_the_transport_ban_only():
    # Stop and a limit on top: all production (1000 SO2, 160 NOx, 90 PM, 20 VOCs), nothing of the trucks.
    assert removal([Measure("stop"), Measure("limit", load_percent=D("50"))], PLANT, P) == {
        "so2": D("1000"), "nox": D("160"), "pm": D("90"), "vocs": D("20")}
    assert removal([Measure("stop", unit="trucks")], PLANT, P) == dict.fromkeys(P, D("0"))
    assert removal([Measure("stop"), Measure("no_transport")], PLANT, P) == {
        "so2": D("1001"), "nox": D("200"), "pm": D("96"), "vocs": D("22")}
    assert removal([Measure("no_transport")], PLANT, P) == {"so2": D("1"), "nox": D("40"), "pm": D("6"), "vocs": D("2")}


def test_site_measures_overlap_once():
    site = {"earthwork": Unit({"pm": D("12")}, activity="earthwork"), "other": Unit({"pm": D("8")}, activity="other")}
    assert removal([Measure("site_earthwork")], site, ["pm"]) == {"pm": D("12")}
    assert removal([Measure("site_earthwork"), Measure("site_stop")], site, ["pm"]) == {"pm": D("20")}


@pytest.mark.parametrize(("measures", "expected"), [
    ([], 0),
    ([Measure("no_transport")], 0),  # not a production measure
    ([Measure("stop")], 100),
    ([Measure("limit", load_percent=D("50"))], 50),
    ([LIMIT_70], 30),
    # production tonnage 1270 t/a (stack1 740, fugitive1 132, stack2 398): stopping the line-1 stack
    # removes 740 / 1270 = 58.3 %, ranked 59, not as a full stop
    ([STOP_STACK_1], 59),
    ([Measure("stop_lines", lines=frozenset({2}))], 32),  # 398 / 1270 = 31.3 %: lighter than "limit to 50 %"
    ([LIMIT_70, STOP_LINE_1, STOP_STACK_1], 79),  # (872 + 0.3 * 398) / 1270 = 78.1 %
])
def test_strictness_is_the_removed_share_of_production_emissions(measures, expected):
    assert strictness(measures, PLANT) == expected


def test_strictness_rounds_up_and_has_no_data_without_production_emissions():
    tiny = {"big": unit(999, 0, 0, 0), "small": unit(1, 0, 0, 0)}
    assert strictness([Measure("stop", unit="small")], tiny) == 1  # 0.1 % ranks above none
    assert strictness([Measure("stop")], {"trucks": unit(1, 40, 6, 2, transport=True)}) is None
    assert strictness([], {}) is None


def test_the_margin_over_the_requirement():
    assert THIN_MARGIN == D("5")
    ample = Margin(required=D("100"), achieved=D("110"))
    assert (ample.amount, ample.percent, ample.met, ample.thin) == (D("10"), D("10"), True, False)
    thin = Margin(required=D("13028.57"), achieved=D("13028.58"))
    assert thin.met and thin.thin and thin.amount == D("0.01")
    short = Margin(required=D("100"), achieved=D("99"))
    assert (short.amount, short.met, short.thin) == (D("-1"), False, False)
    nothing = Margin(required=D("0"), achieved=D("0"))
    assert nothing.percent is None and nothing.met and not nothing.thin
