"""The series door's two less common ways on the real database: a judgement on stored rows
(:func:`gongjian.core.series.update_values`, how quality flags are set) changes only what it names and
adds no row, and a daily kind (periods stored as dates) is written and read without time zones."""

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from gongjian.air.models import AirHour, Station
from gongjian.core import series
from gongjian.sources.models import DailyEmission, Enterprise

START = dt.datetime(2020, 1, 1)  # naive Beijing time: 2019-12-31 16:00 UTC


@pytest.fixture
def station(world):
    return Station.objects.create(code="ZM01", name="中牟", kind="county", region=world.regions["county_a"])


def _store(station, django_capture_on_commit_callbacks, hours: int = 3) -> None:
    frame = pl.DataFrame({"station_id": [station.pk] * hours, "time": [START + dt.timedelta(hours=h) for h in range(hours)],
                          "so2": [10.0 + h for h in range(hours)]}, schema_overrides={"time": pl.Datetime("us")})
    with django_capture_on_commit_callbacks():  # quality control is not what these tests are about
        series.write("air.hourly", frame, source="file")


def test_a_judgement_changes_only_the_columns_and_rows_it_names_and_calls_no_handler(
        station, django_capture_on_commit_callbacks):
    _store(station, django_capture_on_commit_callbacks)
    judged = pl.DataFrame({"station_id": [station.pk], "time": [START + dt.timedelta(hours=1)],
                           "so2_flag": ["suspect"]}, schema_overrides={"time": pl.Datetime("us")})
    with django_capture_on_commit_callbacks() as callbacks:
        assert series.update_values("air.hourly", judged) == 1
    assert callbacks == []
    hours = list(AirHour.objects.order_by("time").values_list("so2", "so2_flag", "pm25_flag"))
    assert hours == [(10.0, "N", "N"), (11.0, "suspect", "N"), (12.0, "N", "N")]


def test_a_judgement_on_a_row_not_stored_is_refused_and_changes_nothing(station, django_capture_on_commit_callbacks):
    _store(station, django_capture_on_commit_callbacks)
    judged = pl.DataFrame({"station_id": [station.pk, station.pk], "time": [START, START + dt.timedelta(hours=5)],
                           "so2_flag": ["suspect", "suspect"]}, schema_overrides={"time": pl.Datetime("us")})
    with pytest.raises(ValueError, match="1 rows are not stored"):
        series.update_values("air.hourly", judged)
    assert AirHour.objects.count() == 3
    assert set(AirHour.objects.values_list("so2_flag", flat=True)) == {"N"}


def test_a_judgement_names_value_columns_only(station):
    with pytest.raises(ValueError, match="updates value columns"):
        series.update_values("air.hourly", pl.DataFrame({"station_id": [station.pk], "time": [START]}))


def test_a_daily_kind_stores_and_reads_dates_as_they_are(world):
    enterprise = Enterprise.objects.create(organisation=world.organisations["e1"], industry="cement",
                                           performance_class="C", annual_output=Decimal("10000"))
    days = [dt.date(2020, 1, 1), dt.date(2020, 1, 2)]
    series.write("sources.daily_emission", pl.DataFrame({
        "enterprise_id": [enterprise.pk] * 2, "date": days, "source": ["cems"] * 2,
        "production": ["limited", "stopped"], "so2": [Decimal("1.250"), Decimal("0.000")]}), source="demo")
    stored = list(DailyEmission.objects.order_by("date").values_list("date", "production", "so2", "nox"))
    assert stored == [(days[0], "limited", Decimal("1.250"), Decimal("0")), (days[1], "stopped", Decimal("0"), Decimal("0"))]
    frame = series.read("sources.daily_emission", {"enterprise_id": [enterprise.pk]}, days[1], days[1] + dt.timedelta(days=1),
                        ["production"])
    assert frame.rows() == [(enterprise.pk, days[1], "stopped")]
    with pytest.raises(TypeError, match="must hold dates"):
        series.write("sources.daily_emission", pl.DataFrame({
            "enterprise_id": [enterprise.pk], "date": [dt.datetime(2020, 1, 3)], "production": ["normal"]}), source="demo")
