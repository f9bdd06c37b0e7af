"""Forecast runs: an adjustment is a new run and both are kept; publishing writes the region's
forecast days, which the warning proposal reads; a published run never changes and a later
publication supersedes it; a county neither sees nor adjusts another county's run."""

import datetime as dt

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian import clock
from gongjian.emergency import episodes, runs
from gongjian.emergency.models import Forecast, ForecastRun, ForecastValue
from gongjian.regions import policy

ISSUED = clock.parse_as_of("2020-12-08T08:00")
#: A yellow spell by the model: two heavy days (AQI > 200), none severe.
MODEL_AQI = [150, 210, 230, 190, 160, 120, 90]


def days(aqis, start=dt.date(2020, 12, 9)) -> pl.DataFrame:
    return pl.DataFrame([{"station": None, "day": start + dt.timedelta(days=i), "lead": i + 1, "so2": 12.0,
                          "no2": 60.0, "co": 1.4, "o3_8h": 40.0, "pm10": 1.2 * a, "pm25": 0.75 * a, "aqi": a,
                          "aqi_low": a - 15, "aqi_high": a + 15, "primary": "PM2.5"} for i, a in enumerate(aqis)],
                        schema_overrides={"station": pl.String})


@pytest.fixture
def run(world, standard):
    with clock.as_of(ISSUED):
        return runs.store_run(world.regions["city"], ISSUED, days(MODEL_AQI), model_version="test-1",
                              inputs={"history": "constructed"})


def aqi_of(run):
    return [v.aqi for v in run.values.filter(station__isnull=True).order_by("day")]


def test_a_run_keeps_its_days_with_the_levels_its_range_spans(run):
    assert run.status == "draft" and run.model_version == "test-1" and len(run.inputs_digest) == 64
    first = run.values.get(day=dt.date(2020, 12, 9))
    # AQI 135-165: 轻度污染 (level 3, up to 150) to 中度污染 (level 4), HJ 633 Table 2
    assert (first.aqi_low, first.aqi_high, first.level_low, first.level_high) == (135, 165, 3, 4)


def test_an_adjustment_is_a_new_run_and_the_original_stays(world, run):
    office = world.people["city_office"]
    change = {dt.date(2020, 12, 11): runs.DayChange(305, 280, 330, "PM2.5")}
    adjusted = runs.adjust(run, change, office, "会商：12月11日静稳加重，预计严重污染")
    run.refresh_from_db()
    assert aqi_of(run) == MODEL_AQI  # the original as the model issued it
    assert aqi_of(adjusted) == [150, 210, 305, 190, 160, 120, 90]
    assert adjusted.adjusts == run and adjusted.forecaster == office and adjusted.status == "draft"
    assert adjusted.values.get(day=dt.date(2020, 12, 11)).level_high == 6  # 330: 严重污染
    assert ForecastRun.objects.count() == 2


def test_an_adjustment_needs_a_reason_and_a_change(world, run):
    office = world.people["city_office"]
    with pytest.raises(ValidationError):
        runs.adjust(run, {dt.date(2020, 12, 11): runs.DayChange(305, 280, 330)}, office, " ")
    with pytest.raises(ValidationError, match="changes no day"):
        runs.adjust(run, {dt.date(2020, 12, 11): runs.DayChange(230, 215, 245)}, office, "no change")
    with pytest.raises(ValidationError, match="does not forecast"):
        runs.adjust(run, {dt.date(2021, 1, 1): runs.DayChange(100, 90, 110)}, office, "outside")
    with pytest.raises(ValidationError):  # the point outside its range
        runs.adjust(run, {dt.date(2020, 12, 11): runs.DayChange(305, 310, 330)}, office, "bad range")
    assert ForecastRun.objects.count() == 1


def test_publishing_writes_the_forecast_the_warning_proposal_reads(world, run):
    city, office = world.regions["city"], world.people["city_office"]
    with clock.as_of(ISSUED):
        assert episodes.proposed_level(city, ISSUED) is None  # nothing published yet
        runs.publish(run, office)
        assert episodes.proposed_level(city, clock.parse_as_of("2020-12-08T18:00")).level == "yellow"
        # the forecaster sees a third heavy day, one of them severe: orange (3 heavy days, 1 severe)
        adjusted = runs.adjust(run, {dt.date(2020, 12, 12): runs.DayChange(310, 290, 340)}, office, "会商")
        runs.publish(adjusted, office)
    assert list(Forecast.objects.filter(region=city).order_by("day").values_list("aqi", flat=True)) == [
        150, 210, 230, 310, 160, 120, 90]
    assert set(Forecast.objects.values_list("source", "issued_on")) == {("model", dt.date(2020, 12, 8))}
    assert episodes.proposed_level(city, clock.parse_as_of("2020-12-08T18:00")).level == "orange"
    run.refresh_from_db()
    assert run.status == "superseded" and aqi_of(run) == MODEL_AQI  # superseded, its days unchanged


