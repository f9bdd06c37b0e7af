"""The good-day-ratio target through the air app: progress compares the ratio as published (HJ 663,
one decimal, half-even), so a year published at 70.0 % meets a 70 % target."""

import datetime as dt

import pytest

from gongjian.air.models import AirQualityTarget, DailyResult, TargetMetric
from gongjian.air.results import target_progress

YEAR = 2021


def _store_year(region, good: int, valid: int) -> None:
    """The region's daily results of a whole year: ``good`` days at AQI 80, the other valid ones at
    AQI 120, and ``365 - valid`` days without an AQI (in different months)."""
    rows, left = [], good
    for i in range(365):
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=i)
        aqi = None if i in range(5, 5 + 30 * (365 - valid), 30) else (80 if left > 0 else 120)
        left -= aqi == 80
        rows.append(DailyResult(subject="region", place=region, date=day, edition="2012", so2=10, no2=30, co=1.0,
                                o3_1h=100, o3_8h=100, pm10=70, pm25=40, aqi=aqi, complete=aqi is not None))
    DailyResult.objects.bulk_create(rows)


@pytest.mark.parametrize(("good", "status", "ytd"), [(254, "met", 70.0), (253, "missed", 69.7)])
def test_good_ratio_target_compares_the_published_ratio(world, client, good, status, ytd):
    region = world.regions["county_a"]
    _store_year(region, good, 363)  # 254/363 = 69.97 % -> 70.0; 253/363 = 69.70 % -> 69.7
    AirQualityTarget.objects.create(region=region, year=YEAR, metric=TargetMetric.GOOD_RATIO, value=70)
    [row] = target_progress(world.people["city_office"], YEAR, dt.date(YEAR, 12, 31), "auto")
    assert (row["status"], row["ytd"]) == (status, ytd)

    client.force_login(world.people["city_office"])
    api = client.get("/api/air/target-progress/", {"year": YEAR, "as_of": f"{YEAR}-12-31"})
    assert api.status_code == 200
    assert [(r["metric"], r["status"], r["ytd"]) for r in api.json()] == [("good_ratio", status, ytd)]


@pytest.mark.parametrize(("as_of", "status", "elapsed", "ytd"), [
    (dt.date(YEAR - 1, 12, 31), "no_data", 0, None),  # before the year: none of its days is read
    (dt.date(YEAR, 1, 31), "on_track", 31, 100.0),  # the year so far: 30 valid days, all good
    (dt.date(YEAR + 1, 3, 1), "met", 365, 82.6),  # after it: the whole year (300 of 363), not the days after
])
def test_progress_reads_the_days_of_the_year_up_to_as_of(world, as_of, status, elapsed, ytd):
    region = world.regions["county_a"]
    _store_year(region, 300, 363)
    DailyResult.objects.bulk_create(  # a heavily polluted January of the next year, outside the target's year
        DailyResult(subject="region", place=region, date=dt.date(YEAR + 1, 1, d), edition="2012", so2=10, no2=30,
                    co=1.0, o3_1h=100, o3_8h=100, pm10=300, pm25=200, aqi=250, complete=True) for d in range(1, 32))
    AirQualityTarget.objects.create(region=region, year=YEAR, metric=TargetMetric.GOOD_RATIO, value=70)
    [row] = target_progress(world.people["city_office"], YEAR, as_of, "auto")
    assert (row["status"], row["days_elapsed"], row["ytd"]) == (status, elapsed, ytd)
