"""The forecast model on constructed data whose answer is known (gongjian.analytics.forecast)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

from gongjian.analytics import forecast
from gongjian.standards import hj633

START = dt.date(2021, 1, 1)
DAYS = 420
SPLIT = START + dt.timedelta(days=330)  # train before, forecast after


def constructed():
    """Two stations; PM2.5 (and PM10 = 1.5 PM2.5) driven by the day's wind speed, which is drawn
    independently every day, so yesterday's PM2.5 says little about today's and the weather a lot."""
    rng = np.random.default_rng(7)
    history, met = [], []
    for station in ("A", "B"):
        wind = rng.gamma(2.0, 1.5, DAYS)
        for i in range(DAYS):
            day = START + dt.timedelta(days=i)
            pm25 = 30 + 240 / (1 + wind[i]) + rng.normal(0, 4)
            history.append({"station": station, "date": day, "so2": 8.0, "no2": 35.0 + rng.normal(0, 2), "co": 0.9,
                            "o3_8h": 80.0 + rng.normal(0, 5), "pm10": round(1.5 * pm25), "pm25": round(pm25)})
            met.append({"station": station, "date": day, "wind_speed": float(wind[i]), "temperature": 10.0})
    return pl.DataFrame(history), pl.DataFrame(met)


@pytest.fixture(scope="module")
def trained():
    history, met = constructed()
    model = forecast.train(history.filter(pl.col("date") < SPLIT), met, leads=(1, 2, 5), max_trees=80, edition="2026")
    issued = [SPLIT + dt.timedelta(days=i) for i in range(DAYS - 330 - 6)]
    runs = forecast.hindcast(model, history, met, issued, edition="2026")
    return history, met, model, runs


def test_a_pollutant_driven_by_the_weather_is_forecast_better_than_persistence(trained):
    history, _, model, runs = trained
    observed = history.select("station", pl.col("date").alias("day"), pl.col("pm25").alias("observed"))
    today = history.select("station", pl.col("date").alias("issued"), pl.col("pm25").alias("persisted"))
    joined = runs.join(observed, on=["station", "day"]).join(today, on=["station", "issued"])
    for lead in model.leads:
        part = joined.filter(pl.col("lead") == lead)
        model_mae = (part["pm25"] - part["observed"]).abs().mean()
        persistence_mae = (part["persisted"] - part["observed"]).abs().mean()
        assert part.height > 100
        assert model_mae < 0.5 * persistence_mae, (lead, model_mae, persistence_mae)


def test_the_aqi_of_a_forecast_row_is_hj633s_on_its_concentrations(trained):
    *_, runs = trained
    for row in runs.head(60).iter_rows(named=True):
        iaqis = {p: hj633.iaqi(p, row[p], "2026") for p in forecast.POLLUTANTS}
        assert all(row[f"iaqi_{p}"] == v for p, v in iaqis.items())
        assert row["aqi"] == max(iaqis.values())
        assert row["level"] == hj633.category(row["aqi"]).level
        primary = [hj633.POLLUTANT_OF[p] for p, v in iaqis.items() if v == row["aqi"]] if row["aqi"] > 50 else []
        assert sorted(row["primary_pollutants"]) == sorted(primary)


def test_concentrations_are_rounded_as_the_daily_report_rounds_them(trained):
    *_, runs = trained
    assert (runs["pm25"] == runs["pm25"].round(0)).all() and (runs["co"] == runs["co"].round(1)).all()


def test_ranges_contain_the_point_value_and_span_the_right_levels(trained):
    _, _, model, runs = trained
    for row in runs.iter_rows(named=True):
        lo_factor, hi_factor = model.range_factors[row["lead"]]
        assert row["aqi_low"] == min(5 * math.floor(row["aqi"] * lo_factor / 5), row["aqi"])
        assert row["aqi_high"] == max(5 * math.ceil(row["aqi"] * hi_factor / 5), row["aqi"])
        first, last = hj633.category(row["aqi_low"]), hj633.category(row["aqi_high"])
        assert (row["level_low"], row["level_high"]) == (first.level, last.level)
        assert row["levels"] == (first.name_zh if first == last else f"{first.name_zh}至{last.name_zh}")
        assert row["range_text"] == f"AQI {row['aqi_low']}–{row['aqi_high']}"
    assert all(lo <= 1 <= hi for lo, hi in model.range_factors.values())
    assert runs["detailed"].to_list() == [lead <= 3 for lead in runs["lead"].to_list()]


@pytest.mark.parametrize("low, high, text", [(75, 105, "良至轻度污染"), (60, 80, "良"), (40, 160, "优至中度污染"),
                                             (50, 50, "优"), (301, 420, "严重污染")])
def test_range_levels_as_bulletins_write_them(low, high, text):
    assert forecast.range_levels(low, high) == text


def test_predict_uses_no_history_after_the_issue_day(trained):
    history, met, model, runs = trained
    issued = SPLIT + dt.timedelta(days=10)
    full = forecast.predict(model, history, met, issued, edition="2026")
    cut = forecast.predict(model, history.filter(pl.col("date") <= issued), met, issued, edition="2026")
    assert full.equals(cut)
    same_day = runs.filter(pl.col("issued") == issued)
    assert full.select("station", "lead", "aqi", "pm25").equals(same_day.select("station", "lead", "aqi", "pm25"))


def test_predict_takes_the_hourly_layout_and_the_rows_of_its_issue():
    history, met = constructed()
    model = forecast.train(history.filter(pl.col("date") < SPLIT), met, leads=(1,), max_trees=30, edition="2026")
    issued = SPLIT
    hourly = pl.DataFrame([
        {"site": s, "issued": d, "time": dt.datetime.combine(issued + dt.timedelta(days=1), dt.time(h)),
         "wind_speed": w, "temperature": 10.0}
        for s in ("A", "B") for d, w in ((issued, 8.0), (issued - dt.timedelta(days=1), 0.1)) for h in range(24)])
    calm = hourly.with_columns(pl.when(pl.col("issued") == issued).then(0.1).otherwise(8.0).alias("wind_speed"))
    windy_run = forecast.predict(model, history, hourly, issued, edition="2026")
    calm_run = forecast.predict(model, history, calm, issued, edition="2026")
    assert windy_run["weather"].all()
    assert (windy_run["pm25"] < calm_run["pm25"] - 50).all()  # 30+240/9 ≈ 57 against 30+240/1.1 ≈ 248


def test_daily_weather_means_sums_and_the_wind_vector():
    rows = pl.DataFrame({
        "site": ["A", "A", "A"], "time": [dt.datetime(2024, 5, 1, 0), dt.datetime(2024, 5, 1, 1), dt.datetime(2024, 5, 2, 0)],
        "temperature": [10.0, 14.0, 20.0], "wind_speed": [1.0, 1.0, 2.0], "wind_direction": [0.0, 90.0, 180.0],
        "precipitation": [0.5, 1.5, None]})
    daily = forecast.daily_weather(rows)
    first, second = daily.row(0, named=True), daily.row(1, named=True)
    assert first["station"] == "A" and first["date"] == dt.date(2024, 5, 1)
    assert first["temperature"] == 12.0 and first["precipitation"] == 2.0
    # from the north (towards the south) and from the east (towards the west): mean u = v = -0.5
    assert first["wind_u"] == pytest.approx(-0.5) and first["wind_v"] == pytest.approx(-0.5)
    assert second["precipitation"] is None  # no value that day is no data, not 0 mm
    assert second["wind_v"] == pytest.approx(2.0)


def test_a_bad_weather_forecast_names_its_row_and_column():
    frame = pl.DataFrame({"site": ["A", "A"], "time": ["2024-05-01 00:00", "2024-05-01 01:00"],
                          "humidity": [50.0, 120.0]})
    assert forecast.check_weather(frame) == [(2, "humidity", "120.0 % is outside 0..100 %")]
    with pytest.raises(ValueError, match="row 2, column humidity"):
        forecast.daily_weather(frame)
    assert forecast.check_weather(pl.DataFrame({"site": ["A"], "time": ["tomorrow"], "humidity": [50.0]})) == [
        (1, "time", "'tomorrow' is not a time (YYYY-MM-DD HH:MM) or a day (YYYY-MM-DD)")]
    assert "no weather variable" in forecast.check_weather(pl.DataFrame({"site": ["A"], "time": ["2024-05-01"]}))[0][2]


def test_training_refuses_what_it_cannot_learn_from():
    history, met = constructed()
    with pytest.raises(ValueError, match="no weather column"):
        forecast.train(history, met.select("station", "date"))
    with pytest.raises(ValueError, match="at least 30"):
        forecast.train(history.head(10), met)
    with pytest.raises(ValueError, match="leads"):
        forecast.train(history, met, leads=(0,))


def test_the_model_says_what_it_is(trained):
    _, _, model, _ = trained
    assert model.version.startswith("gongjian-forecast-1 lightgbm-4.")
    assert model.places == ("A", "B") and model.leads == (1, 2, 5)
    assert model.trained_to == SPLIT - dt.timedelta(days=1)
    assert set(model.boosters) == {(p, lead) for p in forecast.POLLUTANTS for lead in (1, 2, 5)}


class _Constant:
    """A booster that forecasts one concentration whatever the features (the models forecast log1p)."""

    def __init__(self, value: float):
        self.value = value

    def predict(self, x, num_threads=1):
        return np.full(len(x), math.log1p(self.value))


def test_a_range_in_heavy_pollution_stays_on_the_scale(trained):
    """PM2.5 470 µg/m³ is AQI 480 (2026 Table 3: 400 + ⌈100 × (470 − 350) / 150⌉); a high factor of 1.3
    gives ⌈480 × 1.3 / 5⌉ × 5 = 625, above the top of the scale: the range ends at 500. A low factor
    below zero (as a wide held-out spread can give) ends at 0."""
    import dataclasses

    history, met, model, _runs = trained
    values = {"so2": 8.0, "no2": 35.0, "co": 0.9, "o3_8h": 80.0, "pm10": 300.0, "pm25": 470.0}
    heavy = dataclasses.replace(model, boosters={(p, lead): _Constant(values[p]) for p in forecast.POLLUTANTS
                                                 for lead in model.leads},
                                range_factors={1: (0.6, 1.3), 2: (-0.2, 1.0), 5: (0.6, 1.3)})
    rows = forecast.predict(heavy, history, met, SPLIT, edition="2026")
    assert hj633.iaqi("pm25", 470, "2026") == 480
    assert set(rows["aqi"].to_list()) == {480}
    by_lead = {r["lead"]: (r["aqi_low"], r["aqi_high"]) for r in rows.filter(pl.col("station") == "A").iter_rows(named=True)}
    assert by_lead == {1: (285, hj633.AQI_TOP), 2: (0, 480), 5: (285, hj633.AQI_TOP)}
    assert rows["level_high"].to_list() == [6] * rows.height
