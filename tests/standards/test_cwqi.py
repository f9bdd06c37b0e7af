"""The city water-quality index: single-item indices, a section's sum, the city's weighting and
ΔCWQI, against values worked out by hand."""

import pytest

from gongjian.standards import cwqi


def test_the_method_is_flagged_unverified():
    assert cwqi.VERIFIED is False
    assert "环办监测〔2017〕51号" in cwqi.SOURCE
    assert len(cwqi.CWQI_ITEMS) == 21


@pytest.mark.parametrize(("key", "value", "kind", "expected"), [
    ("nh3n", 0.5, "river", 0.5),  # 0.5 / 1.0
    ("codmn", 9, "river", 1.5),  # 9 / 6
    ("tp", 0.1, "river", 0.5),  # 0.1 / 0.2
    ("tp", 0.1, "lake", 2.0),  # 0.1 / 0.05 (lake and reservoir TP)
    ("hg", 0.00005, "river", 0.5),  # 0.00005 / 0.0001
    ("do", 5, "river", 1.0), ("do", 10, "river", 0.5), ("do", 2.5, "river", 2.0),  # 5 / DO
    ("ph", 7, "river", 0.0), ("ph", 6, "river", 1.0), ("ph", 6.5, "river", 0.5),  # (7 - pH) / (7 - 6)
    ("ph", 9, "river", 1.0), ("ph", 8, "river", 0.5),  # (pH - 7) / (9 - 7)
])
def test_single_item_indices(key, value, kind, expected):
    assert cwqi.item_index(key, value, kind) == expected


def test_refused():
    with pytest.raises(ValueError, match="not one of the CWQI items"):
        cwqi.item_index("tn", 1.0, "lake")
    with pytest.raises(ValueError, match="dissolved oxygen of 0"):
        cwqi.item_index("do", 0)
    with pytest.raises(ValueError, match="negative"):
        cwqi.item_index("nh3n", -1)


def test_section_index_by_hand():
    values = {"ph": 7.6, "do": 6.25, "codmn": 4.2, "nh3n": 0.35, "tp": 0.12, "tn": 3.0, "fecal_coliform": 9000}
    # 0.3 + 0.8 + 0.7 + 0.35 + 0.6 = 2.75; TN and faecal coliform are not CWQI items
    assert cwqi.section_index(values, partial=True) == 2.75
    assert cwqi.section_result(values) == (2.75, 5, False)
    assert cwqi.section_index(values) is None  # 5 of the 21 items: no index
    assert cwqi.section_index({"tn": 1.0}) is None and cwqi.section_index({"tn": 1.0}, partial=True) is None


def test_a_section_measuring_nine_items_does_not_beat_one_of_twenty_one():
    every = {k: cwqi.gb3838.limit(k, 1) for k in cwqi.CWQI_ITEMS if k not in ("ph", "do")} | {"ph": 7.0, "do": 7.5}
    # every item at its class Ⅰ limit: each upper-limited item C_I / C_III, DO 5 / 7.5, pH 0
    expected = sum(cwqi.gb3838.limit(k, 1) / cwqi.gb3838.limit(k, 3) for k in every if k not in ("ph", "do")) + 5 / 7.5
    full = cwqi.section_result(every)
    assert full.items == 21 and full.complete and full.index == pytest.approx(expected)
    assert cwqi.section_index(every) == pytest.approx(expected)
    nine = dict(list(every.items())[:9])
    assert cwqi.section_result(nine).items == 9 and not cwqi.section_result(nine).complete
    assert cwqi.section_index(nine) is None  # a smaller sum, but not comparable: no index


def test_city_index_weights_rivers_and_lakes_by_their_sections():
    rivers, lakes = [2.0, 3.0, 4.0], [6.0]
    # rivers' mean 3.0 on 3 sections, lakes' 6.0 on 1: (3.0 × 3 + 6.0 × 1) / 4 = 3.75
    assert cwqi.city_index(rivers, lakes) == 3.75
    assert cwqi.city_index([2.0, None]) == 2.0
    assert cwqi.city_index([], []) is None
    assert cwqi.mean_index([1.0, 2.0, None]) == 1.5


def test_change():
    assert cwqi.change(3.6, 4.0) == -10.0  # (3.6 - 4.0) / 4.0 × 100
    assert cwqi.change(5.0, 4.0) == 25.0
    assert cwqi.change(1.0, 0) is None and cwqi.change(1.0, None) is None
