"""HJ 663 / GB 3095 validity and statistics at every edge, on synthetic hours."""

import datetime as dt

import polars as pl
import pytest

from gongjian.analytics.airquality import assign_periods, daily_aqi, period_evaluation
from gongjian.standards import gb3095, hj663
from gongjian.standards.editions import edition_for, limits_phase, period_edition
from tests.standards import reference

DAY = dt.date(2024, 3, 5)


def hours(values: dict[str, list], day=DAY, station="S"):
    """One station-day; each pollutant a list of 24 values (None = missing); others 10 (CO 0.5)."""
    rows = []
    for h in range(24):
        row = {"station": station, "time": dt.datetime.combine(day, dt.time(h))}
        for p in hj663.POLLUTANTS:
            series = values.get(p)
            default = 0.5 if p == "co" else 10.0
            row[p] = float(series[h]) if series is not None and series[h] is not None else (None if series else default)
        rows.append(row)
    return pl.DataFrame(rows, schema={"station": pl.String, "time": pl.Datetime("us"),
                                      **{p: pl.Float64 for p in hj663.POLLUTANTS}})


def one_day(values, **kw):
    return hj663.daily_values(hours(values, **kw)).collect().row(0, named=True)


@pytest.mark.parametrize(("valid_hours", "valid"), [(19, False), (20, True), (24, True)])
def test_daily_mean_needs_20_hours(valid_hours, valid):
    row = one_day({"pm25": [50] * valid_hours + [None] * (24 - valid_hours)})
    assert (row["pm25"] is not None) is valid
    assert row["hours_pm25"] == valid_hours
    if not valid:
        assert "pm25: 19 valid hours < 20" in row["invalid"]


def test_daily_mean_is_rounded_half_even():
    # 12 hours at 35 and 12 at 36: mean 35.5 -> 36 (even); 36/37 -> 36.5 -> 36
    assert one_day({"pm25": [35] * 12 + [36] * 12})["pm25"] == 36
    assert one_day({"pm25": [36] * 12 + [37] * 12})["pm25"] == 36
    assert one_day({"co": [1.2] * 12 + [1.3] * 12})["co"] == 1.2  # 1.25 -> 1.2


@pytest.mark.parametrize(("valid_in_window", "expected"), [(5, None), (6, 100)])
def test_eight_hour_mean_needs_six_hours(valid_in_window, expected):
    """Only the window ending 23:00-ish can see the high values: hours 16..23 hold them."""
    o3 = [10] * 16 + [100] * valid_in_window + [None] * (8 - valid_in_window)
    daily = hj663.daily_values(hours({"o3": o3})).collect().row(0, named=True)
    # the window over hours 16..23 is valid only with >= 6 values; then the MDA8 is 100
    assert (daily["o3_8h"] == 100) is (expected == 100)


@pytest.mark.parametrize(("valid_windows", "valid"), [(13, False), (14, True)])
def test_mda8_needs_14_of_17_windows(valid_windows, valid):
    # windows end at 07..23; hours 0..23 all valid give 17; blanking the early hours removes windows
    o3 = [60.0] * 24
    missing = 17 - valid_windows
    # a window ending at h needs >= 6 valid of h-7..h: blank hours 0..(missing+2) to kill the first windows
    for h in range(missing + 2):
        o3[h] = None
    row = one_day({"o3": o3})
    assert row["windows_o3_8h"] == valid_windows
    assert (row["o3_8h"] is not None) is valid


def test_mda8_with_few_windows_is_valid_above_the_limit():
    o3 = [None] * 12 + [200.0] * 12  # windows ending 17..23 valid: 7 < 14, but the maximum is 200 > 160
    row = one_day({"o3": o3})
    assert row["windows_o3_8h"] == 7 and row["o3_8h"] == 200


def test_mda8_windows_stay_inside_the_natural_day():
    previous = hours({"o3": [500.0] * 24}, day=DAY - dt.timedelta(days=1))
    today = hours({"o3": [50.0] * 24})
    rows = hj663.daily_values(pl.concat([previous, today])).collect()
    assert rows.filter(pl.col("date") == DAY)["o3_8h"].item() == 50  # no window reaches into yesterday


