"""The automatic water stations' quality control (pure): each check finds what it names, and
nothing in a plausible series."""

import datetime as dt

import polars as pl

from gongjian.analytics.waterqc import Thresholds, check_series

T0 = dt.datetime(2026, 3, 1)


def _series(values, item="nh3n"):
    return pl.DataFrame({"series": [1] * len(values), "item": [item] * len(values),
                         "time": [T0 + dt.timedelta(hours=h) for h in range(len(values))], "value": values},
                        schema={"series": pl.Int64, "item": pl.String, "time": pl.Datetime("us"), "value": pl.Float64})


def test_a_plausible_series_has_no_finding():
    assert check_series(_series([0.4 + (h % 5) / 100 for h in range(48)])).is_empty()


def test_out_of_range_values_are_found_with_their_range():
    found = check_series(_series([7.2, 15.2, 7.1], "ph"))
    assert found.select("check", "start", "readings", "detail").rows() == [
        ("out_of_range", T0 + dt.timedelta(hours=1), 1, "value=15.2;range=0-14")]
    assert check_series(_series([0.3, -0.1, 0.3])).filter(pl.col("check") == "out_of_range").height == 1


def test_a_flat_line_of_n_readings_is_found_and_one_shorter_is_not():
    assert check_series(_series([0.42] * 23)).is_empty()
    found = check_series(_series([0.42] * 24 + [0.5]))
    assert found.select("check", "start", "end", "readings").rows() == [
        ("flat", T0, T0 + dt.timedelta(hours=23), 24)]
    # configurable, and pH repeats legitimately longer
    assert check_series(_series([0.42] * 6), Thresholds(flat_default=6)).height == 1
    assert check_series(_series([7.6] * 24, "ph")).is_empty()


def test_a_spike_must_exceed_both_neighbours_by_the_ratio_and_the_floor():
    spike = check_series(_series([0.4, 4.0, 0.4]), Thresholds(spike_floor={"nh3n": 1.0}))
    assert spike.select("check", "start", "detail").rows() == [
        ("spike", T0 + dt.timedelta(hours=1), "value=4.0;before=0.4;after=0.4")]
    assert check_series(_series([0.1, 0.5, 0.1]), Thresholds(spike_floor={"nh3n": 1.0})).is_empty()  # under the floor
    assert check_series(_series([0.4, 1.1, 0.4]), Thresholds()).is_empty()  # under 3 × its neighbours
    assert check_series(_series([0.4, 4.0, 3.9])).is_empty()  # a step, not a spike
