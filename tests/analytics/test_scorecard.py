"""Scorecard dimensions and the plans' accountability rules on constructed frames."""

import polars as pl

from gongjian.analytics.scorecard import (
    Rule,
    Weights,
    behind_schedule,
    bottom_running,
    rising_quarter_on_quarter,
    scores,
)


def _units(rows):
    return pl.DataFrame(rows, schema={"unit": pl.Int64, "rank": pl.Int64, "ranked": pl.Int64, "due": pl.Int64,
                                      "on_time": pl.Int64, "overdue": pl.Int64, "cases_due": pl.Int64,
                                      "cases_on_time": pl.Int64}, orient="row")


def test_missing_components_are_no_data_and_the_total_is_rescaled_over_the_others():
    # unit, rank, ranked, due, on_time, overdue, cases_due, cases_on_time
    units = _units([(1, 1, 3, 4, 4, 0, 1, 1),              # everything: 40 + 30 + 10 + 20
                    (2, 2, 3, 3, 2, 1, 0, 0),              # no case due: quality 20, tasks 20, overdue 8 of 80 points
                    (3, None, None, 1, 1, 0, 0, 0),        # tasks and overdue only: 40 of 100 points
                    (4, None, None, 0, 0, 0, 0, 0)])       # nothing at all
    out = {r["unit"]: r for r in scores(units, Weights()).to_dicts()}
    assert (out[1]["total"], out[1]["place"], out[1]["weight_with_data"]) == (100.0, 1, 100.0)
    assert (out[2]["score_quality"], out[2]["score_tasks"], out[2]["score_overdue"], out[2]["score_cases"]) == \
        (20.0, 20.0, 8.0, None)  # no case due is no data, not 20 points
    assert (out[2]["weight_with_data"], out[2]["total"], out[2]["place"]) == (80.0, 60.0, 2)  # 48 / 80 x 100
    assert out[2]["missing"] == ["cases"]
    # 40 points of 100 carry data, under the 60 % the rule asks: no total, no place (it used to be 100)
    assert (out[3]["score_tasks"], out[3]["score_overdue"], out[3]["total"], out[3]["place"]) == (30.0, 10.0, None, None)
    assert out[3]["missing"] == ["quality", "cases"]
    assert (out[4]["weight_with_data"], out[4]["total"], out[4]["place"]) == (0.0, None, None)
    assert out[4]["missing"] == ["quality", "tasks", "overdue", "cases"]
    assert scores(units)["unit"].to_list() == [1, 2, 3, 4]  # ranked first, then by the weight with data


def test_a_unit_without_data_is_not_ranked_above_a_measured_one():
    units = _units([(1, None, None, 0, 0, 0, 0, 0),        # a zone without air data and nothing due
                    (2, 1, 2, 10, 10, 0, 7, 6)])           # 40 + 30 + 10 + 20 x 6/7 = 97.14
    out = scores(units)
    assert out["unit"].to_list() == [2, 1]
    assert out.row(0, named=True)["total"] == 97.1 and out.row(0, named=True)["place"] == 1
    assert out.row(1, named=True)["total"] is None and out.row(1, named=True)["place"] is None


def test_the_share_is_of_the_components_assessed():
    # a department has no quality component: tasks and overdue (40 of 60 points, 67 %) rank it
    units = _units([(1, None, None, 2, 1, 1, 0, 0), (2, None, None, 0, 0, 0, 3, 3)])
    out = {r["unit"]: r for r in scores(units, assessed=("tasks", "overdue", "cases")).to_dicts()}
    assert (out[1]["weight_assessed"], out[1]["weight_with_data"], out[1]["total"]) == (60.0, 40.0, 57.5)  # 23 / 40
    assert out[1]["missing"] == ["cases"] and out[1]["score_quality"] is None
    assert (out[2]["weight_with_data"], out[2]["total"], out[2]["place"]) == (20.0, None, None)  # 33 % of 60
    strict = scores(units, Weights(min_share=0.7), assessed=("tasks", "overdue", "cases"))
    assert strict["place"].to_list() == [None, None]  # the share is the office's to set


def test_rising_quarter_on_quarter_with_a_margin():
    frame = pl.DataFrame({"unit": [1, 1, 2, 2, 3], "quarter": ["2020Q3", "2020Q4"] * 2 + ["2020Q4"],
                          "value": [30.0, 45.0, 40.0, 41.0, 50.0]})
    found = rising_quarter_on_quarter(frame, Rule("升", "rising", "区域限批", margin=5.0))
    assert found["unit"].to_list() == [1]  # unit 2 rose 2.5 % (under the margin), unit 3 has one quarter
    assert found["evidence"][0] == "pm25 2020Q3 30.0 → 2020Q4 45.0" and found["consequence"][0] == "区域限批"


def test_behind_schedule():
    frame = pl.DataFrame({"unit": [1, 2, 3], "metric": ["PM2.5"] * 3, "ytd": [50.0, 40.0, 70.0],
                          "schedule": [45.0, 45.0, 45.0], "status": ["behind", "on_track", "cannot_be_met"]})
    found = behind_schedule(frame, Rule("时序", "behind", "公开约谈"))
    assert found["unit"].to_list() == [1, 3]
    assert found["evidence"].to_list() == ["PM2.5：年内累计50.0，时序进度45.0（滞后于时序进度）",
                                           "PM2.5：年内累计70.0，时序进度45.0（已无法完成）"]


def test_bottom_of_the_ranking_months_running():
    rows = []
    for month, order in (("2020-09", [3, 1, 2]), ("2020-10", [1, 2, 3]), ("2020-11", [2, 1, 3]), ("2020-12", [1, 2, 3])):
        rows += [(unit, month, rank, 3) for unit, rank in zip((1, 2, 3), order, strict=True)]
    ranks = pl.DataFrame(rows, schema={"unit": pl.Int64, "month": pl.String, "rank": pl.Int64, "ranked": pl.Int64},
                         orient="row")
    found = bottom_running(ranks, Rule("末位", "bottom", "约谈", months=3, bottom=1))
    assert found["unit"].to_list() == [3] and found["evidence"][0] == "ranked 3/3/3 of 3 in 2020-10, 2020-11, 2020-12"
    assert bottom_running(ranks, Rule("末位", "bottom", "约谈", months=5)).is_empty()  # not enough months
