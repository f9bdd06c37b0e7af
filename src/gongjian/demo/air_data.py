"""Demo step: stations and a year of plausible hourly air-quality data and meteorology.

The generator is a small physical caricature, deterministic for a seed: a regional weather factor
(an autoregressive daily series; stagnant days raise every primary pollutant and calm the wind),
seasonal and diurnal cycles per pollutant (winter particles, rush-hour NO2, afternoon summer ozone),
multi-day winter episodes, the effect of the warnings' measures in Zhengzhou, a fireworks night, a spring dust day, random and planned gaps, and the
faults of ``data.stations.FAULTS`` for the quality checks to find.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from gongjian.air.models import Station
from gongjian.core import series as stores
from gongjian.periods import Period

from .builder import DemoContext, demo_step
from .data import stations

HOURS = np.arange(dt.datetime(stations.DEMO_YEAR, 1, 1), dt.datetime(stations.DEMO_YEAR + 1, 1, 1),
                  dt.timedelta(hours=1)).astype("datetime64[h]")


def _day_index(when: str) -> int:
    return (dt.date.fromisoformat(when[:10]) - Period.of_year(stations.DEMO_YEAR).start).days


def _hour_index(when: str) -> int:
    moment = dt.datetime.fromisoformat(when)
    return int((moment - dt.datetime(stations.DEMO_YEAR, 1, 1)).total_seconds() // 3600)


def _weather(rng: np.random.Generator, days: int) -> np.ndarray:
    """Daily stagnation factor (1 = ordinary), AR(1) in logs, with the planned episodes."""
    log = np.zeros(days)
    for d in range(1, days):
        log[d] = 0.72 * log[d - 1] + rng.normal(0, 0.28)
    factor = np.exp(log)
    for start, end, peak in stations.EPISODES:
        a, b = _day_index(start), _day_index(end)
        ramp = np.concatenate([np.linspace(1.2, peak, b - a), [peak * 0.45]])
        factor[a:b + 1] = np.maximum(factor[a:b + 1], ramp)
    return factor


def _measures() -> np.ndarray:
    """Per hour, the share of the primary pollutants the warnings' measures leave (1 outside them)."""
    left = np.ones(len(HOURS))
    for start, end, share in stations.WARNING_EFFECTS:
        left[_hour_index(start):_hour_index(end)] = share
    return left


def _series(rng: np.random.Generator, weather_daily: np.ndarray, scale: float,
            measures: np.ndarray | None = None) -> dict[str, np.ndarray]:
    n = len(HOURS)
    day = np.arange(n) // 24
    hour = np.arange(n) % 24
    doy = day.astype(float)
    winter = 0.5 * (1 + np.cos(2 * np.pi * (doy - 15) / 366))  # 1 in mid-January, 0 in mid-July
    weather = np.repeat(weather_daily, 24)[:n]
    noise = np.zeros(n)
    shocks = rng.normal(0, 0.12, n)
    for i in range(1, n):
        noise[i] = 0.9 * noise[i - 1] + shocks[i]
    wobble = np.exp(noise)
    night = 1 + 0.25 * np.cos(2 * np.pi * (hour - 2) / 24)
    cold = winter ** 1.6  # the heating season weighs on particles more sharply than a cosine
    left = np.ones(n) if measures is None else measures
    pm25 = (17 + 48 * cold) * weather * night * wobble * scale * left
    pm10 = pm25 * (1.55 + 0.35 * (1 - winter)) + rng.gamma(2.0, 6.0, n)
    rush = 1 + 0.35 * np.exp(-((hour - 8) ** 2) / 4) + 0.45 * np.exp(-((hour - 19) ** 2) / 5)
    no2 = (24 + 26 * winter) * np.sqrt(weather) * rush * wobble * scale * left
    sun = np.clip(np.cos(2 * np.pi * (hour - 15) / 24), -0.3, None) + 0.3
    summer = 1 - winter
    o3 = (18 + 120 * summer ** 1.5 * sun + 12 * sun) * (1.15 - 0.25 * np.sqrt(weather)) * np.exp(noise * 0.6) * scale ** 0.3
    so2 = (6 + 14 * winter) * weather ** 0.6 * wobble * scale * left
    co = 0.45 + pm25 / 115
    # instrument noise: proportional plus a floor, so that no real analyser repeats itself for hours
    for series, floor in ((so2, 1.2), (no2, 2.0), (o3, 2.5), (pm10, 3.0), (pm25, 2.0), (co, 0.06)):
        series += rng.normal(0, 1, n) * (floor + 0.03 * series)
        np.clip(series, floor / 2, None, out=series)
    dust = _day_index(stations.DUST_DAY) * 24
    pm10[dust + 6:dust + 22] *= 5.0
    pm25[dust + 6:dust + 22] *= 1.8
    fireworks = _hour_index(stations.FIREWORKS_NIGHT)
    pm25[fireworks:fireworks + 8] *= 2.4
    pm10[fireworks:fireworks + 8] *= 2.0
    so2[fireworks:fireworks + 8] *= 2.5
    wind = np.clip(3.2 / np.sqrt(weather) * (1 + 0.3 * np.sin(2 * np.pi * (hour - 14) / 24)) + rng.normal(0, 0.4, n), 0.2, None)
    prevailing = np.where(winter > 0.5, 0.0, 180.0)  # northerly in the cold season, southerly in summer
    direction = (prevailing + rng.normal(0, 55, n)) % 360
    temperature = 15 - 14 * np.cos(2 * np.pi * (doy - 15) / 366) + 5 * np.cos(2 * np.pi * (hour - 15) / 24) + rng.normal(0, 1, n)
    return {
        "so2": so2, "no2": no2, "co": co, "o3": o3, "pm10": pm10, "pm25": pm25,
        "wind_speed": wind, "wind_direction": direction, "temperature": temperature,
        "humidity": np.clip(55 + 20 * np.sqrt(weather) - 0.8 * (temperature - 15) + rng.normal(0, 6, n), 8, 100),
        "pressure": 1013 + 10 * winter - 2 * np.log(weather) + rng.normal(0, 1.5, n),
        "rain": np.where(rng.random(n) < 0.03 * (0.4 + summer), rng.gamma(1.2, 2.0, n), 0.0),
    }


