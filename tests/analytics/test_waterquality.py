"""Surface-water evaluation of sample frames: section-month classes against an independent per-row
reference, and the rates, proportion method and rankings on a set computed by hand."""

import datetime as dt
import random
from fractions import Fraction

import polars as pl
import pytest

from gongjian.analytics import waterquality as wq

# A reference table for the items used, typed from water-quality.md §1 (upper limits, Ⅰ..Ⅴ).
UPPER = {"codmn": ["2", "4", "6", "10", "15"], "cod": ["15", "15", "20", "30", "40"],
         "nh3n": ["0.15", "0.5", "1.0", "1.5", "2.0"], "tp": ["0.02", "0.1", "0.2", "0.3", "0.4"]}
LAKE_TP = ["0.01", "0.025", "0.05", "0.1", "0.2"]
DO = ["7.5", "6", "5", "3", "2"]


def reference_class(item, mean, kind):
    """The class of one item's mean, by the table above, in exact fractions."""
    if item == "ph":
        return 1 if 6 <= mean <= 9 else 6
    if item == "do":
        return next((c for c, b in enumerate(DO, 1) if mean >= Fraction(b)), 6)
    limits = LAKE_TP if item == "tp" and kind != "river" else UPPER[item]
    return next((c for c, b in enumerate(limits, 1) if mean <= Fraction(b)), 6)


def reference(rows):
    """Class per (section, month) by a plain loop over the rows: mean each item's results (half the
    detection limit for a result below it), class each mean, take the worst; TN is left out."""
    results = {}
    kinds = {}
    for r in rows:
        key = (r["section"], r["date"].year, r["date"].month)
        kinds[r["section"]] = r["kind"]
        value = Fraction(r["text"]) / (2 if r["below"] else 1)
        results.setdefault(key, {}).setdefault(r["item"], []).append(value)
    classes = {}
    for (section, year, month), items in results.items():
        worst = None
        for item, values in items.items():
            if item == "tn":
                continue
            c = reference_class(item, sum(values) / len(values), kinds[section])
            worst = c if worst is None else max(worst, c)
        classes[(section, f"{year}-M{month:02d}")] = worst
    return classes


def random_rows(seed):
    rng = random.Random(seed)
    choices = {
        "nh3n": ["0.1", "0.15", "0.16", "0.5", "0.51", "1.0", "1.01", "1.5", "1.51", "2.0", "2.01", "3.2"],
        "tp": ["0.01", "0.02", "0.025", "0.05", "0.06", "0.1", "0.2", "0.21", "0.3", "0.4", "0.45"],
        "codmn": ["1.5", "2", "4", "6", "6.1", "10", "15", "16"], "cod": ["10", "15", "20", "30", "40", "41"],
        "do": ["9", "7.5", "7.4", "6", "5", "4.9", "3", "2", "1.9"], "ph": ["5.9", "6", "7.3", "9", "9.1"],
        "tn": ["0.5", "1.2", "2.5"],
    }
    rows = []
    for s in range(8):
        kind = ["river", "lake", "reservoir"][s % 3]
        for month in range(1, 7):
            for item in rng.sample(sorted(choices), rng.randint(1, len(choices))):
                for day in rng.sample(range(1, 28), rng.randint(1, 3)):
                    below = item in ("nh3n", "tp") and rng.random() < 0.1
                    rows.append({"section": f"S{s}", "date": dt.date(2024, month, day), "item": item, "kind": kind,
                                 "text": rng.choice(choices[item]), "below": below})
    return rows


def frame(rows):
    return pl.DataFrame({"section": [r["section"] for r in rows], "date": [r["date"] for r in rows],
                         "item": [r["item"] for r in rows], "value": [float(r["text"]) for r in rows],
                         "below_limit": [r["below"] for r in rows], "kind": [r["kind"] for r in rows]})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_section_month_class_against_a_per_row_reference(seed):
    rows = random_rows(seed)
    got = wq.section_periods(frame(rows), "month")
    expected = reference(rows)
    assert {(r["section"], r["period"]): r["class"] for r in got.iter_rows(named=True)} == expected
    assert got.height == len(expected) > 40


