"""HJ 633 AQI: worked examples, every breakpoint of both editions, top-of-scale rules, properties."""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjian.standards import hj633
from gongjian.standards.hj633 import BREAKPOINTS, IAQI_STEPS, aqi_columns, category, iaqi
from tests.standards import reference

INDICATORS = sorted(BREAKPOINTS["2012"])


@pytest.mark.parametrize(("indicator", "conc", "edition", "expected"), [
    # air-quality.md §1.5 worked examples
    ("pm25", 35, "2012", 50), ("pm25", 36, "2012", 52), ("pm25", 76, "2012", 102),
    ("pm25", 61, "2026", 101), ("pm25", 75, "2026", 114),
    # air-quality-2026.md §3.1 worked values
    ("pm25", 60, "2012", 82), ("pm25", 60, "2026", 100), ("pm25", 61, "2012", 83), ("pm25", 75, "2012", 100),
    ("pm10", 120, "2012", 85), ("pm10", 120, "2026", 100), ("pm10", 150, "2012", 100), ("pm10", 150, "2026", 112),
    ("so2", 150, "2012", 100), ("so2", 150, "2026", 100), ("so2", 300, "2012", 124), ("so2", 300, "2026", 124),
    # aqi-hub's failures (air-quality-2026.md §6.1): SO2 daily uses daily breakpoints ...
    ("so2", 475, "2026", 150),
    # ... concentrations are rounded first ...
    ("pm25", 35.4, "2026", 50), ("pm25", 60.4, "2026", 100), ("pm25", 60.5, "2026", 100), ("pm25", 61.5, "2026", 102),
    # ... and the ceiling is exact
    ("co", 2.2, "2026", 55), ("co_1h", 65.4, "2026", 218),
    # top of the scale
    ("o3_8h", 801, "2026", 300), ("o3_8h", 801, "2012", None), ("so2_1h", 801, "2026", 200),
    ("so2_1h", 801, "2012", None), ("pm25", 501, "2026", 500), ("so2_1h", 800, "2012", 200),
    # zero and missing
    ("pm25", 0, "2026", 0), ("pm25", None, "2026", None), ("pm25", -1, "2026", None),
])
def test_iaqi_values(indicator, conc, edition, expected):
    assert iaqi(indicator, conc, edition) == expected


@pytest.mark.parametrize("edition", ["2012", "2026"])
@pytest.mark.parametrize("indicator", INDICATORS)
def test_iaqi_at_every_breakpoint_is_the_breakpoints_index(indicator, edition):
    for step, bp in zip(IAQI_STEPS, BREAKPOINTS[edition][indicator], strict=False):
        assert iaqi(indicator, bp, edition) == step, (indicator, bp)


@pytest.mark.parametrize("edition", ["2012", "2026"])
@pytest.mark.parametrize("indicator", INDICATORS)
def test_every_concentration_matches_the_exact_reference(indicator, edition):
    """Every integer (every 0.1 for CO) up to the top breakpoint, against Fraction arithmetic."""
    top = BREAKPOINTS[edition][indicator][-1]
    step = 0.1 if indicator.startswith("co") else 1
    values = [round(i * step, 1) for i in range(int(top / step) + 2)]
    got = pl.DataFrame({"c": values}).select(hj633.iaqi_expr(pl.col("c"), indicator, edition)).to_series().to_list()
    expected = [reference.iaqi(indicator, v, edition) for v in values]
    assert got == expected


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(INDICATORS), st.sampled_from(["2012", "2026"]),
       st.floats(min_value=0, max_value=3000, allow_nan=False), st.floats(min_value=0, max_value=50, allow_nan=False))
def test_iaqi_is_monotone(indicator, edition, low, delta):
    a, b = iaqi(indicator, low, edition), iaqi(indicator, low + delta, edition)
    if a is not None and b is not None:
        assert a <= b


def _day(edition, **conc):
    base = {"so2": 10.0, "no2": 20.0, "co": 0.5, "o3_1h": 60.0, "o3_8h": 50.0, "pm10": 40.0, "pm25": 20.0}
    base.update(conc)
    return aqi_columns(pl.DataFrame([base]), hj633.DAILY_INDICATORS[edition], edition).row(0, named=True)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["2012", "2026"]), st.sampled_from(["so2", "no2", "co", "o3_8h", "pm10", "pm25"]),
       st.floats(min_value=0, max_value=500), st.floats(min_value=0, max_value=200))
