import datetime as dt

import pytest

from gongjian.analytics.targets import (
    composite_progress,
    count_progress,
    mean_progress,
    ratio_progress,
)

MID = dt.date(2020, 6, 30)  # 182 days elapsed, 184 remaining in the leap year 2020


@pytest.mark.parametrize(("year", "as_of", "elapsed", "remaining"), [
    (2020, dt.date(2019, 12, 31), 0, 366),  # before the year begins
    (2020, dt.date(2020, 1, 1), 1, 365),
    (2021, dt.date(2021, 3, 1), 60, 305),  # a common year: 31 + 28 + 1
    (2020, dt.date(2020, 12, 31), 366, 0),
    (2020, dt.date(2021, 2, 1), 366, 0),  # after the year: all of it has elapsed
])
def test_days_elapsed_and_remaining(year, as_of, elapsed, remaining):
    p = count_progress("heavy_days", 10, year, as_of, 0, upper=True)
    assert (p.days_elapsed, p.days_remaining) == (elapsed, remaining)


def test_mean_behind_but_reachable():
    p = mean_progress("pm25_mean", 56, 2020, MID, [60.0] * 182)
    assert (p.days_elapsed, p.days_remaining, p.status) == (182, 184, "behind")
    assert abs(p.allowance - (56.5 * 366 - 60 * 182) / 184) < 1e-9  # 53.04


def test_mean_on_track():
    assert mean_progress("pm25_mean", 56, 2020, MID, [50.0] * 182).status == "on_track"


def test_mean_cannot_be_met():
    p = mean_progress("pm25_mean", 56, 2020, dt.date(2020, 12, 1), [90.0] * 336)
    assert p.status == "cannot_be_met" and p.allowance < 0


def test_mean_year_end_uses_the_rounded_annual_mean():
    # 56.5 rounds half-even to 56: a target of 56 is met
    year = [56.0] * 183 + [57.0] * 183
    assert mean_progress("pm25_mean", 56, 2020, dt.date(2020, 12, 31), year).status == "met"
    assert mean_progress("pm25_mean", 55, 2020, dt.date(2020, 12, 31), [55.0] * 183 + [56.0] * 183).status == "missed"


def test_mean_schedule_follows_the_baseline_season():
    baseline = [(dt.date(2019, 1, 1) + dt.timedelta(days=i), 80.0 if i < 90 or i > 300 else 40.0) for i in range(365)]
    p = mean_progress("pm25_mean", 56, 2020, dt.date(2020, 3, 31), [70.0] * 91, baseline)
    assert p.on_schedule > 56 and p.status == "on_track"


def test_good_days():
    p = count_progress("good_days", 200, 2020, MID, 90, upper=False)
    assert p.allowance == 90 + 184 - 200 and p.status == "behind"
    assert count_progress("good_days", 200, 2020, MID, 10, upper=False).status == "cannot_be_met"


def test_heavy_days():
    assert count_progress("heavy_days", 10, 2020, MID, 4, upper=True).status == "on_track"
    assert count_progress("heavy_days", 10, 2020, MID, 11, upper=True).status == "cannot_be_met"


def test_good_ratio():
    p = ratio_progress(60, 2020, MID, 100, 180)
    assert p.allowance == 184 - 119  # needs ceil(0.6 * 364 - 100) = 119 more good days
    assert ratio_progress(60, 2020, MID, 0, 180).status == "cannot_be_met"


def test_composite_has_no_allowance():
    p = composite_progress(5.0, 2020, MID, 5.4)
    assert p.status == "behind" and p.allowance is None


def _year_of_days(good: int, valid: int, year: int = 2021):
    """A year of daily results: ``good`` days with AQI 80, ``valid - good`` with AQI 120 and the
    rest without an AQI (spread over the months so that every month stays valid)."""
    import polars as pl

    days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)]
    missing = set(range(5, 5 + 30 * (len(days) - valid), 30))  # one missing day a month at most
    aqi = []
    for i in range(len(days)):
        if i in missing:
            aqi.append(None)
        else:
            aqi.append(80 if good > 0 else 120)
            good -= aqi[-1] == 80
    return pl.DataFrame({"station": "S", "date": days, "aqi": aqi, "so2": 10.0, "no2": 30.0, "co": 1.0, "o3_1h": 100.0,
                         "o3_8h": 100.0, "pm10": 70.0, "pm25": 40.0})


def _published(daily):
    from gongjian.standards import hj663

    return hj663.period_statistics(daily, ["station"], "year").collect().row(0, named=True)


def test_a_year_published_at_70_0_percent_meets_a_70_percent_target():
    """254 good days of 363 valid ones are 69.97 %, published as 70.0 %: the target is met."""
    stats = _published(_year_of_days(254, 363))
    assert (stats["good_days"], stats["valid_days"], stats["good_ratio"]) == (254, 363, 70.0)
    p = ratio_progress(70, 2021, dt.date(2021, 12, 31), stats["good_days"], stats["valid_days"])
    assert p.status == "met" and p.year_to_date == 70.0


