"""The episode evaluation on constructed data whose answer is known: PM2.5 driven by the wind (and a
daily cycle), lowered by exactly 25 µg/m³ during the warning; the evaluation trained on the hours
around it, outside an earlier warning, recovers the 25 within its band, per station and for the
region, and says so in the sentence."""

import datetime as dt

import numpy as np
import polars as pl
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from gongjian import clock
from gongjian.air.kinds import HOURLY, MET
from gongjian.air.models import Station
from gongjian.core import series
from gongjian.emergency import episodes, evaluation

FIRST, LAST = dt.datetime(2020, 8, 1), dt.datetime(2020, 12, 16)
EARLIER = (dt.datetime(2020, 10, 10, 12), dt.datetime(2020, 10, 14, 12))
EPISODE = (dt.datetime(2020, 12, 8, 18), dt.datetime(2020, 12, 12, 12))
EFFECT = 25.0


def _world(world):
    city = world.regions["city"]
    stations = [Station.objects.create(code=f"S{i}", name=f"站{i}", kind="national", region=city, assessment=True)
                for i in (1, 2)]
    site = Station.objects.create(code="M1", name="气象站", kind="met", region=city)
    times = pl.datetime_range(FIRST, LAST, "1h", eager=True, closed="left")
    n = len(times)
    rng = np.random.default_rng(7)
    daily = np.repeat(np.exp(np.convolve(rng.normal(0, 0.45, n // 24 + 3), [0.5, 0.3, 0.2], "same"))[:n // 24 + 1], 24)[:n]
    hour = np.array([t.hour for t in times])
    wind = np.clip(3.0 * daily + 0.6 * np.sin(2 * np.pi * (hour - 14) / 24) + rng.normal(0, 0.2, n), 0.3, None)
    humidity = np.clip(70 - 8 * wind + rng.normal(0, 4, n), 10, 100)
    series.write(MET, pl.DataFrame({"station_id": site.pk, "time": times, "wind_speed": wind, "humidity": humidity,
                                    "temperature": 20 - 0.1 * np.arange(n) / 24 + rng.normal(0, 1, n)}), source="api")
    measures = np.zeros(n)
    for start, end in (EARLIER, EPISODE):
        measures[(times >= start) & (times < end)] = EFFECT
    for i, station in enumerate(stations):
        pm25 = 15 + 240 / (wind + 1.0) * (1 + 0.1 * i) + rng.normal(0, 4, n) - measures
        series.write(HOURLY, pl.DataFrame({"station_id": station.pk, "time": times, "pm25": np.clip(pm25, 1, None),
                                           "pm10": np.clip(1.6 * pm25, 1, None), "no2": 30 + 40 / (wind + 1)}),
                     source="api")
    return city, stations


def _warnings(world, city):
    office = world.people["city_office"]
    for (start, end), level in ((EARLIER, "orange"), (EPISODE, "red")):
        episodes.act(city, "issue", level, clock.attach(start), office, "重度污染")
        action = episodes.act(city, "lift", "", clock.attach(end), office, "结束")
    return action.warning


@pytest.fixture
def evaluated(world, standard):
    city, stations = _world(world)
    episode = _warnings(world, city)
    with clock.as_of("2020-12-20T09:00"):
        return evaluation.evaluate(episode, user=world.people["city_office"])


def test_the_evaluation_recovers_the_measures_effect_within_its_band(evaluated):
    figures = evaluated.result["pollutants"]["pm25"]
    assert figures["lower"] < -EFFECT < figures["upper"]
    assert abs(figures["difference"] + EFFECT) < 5
    assert figures["r2"] > 0.8
    for station in evaluated.result["stations"]:
        assert station["pm25"]["lower"] < -EFFECT < station["pm25"]["upper"], station
    # NO2 was not lowered: its band holds zero
    no2 = evaluated.result["pollutants"]["no2"]
    assert no2["lower"] < 0 < no2["upper"]


def test_business_as_usual_leaves_out_the_warnings(evaluated):
    first, last, hours = evaluated.result["training"]
    assert first == "2019-12-09" and last == "2020-12-20"
    # 1 August to the episode's start, less the earlier warning's 96 hours, and the hours after the
    # episode to the end of the record (16 December)
    expected = (int((EPISODE[0] - FIRST).total_seconds() // 3600) - 96
                + int((LAST - EPISODE[1]).total_seconds() // 3600))
    assert hours == expected
    assert evaluated.result["weather"] == ["temperature", "humidity", "wind_speed"]
    assert evaluated.result["level"] == "red"


def test_the_sentence_is_computed_from_the_figures(evaluated):
    figures = evaluated.result["pollutants"]["pm25"]
    with translation.override("zh-hans"):
        text = evaluation.sentence(evaluated)
    fall = f"{-figures['difference']:.1f}"
    band = f"（{-figures['upper']:.1f}–{-figures['lower']:.1f}）"
    assert text == f"红色预警期间 PM2.5 下降中约 {fall} μg/m³{band}可归因于减排措施。"
    assert 20 < -figures["difference"] < 30


def test_no_meteorology_no_evaluation(world, standard):
    city = world.regions["city"]
    Station.objects.create(code="S9", name="站9", kind="national", region=city, assessment=True)
    episode = _warnings(world, city)
    with pytest.raises(ValueError, match="meteorology"):
        evaluation.evaluate(episode)


def test_a_warning_in_force_is_not_evaluated(world, standard):
    city = world.regions["city"]
    _world(world)
    office = world.people["city_office"]
    episode = episodes.act(city, "issue", "red", clock.attach(EPISODE[0]), office, "重度污染").warning
    with clock.as_of("2020-12-10T09:00"), pytest.raises(ValueError, match="still in force"):
        evaluation.evaluate(episode, user=office)
    assert not episode.evaluations.exists()


def test_the_inputs_are_digested_and_a_published_evaluation_never_changes(world, evaluated):
    """The digest is stored with the figures; an hour corrected afterwards (S1's PM2.5 on 12-10 00:00)
    makes the page's check report the change; published, the evaluation stays as it was."""
    from django.core.exceptions import ValidationError

    digest = evaluated.result["inputs"]["digest"]
    assert len(digest) == 64 and evaluated.result["inputs"]["hours"] > 0
    assert not evaluated.published
    with clock.as_of("2020-12-20T10:00"):
        assert evaluation.inputs_changed(evaluated) is False
        station = Station.objects.get(code="S1")
        series.write(HOURLY, pl.DataFrame({"station_id": [station.pk], "time": [dt.datetime(2020, 12, 10)],
                                           "pm25": [999.0]}), source="api")
        assert evaluation.inputs_changed(evaluated) is True
        evaluation.publish(evaluated, world.people["city_office"])
    evaluated.refresh_from_db()
    assert evaluated.published and evaluated.published_at == clock.parse_as_of("2020-12-20T10:00")
    evaluated.result = {**evaluated.result, "level": "orange"}
    with pytest.raises(ValidationError, match="never changes"):
        evaluated.save()
    with pytest.raises(ValidationError, match="already published"):
        evaluation.publish(evaluated, world.people["city_office"])
    with pytest.raises(PermissionDenied):
        evaluation.publish(evaluated, world.people["public_city"])
