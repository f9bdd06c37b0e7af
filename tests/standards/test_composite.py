import polars as pl
import pytest

from gongjian.analytics.ranking import improvement, rank
from gongjian.standards.composite import composite_index

ROW = {"pm25": [21.0], "pm10": [39.0], "so2": [9.0], "no2": [15.0], "o3_8h_p90": [192.0], "co_p95": [0.7]}


def test_published_example():
    """21/35 + 39/70 + 9/60 + 15/40 + 192/160 + 0.7/4 = 3.06 (air-quality.md §4.1)."""
    row = composite_index(pl.DataFrame(ROW)).row(0, named=True)
    assert row["composite_index"] == 3.06
    assert row["index_o3"] == 1.2 and row["index_primary"] == "O3"
    assert abs(sum(row[f"share_{i}"] for i in ("so2", "no2", "pm10", "pm25", "co", "o3")) - 100) < 0.3


def test_weights_and_divisors_are_configurable():
    weighted = composite_index(pl.DataFrame(ROW), weights={"pm25": 3, "no2": 2, "o3": 2})["composite_index"].item()
    # 3*0.6 + 2*0.375 + 2*1.2 + 0.5571 + 0.15 + 0.175 = 5.832 -> 5.83
    assert weighted == 5.83
    phase1 = composite_index(pl.DataFrame(ROW), divisors={"pm10": 60, "pm25": 30})["composite_index"].item()
    assert phase1 == round(21 / 30 + 39 / 60 + 9 / 60 + 15 / 40 + 192 / 160 + 0.7 / 4, 2)
    with pytest.raises(ValueError, match="unknown composite-index items"):
        composite_index(pl.DataFrame(ROW), weights={"pm1": 2})


def test_missing_statistic_gives_no_index():
    assert composite_index(pl.DataFrame({**ROW, "co_p95": [None]}))["composite_index"].item() is None


def test_rank_ties_and_direction():
    stats = pl.DataFrame({"station": list("ABCDE"), "composite_index": [4.1, 3.9, 4.1, None, 5.0],
                          "good_ratio": [80.0, 70.0, 90.0, 85.0, 80.0]})
    assert rank(stats, "composite").select("station", "rank").rows() == [
        ("B", 1), ("A", 2), ("C", 2), ("E", 4), ("D", None)]
    assert rank(stats, "good_ratio").select("station", "rank").rows()[:3] == [("C", 1), ("D", 2), ("A", 3)]
    with pytest.raises(ValueError):
        rank(stats, "wind")


def test_improvement_rate():
    current = pl.DataFrame({"station": ["A", "B"], "composite_index": [4.5, 6.0]})
    base = pl.DataFrame({"station": ["A", "B"], "composite_index": [5.0, 6.0]})
    ranked = rank(improvement(current, base, "station"), "improvement")
    assert ranked.select("station", "improvement", "rank").rows() == [("A", -10.0, 1), ("B", 0.0, 2)]


def test_divisors_are_the_gb3095_grade_ii_limits():
    """环办监测〔2018〕19号: annual limits for SO2, NO2, PM10, PM2.5, the daily limit for CO and the
    8-hour limit for O3; GB 3095-2012 Table 1 and GB 3095-2026 Table 1, transition and final Grade II
    (shared/standards/air-quality.md §2.2)."""
    from gongjian.standards.composite import DIVISORS_2018, limit_divisors

    assert DIVISORS_2018 == {"so2": 60, "no2": 40, "pm10": 70, "pm25": 35, "co": 4, "o3": 160}
    assert limit_divisors("2026-1") == {"so2": 60, "no2": 40, "pm10": 60, "pm25": 30, "co": 4, "o3": 160}
    assert limit_divisors("2026-2") == {"so2": 20, "no2": 30, "pm10": 50, "pm25": 25, "co": 4, "o3": 160}
    with pytest.raises(ValueError, match="unknown GB 3095 phase"):
        limit_divisors("2018")