def test_o3_daily_max_one_hour():
    assert one_day({"o3": [30] * 23 + [150]})["o3_1h"] == 150
    assert one_day({"o3": [30] * 19 + [None] * 5})["o3_1h"] is None
    assert one_day({"o3": [210] * 5 + [None] * 19})["o3_1h"] == 210  # above the 1-hour limit


def test_missing_hours_rows_are_gaps_not_shifts():
    """A day with absent rows (not nulls) evaluates as if the hours were null."""
    full = hours({"o3": [float(h) * 10 for h in range(24)]})
    sparse = full.filter(~pl.col("time").dt.hour().is_in([3, 9]))
    a = hj663.daily_values(full.with_columns(pl.when(pl.col("time").dt.hour().is_in([3, 9])).then(None)
                                             .otherwise(pl.col(p)).alias(p) for p in hj663.POLLUTANTS)).collect()
    b = hj663.daily_values(sparse).collect()
    assert a.drop("invalid").equals(b.drop("invalid"))


def test_matches_the_reference_on_random_days():
    import random

    rng = random.Random(7)
    frames = []
    for d in range(40):
        day = DAY + dt.timedelta(days=d)
        values = {p: [None if rng.random() < 0.12 else round(rng.uniform(0, 300 if p != "co" else 6), 1)
                      for _ in range(24)] for p in hj663.POLLUTANTS}
        frames.append(hours(values, day=day))
    data = pl.concat(frames)
    rows = [(r["station"], r["time"], {p: r[p] for p in hj663.POLLUTANTS}) for r in data.iter_rows(named=True)]
    for edition in ("2012", "2026"):
        ours = daily_aqi(data, edition).iter_rows(named=True)
        ref = reference.evaluate(rows, edition)
        for row in ours:
            values, aqi, primary = ref[("S", row["date"])]
            for p in ("so2", "no2", "co", "pm10", "pm25", "o3_1h", "o3_8h"):
                assert row[p] == values[p], (row["date"], p)
            assert row["aqi"] == aqi and sorted(row["primary_pollutants"] or []) == sorted(primary), row["date"]


def test_spatial_mean_averages_hours_first():
    a = hours({"pm25": [10.0] * 24}, station="A")
    b = hours({"pm25": [30.0] * 12 + [None] * 12}, station="B")
    membership = pl.DataFrame({"station": ["A", "B"], "region": ["R", "R"]})
    region = hj663.spatial_mean(pl.concat([a, b]), membership).collect()
    assert region["pm25"].to_list() == [20.0] * 12 + [10.0] * 12
    daily = hj663.daily_values(region, key="region").collect().row(0, named=True)
    assert daily["pm25"] == 15  # not (10 + invalid B)/... : the region's own hourly series


def _year(day_count_by_month: dict[int, int], year=2016, value=40.0):
    rows = []
    for month, count in day_count_by_month.items():
        for d in range(1, count + 1):
            rows.append({"station": "S", "date": dt.date(year, month, d), "so2": 10, "no2": 30, "co": 1.0,
                         "o3_1h": 100, "o3_8h": 100, "pm10": 70, "pm25": value, "aqi": 80})
    return pl.DataFrame(rows)


@pytest.mark.parametrize(("days", "valid"), [
    ({m: 27 for m in range(1, 13)} | {2: 25}, True),     # 27 a month, 25 in February, 324 in all? 27*11+25=322
])
def test_year_needs_324_days(days, valid):
    stats = period_evaluation(assign_periods(_year(days), "year"), "year").row(0, named=True)
    assert stats["days_pm25"] == 322
    assert stats["valid_pm25"] is False  # every month meets its minimum, but 322 < 324


def test_year_valid_at_324_and_every_month():
    days = {m: 27 for m in range(1, 13)} | {2: 25, 3: 29}  # 324
    stats = period_evaluation(assign_periods(_year(days), "year"), "year").row(0, named=True)
    assert stats["days_pm25"] == 324 and stats["valid_pm25"] is True


