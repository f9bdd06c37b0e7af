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


def test_scores_by_dimension_and_rescaled_without_quality():
    units = pl.DataFrame({"unit": [1, 2, 3], "rank": [1, 3, None], "ranked": [3, 3, None], "due": [4, 2, 0],
                          "on_time": [4, 1, 0], "overdue": [0, 1, 0], "cases_due": [1, 2, 0],
                          "cases_on_time": [1, 0, 0]})
    out = {r["unit"]: r for r in scores(units, Weights()).to_dicts()}
    assert (out[1]["score_quality"], out[1]["score_tasks"], out[1]["score_overdue"], out[1]["score_cases"],
            out[1]["total"]) == (40.0, 30.0, 10.0, 20.0, 100.0)
    assert (out[2]["score_quality"], out[2]["score_tasks"], out[2]["score_overdue"], out[2]["score_cases"],
            out[2]["total"]) == (0.0, 15.0, 8.0, 0.0, 23.0)
    assert out[3]["score_quality"] is None and out[3]["total"] == 100.0  # nothing due, no quality data: rescaled


def test_rising_quarter_on_quarter_with_a_margin():
    frame = pl.DataFrame({"unit": [1, 1, 2, 2, 3], "quarter": ["2020Q3", "2020Q4"] * 2 + ["2020Q4"],
                          "value": [30.0, 45.0, 40.0, 41.0, 50.0]})
    found = rising_quarter_on_quarter(frame, Rule("升", "rising", "区域限批", margin=5.0))
    assert found["unit"].to_list() == [1]  # unit 2 rose 2.5 % (under the margin), unit 3 has one quarter
    assert found["evidence"][0] == "pm25 2020Q3 30.0 → 2020Q4 45.0" and found["consequence"][0] == "区域限批"


def test_behind_schedule():
    frame = pl.DataFrame({"unit": [1, 2, 3], "metric": ["PM2.5"] * 3, "ytd": [50.0, 40.0, 70.0],
                          "schedule": [45.0, 45.0, 45.0], "status": ["behind", "on_track", "cannot_be_met"]})
    assert behind_schedule(frame, Rule("时序", "behind", "公开约谈"))["unit"].to_list() == [1, 3]


def test_bottom_of_the_ranking_months_running():
    rows = []
    for month, order in (("2020-09", [3, 1, 2]), ("2020-10", [1, 2, 3]), ("2020-11", [2, 1, 3]), ("2020-12", [1, 2, 3])):
        rows += [(unit, month, rank, 3) for unit, rank in zip((1, 2, 3), order, strict=True)]
    ranks = pl.DataFrame(rows, schema={"unit": pl.Int64, "month": pl.String, "rank": pl.Int64, "ranked": pl.Int64},
                         orient="row")
    found = bottom_running(ranks, Rule("末位", "bottom", "约谈", months=3, bottom=1))
    assert found["unit"].to_list() == [3] and found["evidence"][0] == "ranked 3/3/3 of 3 in 2020-10, 2020-11, 2020-12"
    assert bottom_running(ranks, Rule("末位", "bottom", "约谈", months=5)).is_empty()  # not enough months
