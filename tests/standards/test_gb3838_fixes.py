"""Reviewer's defects in the GB 3838 rules (issue 17): the proportion method's threshold, lake
sections' limits in a region's state."""

from fractions import Fraction

import pytest

from gongjian.standards.gb3838 import basin_state, proportion_status


def classes(good: int, middle: int, worst: int) -> list[int]:
    return [3] * good + [5] * middle + [6] * worst


def test_proportion_threshold_is_a_parameter_defaulting_to_75_percent():
    sixty_forty = classes(3, 0, 2)  # Ⅰ–Ⅲ 60 %, 劣Ⅴ 40 %
    assert proportion_status(sixty_forty).name_zh == "重度污染"
    assert proportion_status(sixty_forty, good_threshold=Fraction(3, 4)).name_zh == "重度污染"
    # the unverified 60 % reading: 60 % is not below 60 %, so not 重度; 劣Ⅴ 40 % is not 轻度: 中度
    assert proportion_status(sixty_forty, good_threshold=Fraction(3, 5)).name_zh == "中度污染"
    # below 60 % both readings agree
    assert proportion_status(classes(5, 0, 5), good_threshold=Fraction(3, 5)).name_zh == "重度污染"
    # the rows above the last are the same under either threshold
    assert proportion_status(classes(15, 4, 1), good_threshold=Fraction(3, 5)).name_zh == "良好"
    with pytest.raises(ValueError, match="good_threshold"):
        proportion_status(sixty_forty, good_threshold=Fraction(4, 5))


def test_basin_state_judges_a_lake_on_lake_limits():
    lake = [{"tp": 0.08}]
    # TP 0.08: river Ⅱ (≤ 0.1), lake Ⅳ (0.05 < 0.08 ≤ 0.1)
    assert basin_state(lake).cls == 2
    assert basin_state(lake, "lake").cls == 4
    assert basin_state(lake, ["lake"]).cls == 4
    mixed = [{"tp": 0.08}, {"tp": 0.08}]
    assert basin_state(mixed, ["river", "river"]).cls == 2
    assert basin_state(mixed, ["river", "reservoir"]).cls == 4  # a lake among them: the lake limits
    with pytest.raises(ValueError, match="2 kinds for 1"):
        basin_state(lake, ["lake", "river"])
