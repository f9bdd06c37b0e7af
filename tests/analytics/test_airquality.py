import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjian.analytics.airquality import assign_periods, daily_aqi, hourly_aqi
from gongjian.periods import Period, PeriodKind
from tests.standards.test_hj663 import hours


@pytest.mark.parametrize(("kind", "day", "label", "start", "end"), [
    ("dekad", dt.date(2020, 2, 25), "2020-D06", dt.date(2020, 2, 21), dt.date(2020, 2, 29)),
    ("dekad", dt.date(2020, 1, 11), "2020-D02", dt.date(2020, 1, 11), dt.date(2020, 1, 20)),
    ("week", dt.date(2020, 1, 1), "2020-W01", dt.date(2019, 12, 30), dt.date(2020, 1, 5)),
    ("month", dt.date(2020, 2, 10), "2020-M02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
    ("quarter", dt.date(2020, 5, 10), "2020-Q2", dt.date(2020, 4, 1), dt.date(2020, 6, 30)),
    ("half-year", dt.date(2020, 7, 1), "2020-H2", dt.date(2020, 7, 1), dt.date(2020, 12, 31)),
    ("year", dt.date(2020, 5, 10), "2020", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
])
def test_period_labels(kind, day, label, start, end):
    row = assign_periods(pl.DataFrame({"date": [day]}), kind).row(0, named=True)
    assert (row["period"], row["period_start"], row["period_end"]) == (label, start, end)


def test_days_of_one_kind_fall_in_their_own_periods():
    days = pl.DataFrame({"date": [dt.date(2020, 3, 31), dt.date(2020, 3, 1), dt.date(2020, 4, 1), dt.date(2020, 3, 31)]})
    labelled = assign_periods(days, "month")
    assert labelled["date"].to_list() == days["date"].to_list()  # every row kept, in order
    assert labelled["period"].to_list() == ["2020-M03", "2020-M03", "2020-M04", "2020-M03"]


def test_year_to_date_and_custom():
    days = pl.DataFrame({"date": [dt.date(2020, 1, 5), dt.date(2020, 7, 1), dt.date(2019, 12, 31)]})
    ytd = assign_periods(days, Period.containing(PeriodKind.YEAR_TO_DATE, dt.date(2020, 6, 30)))
    assert ytd["date"].to_list() == [dt.date(2020, 1, 5)]
    assert ytd["period"].to_list() == ["2020-YTD-06-30"]
    with pytest.raises(ValueError, match="given as a Period"):
        assign_periods(days, "custom")
    with pytest.raises(ValueError, match="fortnight"):
        assign_periods(days, "fortnight")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=400)), min_size=24, max_size=24),
       st.sampled_from(["2012", "2026"]))
def test_recomputing_is_idempotent(pm25, edition):
    data = hours({"pm25": pm25})
    first, second = daily_aqi(data, edition), daily_aqi(data, edition)
    assert first.equals(second)


def test_hourly_aqi_2012_uses_pm_24h_moving_mean():
    day1 = hours({"pm25": [200.0] * 24}, day=dt.date(2020, 1, 1))
    day2 = hours({"pm25": [20.0] * 24}, day=dt.date(2020, 1, 2))
    frame = hourly_aqi(pl.concat([day1, day2]), "2012")
    first_hour_of_day2 = frame.filter(pl.col("time") == dt.datetime(2020, 1, 2, 0)).row(0, named=True)
    # the 24-hour moving mean still carries yesterday's 200s: (23 * 200 + 20) / 24 = 192.5 -> 192
    assert first_hour_of_day2["pm25"] == 192 and first_hour_of_day2["edition"] == "2012"
    now = hourly_aqi(pl.concat([day1, day2]), "2026").filter(pl.col("time") == dt.datetime(2020, 1, 2, 0)).row(0, named=True)
    assert now["pm25"] == 20 and now["iaqi_pm25"] == 29  # 1-hour value on the daily breakpoints
