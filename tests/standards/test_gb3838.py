"""GB 3838-2002 Table 1 classes and the 环办〔2011〕22号 section, basin and rate rules.

The table below is typed again from shared/standards/water-quality.md §1, independently of the
module, and the reference class is computed from it with exact fractions.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from gongjian.standards import gb3838
from gongjian.standards.gb3838 import (
    EVALUATED_ITEMS,
    WORSE_THAN_V,
    attainment_rate,
    basin_state,
    exceedance_multiple,
    exceedances,
    item_class,
    percent,
    period_mean,
    proportion_status,
    section_class,
    share_iii_or_better,
    share_worse_than_v,
)

UPPER = {
    "codmn": ["2", "4", "6", "10", "15"], "cod": ["15", "15", "20", "30", "40"], "bod5": ["3", "3", "4", "6", "10"],
    "nh3n": ["0.15", "0.5", "1.0", "1.5", "2.0"], "tp": ["0.02", "0.1", "0.2", "0.3", "0.4"],
    "tn": ["0.2", "0.5", "1.0", "1.5", "2.0"], "cu": ["0.01", "1.0", "1.0", "1.0", "1.0"],
    "zn": ["0.05", "1.0", "1.0", "2.0", "2.0"], "fluoride": ["1.0", "1.0", "1.0", "1.5", "1.5"],
    "se": ["0.01", "0.01", "0.01", "0.02", "0.02"], "as": ["0.05", "0.05", "0.05", "0.1", "0.1"],
    "hg": ["0.00005", "0.00005", "0.0001", "0.001", "0.001"], "cd": ["0.001", "0.005", "0.005", "0.005", "0.01"],
    "cr6": ["0.01", "0.05", "0.05", "0.05", "0.1"], "pb": ["0.01", "0.01", "0.05", "0.05", "0.1"],
    "cyanide": ["0.005", "0.05", "0.2", "0.2", "0.2"], "volatile_phenol": ["0.002", "0.002", "0.005", "0.01", "0.1"],
    "petroleum": ["0.05", "0.05", "0.05", "0.5", "1.0"], "las": ["0.2", "0.2", "0.2", "0.3", "0.3"],
    "sulfide": ["0.05", "0.1", "0.2", "0.5", "1.0"], "fecal_coliform": ["200", "2000", "10000", "20000", "40000"],
}
LAKE_TP = ["0.01", "0.025", "0.05", "0.1", "0.2"]
DO = ["7.5", "6", "5", "3", "2"]
PAST = Decimal("0.0000001")


def reference_upper(limits, value):
    c = Fraction(value)
    return next((i for i, b in enumerate(limits, 1) if c <= Fraction(b)), 6)


def boundary_cases():
    for item, limits in UPPER.items():
        kinds = ["lake"] if item == "tn" else ["river", "lake"] if item != "tp" else []
        for kind in kinds:
            yield item, kind, limits
    yield "tp", "river", UPPER["tp"]
    yield "tp", "lake", LAKE_TP
    yield "tp", "reservoir", LAKE_TP


@pytest.mark.parametrize(("item", "kind", "limits"), list(boundary_cases()))
def test_every_limit_at_and_just_past_each_boundary(item, kind, limits):
    for b in limits:
        at, past = Decimal(b), Decimal(b) + PAST
        assert item_class(item, float(at), kind) == reference_upper(limits, at), (item, kind, b)
        assert item_class(item, float(past), kind) == reference_upper(limits, past), (item, kind, b)


@pytest.mark.parametrize(("value", "expected"), [
    (0, 1), (0.15, 1), (0.16, 2), (0.5, 2), (0.51, 3), (1.0, 3), (1.01, 4), (1.5, 4), (1.51, 5), (2.0, 5), (2.01, 6),
])
def test_ammonia_nitrogen_by_hand(value, expected):
    assert item_class("nh3n", value) == expected


@pytest.mark.parametrize(("value", "river", "lake"), [
    (0.01, 1, 1), (0.011, 1, 2), (0.02, 1, 2), (0.025, 2, 2), (0.03, 2, 3), (0.05, 2, 3), (0.06, 2, 4),
    (0.1, 2, 4), (0.15, 3, 5), (0.2, 3, 5), (0.25, 4, 6), (0.3, 4, 6), (0.4, 5, 6), (0.41, 6, 6),
])
def test_total_phosphorus_river_against_lake(value, river, lake):
    assert item_class("tp", value, "river") == river
    assert item_class("tp", value, "lake") == lake
    assert item_class("tp", value, "reservoir") == lake


@pytest.mark.parametrize(("value", "expected"), [
    (9.0, 1), (7.5, 1), (7.49, 2), (6, 2), (5.99, 3), (5, 3), (4.99, 4), (3, 4), (2.99, 5), (2, 5), (1.99, 6), (0, 6),
])
def test_dissolved_oxygen_is_a_lower_limit(value, expected):
    assert item_class("do", value) == expected


def test_dissolved_oxygen_class_one_by_saturation():
    assert item_class("do", 7.0, saturation=90) == 1
    assert item_class("do", 7.0, saturation=89.9) == 2


@pytest.mark.parametrize(("value", "expected"), [(5.99, 6), (6, 1), (7.2, 1), (9, 1), (9.01, 6), (0, 6), (14, 6)])
def test_ph_range(value, expected):
    assert item_class("ph", value) == expected


def test_shared_limits_give_the_best_class():
    assert item_class("cod", 15) == 1
    assert item_class("cod", 15.1) == 3
    assert item_class("cyanide", 0.2) == 3
    assert item_class("cyanide", 0.21) == 6


@pytest.mark.parametrize(("item", "value", "kind", "message"), [
    ("chlorophyll", 1, "river", "unknown"), ("nh3n", -0.1, "river", "negative"), ("ph", 14.5, "river", "0–14"),
    ("ph", -1, "river", "negative"), ("tn", 1.0, "river", "lakes and reservoirs"),
    ("water_temperature", 20, "river", "no class"), ("nh3n", 1, "sea", "kind"),
])
def test_bad_input_is_refused(item, value, kind, message):
    with pytest.raises(ValueError, match=message):
        item_class(item, value, kind)


def test_missing_value_is_no_data():
    assert item_class("nh3n", None) is None


def test_evaluated_items_are_the_21_without_temperature_tn_and_coliform():
    assert len(EVALUATED_ITEMS) == 21
    assert not {"water_temperature", "tn", "fecal_coliform"} & set(EVALUATED_ITEMS)


def test_worst_item_decides_and_excluded_items_do_not():
    values = {"ph": 7.5, "do": 6.5, "codmn": 5, "nh3n": 1.2, "tp": 0.28, "water_temperature": 31,
              "tn": 9.0, "fecal_coliform": 100000}
    r = section_class(values, "river")
    assert (r.cls, r.deciding) == (4, ("nh3n", "tp"))
    assert r.status.name_zh == "轻度污染"
    assert r.tn_class is None  # a river's TN is not classed
    assert r.fecal_coliform_class == WORSE_THAN_V


def test_lake_total_nitrogen_is_reported_separately():
    r = section_class({"do": 8, "codmn": 1.5, "tp": 0.01, "tn": 1.2}, "lake")
    assert (r.cls, r.deciding, r.tn_class) == (1, ("do", "codmn", "tp"), 4)
    assert r.status.name_zh == "优"


def test_low_dissolved_oxygen_can_decide_a_section():
    r = section_class({"do": 1.5, "nh3n": 1.8}, "river")
    assert (r.cls, r.deciding) == (6, ("do",))
    assert r.status.name_zh == "重度污染"


def test_section_without_evaluated_data_is_no_data():
    r = section_class({"tn": 1.0, "nh3n": None}, "lake")
    assert (r.cls, r.deciding, r.status) == (None, (), None)
    with pytest.raises(ValueError, match="unknown"):
        section_class({"turbidity": 3})


@pytest.mark.parametrize(("cls", "name"), [(1, "优"), (2, "优"), (3, "良好"), (4, "轻度污染"), (5, "中度污染"),
                                           (6, "重度污染")])
def test_status_names(cls, name):
    assert gb3838.status(cls).name_zh == name
    assert gb3838.CLASS_NAMES[6] == "劣Ⅴ"


def test_exceedance_multiples():
    assert exceedance_multiple("nh3n", 2.3) == 1.3  # (2.3 - 1.0) / 1.0
    assert exceedance_multiple("tp", 0.3, 2) == 2.0  # (0.3 - 0.1) / 0.1
    assert exceedance_multiple("tp", 0.06, 3, "lake") == pytest.approx(0.2)
    assert exceedance_multiple("codmn", 6) is None  # at the limit, not over
    assert exceedance_multiple("do", 1.0) is None
    assert exceedance_multiple("ph", 10) is None
    assert exceedance_multiple("nh3n", None) is None


def test_exceedances_against_a_target_class():
    values = {"ph": 9.5, "do": 4, "nh3n": 2.5, "tp": 0.15, "codmn": 7}
    assert exceedances(values, 3) == {"ph": None, "nh3n": 1.5, "do": None, "codmn": pytest.approx(1 / 6)}
    assert exceedances(values, 2) == {"ph": None, "nh3n": 4.0, "do": None, "codmn": 0.75, "tp": 0.5}


def test_period_mean_lands_on_the_limit():
    assert period_mean([0.1, 0.2, 0.3]) == 0.2
    assert item_class("tp", period_mean([0.1, 0.3])) == 3
    assert period_mean([None, None]) is None


def classes(good, iv_v, worst):
    """Sections: ``good`` at Ⅱ, ``iv_v`` at Ⅳ, ``worst`` at 劣Ⅴ."""
    return [2] * good + [4] * iv_v + [6] * worst


@pytest.mark.parametrize(("sections", "name"), [
    (classes(9, 1, 0), "优"),  # 90 %
    (classes(17, 3, 0), "良好"),  # 85 %
    (classes(3, 1, 0), None),  # 4 sections: not the proportion method
    (classes(3, 1, 0) + [3], "良好"),  # 5 sections, 80 %
    (classes(15, 5, 0), "良好"),  # 75 %
    (classes(3, 2, 0), "轻度污染"),  # 5 sections, 60 %
    (classes(74, 26, 0), "轻度污染"),  # 74 %
    (classes(70, 11, 19), "轻度污染"),  # 劣Ⅴ 19 %
    (classes(70, 10, 20), "中度污染"),  # 劣Ⅴ 20 %
    (classes(50, 11, 39), "中度污染"),
    (classes(50, 10, 40), "重度污染"),  # 劣Ⅴ 40 %
    (classes(3, 0, 2), "重度污染"),  # the 60 % / 40 % case
])
def test_proportion_method_boundaries(sections, name):
    if name is None:
        with pytest.raises(ValueError, match="at least 5"):
            proportion_status(sections)
    else:
        assert proportion_status(sections).name_zh == name


def test_basin_state_averages_fewer_than_five_sections():
    sections = [{"nh3n": 0.8, "tp": 0.1}, {"nh3n": 1.4, "tp": 0.1}, {"nh3n": None}]
    r = basin_state(sections)  # NH3-N mean 1.1: Ⅳ
    assert (r.cls, r.status.name_zh) == (4, "轻度污染")
    five = [{"nh3n": 0.4}] * 4 + [{"nh3n": 3}]
    assert basin_state(five).status.name_zh == "良好" and basin_state(five).cls is None
    assert basin_state([{"tn": 1}]).status is None


def test_reporting_rates_by_hand():
    got = [1, 2, 3, 3, 4, 5, 6, 6, None, 3]  # 9 evaluated: 5 at Ⅲ or better, 2 劣Ⅴ
    assert share_iii_or_better(got) == Fraction(5, 9)
    assert share_worse_than_v(got) == Fraction(2, 9)
    assert percent(share_iii_or_better(got)) == Decimal("55.6")
    assert percent(share_worse_than_v(got)) == Decimal("22.2")
    assert share_iii_or_better([None]) is None and percent(None) is None
    pairs = [(3, 3), (4, 3), (2, 2), (3, 2), (None, 3), (6, 5)]
    assert attainment_rate(pairs) == Fraction(2, 5)
    assert percent(Fraction(1, 8)) == Decimal("12.5")
    assert percent(Fraction(1, 16)) == Decimal("6.2")  # 6.25 half to even
    with pytest.raises(ValueError, match="target"):
        attainment_rate([(3, 6)])


# --- lower limit and range at and just past each boundary -------------------------------------------

@pytest.mark.parametrize("kind", ["river", "lake", "reservoir"])
def test_dissolved_oxygen_at_and_just_below_each_boundary(kind):
    for cls, bound in enumerate(DO, 1):
        assert item_class("do", float(Decimal(bound)), kind) == cls
        assert item_class("do", float(Decimal(bound) - PAST), kind) == (cls + 1 if cls < 5 else WORSE_THAN_V)


@pytest.mark.parametrize("bound", ["6", "9"])
def test_ph_at_and_just_past_the_range(bound):
    inside = Decimal(bound)
    outside = inside - PAST if bound == "6" else inside + PAST
    assert item_class("ph", float(inside)) == 1
    assert item_class("ph", float(outside)) == WORSE_THAN_V


# --- Table 2, names, codes and units --------------------------------------------------------------

TABLE_2 = {"sulfate": "250", "chloride": "250", "nitrate": "10", "fe": "0.3", "mn": "0.1"}  # mg/L


def test_table_2_items_are_marked_and_have_their_limits():
    assert {k: it.table for k, it in gb3838.SUPPLEMENTARY_ITEMS.items()} == dict.fromkeys(TABLE_2, 2)
    assert {k: it.limits for k, it in gb3838.SUPPLEMENTARY_ITEMS.items()} == {k: (float(v),) for k, v in TABLE_2.items()}
    assert all(it.table == 1 for it in gb3838.ITEMS.values())
    assert not set(TABLE_2) & set(EVALUATED_ITEMS)  # never in the section class


@pytest.mark.parametrize(("name", "key"), [
    ("高锰酸盐指数", "codmn"), ("化学需氧量", "cod"), ("氨氮", "nh3n"), ("总磷", "tp"), ("总氮", "tn"), ("溶解氧", "do"),
    ("pH值", "ph"), ("pH", "ph"), ("PH", "ph"), ("总磷（以P计）", "tp"), ("总磷(以P计)", "tp"), ("NH3-N", "nh3n"),
    ("CODMn", "codmn"), ("COD", "cod"), ("BOD5", "bod5"), ("五日生化需氧量", "bod5"), ("六价铬", "cr6"),
    ("铬（六价）", "cr6"), ("粪大肠菌群", "fecal_coliform"), ("石油类", "petroleum"), ("阴离子表面活性剂", "las"),
    ("总汞", "hg"), ("汞", "hg"), ("氟化物（以F-计）", "fluoride"), ("硫酸盐", "sulfate"), ("锰", "mn"),
    ("硝酸盐（以N计）", "nitrate"), (" 氨氮 ", "nh3n"), ("w21003", "nh3n"), ("tp", "tp"),
])
def test_item_for_name_accepts_the_usual_spellings(name, key):
    assert gb3838.item_for_name(name).key == key


def test_item_for_name_refuses_others():
    with pytest.raises(ValueError, match="not a GB 3838 item"):
        gb3838.item_for_name("叶绿素a")
    with pytest.raises(ValueError, match="HJ 212 code"):
        gb3838.item_for_name("w99999")


# HJ 212-2017 codes and the units they arrive in, typed again from water-quality.md §1
CODES = {
    "w01001": ("ph", ""), "w01009": ("do", "mg/L"), "w01019": ("codmn", "mg/L"), "w01018": ("cod", "mg/L"),
    "w01017": ("bod5", "mg/L"), "w21003": ("nh3n", "mg/L"), "w21011": ("tp", "mg/L"), "w21001": ("tn", "mg/L"),
    "w20122": ("cu", "mg/L"), "w20123": ("zn", "mg/L"), "w21017": ("fluoride", "mg/L"), "w20128": ("se", "ug/L"),
    "w20119": ("as", "ug/L"), "w20141": ("as", "mg/L"), "w20111": ("hg", "ug/L"), "w20142": ("hg", "ug/L"),
    "w20115": ("cd", "ug/L"), "w20143": ("cd", "ug/L"), "w20117": ("cr6", "ug/L"), "w20120": ("pb", "ug/L"),
    "w20144": ("pb", "mg/L"), "w21016": ("cyanide", "mg/L"), "w23002": ("volatile_phenol", "mg/L"),
    "w22001": ("petroleum", "mg/L"), "w19002": ("las", "mg/L"), "w21019": ("sulfide", "mg/L"),
    "w02003": ("fecal_coliform", "个/L"), "w01010": ("water_temperature", "°C"),
}


@pytest.mark.parametrize(("code", "expected"), list(CODES.items()))
def test_codes_map_to_items_and_units(code, expected):
    assert (gb3838.item_for_code(code).key, gb3838.code_unit(code)) == expected


def test_unknown_code_is_refused():
    with pytest.raises(ValueError, match="not an HJ 212 code"):
        gb3838.item_for_code("a21026")


def test_microgram_codes_convert_to_the_table_1_unit():
    from gongjian.standards.units import water_factor

    # 0.2 µg/L of mercury is 0.0002 mg/L: class Ⅳ (Ⅲ is 0.0001)
    value = 0.2 * water_factor(gb3838.code_unit("w20111"), gb3838.ITEMS["hg"].unit)
    assert item_class("hg", round(value, 12)) == 4
    assert water_factor("µg/L", "mg/L") == 0.001 and water_factor("毫克/升", "mg/L") == 1.0
    with pytest.raises(ValueError, match="not a unit of this item"):
        water_factor("mg/L", "")  # pH is dimensionless
    with pytest.raises(ValueError, match="unknown water unit"):
        water_factor("ppm", "mg/L")


@pytest.mark.parametrize(("text", "cls"), [
    ("I", 1), ("Ⅱ", 2), ("Ⅲ类", 3), ("iii", 3), ("3", 3), (" IV ", 4), ("Ⅴ类", 5), ("劣V", 6), ("劣Ⅴ", 6), ("劣Ⅴ类", 6)])
def test_class_labels(text, cls):
    assert gb3838.parse_class(text) == cls
    assert gb3838.parse_class(gb3838.class_code(cls)) == cls


@pytest.mark.parametrize("text", ["VI", "0", "6", "", "III类水"])
def test_bad_class_labels(text):
    with pytest.raises(ValueError, match="not a water-quality class"):
        gb3838.parse_class(text)


def test_class_codes_are_plain_text():
    assert [gb3838.class_code(c) for c in range(1, 7)] == ["I", "II", "III", "IV", "V", "劣V"]
    assert gb3838.class_code(None) is None


# --- below the detection limit --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "reading", "statistic"), [
    ("0.01L", gb3838.Reading(None, True, 0.01), 0.005), ("0.05l", gb3838.Reading(None, True, 0.05), 0.025),
    ("<0.02", gb3838.Reading(None, True, 0.02), 0.01), ("＜ 0.004", gb3838.Reading(None, True, 0.004), 0.002),
    ("ND", gb3838.Reading(None, True, None), None), ("未检出", gb3838.Reading(None, True, None), None),
    ("1.25", gb3838.Reading(1.25), 1.25), ("", gb3838.Reading(None), None), ("-0.1", gb3838.Reading(-0.1), -0.1),
])
def test_readings(text, reading, statistic):
    got = gb3838.parse_reading(text)
    assert got == reading
    assert got.statistic() == statistic


def test_half_the_limit_is_the_rule_and_a_parameter():
    assert gb3838.ND_FACTOR == Fraction(1, 2)
    assert gb3838.parse_reading("0.03L").statistic(Fraction(1, 1)) == 0.03
    # half of 0.03 exactly, not 0.015000000000000001
    assert gb3838.parse_reading("0.03L").statistic() == 0.015


@pytest.mark.parametrize("text", ["abc", "0L", "<-1", "1e400", "nan", "L"])
def test_bad_readings(text):
    with pytest.raises(ValueError):
        gb3838.parse_reading(text)


# --- drinking-water sources -----------------------------------------------------------------------

def test_source_compliant_at_the_limits():
    at = {"nh3n": 1.0, "tp": 0.2, "do": 5, "ph": 9, "sulfate": 250, "chloride": 250, "nitrate": 10, "fe": 0.3, "mn": 0.1}
    assert gb3838.source_compliant(at) == (True, {})


def test_source_compliant_lists_the_failing_items_with_multiples():
    result = gb3838.source_compliant({"nh3n": 1.2, "do": 4.5, "tp": 0.1, "fe": 0.45, "mn": 0.1, "tn": 3.0,
                                      "fecal_coliform": 50000})
    assert result.compliant is False
    assert result.failing == {"do": None, "nh3n": pytest.approx(0.2), "fe": pytest.approx(0.5)}


def test_source_compliant_uses_the_lake_phosphorus_limit():
    assert gb3838.source_compliant({"tp": 0.06}, "reservoir").failing == {"tp": pytest.approx(0.2)}
    assert gb3838.source_compliant({"tp": 0.06}, "river").compliant is True


def test_source_with_nothing_judged_is_no_data():
    assert gb3838.source_compliant({"tn": 1.0, "nh3n": None}) == (None, {})
    with pytest.raises(ValueError, match="negative"):
        gb3838.source_compliant({"mn": -0.1})
    with pytest.raises(ValueError, match="unknown"):
        gb3838.source_compliant({"chlorophyll": 1})


def test_section_class_ignores_table_2_items():
    r = section_class({"nh3n": 0.4, "mn": 5.0})
    assert (r.cls, r.deciding) == (2, ("nh3n",))


def test_units_of_items():
    assert (gb3838.ITEMS["ph"].unit, gb3838.ITEMS["fecal_coliform"].unit, gb3838.ITEMS["water_temperature"].unit) == (
        "", "个/L", "°C")
    assert {it.unit for k, it in gb3838.ALL_ITEMS.items() if k not in {"ph", "fecal_coliform", "water_temperature"}} == {"mg/L"}