def test_a_published_run_never_changes(world, run):
    office = world.people["city_office"]
    runs.publish(run, office)
    value = run.values.first()
    value.aqi = 400
    with pytest.raises(ValidationError, match="never changes"):
        value.save()
    run.refresh_from_db()
    run.reason = "rewritten"
    with pytest.raises(ValidationError, match="never changes"):
        run.save()
    with pytest.raises(ValidationError, match="Only a draft"):
        runs.publish(ForecastRun.objects.get(pk=run.pk), office)
    assert ForecastValue.objects.get(pk=value.pk).aqi != 400


def test_a_county_neither_sees_nor_adjusts_another_countys_run(world, standard):
    county_a = world.regions["county_a"]
    with clock.as_of(ISSUED):
        own = runs.store_run(county_a, ISSUED, days(MODEL_AQI))
    a, b = world.people["county_a_office"], world.people["county_b_office"]
    assert policy.visible(a, ForecastRun.objects.all()).filter(pk=own.pk).exists()
    assert not policy.visible(b, ForecastRun.objects.all()).filter(pk=own.pk).exists()
    assert not policy.visible(b, ForecastValue.objects.all()).exists()
    change = {dt.date(2020, 12, 11): runs.DayChange(305, 280, 330)}
    with pytest.raises(PermissionDenied):
        runs.adjust(own, change, b, "not mine")
    with pytest.raises(PermissionDenied):
        runs.publish(own, b)
    assert runs.adjust(own, change, a, "mine").adjusts == own
    # the city's run binds the county (read-only): it sees it, and may not adjust it
    with clock.as_of(ISSUED):
        city_run = runs.store_run(world.regions["city"], ISSUED, days(MODEL_AQI))
    assert policy.visible(a, ForecastRun.objects.all()).filter(pk=city_run.pk).exists()
    with pytest.raises(PermissionDenied):
        runs.adjust(city_run, change, a, "the city's")


def _history(world, days=150, last=dt.date(2020, 12, 7)):
    """Daily results of the city and the observed weather of a site for ``days`` up to ``last``: PM2.5
    rising as the wind falls, so the model has something to learn."""
    import numpy as np

    from gongjian.air.kinds import MET
    from gongjian.air.models import DailyResult, Station
    from gongjian.air.results import stored_edition
    from gongjian.core import series

    city = world.regions["city"]
    site = Station.objects.create(code="M1", name="气象站", kind="met", region=city)
    rng = np.random.default_rng(3)
    dates = [last - dt.timedelta(days=days - 1 - i) for i in range(days)]
    wind = np.clip(2.5 + rng.normal(0, 1, days), 0.3, None)
    edition = stored_edition("auto", last)
    DailyResult.objects.bulk_create(DailyResult(
        subject="region", place=city, date=d, edition=edition, pm25=float(20 + 160 / (w + 0.5)),
        pm10=float(40 + 220 / (w + 0.5)), so2=8.0, no2=float(30 + 20 / (w + 0.5)), co=0.9, o3_8h=60.0, aqi=100,
        primary_pollutants="PM2.5", complete=True) for d, w in zip(dates, wind, strict=True))
    times = [dt.datetime.combine(d, dt.time(h)) for d in dates for h in range(24)]
    series.write(MET, pl.DataFrame({"station_id": site.pk, "time": times, "wind_speed": np.repeat(wind, 24),
                                    "temperature": 5.0, "humidity": 60.0}), source="api")


def _met_forecast(city, issued_at, first, wind=(1.0,) * 9):
    from gongjian.emergency.models import MetForecast

    MetForecast.objects.bulk_create(MetForecast(
        region=city, issued_at=issued_at, valid_at=clock.attach(dt.datetime.combine(first + dt.timedelta(days=i),
                                                                                    dt.time(12))),
        wind_speed=w, temperature=5.0, humidity=60.0, boundary_layer=400.0) for i, w in enumerate(wind))


