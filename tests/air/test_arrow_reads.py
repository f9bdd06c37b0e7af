"""The Arrow-native read path (ADBC) gives the frames the Django cursor gives, and the daily
computation per group of stations gives the results of the whole network at once (issue 16).

On SQLite the test database lives in memory, which the ADBC driver's own SQLite cannot open: the
tests copy it into a file (a dump, read inside the test's transaction) and point the reader there. On PostgreSQL
(``DATABASE_URL``) one test reads the committed test database through the real reader."""

import datetime as dt
import sqlite3

import polars as pl
import pytest
from django.db import connection
from django.test import override_settings

from gongjian.air.evaluation import (
    _chunks,
    compute_daily,
    read_daily,
    region_membership,
    regions_with_stations,
)
from gongjian.air.hours import load_hourly
from gongjian.air.models import DailyResult, Station
from gongjian.core import series
from gongjian.regions.models import RegionLevel

START = dt.datetime(2020, 1, 1)  # naive Beijing time


def _hours(stations, days: int) -> pl.DataFrame:
    """Hours whose SO2 is missing for the whole first station and present for the others: a column
    that a driver typing from the first rows sees only as nulls."""
    rows = []
    for i, station in enumerate(stations):
        for h in range(24 * days):
            rows.append({"station_id": station.pk, "time": START + dt.timedelta(hours=h),
                         "so2": None if i == 0 else float(8 + (h + i) % 5), "no2": 30.0 + (h * 3) % 7,
                         "co": 0.5 + (h % 4) / 10, "o3": 40.0 + (h * 5) % 13 + i, "pm10": 80.0 + (h * 7) % 11,
                         "pm25": 40.0 + (h * 7) % 9 + 3 * i, "pm25_flag": "C" if h % 29 == 5 else "N"})
    return pl.DataFrame(rows, schema_overrides={"time": pl.Datetime("us"), "so2": pl.Float64}, infer_schema_length=None)


@pytest.fixture
def network(world, django_capture_on_commit_callbacks):
    places = ("county_a", "town_a1", "county_b", "town_b1", "county_a", "county_b")
    stations = [Station.objects.create(code=f"S{i:02d}", name=f"站{i}", kind="town" if "town" in p else "county", assessment=True,
                                       region=world.regions[p]) for i, p in enumerate(places)]
    with django_capture_on_commit_callbacks():  # no handler: the test computes what it compares
        series.write("air.hourly", _hours(stations, 6), source="file")
    return stations


@pytest.fixture
def file_reader(tmp_path, monkeypatch):
    """An ADBC reader on a file copy of the in-memory SQLite test database, used by every read."""
    if connection.vendor != "sqlite":
        pytest.skip("the file copy is for SQLite's in-memory test database")
    import adbc_driver_sqlite.dbapi

    def copy() -> series.ArrowReader:
        path = tmp_path / f"copy-{len(list(tmp_path.iterdir()))}.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        # the test's open transaction holds shared-cache locks a backup would wait on forever: dump it
        target.executescript("\n".join(connection.connection.iterdump()))
        target.close()
        return series.ArrowReader("sqlite", str(path), adbc_driver_sqlite.dbapi)

    used = []

    def frame(self, sql, params):
        result = original(self, sql, params)
        used.append(result is not None)
        return result

    original = series.ArrowReader.frame
    monkeypatch.setattr(series.ArrowReader, "frame", frame)
    state = {"reader": None}
    monkeypatch.setattr(series, "arrow_reader", lambda: state["reader"])

    def refresh():
        state["reader"] = copy()

    def off():
        state["reader"] = None

    refresh.used, refresh.off = used, off
    return refresh


def test_placeholders_become_the_drivers():
    sqlite = series.ArrowReader("sqlite", "x", None)
    pg = series.ArrowReader("postgresql", "x", None)
    sql = "SELECT a FROM t WHERE b IN (%s, %s) AND c LIKE '50%%' AND d >= %s"
    assert sqlite.sql(sql) == "SELECT a FROM t WHERE b IN (?, ?) AND c LIKE '50%' AND d >= ?"
    assert pg.sql(sql) == "SELECT a FROM t WHERE b IN ($1, $2) AND c LIKE '50%' AND d >= $3"


def test_no_arrow_reader_inside_a_transaction_or_on_a_memory_database(db):
    # the test runs inside a transaction: a second connection would not see its writes
    assert connection.in_atomic_block and series.arrow_reader() is None
    assert series._make_reader("sqlite", {"NAME": "file:memorydb_default?mode=memory&cache=shared"}) is None
    assert series._make_reader("sqlite", {"NAME": ":memory:"}) is None
    reader = series._make_reader("postgresql", {"NAME": "gj db", "USER": "u", "PASSWORD": "p@ss/w", "HOST": "h",
                                                "PORT": 5433, "OPTIONS": {"sslmode": "require", "pool": True}})
    assert reader.target == "postgresql://u:p%40ss%2Fw@h:5433/gj%20db?sslmode=require"


