"""Target progress through the air app: the baseline year's season where its data exist, both
allowances, and the page saying what "on schedule" compared with (issue 14)."""

import datetime as dt

from django.urls import reverse

from gongjian.air.models import AirQualityTarget, DailyResult
from gongjian.air.results import target_progress


def _days(first: dt.date, last: dt.date):
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _store(region, days, pm25, aqi):
    DailyResult.objects.bulk_create(
        DailyResult(subject="region", place=region, date=d, edition="2012", so2=10.0, no2=30.0, co=1.0, o3_1h=100.0,
                    o3_8h=90.0, pm10=2 * pm25(d), pm25=pm25(d), aqi=aqi(d), level=2 if aqi(d) <= 100 else 3,
                    complete=True) for d in days)


def _world_with_a_year_and_a_quarter(world, baseline: bool = True):
    """2019 (the baseline): PM2.5 80 in January to March, 40 after; AQI 80 in January and from
    April, 120 in February and March. 2020 to 31 March: PM2.5 70, AQI 94 (good) every day."""
    county = world.regions["county_a"]
    if baseline:
        _store(county, _days(dt.date(2019, 1, 1), dt.date(2019, 12, 31)), lambda d: 80.0 if d.month <= 3 else 40.0,
               lambda d: 120 if d.month in (2, 3) else 80)
    _store(county, _days(dt.date(2020, 1, 1), dt.date(2020, 3, 31)), lambda d: 70.0, lambda d: 94)
    AirQualityTarget.objects.create(region=county, year=2020, metric="pm25_mean", value=50)
    AirQualityTarget.objects.create(region=county, year=2020, metric="good_days", value=250)


def test_schedule_follows_the_baseline_year_and_both_allowances_are_given(world):
    _world_with_a_year_and_a_quarter(world)
    rows = {r["metric"]: r for r in target_progress(world.people["city_office"], 2020, dt.date(2020, 3, 31), "2012")}
    pm25 = rows["pm25_mean"]
    # by 31 March 2019 averaged 80 against 18200/365 for its year: 50 x 80 x 365 / 18200 = 80.22
    assert (pm25["ytd"], pm25["schedule"], pm25["status"]) == (70.0, 80.2, "on_track")
    assert (pm25["basis"], pm25["baseline_year"]) == ("seasonal", 2019)
    # 91 days at 70 (6370), 275 to come: (50 x 366 - 6370) / 275 = 43.38, (50.5 x 366 - 6370) / 275 = 44.05
    assert (pm25["allowance_strict"], pm25["allowance"]) == (43.4, 44.0)
    good = rows["good_days"]
    # 2019 had 31 good days by 31 March of 306 (31 + 275): on schedule is 250 x 31 / 306 = 25.3
    assert (good["ytd"], good["schedule"], good["basis"], good["status"]) == (91, 25.3, "seasonal", "on_track")


def test_without_a_baseline_year_the_page_says_it_compares_with_the_annual_target(world, client):
    _world_with_a_year_and_a_quarter(world, baseline=False)
    rows = {r["metric"]: r for r in target_progress(world.people["city_office"], 2020, dt.date(2020, 3, 31), "2012")}
    assert (rows["pm25_mean"]["schedule"], rows["pm25_mean"]["status"], rows["pm25_mean"]["basis"]) == \
        (50.0, "behind", "no_baseline")
    assert rows["good_days"]["basis"] == "elapsed" and rows["good_days"]["schedule"] == round(250 * 91 / 366, 1)
    client.force_login(world.people["city_office"])
    page = client.get(reverse("air:targets"), {"year": 2020, "as_of": "2020-03-31"}).content.decode()
    assert "与全年目标比较（无基准年逐月数据，未按季节进度）" in page
    assert "剩余时段允许值（严格口径）" in page and "剩余时段允许值（按修约可容许）" in page
    assert "43.4" in page and "44.0" in page


def test_with_a_baseline_year_the_page_names_it(world, client):
    _world_with_a_year_and_a_quarter(world)
    client.force_login(world.people["city_office"])
    page = client.get(reverse("air:targets"), {"year": 2020, "as_of": "2020-03-31"}).content.decode()
    assert "按基准年（2019年）逐日数据的季节进度" in page
