"""The one series door (gongjian.core.series) on the real database: the bulk reader returns what the
ORM returns, an upsert replaces only what it carries, and the new-data hook runs only for a
committed write."""

import datetime as dt

import polars as pl
import pytest
from django.db import transaction

from gongjian import clock
from gongjian.air.models import AirHour, DailyResult, QualityFinding, Station
from gongjian.core import series

START = dt.datetime(2020, 1, 1)  # naive Beijing time; its first eight hours are 2019-12-31 in UTC


@pytest.fixture
def stations(world):
    return [Station.objects.create(code=code, name=code, kind="county", region=world.regions[region])
            for code, region in (("ZM01", "county_a"), ("XY01", "county_b"))]


def _hours(stations, count: int) -> pl.DataFrame:
    rows = []
    for i, station in enumerate(stations):
        for h in range(count):
            rows.append({"station_id": station.pk, "time": START + dt.timedelta(hours=h),
                         "so2": None if h % 17 == 3 else float(8 + (h + i) % 5), "no2": 30.0 + (h * 3) % 7,
                         "co": 0.5 + (h % 4) / 10, "o3": 40.0 + (h * 5) % 13, "pm10": 80.0 + (h * 7) % 11,
                         "pm25": 40.0 + (h * 7) % 9 + i, "pm25_flag": "C" if h % 29 == 5 else "N"})
    return pl.DataFrame(rows, schema_overrides={"time": pl.Datetime("us")})


def test_the_bulk_reader_returns_what_the_orm_returns(stations, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():  # the hook is not what this test is about
        written = series.write("air.hourly", _hours(stations, 150), source="file")
    assert written.rows == 300
    ids = [stations[0].pk, stations[1].pk]
    lo, hi = START + dt.timedelta(hours=2), START + dt.timedelta(hours=140)
    frame = series.read("air.hourly", {"station_id": ids}, lo, hi, ["so2", "pm25", "pm25_flag", "batch_id"])
    orm = [(h.station_id, clock.naive_local(h.time), h.so2, h.pm25, h.pm25_flag, h.batch_id)
           for h in AirHour.objects.filter(station_id__in=ids, time__gte=lo.replace(tzinfo=clock.zone()),
                                           time__lt=hi.replace(tzinfo=clock.zone())).order_by("station_id", "time")]
    assert len(orm) == 2 * 138
    assert frame.columns == ["station_id", "time", "so2", "pm25", "pm25_flag", "batch_id"]
    assert frame.rows() == orm
    assert frame["time"].min() == lo and frame["so2"].null_count() > 0  # Beijing time, nulls kept


def test_an_upsert_replaces_what_it_carries_and_keep_existing_keeps(stations, django_capture_on_commit_callbacks):
    station = stations[0].pk
    with django_capture_on_commit_callbacks():
        series.write("air.hourly", _hours(stations[:1], 3), source="file")
        series.write("air.hourly", pl.DataFrame({"station_id": [station], "time": [START], "pm25": [99.0]}),
                     source="api")
        series.write("air.hourly", pl.DataFrame({"station_id": [station, station], "time": [START, START + dt.timedelta(
            hours=5)], "pm25": [1.0, 2.0]}), source="gateway", keep_existing=True)
    stored = series.read("air.hourly", {"station_id": [station]}, fields=["no2", "pm25", "pm25_flag"])
    assert stored.rows() == [(station, START, 30.0, 99.0, "N"), (station, START + dt.timedelta(hours=1), 33.0, 47.0, "N"),
                             (station, START + dt.timedelta(hours=2), 36.0, 45.0, "N"),
                             (station, START + dt.timedelta(hours=5), None, 2.0, "N")]  # defaults for a new row
    with pytest.raises(ValueError, match="two rows for the same station_id, time"):
        series.write("air.hourly", pl.DataFrame({"station_id": [station] * 2, "time": [START] * 2}), source="file")
    with pytest.raises(ValueError, match="not of the kind"):
        series.write("air.hourly", pl.DataFrame({"station_id": [station], "time": [START], "pm2.5": [1.0]}),
                     source="file")


def test_the_hook_runs_after_commit_only(stations, django_capture_on_commit_callbacks):
    """A rolled-back write calls no handler: no quality findings, no daily results for data that never
    were. The same write committed does both."""
    hours = _hours(stations[:1], 48).with_columns(
        pl.when(pl.col("time").dt.hour().is_between(6, 17)).then(57.0).otherwise(pl.col("pm25")).alias("pm25"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            series.write("air.hourly", hours, source="file")
            raise RuntimeError("the import failed after the write")
    assert callbacks == [] and not AirHour.objects.exists()
    assert not QualityFinding.objects.exists() and not DailyResult.objects.exists()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        written = series.write("air.hourly", hours, source="file")
        assert not QualityFinding.objects.exists()  # not before the commit
    assert len(callbacks) == 1
    [findings] = written.results.values()
    assert {(f.pollutant, f.rule) for f in findings} == {("pm25", "stuck")}
    assert DailyResult.objects.filter(subject="station", station=stations[0]).dates("date", "day").count() == 2


def test_a_failing_handler_neither_fails_the_write_nor_stops_the_others(stations, django_capture_on_commit_callbacks):
    """The rows are committed when handlers run: a handler that raises is logged and queued again as
    a job (in the broker's queue, for the worker), and the air hook still checks and counts the hours;
    the queued retry calls the handler again on the same rows."""
    from django_q.models import OrmQ

    calls = []

    @series.on_new_data("air.hourly")
    def broken(written):
        calls.append(written.rows)
        raise RuntimeError("the handler broke")

    try:
        with django_capture_on_commit_callbacks(execute=True):
            written = series.write("air.hourly", _hours(stations[:1], 24), source="gateway")
        assert AirHour.objects.count() == 24 and calls == [24]
        assert any(name.endswith("check_and_recompute") for name in written.results)
        assert DailyResult.objects.filter(subject="station", station=stations[0]).exists()
        [queued] = [q.task for q in OrmQ.objects.all() if q.func() == "gongjian.core.series.retry"]
        with pytest.raises(RuntimeError, match="the handler broke"):
            series.retry(*queued["args"])
        assert calls == [24, 24]
    finally:
        series._HANDLERS["air.hourly"].remove(broken)
