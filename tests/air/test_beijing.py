"""End to end on the real Beijing multi-site data (12 stations, 2013-03 to 2017-02), through the
same import path the CLI uses, under both editions, against the independent reference.
Skipped with the reason when ../shared is absent."""

import datetime as dt
from collections import defaultdict

import polars as pl
import pytest

from gongjian.air.hourly_io import Layout, read_hourly
from gongjian.analytics.airquality import assign_periods, daily_aqi, period_evaluation
from gongjian.standards.hj663 import POLLUTANTS
from tests.standards import reference

pytestmark = pytest.mark.shared

BEIJING = Layout(columns={"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"},
                 units={"co": "ug/m3"}, time_columns=("year", "month", "day", "hour"))


@pytest.fixture(scope="module")
def beijing():
    from tests.conftest import SHARED, SHARED_REASON

    folder = SHARED / "data" / "beijing-multisite"
    if not folder.is_dir():
        pytest.skip(SHARED_REASON)
    return read_hourly(sorted(folder.glob("*.csv")), BEIJING)


def test_import(beijing):
    assert beijing.height == 12 * 35064
    assert beijing["station"].n_unique() == 12
    assert beijing["co"].max() < 15  # µg/m3 converted to mg/m3


@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_daily_2014_2016_equal_the_reference(beijing, edition):
    hourly = beijing.filter(pl.col("time").dt.year().is_between(2014, 2016))
    ours = daily_aqi(hourly, edition)
    for station in ("Dongsi", "Huairou"):
        subset = hourly.filter(pl.col("station") == station)
        rows = [(r["station"], r["time"], {p: r[p] for p in POLLUTANTS}) for r in subset.iter_rows(named=True)]
        ref = reference.evaluate(rows, edition)
        checked = 0
        for row in ours.filter(pl.col("station") == station).iter_rows(named=True):
            values, aqi, primary = ref[(station, row["date"])]
            for p in ("so2", "no2", "co", "pm10", "pm25", "o3_8h") + (("o3_1h",) if edition == "2012" else ()):
                assert row[p] == values[p], (station, row["date"], p)
            assert row["aqi"] == aqi, (station, row["date"])
            assert sorted(row["primary_pollutants"] or []) == sorted(primary)
            checked += 1
        assert checked == 1096  # 365 + 366 + 365


@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_valid_and_invalid_days_are_explained(beijing, edition):
    daily = daily_aqi(beijing.filter(pl.col("time").dt.year().is_between(2014, 2016)), edition)
    summary = daily.group_by("station").agg(
        pl.len().alias("days"), pl.col("aqi").count().alias("with_aqi"),
        (pl.col("aqi").is_null()).sum().alias("without_aqi"),
        (~pl.col("aqi_complete")).sum().alias("incomplete"),
        (pl.col("aqi").is_not_null() & ~pl.col("aqi_complete")).sum().alias("published_incomplete")).sort("station")
    print(f"\nBeijing 2014-2016, edition {edition}: days, with AQI, without, incomplete, incomplete but > 100")
    for row in summary.iter_rows():
        print("  ", *row)
    assert (summary["days"] == 1096).all()
    assert (summary["with_aqi"] + summary["without_aqi"] == summary["days"]).all()
    # every day lacking an indicator says why; an AQI is missing only for such a day with AQI <= 100
    incomplete = daily.filter(~pl.col("aqi_complete"))
    assert incomplete["invalid"].is_not_null().all()
    assert daily.filter(pl.col("aqi").is_null())["aqi_complete"].not_().all()
    assert (incomplete.filter(pl.col("aqi").is_not_null())["aqi"] > 100).all()


def test_annual_statistics_equal_the_reference(beijing):
    daily = daily_aqi(beijing.filter(pl.col("time").dt.year() == 2015), "2012")
    stats = period_evaluation(assign_periods(daily, "year"), "year")
    row = stats.filter(pl.col("station") == "Dongsi").row(0, named=True)
    days = daily.filter(pl.col("station") == "Dongsi")
    for column, stat in (("pm25", "pm25"), ("pm10", "pm10"), ("so2", "so2"), ("no2", "no2")):
        values = days[column].drop_nulls().to_list()
        assert row[stat] == float(reference.round_conc(sum(values) / len(values), column))
    assert row["co_p95"] == float(reference.round_conc(float(reference.percentile(days["co"].drop_nulls().to_list(), 95)), "co"))
    assert row["o3_8h_p90"] == float(reference.round_conc(
        float(reference.percentile(days["o3_8h"].drop_nulls().to_list(), 90)), "o3"))
    aqi = days["aqi"].drop_nulls().to_list()
    assert row["valid_days"] == len(aqi)
    assert row["good_days"] == sum(a <= 100 for a in aqi)
    assert row["heavy_days"] == sum(a > 200 for a in aqi)
    assert row["attainment"] is False and row["attain_pm25"] is False  # Beijing 2015: PM2.5 far above 35


@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_annual_2014_2016_under_both_editions(beijing, edition):
    """Annual statistics per station and year; concentrations do not depend on the edition, the AQI
    day counts do, and every count adds up."""
    hourly = beijing.filter(pl.col("time").dt.year().is_between(2014, 2016))
    daily = daily_aqi(hourly, edition)
    stats = period_evaluation(assign_periods(daily, "year"), "year", edition=edition)
    assert stats.height == 36 and set(stats["edition"]) == {edition}
    baseline = period_evaluation(assign_periods(daily_aqi(hourly, "2012"), "year"), "year", edition="2012")
    assert stats.select("station", "period", "pm25", "co_p95", "o3_8h_p90").equals(
        baseline.select("station", "period", "pm25", "co_p95", "o3_8h_p90"))
    for row in stats.iter_rows(named=True):
        assert row["good_days"] + (row["valid_days"] - row["good_days"]) == row["valid_days"] <= row["days"]
        assert row["heavy_days"] <= row["valid_days"] - row["good_days"]
        assert row["days_pm25"] <= row["calendar_days"] in (365, 366)
        if row["attainment"] is not None:
            assert row["attainment"] is False  # no Beijing station met the PM limits in 2014-2016


def test_new_standard_counts_fewer_good_days_from_particles(beijing):
    """A day good under the 2012 rules but not under 2026 must owe it to particles: PM2.5 above 60 or
    PM10 above 120, the only breakpoints that changed (the 2026 daily AQI also drops O3 1-hour, which
    can only lower it)."""
    hourly = beijing.filter(pl.col("time").dt.year() == 2016)
    old, new = daily_aqi(hourly, "2012"), daily_aqi(hourly, "2026")
    joined = old.join(new, on=["station", "date"], suffix="_2026")
    switched = joined.filter((pl.col("aqi") <= 100) & (pl.col("aqi_2026") > 100))
    assert switched.height > 0
    assert (switched["pm25"].fill_null(0).gt(60) | switched["pm10"].fill_null(0).gt(120)).all()
    counts = defaultdict(int)
    for row in switched.iter_rows(named=True):
        counts[row["station"]] += 1
    print(f"\n2016 days good under 2012 but not under 2026, per station: {dict(sorted(counts.items()))}")


def test_region_value_comes_from_hourly_means(beijing):
    from gongjian.standards.hj663 import spatial_mean

    hourly = beijing.filter(pl.col("time") < dt.datetime(2015, 1, 8))
    membership = pl.DataFrame({"station": hourly["station"].unique().to_list()}).with_columns(pl.lit("Beijing").alias("region"))
    city = daily_aqi(spatial_mean(hourly, membership), "2012", key="region")
    assert city.height == (dt.date(2015, 1, 7) - dt.date(2013, 3, 1)).days + 1