def test_means_land_on_limits_and_below_limit_is_half():
    d = dt.date
    samples = pl.DataFrame({
        "section": ["A"] * 5, "date": [d(2024, 3, 1), d(2024, 3, 15), d(2024, 3, 2), d(2024, 3, 16), d(2024, 4, 1)],
        "item": ["tp", "tp", "nh3n", "nh3n", "nh3n"], "value": [0.1, 0.3, 0.9, 0.2, 0.4],
        "below_limit": [False, False, False, True, False]})
    means = wq.period_means(samples, "month")
    assert means.filter(pl.col("item") == "tp")["value"].to_list() == [0.2]  # not 0.19999999999999998
    assert means.filter((pl.col("item") == "nh3n") & (pl.col("period") == "2024-M03"))["value"].to_list() == [0.5]
    e = wq.section_periods(samples, "month")
    assert e["class"].to_list() == [3, 2]  # March: TP 0.2 (Ⅲ), NH3-N (0.9 + 0.1) / 2 = 0.5 (Ⅱ); April Ⅱ
    quarter = wq.section_periods(samples, "quarter")
    assert (quarter["period"].to_list(), quarter["class"].to_list()) == (["2024-Q1", "2024-Q2"], [3, 2])


def test_time_column_and_missing_values():
    samples = pl.DataFrame({"section": ["A", "A"], "time": [dt.datetime(2024, 5, 1, 8), dt.datetime(2024, 5, 1, 9)],
                            "item": ["nh3n", "tp"], "value": [1.2, None]})
    e = wq.section_periods(samples, "month")
    assert (e["class"].to_list(), e["items"].to_list(), e["kind"].to_list()) == ([4], [1], ["river"])
    assert e["target"].to_list() == [None] and e["meets_target"].to_list() == [None]


def test_bad_frames_are_refused():
    d = dt.date(2024, 1, 1)
    with pytest.raises(ValueError, match="missing"):
        wq.section_periods(pl.DataFrame({"section": ["A"], "item": ["tp"], "value": [0.1]}), "month")
    with pytest.raises(ValueError, match="more than one kind"):
        wq.section_periods(pl.DataFrame({"section": ["A", "A"], "date": [d, d], "item": ["tp", "nh3n"],
                                         "value": [0.1, 0.1], "kind": ["river", "lake"]}), "month")
    with pytest.raises(ValueError, match="targets"):
        wq.section_periods(pl.DataFrame({"section": ["A", "A"], "date": [d, d], "item": ["tp", "nh3n"],
                                         "value": [0.1, 0.1], "target": [2, 3]}), "month")
    with pytest.raises(ValueError, match="unknown item"):
        wq.section_periods(pl.DataFrame({"section": ["A"], "date": [d], "item": ["x"], "value": [1.0]}), "month")


# --- a constructed set, computed by hand ----------------------------------------------------------
#
# January 2024, one sample per section and item, rivers. Classes and targets:
#   N1 nh3n 0.4  tp 0.08  -> Ⅱ, target Ⅲ: meets
#   N2 nh3n 0.9  tp 0.15  -> Ⅲ, target Ⅲ: meets
#   N3 nh3n 1.2  tp 0.25  -> Ⅳ, target Ⅲ: fails, NH3-N 0.20, TP 0.25 over Ⅲ
#   N4 nh3n 1.8  tp 0.1   -> Ⅴ, target Ⅳ: fails, NH3-N (1.8 - 1.5) / 1.5 = 0.20 over Ⅳ
#   N5 nh3n 2.5  do 1.5   -> 劣Ⅴ, target Ⅴ: fails, NH3-N (2.5 - 2.0) / 2.0 = 0.25, then DO (no multiple)
#   N6 nh3n 0.14 do 8     -> Ⅰ, no target
#   S1 nh3n 0.6           -> Ⅲ, target Ⅱ: fails, (0.6 - 0.5) / 0.5 = 0.20
#   S2 nh3n 1.4 tp 0.2    -> Ⅳ, target Ⅳ: meets
# Region north = N1..N6 (6 sections, the proportion method): Ⅰ–Ⅲ 3/6 = 50 % < 75 %, 劣Ⅴ 1/6 = 16.7 %
#   < 20 %: 轻度污染. Region south = S1, S2 (averaging): NH3-N (0.6 + 1.4) / 2 = 1.0 (Ⅲ), TP 0.2 (Ⅲ): Ⅲ 良好.
# Whole set: 8 sections; Ⅰ–Ⅲ 4 (N1, N2, N6, S1) = 50.0 %; 劣Ⅴ 1 = 12.5 %; targets 7, met 3 = 42.9 %.
# North: Ⅰ–Ⅲ 50.0 %, attainment 2/5 = 40.0 %; south: Ⅰ–Ⅲ 1/2 = 50.0 %, attainment 1/2 = 50.0 %.

