"""Forecast verification on small cases computed by hand (gongjian.analytics.verification)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from gongjian.analytics import verification as v

D = dt.date


def observed():
    return pl.DataFrame({
        "station": ["A"] * 6, "date": [D(2024, 1, i) for i in range(1, 7)],
        "aqi": [55, 80, 130, 140, 45, None],
        "primary_pollutants": [["PM2.5"], ["PM2.5"], ["O3_8h"], ["PM2.5"], [], None]},
        schema_overrides={"aqi": pl.Int64})


def point_forecasts():
    return pl.DataFrame({
        "station": ["A"] * 6,
        "issued": [D(2024, 1, 1), D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 2), D(2024, 1, 4), D(2024, 1, 4)],
        "day": [D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 3), D(2024, 1, 4), D(2024, 1, 5), D(2024, 1, 6)],
        "aqi": [60, 120, 40, 160, 45, 70],
        "primary": ["PM2.5", "O3", "", "PM2.5、PM10", "—", "PM2.5"]})


@pytest.mark.parametrize("aqi, half", [(0, 1), (25, 1), (26, 2), (50, 2), (51, 3), (75, 3), (76, 4), (100, 4),
                                       (101, 5), (125, 5), (150, 6), (175, 7), (200, 8), (201, 9), (250, 9),
                                       (251, 10), (300, 10), (301, 11), (400, 11), (401, 12), (500, 12), (650, 12)])
def test_the_twelve_half_levels(aqi, half):
    assert v.half_level(aqi) == half


def test_scores_by_lead_day_as_computed_by_hand():
    scores = {r["lead"]: r for r in v.score(point_forecasts(), observed()).iter_rows(named=True)}
    # lead 1: 60/80 (良=良, half-levels 3/4 adjacent, PM2.5 right), 40/130 (优 vs 轻度, 2/6, none vs O3),
    #         45/45 (right; AQI <= 50 has no primary pollutant: not counted)
    one = scores[1]
    assert (one["days"], one["level_accuracy"], one["half_level_accuracy"]) == (3, 2 / 3, 2 / 3)
    assert (one["primary_days"], one["primary_accuracy"]) == (2, 0.5)
    assert one["mae"] == pytest.approx(110 / 3) and one["bias"] == pytest.approx(-110 / 3)
    assert one["range_accuracy"] is None  # no range forecast to score
    # lead 2: 120/130 (轻度=轻度, 5/6, O3 = O3_8h), 160/140 (中度 vs 轻度, 7/6 adjacent, PM2.5 among the two);
    #         70 on 01-06 has no observed AQI and does not count
    two = scores[2]
    assert (two["days"], two["level_accuracy"], two["half_level_accuracy"], two["primary_accuracy"]) == (2, 0.5, 1.0, 1.0)
    assert (two["mae"], two["bias"]) == (15.0, 5.0)


def test_the_half_level_tolerance_is_a_setting():
    strict = v.Rules(point_tolerance=0)
    scores = {r["lead"]: r for r in v.score(point_forecasts(), observed(), rules=strict).iter_rows(named=True)}
    assert scores[1]["half_level_accuracy"] == 1 / 3 and scores[2]["half_level_accuracy"] == 0.0


def test_a_range_forecast_is_right_on_any_level_it_spans():
    ranges = pl.DataFrame({"station": ["A"] * 3, "issued": [D(2024, 1, 1)] * 3,
                           "day": [D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 4)],
                           "aqi_low": [75, 75, 60], "aqi_high": [105, 105, 90]})
    m = v.match(ranges, observed())
    # 80 in 75-105 (良至轻度污染): level, range and half-level (3..5 holds 4) right;
    # 130 (轻度污染, half-level 6) outside 75-105: level right, range and half-level wrong;
    # 140 against 60-90 (良): all wrong, 50 above the range
    assert m["level_hit"].to_list() == [True, True, False]
    assert m["range_hit"].to_list() == [True, False, False]
    assert m["half_level_hit"].to_list() == [True, False, False]
    assert m["miss"].to_list() == [0, 25, 50]
    assert m["primary_hit"].to_list() == [None, None, None]  # no primary pollutant forecast
    wide = v.match(ranges, observed(), rules=v.Rules(range_tolerance=1))
    assert wide["half_level_hit"].to_list() == [True, True, False]


def test_primary_pollutants_on_good_days_can_count():
    rules = v.Rules(primary_on_good_days="none_is_right")
    m = v.match(point_forecasts(), observed(), rules=rules).filter(pl.col("day") == D(2024, 1, 5))
    assert m["primary_hit"].to_list() == [True]  # AQI 45 observed, none forecast


def test_pollutant_names_in_one_spelling():
    assert v.normalise_pollutants("PM2.5、O3-8h") == ["PM2.5", "O3"]
    assert v.normalise_pollutants("pm25/o3_8h, 臭氧") == ["PM2.5", "O3"]
    assert v.normalise_pollutants(["SO2", "NO₂"]) == ["SO2", "NO2"]
    assert v.normalise_pollutants("—") == [] and v.normalise_pollutants(None) == []
    with pytest.raises(ValueError, match="unknown pollutant 'PM1'"):
        v.normalise_pollutants("PM1")


def test_bad_rules_and_bad_ranges_are_refused():
    with pytest.raises(ValueError, match="increasing"):
        v.Rules(half_level_upper=(50, 25))
    with pytest.raises(ValueError, match="primary_on_good_days"):
        v.Rules(primary_on_good_days="maybe")
    bad = pl.DataFrame({"station": ["A"], "issued": [D(2024, 1, 1)], "day": [D(2024, 1, 2)],
                        "aqi_low": [90], "aqi_high": [80]})
    with pytest.raises(ValueError, match="row 1: aqi_low 90 is above aqi_high 80"):
        v.match(bad, observed())
    with pytest.raises(ValueError, match="aqi, or aqi_low and aqi_high"):
        v.match(bad.drop("aqi_low", "aqi_high"), observed())


def test_persistence_repeats_the_issue_day():
    p = v.persistence(observed(), point_forecasts()).sort("issued", "day")
    assert p["aqi"].to_list() == [55, 55, 80, 80, 140, 140]
    assert p["primary"].to_list() == ["PM2.5"] * 6
    good_day = v.persistence(observed(), point_forecasts().with_columns(pl.lit(D(2024, 1, 5)).alias("issued")))
    assert good_day["primary"].unique().to_list() == [""]  # AQI 45: no primary pollutant


def test_climatology_is_the_aqi_of_the_day_of_year_mean_concentrations():
    history = pl.DataFrame({
        "station": ["A"] * 3, "date": [D(2019, 1, 10), D(2020, 1, 10), D(2021, 1, 10)],
        "so2": [5.0, 5.0, 5.0], "no2": [20.0, 20.0, 20.0], "co": [0.5, 0.5, 0.5], "o3_8h": [50.0, 50.0, 50.0],
        "pm10": [50.0, 50.0, 50.0], "pm25": [70.0, 80.0, 90.0]})
    rows = pl.DataFrame({"station": ["A"], "issued": [D(2024, 1, 9)], "day": [D(2024, 1, 10)], "lead": [1]})
    c = v.climatology(history, rows, window=0, edition="2026").row(0, named=True)
    # PM2.5 mean 80: HJ 633-2026 60..115 -> 100..150: 100 + 50 x 20 / 55 = 118.2, rounded up 119
    assert c["pm25"] == 80 and c["aqi"] == 119 and c["primary"] == "PM2.5"


def test_skill_against_a_reference():
    ours = pl.DataFrame({"lead": [1, 2], "level_accuracy": [0.75, 0.5], "half_level_accuracy": [0.9, 0.8],
                         "range_accuracy": [None, None], "primary_accuracy": [0.6, 0.6], "mae": [20.0, 30.0]},
                        schema_overrides={"range_accuracy": pl.Float64})
    reference = ours.with_columns(pl.Series("level_accuracy", [0.5, 0.5]), pl.Series("half_level_accuracy", [1.0, 0.6]),
                                  pl.Series("mae", [40.0, 30.0]))
    s = {r["lead"]: r for r in v.skill(ours, reference).iter_rows(named=True)}
    assert s[1]["skill_level_accuracy"] == 0.5 and s[2]["skill_level_accuracy"] == 0.0
    assert s[1]["skill_half_level_accuracy"] is None  # a perfect reference leaves nothing to gain
    assert s[2]["skill_half_level_accuracy"] == pytest.approx(0.5)
    assert s[1]["skill_mae"] == 0.5


def test_worst_misses_come_first():
    m = v.match(point_forecasts(), observed())
    worst = v.worst_misses(m, 2)
    assert worst["miss"].to_list() == [90, 20] and worst["day"].to_list()[0] == D(2024, 1, 3)
    assert worst["level_hit"].to_list() == [False, False]  # of the two misses of 20, the wrong level first