def _plant_faults(code: str, data: dict[str, np.ndarray], missing: np.ndarray) -> None:
    for station, check, start, end in stations.FAULTS:
        if station != code:
            continue
        a, b = _hour_index(start), _hour_index(end) + 1
        if check == "stuck":
            data["pm25"][a:b] = 57.0
        elif check == "pm25_above_pm10":
            data["pm25"][a:b] = data["pm10"][a:b] * 1.35
        elif check == "spike":
            data["pm10"][a:b] = 950.0
        elif check == "drift":
            data["pm25"][a:b] *= 2.2
            data["pm10"][a:b] *= 2.2
        elif check == "gap":
            missing[a:b] = True


@demo_step(order=50, name="air stations and hours")
def build_air_data(ctx: DemoContext) -> None:
    rng = np.random.default_rng(ctx.random_for("air data").getrandbits(64))
    days = len(HOURS) // 24
    zhengzhou_weather = _weather(rng, days)
    created = []
    for code, name, kind, region, lat, lon, assessment, met in stations.ZHENGZHOU:
        created.append((Station.objects.create(code=code, name=name, kind=kind, region=ctx.regions[region], latitude=lat,
                                               longitude=lon, assessment=assessment, operator="郑州市生态环境监测中心"),
                        zhengzhou_weather, met, _measures()))
    for city_code in stations.PEER_CITY_STATIONS:
        city = ctx.regions[city_code]
        own = _weather(rng, days)
        weather = np.exp(0.6 * np.log(zhengzhou_weather) + 0.4 * np.log(own))
        created.append((Station.objects.create(code=f"PEER-{city_code}", name=f"{city.name}站", kind="national",
                                               region=city, assessment=True, operator=f"{city.name}生态环境监测站"),
                        weather, False, None))
    hours_frames, met_frames = [], []
    naive = HOURS.astype("datetime64[us]")
    for station, weather, met, measures in created:
        scale = rng.uniform(0.85, 1.2)
        data = _series(rng, weather, scale, measures)
        missing = rng.random(len(HOURS)) < 0.012
        _plant_faults(station.code, data, missing)
        values = {p: np.where(missing, np.nan, np.round(data[p], 1 if p == "co" else 0)) for p in
                  ("so2", "no2", "co", "o3", "pm10", "pm25")}
        hours_frames.append(pl.DataFrame({"station_id": station.pk, "time": naive, **values}).fill_nan(None))
        if met:
            met_frames.append(pl.DataFrame({"station_id": station.pk, "time": naive, **{
                k: np.round(data[k], 1) for k in ("wind_speed", "wind_direction", "temperature", "humidity", "pressure", "rain")}}))
    # the one door into the stores: once the demo commits, the air hook checks and recomputes the year
    # again (finding nothing new); the steps below do it now, for the steps after them
    stored = stores.write("air.hourly", pl.concat(hours_frames), source="demo").rows
    stored_met = stores.write("air.met", pl.concat(met_frames), source="demo").rows
    ctx.progress(f"  {len(created)} stations, {stored:,} station-hours, {stored_met:,} meteorological hours")



@demo_step(order=55, name="air quality checks")
def check_air_data(ctx: DemoContext) -> None:
    from gongjian.air.quality import run_quality_checks

    year = Period.of_year(stations.DEMO_YEAR)
    findings = run_quality_checks(Station.objects.all(), year.start, year.end)
    ctx.progress(f"  {len(findings)} quality findings to review")


@demo_step(order=60, name="air daily results")
def compute_air_results(ctx: DemoContext) -> None:
    from gongjian.air.evaluation import compute_daily

    year = Period.of_year(stations.DEMO_YEAR)
    rows = compute_daily(year.start, year.end)
    ctx.progress(f"  {rows:,} daily results (stations and regions, both editions)")