def test_both_read_paths_give_the_same_hours(network, file_reader):
    ids = [s.pk for s in network]
    lo, hi = START + dt.timedelta(hours=3), START + dt.timedelta(days=5)
    cursor = series.read("air.hourly", {"station_id": ids}, lo, hi)  # no reader yet: Django's cursor
    assert file_reader.used == []
    file_reader()
    arrow = series.read("air.hourly", {"station_id": ids}, lo, hi)
    assert file_reader.used == [True]
    assert arrow.schema == cursor.schema and arrow.equals(cursor, null_equal=True)
    assert arrow.height == 6 * (5 * 24 - 3) and arrow.filter(pl.col("station_id") == ids[0])["so2"].null_count() == 117
    # an empty filter compiles no SQL; a chunked read gives the same rows by group
    assert series.read("air.hourly", {"station_id": []}).height == 0
    chunks = list(series.read_chunks("air.hourly", {"station_id": ids}, lo, hi, size=4))
    assert [c["station_id"].n_unique() for c in chunks] == [4, 2]
    assert pl.concat(chunks).equals(cursor, null_equal=True)


def test_a_column_the_driver_cannot_type_falls_back_to_the_cursor(network, file_reader, monkeypatch):
    """The first station's SO2 is all null: with a first batch of one station's rows the SQLite
    driver types SO2 as an integer, then meets a real, and refuses; the read goes through Django."""
    file_reader()
    monkeypatch.setattr(series, "SQLITE_BATCH_ROWS", 24)
    ids = [s.pk for s in network]
    frame = series.read("air.hourly", {"station_id": ids}, fields=["so2", "pm25"])
    assert file_reader.used == [False]
    file_reader.off()
    assert frame.equals(series.read("air.hourly", {"station_id": ids}, fields=["so2", "pm25"]), null_equal=True)
    assert frame["so2"].dtype == pl.Float64 and frame["so2"].drop_nulls().len() == 5 * 6 * 24


def test_daily_results_by_group_equal_the_whole_network_and_read_alike(network, file_reader, world):
    regions = regions_with_stations()
    membership = region_membership(regions)
    groups = _chunks(network, regions, membership, 1)
    # one city: its family is one group however small the size; all stations and regions in it
    assert len(groups) == 1 and {s.code for s in groups[0][0]} == {s.code for s in network}
    whole = compute_daily(dt.date(2020, 1, 1), dt.date(2020, 1, 6), chunk=1000)

    def stored():
        return sorted((r.subject, r.station_id, r.place_id, r.date, r.edition, r.aqi, r.pm25, r.o3_8h, r.so2)
                      for r in DailyResult.objects.all())

    before = stored()
    # each county computed apart (its own family) gives the same station and county results
    counties = [r for r in regions if r.level == RegionLevel.COUNTY]
    assert compute_daily(dt.date(2020, 1, 1), dt.date(2020, 1, 6), network, counties, chunk=1) == \
        sum(1 for r in before if r[0] == "station" or r[2] in {c.pk for c in counties})
    assert stored() == before and whole == len(before)
    assert len(_chunks(network, counties, region_membership(counties), 1)) == 2  # county a, county b
    file_reader()
    rows = DailyResult.objects.all()
    arrow = read_daily(rows, "2026", dt.date(2020, 1, 1), dt.date(2020, 1, 6))
    arrow_hours = load_hourly(network, dt.date(2020, 1, 1), dt.date(2020, 1, 6))
    assert file_reader.used == [True, True]
    file_reader.off()
    cursor = read_daily(rows, "2026", dt.date(2020, 1, 1), dt.date(2020, 1, 6))
    # station names and region names end in the same column name: the aliases keep them apart
    assert arrow.height == len(before) // 2 and arrow.equals(cursor, null_equal=True)
    assert set(arrow["name"]) >= {"站0", world.regions["county_a"].name}
    assert arrow_hours.equals(load_hourly(network, dt.date(2020, 1, 1), dt.date(2020, 1, 6)), null_equal=True)


@pytest.mark.django_db(transaction=True)
def test_postgresql_reads_through_adbc_equal_the_cursor(world):
    """On PostgreSQL the real reader (a connection of its own, autocommit) reads the committed rows."""
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://...")
    stations = [Station.objects.create(code=f"P{i}", name=f"站{i}", kind="county", region=world.regions["county_a"])
                for i in range(3)]
    series.write("air.hourly", _hours(stations, 3), source="file")
    reader = series.arrow_reader()
    assert reader is not None and reader.vendor == "postgresql"
    ids = [s.pk for s in stations]
    arrow = series.read("air.hourly", {"station_id": ids})
    with override_settings(ARROW_READS=False):
        assert series.arrow_reader() is None
        cursor = series.read("air.hourly", {"station_id": ids})
    assert reader.frame("SELECT 1 AS one", []) is not None
    assert arrow.height == 3 * 72 and arrow.equals(cursor, null_equal=True)
    compute_daily(dt.date(2020, 1, 1), dt.date(2020, 1, 3), chunk=1)
    rows = DailyResult.objects.all()
    arrow_daily = read_daily(rows, "2026", dt.date(2020, 1, 1), dt.date(2020, 1, 3))
    with override_settings(ARROW_READS=False):
        cursor_daily = read_daily(rows, "2026", dt.date(2020, 1, 1), dt.date(2020, 1, 3))
    assert arrow_daily.height > 0 and arrow_daily.sort("key", "date").equals(cursor_daily.sort("key", "date"),
                                                                               null_equal=True)
