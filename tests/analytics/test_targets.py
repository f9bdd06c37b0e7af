import datetime as dt

from gongjian.analytics.targets import (
    composite_progress,
    count_progress,
    mean_progress,
    ratio_progress,
)

MID = dt.date(2020, 6, 30)  # 182 days elapsed, 184 remaining in the leap year 2020


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