@pytest.mark.parametrize(("february", "valid"), [(24, False), (25, True), (29, True)])  # 2016 is a leap year
def test_february_needs_25_days(february, valid):
    days = {m: 30 for m in range(1, 13)} | {2: february}
    stats = period_evaluation(assign_periods(_year(days), "year"), "year").row(0, named=True)
    assert stats["valid_pm25"] is valid


@pytest.mark.parametrize(("count", "valid"), [(26, False), (27, True)])
def test_month_needs_27_days(count, valid):
    stats = period_evaluation(assign_periods(_year({3: count}), "month"), "month").row(0, named=True)
    assert stats["valid_pm25"] is valid
    assert stats["capture_pm25"] == round(count / 31 * 100, 1)


def test_percentiles_by_the_standard_formula():
    frame = pl.DataFrame({"station": ["S"] * 6, "date": [dt.date(2016, 1, d) for d in range(1, 7)],
                          "so2": [3, 4, 8, 2, 5, 4], "no2": [1] * 6, "co": [0.3, 0.4, 0.8, 0.2, 0.5, 0.4],
                          "o3_1h": [1] * 6, "o3_8h": [3, 4, 8, 2, 5, 4], "pm10": [1] * 6, "pm25": [1] * 6, "aqi": [10] * 6})
    stats = hj663.period_statistics(frame, ["station"], "custom").collect().row(0, named=True)
    # k = 1 + 5 * 0.9 = 5.5 -> 5 + (8 - 5) * 0.5 = 6.5 -> GB/T 8170 -> 6 (half to even)
    assert float(reference.percentile([3, 4, 8, 2, 5, 4], 90)) == 6.5
    assert stats["o3_8h_p90"] == 6
    assert stats["co_p95"] == 0.7  # k = 5.75 -> 0.5 + 0.3 * 0.75 = 0.725 -> 0.7


@pytest.mark.parametrize(("aqi", "good", "heavy"), [(100, 1, 0), (101, 0, 0), (200, 0, 0), (201, 0, 1)])
def test_good_and_heavy_days_at_their_edges(aqi, good, heavy):
    frame = _year({1: 1}).with_columns(pl.lit(aqi).alias("aqi"))
    stats = hj663.period_statistics(frame, ["station"], "custom").collect().row(0, named=True)
    assert (stats["good_days"], stats["heavy_days"]) == (good, heavy)


def test_good_ratio_counts_valid_days_only():
    frame = pl.DataFrame({"station": ["S"] * 4, "date": [dt.date(2016, 1, d) for d in range(1, 5)],
                          "so2": [1] * 4, "no2": [1] * 4, "co": [0.1] * 4, "o3_1h": [1] * 4, "o3_8h": [1] * 4,
                          "pm10": [1] * 4, "pm25": [1] * 4, "aqi": [50, 150, None, 90]})
    stats = hj663.period_statistics(frame, ["station"], "custom").collect().row(0, named=True)
    assert stats["valid_days"] == 3 and stats["good_ratio"] == 66.7


