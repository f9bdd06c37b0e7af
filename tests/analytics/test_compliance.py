"""Compliance rules find planted faults with their evidence and leave honest series alone."""

import datetime as dt
import math

import polars as pl
import pytest

from gongjian.analytics import compliance as c

T0 = dt.datetime(2024, 1, 15)


def _times(n: int, minutes: int = 60) -> list[dt.datetime]:
    return [T0 + dt.timedelta(minutes=minutes * i) for i in range(n)]


def honest_cems(unit: str = "kiln", n: int = 48) -> pl.DataFrame:
    """A plausible stack: concentrations well under the limits, varying, O2 about 10 %, flow steady."""
    return pl.DataFrame({"unit": [unit] * n, "time": _times(n),
                         "so2": [20 + 5 * math.sin(i / 3) for i in range(n)],
                         "nox": [60 + 10 * math.cos(i / 4) for i in range(n)],
                         "o2": [10 + 0.5 * math.sin(i) for i in range(n)],
                         "flow": [90000 + 500 * math.sin(i / 2) for i in range(n)]})


def test_reference_o2():
    frame = pl.DataFrame({"c": [100.0, 100.0, 100.0], "o2": [9.0, 15.0, 21.0]})
    out = frame.select(c.at_reference_o2(pl.col("c"), pl.col("o2"), 9.0).alias("x"))["x"].to_list()
    assert out == [100.0, 200.0, None]  # 100 x (21-9)/(21-15) = 200


def test_honest_series_are_not_flagged():
    cems = honest_cems()
    power = cems.select("unit", "time", pl.lit(800.0).alias("kw"))
    found = pl.concat([c.exceedances(cems, {"so2": 35, "nox": 100}), c.flat_lines(cems, "so2"),
                       c.pinned(cems, "so2", 35), c.missing(cems, "so2"), c.flow_power_mismatch(cems, power)])
    assert found.is_empty()


def test_exceedance_with_duration_and_peak():
    planted = pl.col("time").is_between(T0 + dt.timedelta(hours=5), T0 + dt.timedelta(hours=7))
    cems = honest_cems().with_columns(pl.when(planted).then(pl.lit(40.0)).otherwise(pl.col("so2")).alias("so2"),
                                      pl.when(planted).then(pl.lit(15.0)).otherwise(pl.col("o2")).alias("o2"))
    found = c.exceedances(cems, {"so2": 35}, c.Thresholds(o2_reference=9.0))
    # 40 mg/m3 measured at 15 % O2 is 80 at the reference 9 %; the honest hours stay under 35 there
    assert found.height == 1
    row = found.row(0, named=True)
    assert (row["rule"], row["series"], row["length"], row["threshold"]) == ("exceedance", "so2", 3, 35.0)
    assert row["peak"] == pytest.approx(80.0) and "at 9.0% O2" in row["evidence"]
    assert c.exceedances(cems, {"so2": 35}, c.Thresholds(exceedance_intervals=4)).is_empty()


def test_flat_line_pinned_missing():
    n = 48
    frame = pl.DataFrame({"unit": ["u"] * n, "time": _times(n),
                          "so2": [12.0 + (i % 3) for i in range(10)] + [17.3] * 30 + [12.0 + (i % 4) for i in range(8)],
                          "nox": [95.0 + (i % 4) for i in range(n)],  # 95-98 under a limit of 100
                          "pm": [3.0] * 20 + [None] * 5 + [3.1 + i / 100 for i in range(23)]})
    flat = c.flat_lines(frame, "so2", c.Thresholds(flat_intervals=24))
    assert flat.height == 1 and flat["length"][0] == 30 and flat["peak"][0] == 17.3
    held = c.pinned(frame, "nox", 100, c.Thresholds(pinned_window=12))
    assert held.height == 1 and held["start"][0] == T0 + dt.timedelta(hours=11)
    gap = c.missing(frame, "pm")
    assert gap.height == 1 and gap["length"][0] == 5


