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