def test_editions_by_date_and_limit_phases():
    assert edition_for(dt.date(2026, 2, 28)) == "2012" and edition_for(dt.date(2026, 3, 1)) == "2026"
    assert limits_phase(dt.date(2030, 12, 31)) == "2026-1" and limits_phase(dt.date(2031, 1, 1)) == "2026-2"
    assert limits_phase(dt.date(2020, 1, 1), "2026") == "2026-1"
    assert period_edition(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == "2026"
    assert gb3095.limit("pm25", "annual", dt.date(2025, 1, 1)) == 35
    assert gb3095.limit("pm25", "annual", dt.date(2027, 1, 1)) == 30
    assert gb3095.limit("pm25", "annual", dt.date(2031, 6, 1)) == 25
    # hj663 relies on the O3 limits being the same in every phase
    assert {v["o3"]["8h"] for v in gb3095.LIMITS.values()} == {160}
    assert {v["o3"]["1h"] for v in gb3095.LIMITS.values()} == {200}


def test_auto_edition_switches_on_2026_03_01():
    data = pl.concat([hours({"pm25": [70.0] * 24}, day=dt.date(2026, 2, 28)),
                      hours({"pm25": [70.0] * 24}, day=dt.date(2026, 3, 1))])
    rows = daily_aqi(data, "auto").select("date", "aqi", "edition").rows()
    # 2012: 50 + 50 (70 - 35) / 40 = 93.75 -> 94; 2026: 100 + 50 (70 - 60) / 55 = 109.09 -> 110
    assert rows == [(dt.date(2026, 2, 28), 94, "2012"), (dt.date(2026, 3, 1), 110, "2026")]


def test_a_day_without_any_o3_is_explained():
    row = one_day({"o3": [None] * 24})
    assert row["o3_8h"] is None and row["o3_1h"] is None
    assert "o3_8h: 0 valid 8-hour windows < 14" in row["invalid"] and "o3_1h: 0 valid hours" in row["invalid"]


def test_mask_flagged_keeps_only_valid_flags():
    frame = pl.DataFrame({"so2": [1.0, 2.0, 3.0, 4.0, 5.0], "so2_flag": ["N", "valid", "", None, "C"],
                          "pm25": [1.0, 2.0, 3.0, 4.0, 5.0], "pm25_flag": ["M", "suspect", "D", "N", "T"]})
    masked = hj663.mask_flagged(frame)
    assert masked.columns == ["so2", "pm25"]
    assert masked["so2"].to_list() == [1.0, 2.0, 3.0, 4.0, None]
    assert masked["pm25"].to_list() == [None, None, None, 4.0, None]


@pytest.mark.parametrize(("month", "minimum"), [(1, 27), (2, 25), (3, 27), (6, 27), (12, 27)])
def test_min_month_days_scalar_and_column(month, minimum):
    """GB 3095-2026 Table 4 (= 2012 Table 4): >= 27 daily values a month, >= 25 in February."""
    assert gb3095.min_month_days(month) == minimum
    column = pl.DataFrame({"month": [month]}).select(gb3095.min_month_days(pl.col("month")))
    assert column.item() == minimum


def test_min_month_days_refuses_a_month_that_does_not_exist():
    with pytest.raises(ValueError, match="month must be 1..12"):
        gb3095.min_month_days(13)


@pytest.mark.parametrize(("days", "valid", "published"), [
    (254, 363, "70.0"),   # 69.972 %: the unrounded share is below 70
    (253, 363, "69.7"),   # 69.697 %
    (1401, 2000, "70.0"),  # 70.05 exactly: half to the even digit
    (1403, 2000, "70.2"),  # 70.15 exactly: half to the even digit
    (2, 3, "66.7"),
    (365, 365, "100.0"),
    (0, 5, "0.0"),
])
def test_day_ratio_publishes_one_decimal_half_even(days, valid, published):
    from decimal import Decimal

    assert hj663.day_ratio(days, valid) == Decimal(published)
    column = pl.DataFrame({"d": [days], "n": [valid]}).select(hj663.day_ratio(pl.col("d"), pl.col("n")))
    assert column.item() == float(published)


def test_day_ratio_without_valid_days_is_none():
    assert hj663.day_ratio(0, 0) is None
    assert pl.DataFrame({"d": [0], "n": [0]}).select(hj663.day_ratio(pl.col("d"), pl.col("n"))).item() is None


def test_day_ratio_column_agrees_with_the_exact_scalar_for_every_year():
    """The float column rounding and the exact decimal one agree for every count a year can have."""
    pairs = [(d, n) for n in range(1, 367) for d in range(n + 1)]
    frame = pl.DataFrame({"d": [d for d, _ in pairs], "n": [n for _, n in pairs]})
    column = frame.select(hj663.day_ratio(pl.col("d"), pl.col("n"))).to_series().to_list()
    assert column == [float(hj663.day_ratio(d, n)) for d, n in pairs]


def test_valid_flags_are_hj212_normal_and_reviewed_valid():
    """HJ 212-2017 §6.2: only N data are normally valid; the review flag "valid" adds to it."""
    from gongjian.standards import hj212

    assert hj663.VALID_FLAGS == ("N", "valid")
    assert hj212.VALID_DATA_FLAGS == ("N",)