def test_drop_when_an_inspection_is_announced():
    n = 24
    frame = pl.DataFrame({"unit": ["cheat"] * n + ["fair"] * n, "time": _times(n) * 2,
                          "nox": [300.0] * 12 + [90.0] * 12 + [300.0] * 24})
    found = c.drop_at_inspection(frame, "nox", T0 + dt.timedelta(hours=12))
    assert found["key"].to_list() == ["cheat"] and "300.0 before" in found["evidence"][0]


def test_flow_and_power_disagree():
    cems = honest_cems("stack", 24)
    kw = [800.0] * 8 + [0.0] * 6 + [800.0] * 10  # the line off for six hours while the stack "flows"
    found = c.flow_power_mismatch(cems, pl.DataFrame({"unit": ["stack"] * 24, "time": _times(24), "kw": kw}))
    assert found["rule"].to_list() == ["flow_without_power"] and found["length"][0] == 6
    no_flow = cems.with_columns(pl.lit(0.0).alias("flow"))
    assert c.flow_power_mismatch(no_flow, pl.DataFrame({"unit": ["stack"] * 24, "time": _times(24),
                                                        "kw": [800.0] * 24}))["rule"].to_list() == ["power_without_flow"]


def test_warning_rules():
    start, end = T0 + dt.timedelta(hours=6), T0 + dt.timedelta(hours=18)
    power = pl.DataFrame({"meter": ["line1"] * 24 + ["line2"] * 24, "time": _times(24) * 2,
                          "kw": [500.0] * 24 + [500.0] * 6 + [0.5] * 18})
    stopped = pl.DataFrame({"meter": ["line1", "line2"], "start": [start] * 2, "end": [end] * 2})
    found = c.stopped_line_drawing_power(power, stopped)
    assert found["key"].to_list() == ["line1"] and found["length"][0] == 13

    production = pl.DataFrame({"line": ["l"] * 24, "time": _times(24), "kw": [500.0] * 24})
    control = pl.DataFrame({"line": ["l"] * 24, "time": _times(24), "kw": [80.0] * 10 + [0.0] * 4 + [80.0] * 10})
    off = c.control_off_while_producing(production, control)
    assert off["length"].to_list() == [4] and "at most 0.0 kW" in off["evidence"][0]

    load = pl.DataFrame({"unit": ["u"] * 24, "time": _times(24), "load": [100.0] * 8 + [70.0] * 8 + [95.0] * 8})
    allowed = pl.DataFrame({"unit": ["u"], "start": [start], "end": [end], "allowed": [70.0]})
    above = c.load_above_allowed(load, allowed)
    # hours 6-7 still at full load once the warning began, and 16-18 back above the allowed 70 %
    assert above["start"].to_list() == [start, T0 + dt.timedelta(hours=16)] and above["length"].to_list() == [2, 3]
    assert above["peak"].to_list() == [100.0, 95.0]

    emissions = pl.DataFrame({"unit": ["kept"] * 36 + ["ignored"] * 36, "time": _times(36) * 2,
                              "value": [100.0] * 18 + [65.0] * 18 + [100.0] * 18 + [95.0] * 18})
    warning_start, warning_end = T0 + dt.timedelta(hours=18), T0 + dt.timedelta(hours=35)
    short = c.reduction_not_matching(emissions, {"kept": 0.3, "ignored": 0.3}, warning_start, warning_end)
    assert short["key"].to_list() == ["ignored"] and "fell 5.0%" in short["evidence"][0]


def test_dust_at_sites():
    dust = pl.DataFrame({"site": ["a"] * 6 + ["b"] * 6, "time": _times(6, 15) * 2,
                         "pm10": [120, 160, 180, 170, 90, 80, 160, 90, 160, 90, 160, 90]})
    found = c.dust_above_threshold(dust, c.Thresholds(dust_threshold=150, dust_intervals=2))
    assert found["key"].to_list() == ["a"] and found["length"][0] == 3 and found["peak"][0] == 180
