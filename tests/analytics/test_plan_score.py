"""The plan reader measured against the gold ledgers a person built by reading two seed plans line
by line (tests/analytics/gold/README.md): task recall and precision, lead units, responsible and
cooperating units, deadlines, and the share of errors flagged, held to the goals of issue 15."""

import importlib.util
import sys
from pathlib import Path

import pytest

_TOOL = Path(__file__).resolve().parent.parent.parent / "tools" / "plan_score.py"
_spec = importlib.util.spec_from_file_location("plan_score", _TOOL)
plan_score = sys.modules["plan_score"] = importlib.util.module_from_spec(_spec)  # dataclasses need it there
_spec.loader.exec_module(plan_score)


def test_the_gold_ledgers_are_complete_and_well_formed():
    gold = plan_score.read_gold()
    assert {plan: len(rows) for plan, rows in gold.items()} == {
        "henan-2017-one-city-one-policy.txt": 80, "zhengzhou-2020-implementation-plans.txt": 94,
        "yibin-2018-2020-three-year-plan.txt": 23}
    parts = plan_score.read_parts()
    assert [p["part"] for p in parts if p["held_out"] == "yes"] == ["zhengzhou-air", "zhengzhou-soil", "yibin-body-water"]
    for rows in gold.values():  # every gold task lies in exactly one part
        for row in rows:
            assert sum(p["plan"] == row["plan"] and p["first"] <= int(row["line"]) <= p["last"] for p in parts) == 1
    for rows in gold.values():
        assert len({r["line"] for r in rows}) == len(rows)  # one task per line


def test_the_reader_meets_the_goals_on_the_gold(shared, record_property):
    scores = plan_score.score(shared / "seeds")
    figures = scores["all"].figures()
    record_property("plan_score", figures)
    below = {key: (figures[key], goal) for key, goal in plan_score.GOALS.items()
             if figures[key] is not None and figures[key] < goal}
    assert not below, f"{below}\n" + "\n".join(scores["all"].errors)
    assert figures["tasks"] == 197 and figures["errors_flagged"] is not None


def test_the_reader_meets_the_goals_on_the_parts_held_out(shared, record_property):
    """The parts read into the gold before the reader was run on them (the Zhengzhou air and soil plans,
    the Yibin body's water chapter): the out-of-sample measurement, held to the same goals."""
    held_out = plan_score.score(shared / "seeds")["held-out"]
    figures = held_out.figures()
    record_property("plan_score_held_out", figures)
    assert figures["tasks"] == 91
    below = {key: (figures[key], goal) for key, goal in plan_score.GOALS.items()
             if figures[key] is not None and figures[key] < goal}
    assert not below, f"{below}\n" + "\n".join(held_out.errors)


def test_the_harness_counts_a_wrong_unit_and_an_unflagged_error(shared, tmp_path):
    """The harness itself: a gold ledger with one lead unit changed shows one error, unflagged."""
    gold = (Path(plan_score.GOLD)).read_text(encoding="utf-8").replace(
        "zhengzhou-2020-implementation-plans.txt,290,6,市城管局,", "zhengzhou-2020-implementation-plans.txt,290,6,市水利局,")
    path = tmp_path / "ledgers.csv"
    path.write_text(gold, encoding="utf-8")
    zhengzhou = plan_score.score(shared / "seeds", path)["zhengzhou-2020-implementation-plans.txt"]
    assert zhengzhou.lead_exact == zhengzhou.matched - 1
    assert any(e.startswith("zhengzhou-2020-implementation-plans.txt:290 task 6: lead") for e in zhengzhou.errors)


@pytest.fixture
def shared():
    from tests.conftest import SHARED, SHARED_REASON

    if not SHARED.is_dir():
        pytest.skip(SHARED_REASON)
    return SHARED
