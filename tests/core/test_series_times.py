"""The series store's parameters made a column at a time are the values Django would send one by one
(on SQLite the text its unique constraints compare, microseconds only when there are some)."""

import datetime as dt

import polars as pl
from django.db import connection

from gongjian.core.series import database_times


def test_times_as_the_driver_takes_them_match_djangos_own_adaptation():
    times = [dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC), dt.datetime(2026, 11, 1, 7, 59, 59, 500, tzinfo=dt.UTC),
             dt.datetime(2024, 2, 29, 23, 0, 0, 999999, tzinfo=dt.UTC), None]
    column = database_times(pl.Series("t", times, dtype=pl.Datetime("us", "UTC")))
    assert column.name == "t"
    assert column.to_list() == [connection.ops.adapt_datetimefield_value(t) for t in times]