def test_a_run_is_issued_from_the_history_and_the_met_forecast(world, standard):
    city, at = world.regions["city"], clock.parse_as_of("2020-12-08T08:00")
    _history(world)
    with pytest.raises(ValidationError, match="meteorological forecast"):
        runs.issue(city, at, stations=False)
    _met_forecast(city, clock.parse_as_of("2020-12-08T06:00"), dt.date(2020, 12, 7))
    steps = []
    run = runs.issue(city, at, stations=False, progress=steps.append)
    region_days = list(run.values.filter(station__isnull=True).order_by("day"))
    # lead 1 is the issue day, counted from the last whole observed day before it
    assert [(v.day, v.lead) for v in region_days] == [(dt.date(2020, 12, 8) + dt.timedelta(days=i), i + 1)
                                                      for i in range(7)]
    assert all(v.aqi_low <= v.aqi <= v.aqi_high for v in region_days) and run.status == "draft"
    assert run.model_version.startswith("gongjian-forecast") and len(steps) == 3
    # only the variables both observed and forecast: no boundary layer (never observed)
    import json
    inputs = json.loads(run.inputs)
    assert inputs["history"] == ["2020-07-11", "2020-12-07"] and "boundary_layer_height" not in inputs["weather"]
    assert "wind_speed" in inputs["weather"] and inputs["met_forecast_issued"].startswith("2020-12-08 06:00")
    # a calm week forecasts more PM2.5 than a windy one (what the history taught it)
    windy = clock.parse_as_of("2020-12-08T07:00")
    _met_forecast(city, windy, dt.date(2020, 12, 7), wind=(6.0,) * 9)
    calm_run = run
    with clock.as_of(windy):
        windy_run = runs.issue(city, windy, stations=False)
    assert (sum(v.pm25 for v in calm_run.values.filter(lead__lte=3))
            > sum(v.pm25 for v in windy_run.values.filter(lead__lte=3)))


def test_an_older_draft_is_not_published_over_a_newer_run(world, run):
    """The 08:00 run is left a draft; a 14:00 run is published; publishing the 08:00 draft now is
    refused, and the 14:00 run and its days stay."""
    city, office = world.regions["city"], world.people["city_office"]
    later = clock.parse_as_of("2020-12-08T14:00")
    with clock.as_of(later):
        newer = runs.store_run(city, later, days([100] * 7), model_version="test-1")
        runs.publish(newer, office)
        with pytest.raises(ValidationError, match="older forecast is not published over a newer one"):
            runs.publish(run, office)
    newer.refresh_from_db()
    run.refresh_from_db()
    assert (newer.status, run.status) == ("published", "draft")
    assert list(Forecast.objects.filter(region=city).values_list("aqi", flat=True)) == [100] * 7


def test_publishing_replaces_the_models_days_and_keeps_a_forecasters(world, run):
    """A forecaster entered the AQI of 12-10 issued on 12-08 (and one was imported for 12-11): the
    model's days of that issue are replaced, those two stay."""
    city, office = world.regions["city"], world.people["city_office"]
    issued_on = dt.date(2020, 12, 8)
    Forecast.objects.create(region=city, issued_on=issued_on, day=dt.date(2020, 12, 10), aqi=260, entered_by=office)
    Forecast.objects.create(region=city, issued_on=issued_on, day=dt.date(2020, 12, 11), aqi=240,
                            source=Forecast.Source.FILE)
    Forecast.objects.create(region=city, issued_on=issued_on, day=dt.date(2020, 12, 9), aqi=99,
                            source=Forecast.Source.MODEL)
    with clock.as_of(ISSUED):
        assert runs.publish(run, office) == 5
    stored = {f.day: (f.aqi, f.source) for f in Forecast.objects.filter(region=city)}
    assert stored[dt.date(2020, 12, 9)] == (150, "model")  # the model's earlier figure replaced
    assert stored[dt.date(2020, 12, 10)] == (260, "entered")
    assert stored[dt.date(2020, 12, 11)] == (240, "file")
    assert len(stored) == 7


def test_a_runs_status_only_moves_on(world, run):
    office = world.people["city_office"]
    runs.publish(run, office)
    run.refresh_from_db()
    run.status = ForecastRun.Status.DRAFT
    with pytest.raises(ValidationError, match="never back"):
        run.save()
    run.status = ForecastRun.Status.SUPERSEDED
    run.save()
    run.status = ForecastRun.Status.PUBLISHED
    with pytest.raises(ValidationError, match="never back"):
        run.save()
    with pytest.raises(ValidationError, match="starts as a draft"):
        ForecastRun.objects.create(region=run.region, issued_at=ISSUED, status=ForecastRun.Status.PUBLISHED)
    assert ForecastRun.objects.get(pk=run.pk).status == "superseded"


def test_the_days_of_a_published_run_are_not_deleted(world, run):
    office = world.people["city_office"]
    runs.publish(run, office)
    with pytest.raises(ValidationError, match="never changes"):
        run.values.first().delete()
    with pytest.raises(ValidationError, match="never changes"):
        ForecastValue.objects.filter(run=run).delete()
    assert run.values.count() == 7
    with clock.as_of(ISSUED):
        draft = runs.store_run(run.region, ISSUED, days(MODEL_AQI))
    assert ForecastValue.objects.filter(run=draft).delete()[0] == 7  # a draft's days may go
