"""城市黑臭水体整治工作指南 (2015) grading: every band boundary, the depth rule, the point and
water-body rules. Expectations typed from water-quality.md §3 and the boundary reading stated in
the module (outer bound not black-odorous, light/heavy bound light)."""

from fractions import Fraction

import pytest

from gongjian.standards.blackodorous import (
    SHARES_INCLUSIVE,
    Grade,
    indicator_grade,
    point_grade,
    sample_grade,
    water_body_grade,
)

N, L, H = Grade.NONE, Grade.LIGHT, Grade.HEAVY
EPS = 0.001


@pytest.mark.parametrize(("indicator", "value", "expected"), [
    # transparency (cm): ≥ 25 none, 10..25 light, < 10 heavy
    ("transparency", 60, N), ("transparency", 25, N), ("transparency", 25 - EPS, L), ("transparency", 10, L),
    ("transparency", 10 - EPS, H), ("transparency", 0, H),
    # dissolved oxygen (mg/L): ≥ 2.0 none, 0.2..2.0 light, < 0.2 heavy
    ("do", 8, N), ("do", 2.0, N), ("do", 2.0 - EPS, L), ("do", 0.2, L), ("do", 0.2 - EPS, H), ("do", 0, H),
    # ORP (mV): ≥ 50 none, −200..50 light, < −200 heavy
    ("orp", 300, N), ("orp", 50, N), ("orp", 50 - EPS, L), ("orp", 0, L), ("orp", -200, L), ("orp", -200 - EPS, H),
    # ammonia nitrogen (mg/L): ≤ 8 none, 8..15 light, > 15 heavy
    ("nh3n", 0, N), ("nh3n", 8.0, N), ("nh3n", 8.0 + EPS, L), ("nh3n", 15, L), ("nh3n", 15 + EPS, H),
])
def test_every_band_boundary(indicator, value, expected):
    assert indicator_grade(indicator, value) is expected


@pytest.mark.parametrize(("transparency", "depth", "clear", "expected"), [
    (20, 20, False, N),  # seen to the bottom
    (19.9, 20, True, N),  # reported clear to the bottom
    (8, 20, False, L),  # 40 % of 20 cm is 8 cm: at the bound, light
    (7.99, 20, False, H),
    (4, 10, False, L), (3.9, 10, False, H),
    (9, 25, False, H),  # 25 cm is not shallow: the 10 cm bound applies
    (24, 30, False, L),
])
def test_the_depth_rule(transparency, depth, clear, expected):
    assert indicator_grade("transparency", transparency, depth, clear_to_bottom=clear) is expected


def test_bad_input():
    with pytest.raises(ValueError, match="unknown"):
        indicator_grade("turbidity", 1)
    with pytest.raises(ValueError, match="negative"):
        indicator_grade("do", -0.1)
    with pytest.raises(ValueError, match="depth"):
        indicator_grade("transparency", 5, 0)
    assert indicator_grade("orp", -350) is H  # ORP may be negative
    assert indicator_grade("do", None) is None


def test_a_sample_is_its_worst_indicator():
    assert sample_grade({"transparency": 30, "do": 3, "orp": 100, "nh3n": 2}) is N
    assert sample_grade({"transparency": 30, "do": 1.5, "orp": 100, "nh3n": 2}) is L
    assert sample_grade({"transparency": 5, "do": 1.5, "nh3n": 16}) is H
    assert sample_grade({"transparency": 15, "depth": 20}) is L  # 15 ≥ 8 and < 20
    assert sample_grade({}) is None


def results(**series):
    """Samplings from per-indicator lists of the same length."""
    n = len(next(iter(series.values())))
    return [{k: v[i] for k, v in series.items()} for i in range(n)]


def test_point_heavy_by_one_indicator_above_60_percent():
    # NH3-N heavy in 3 of 5 samplings (exactly 60 %): not "> 60 %" (the pack's reading, the default),
    # heavy when "以上" is read as inclusive; 4 of 5 (80 %) heavy either way; 2 of 5 (40 %) alone is not
    exact = results(nh3n=[16, 16, 16, 9, 9], do=[3, 3, 3, 3, 3])
    light = point_grade(exact)
    assert (light.grade, light.heavy_shares["nh3n"], light.samplings, light.enough) == (L, Fraction(3, 5), 5, True)
    assert point_grade(exact, inclusive=True).grade is H
    assert SHARES_INCLUSIVE is False
    assert point_grade(results(nh3n=[16, 16, 16, 16, 9])).grade is H
    assert point_grade(results(nh3n=[16, 16, 9, 9, 9]), inclusive=True).grade is L


def test_point_heavy_by_two_indicators_above_30_percent():
    # DO and ORP each heavy in 3 of 10 (exactly 30 %): light by "> 30 %", heavy read inclusively;
    # 4 of 10 (40 %) each: heavy; one of them at 2 of 10 (20 %): light either way
    do = [0.1] * 3 + [1.0] * 7
    assert point_grade(results(do=do, orp=[-250] * 3 + [0] * 7)).grade is L
    assert point_grade(results(do=do, orp=[-250] * 3 + [0] * 7), inclusive=True).grade is H
    four = [0.1] * 4 + [1.0] * 6
    assert point_grade(results(do=four, orp=[-250] * 4 + [0] * 6)).grade is H
    assert point_grade(results(do=do, orp=[-250] * 2 + [0] * 8), inclusive=True).grade is L


def test_point_not_black_odorous_and_no_data():
    clean = point_grade(results(transparency=[40, 50, 45], do=[5, 6, 5], orp=[120, 150, 100], nh3n=[1, 2, 1]))
    assert clean.grade is N and clean.heavy_shares == dict.fromkeys(["transparency", "do", "orp", "nh3n"], 0)
    assert point_grade([{}, {}, {}]).grade is None
    few = point_grade(results(do=[0.1, 0.1]))
    assert (few.grade, few.enough) == (H, False)


def test_water_body_heavy_at_60_percent_of_points():
    assert water_body_grade([H, H, H, L, L]).grade is H  # 60 %
    assert water_body_grade([H, H, L, H, L, L]).grade is L  # 50 %
    assert water_body_grade([N, N, N]).grade is N
    assert water_body_grade([N, L, N]).grade is L
    assert water_body_grade([None, None]).grade is None


def test_heavy_reaches_need_three_consecutive_heavy_points():
    r = water_body_grade([H, H, L, H, H, H, H, L, H, H, H])
    assert r.heavy_reaches == ((3, 6), (8, 10))
    assert r.heavy_share == Fraction(9, 11) and r.grade is H  # 2 + 4 + 3 heavy of 11
    assert water_body_grade([H, H, L, H, H]).heavy_reaches == ()
    assert water_body_grade([L, H]).enough is False