SET = [
    ("N1", "nh3n", 0.4, 3), ("N1", "tp", 0.08, 3), ("N2", "nh3n", 0.9, 3), ("N2", "tp", 0.15, 3),
    ("N3", "nh3n", 1.2, 3), ("N3", "tp", 0.25, 3), ("N4", "nh3n", 1.8, 4), ("N4", "tp", 0.1, 4),
    ("N5", "nh3n", 2.5, 5), ("N5", "do", 1.5, 5), ("N6", "nh3n", 0.14, None), ("N6", "do", 8.0, None),
    ("S1", "nh3n", 0.6, 2), ("S2", "nh3n", 1.4, 4), ("S2", "tp", 0.2, 4),
]
MEMBERS = pl.DataFrame({"section": ["N1", "N2", "N3", "N4", "N5", "N6", "S1", "S2"],
                        "region": ["north"] * 6 + ["south"] * 2})


def constructed():
    return pl.DataFrame({"section": [r[0] for r in SET], "date": [dt.date(2024, 1, 10)] * len(SET),
                         "item": [r[1] for r in SET], "value": [r[2] for r in SET],
                         "target": [r[3] for r in SET]}, schema_overrides={"target": pl.Int8})


def test_constructed_set_classes_and_items_above_target():
    e = {r["section"]: r for r in wq.section_periods(constructed(), "month").iter_rows(named=True)}
    assert {s: r["class_code"] for s, r in e.items()} == {
        "N1": "II", "N2": "III", "N3": "IV", "N4": "V", "N5": "劣V", "N6": "I", "S1": "III", "S2": "IV"}
    assert {s: r["meets_target"] for s, r in e.items()} == {
        "N1": True, "N2": True, "N3": False, "N4": False, "N5": False, "N6": None, "S1": False, "S2": True}
    assert e["N3"]["above_target_text"] == "总磷 0.25倍; 氨氮 0.20倍"
    assert e["N4"]["above_target_text"] == "氨氮 0.20倍"
    assert e["N5"]["above_target_text"] == "氨氮 0.25倍; 溶解氧"  # both 劣Ⅴ: a multiple before none
    assert e["S1"]["above_target_text"] == "氨氮 0.20倍"
    assert e["N3"]["above_target"] == [{"item": "tp", "class": 4, "multiple": pytest.approx(0.25)},
                                       {"item": "nh3n", "class": 4, "multiple": pytest.approx(0.2)}]
    assert e["N5"]["status"] == "重度污染" and e["N6"]["status"] == "优"


def test_constructed_set_rates_by_hand():
    e = wq.section_periods(constructed(), "month")
    whole = wq.rates(e, by=()).row(0, named=True)
    assert whole == {"sections": 8, "iii_or_better": 4, "share_iii_or_better": 50.0, "worse_than_v": 1,
                     "share_worse_than_v": 12.5, "with_target": 7, "meeting_target": 3, "attainment": 42.9}
    monthly = wq.rates(e)
    assert monthly["period"].to_list() == ["2024-M01"] and monthly["attainment"].to_list() == [42.9]


def test_constructed_set_region_states_by_hand():
    states = {r["region"]: r for r in wq.region_states(wq.period_means(constructed(), "month"), MEMBERS).iter_rows(named=True)}
    assert (states["north"]["method"], states["north"]["status"], states["north"]["class"]) == ("proportion", "轻度污染", None)
    assert (states["south"]["method"], states["south"]["status"], states["south"]["class"]) == ("average", "良好", 3)


def test_constructed_set_ranking_by_hand():
    e = wq.section_periods(constructed(), "month")
    by_attainment = wq.rank_regions(e, MEMBERS, "attainment")
    assert by_attainment.select("region", "attainment", "rank").rows() == [("south", 50.0, 1), ("north", 40.0, 2)]
    by_share = wq.rank_regions(e, MEMBERS, "iii_or_better")
    assert by_share.select("region", "rank").rows() == [("north", 1), ("south", 1)]  # 50 % each: tied
    by_cwqi = wq.rank_regions(e, MEMBERS, "cwqi")
    # the constructed sections measure one or two of the 21 CWQI items: no section has an index
    # (a sum over fewer items is not comparable), so no region is ranked by it
    assert 1 <= e["cwqi_items"].min() and e["cwqi_items"].max() <= 2
    assert e["cwqi"].is_null().all()
    assert by_cwqi["cwqi"].is_null().all() and by_cwqi["rank"].is_null().all()
    with pytest.raises(ValueError, match="rank by"):
        wq.rank_regions(e, MEMBERS, "colour")


def test_decimals_round_the_mean_before_classification():
    samples = pl.DataFrame({"section": ["A", "A"], "date": [dt.date(2024, 1, 1), dt.date(2024, 1, 2)],
                            "item": ["nh3n", "nh3n"], "value": [1.0, 1.01]})
    assert wq.section_periods(samples, "month")["class"].to_list() == [4]  # 1.005
    assert wq.section_periods(samples, "month", decimals={"nh3n": 2})["class"].to_list() == [3]  # 1.00 half-even