def test_aqi_is_monotone_in_each_concentration(edition, pollutant, low, delta):
    scale = 0.05 if pollutant == "co" else 1
    a = _day(edition, **{pollutant: low * scale})["aqi"]
    b = _day(edition, **{pollutant: (low + delta) * scale})["aqi"]
    assert a <= b


def test_levels_and_national_colours():
    assert [category(a).name_zh for a in (0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500)] == [
        "优", "优", "良", "良", "轻度污染", "轻度污染", "中度污染", "中度污染", "重度污染", "重度污染", "严重污染", "严重污染"]
    assert category(250).rgb == (153, 0, 76)  # the Chinese purple, not the US one
    assert category(301).rgb == (126, 0, 35)


def test_primary_pollutants_keep_ties_and_need_aqi_above_50():
    row = _day("2026", pm25=75.0, pm10=150.0)  # 2026: PM2.5 75 -> 114, PM10 150 -> 112
    assert row["primary_pollutants"] == ["PM2.5"]
    tie = _day("2012", pm25=75.0, pm10=150.0)  # 2012: both exactly 100
    assert tie["aqi"] == 100 and tie["primary_pollutants"] == ["PM10", "PM2.5"]
    clean = _day("2026", pm25=35.0)
    assert clean["aqi"] == 50 and clean["primary_pollutants"] == []


def test_exceeding_pollutants_only_in_2012():
    row = _day("2012", pm25=80.0, no2=90.0)
    assert set(row["exceeding_pollutants"]) == {"PM2.5", "NO2"}
    assert "exceeding_pollutants" not in _day("2026", pm25=80.0)


def test_2012_daily_uses_o3_one_hour_and_2026_does_not():
    assert _day("2012", o3_1h=250.0)["aqi"] == 125  # O3 1h 250: halfway from 200 (100) to 300 (150)
    assert _day("2026", o3_1h=250.0)["aqi"] < 100


def test_2012_o3_8h_above_800_falls_back_to_one_hour():
    row = _day("2012", o3_8h=850.0, o3_1h=900.0)
    assert row["iaqi_o3_8h"] == row["iaqi_o3_1h"] == 350
    assert _day("2026", o3_8h=850.0)["iaqi_o3_8h"] == 300


def test_missing_pollutant_publishes_only_above_100():
    """HJ 633-2026 §5.3.1."""
    low = _day("2026", so2=None)
    assert low["aqi"] is None and low["aqi_complete"] is False and low["category"] is None
    high = _day("2026", so2=None, pm25=120.0)
    assert high["aqi"] == 158 and high["category"] == "中度污染"


def test_hourly_so2_above_800():
    frame = pl.DataFrame([{"so2_1h": 900.0, "so2": 300.0, "no2_1h": 10.0, "co_1h": 0.5, "o3_1h": 10.0,
                           "o3_8h": 10.0, "pm10": 10.0, "pm25": 10.0}])
    r2012 = aqi_columns(frame, hj633.HOURLY_INDICATORS["2012"], "2012").row(0, named=True)
    assert r2012["iaqi_so2_1h"] == 124  # from the 24-hour value 300
    r2026 = aqi_columns(frame, hj633.HOURLY_INDICATORS["2026"], "2026").row(0, named=True)
    assert r2026["iaqi_so2_1h"] == 200


def test_concrete_edition_required():
    with pytest.raises(ValueError, match="concrete edition"):
        hj633.iaqi_expr(pl.col("x"), "pm25", "auto")
    with pytest.raises(ValueError, match="edition must be"):
        iaqi("pm25", 1, "2013")


@pytest.mark.parametrize("aqi, level", [(0, 1), (50, 1), (51, 2), (100, 2), (101, 3), (150, 3), (151, 4),
                                        (200, 4), (201, 5), (300, 5), (301, 6), (500, 6), (None, None)])
def test_the_level_expression_is_table_2s_and_the_daily_reports(aqi, level):
    """HJ 633-2012 Table 2 / 2026 Table 1: 0-50 level 1, 51-100 2, 101-150 3, 151-200 4, 201-300 5,
    above 300 6; the same expression gives the ``level`` of :func:`aqi_columns`."""
    frame = pl.DataFrame({"a": [aqi]}, schema={"a": pl.Int64})
    assert frame.select(hj633.level_expr(pl.col("a"))).item() == level
    assert hj633.AQI_TOP == 500