def test_a_year_published_at_69_9_percent_misses_a_70_percent_target():
    stats = _published(_year_of_days(253, 363))  # 69.70 % -> 69.7
    assert stats["good_ratio"] == 69.7
    assert ratio_progress(70, 2021, dt.date(2021, 12, 31), stats["good_days"], stats["valid_days"]).status == "missed"


def test_good_ratio_allowance_counts_the_published_final_ratio():
    """179 valid days by 30 June 2020 (125 good, 69.83 % -> 69.8), 184 to come: 254 good days of 363
    publish as 70.0 %, so 129 more are needed and 55 of the remaining days may be non-good
    (the unrounded rule would demand 255 and allow 54)."""
    p = ratio_progress(70, 2020, MID, 125, 179)
    assert p.allowance == 55 and p.year_to_date == 69.8 and p.status == "behind"
    assert ratio_progress(70, 2020, MID, 126, 180).status == "on_track"  # exactly 70.0


LATE_NOVEMBER = dt.date(2020, 11, 30)  # 335 days elapsed, 31 remaining in the leap year 2020


def test_mean_gives_the_strict_and_the_rounding_tolerant_allowance():
    """PM2.5 58.0 for 335 days, target 56: the rest of the year may average at most
    (56 x 366 - 58 x 335) / 31 = 1066 / 31 = 34.39 for the exact annual mean to be 56, and
    (56.5 x 366 - 19430) / 31 = 1249 / 31 = 40.29 for it to publish as 56 (GB/T 8170 rounding):
    5.90 more lenient (0.5 x 366 / 31)."""
    p = mean_progress("pm25_mean", 56, 2020, LATE_NOVEMBER, [58.0] * 335)
    assert (p.days_elapsed, p.days_remaining) == (335, 31)
    assert abs(p.allowance_strict - 1066 / 31) < 1e-9 and abs(p.allowance - 1249 / 31) < 1e-9
    assert abs((p.allowance - p.allowance_strict) - 183 / 31) < 1e-9  # 5.90
    assert p.status == "behind" and p.basis == "no_baseline"


def _baseline_2019(months: range = range(1, 13)):
    """2019 with PM2.5 80 in January to March (90 days) and 40 after (275 days): annual mean
    18200 / 365 = 49.86."""
    days = [dt.date(2019, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    return [(d, 80.0 if d.month <= 3 else 40.0) for d in days if d.month in months]


def test_mean_schedule_is_the_target_times_the_baseline_season():
    """By 31 March the baseline year averaged 80, its whole year 18200/365: on schedule is
    50 x 80 / (18200 / 365) = 80.22, so 70 so far is on schedule although above the target 50."""
    p = mean_progress("pm25_mean", 50, 2020, dt.date(2020, 3, 31), [70.0] * 91, _baseline_2019())
    assert abs(p.on_schedule - 50 * 80 * 365 / 18200) < 1e-9 and p.status == "on_track" and p.basis == "seasonal"
    # without a baseline the comparison is with the annual target, and says so
    plain = mean_progress("pm25_mean", 50, 2020, dt.date(2020, 3, 31), [70.0] * 91)
    assert (plain.on_schedule, plain.status, plain.basis) == (50.0, "behind", "no_baseline")
    # a baseline year missing a month sets no season
    partial = mean_progress("pm25_mean", 50, 2020, dt.date(2020, 3, 31), [70.0] * 91, _baseline_2019(range(1, 12)))
    assert (partial.on_schedule, partial.basis) == (50.0, "no_baseline")


def test_count_schedule_follows_the_baseline_share():
    """Good days: 200 targeted, 90 by 30 June. With 40 % of the baseline year's good days by that
    date the schedule is 80 (on schedule); without, 200 x 182 / 366 = 99.45 (behind)."""
    seasonal = count_progress("good_days", 200, 2020, MID, 90, upper=False, baseline_share=0.4)
    assert (seasonal.on_schedule, seasonal.status, seasonal.basis) == (80.0, "on_track", "seasonal")
    elapsed = count_progress("good_days", 200, 2020, MID, 90, upper=False)
    assert abs(elapsed.on_schedule - 200 * 182 / 366) < 1e-9
    assert (elapsed.status, elapsed.basis, elapsed.allowance_strict) == ("behind", "elapsed", elapsed.allowance)


def test_good_ratio_strict_allowance_keeps_the_exact_ratio():
    """125 good of 179 by 30 June, 184 to come, target 70 %: the exact ratio needs 0.7 x 363 =
    254.1, so 255 good days, 130 more: 54 non-good days (55 with the published ratio)."""
    p = ratio_progress(70, 2020, MID, 125, 179)
    assert (p.allowance_strict, p.allowance, p.basis) == (54, 55, "annual")
