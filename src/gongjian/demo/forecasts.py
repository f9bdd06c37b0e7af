"""Demo step: the forecast runs of December 2020 for Zhengzhou, one of them adjusted by the forecaster,
their verification, and the evaluation of the year's warnings (the January red warning and the December
orange one), whose hours carry a known effect of the measures (``data.stations.WARNING_EFFECTS``).

The meteorological forecast the office would import is made here from the weather the demo's
stations observed (the day's mean hour, with an error growing with the lead; after 31 December, the
last observed day again): a stand-in for a weather forecast, as the bench uses the observed weather,
and said so on the run's inputs. Each morning at 08:00 a run is issued (one model, trained on the
year up to 30 November, serves the month, as an office retrains monthly) and published by the
campaign office, except on the days the office entered its own forecast (8 and 31 December, which
the warning history and the dashboard stand on): the run of 31 December stays a draft awaiting
publication.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from gongjian import clock
from gongjian.air import services as air
from gongjian.emergency import evaluation, runs
from gongjian.emergency.models import Forecast, MetForecast, WarningEpisode
from gongjian.periods import Period
from gongjian.regions.models import Person

from .builder import DemoContext, demo_step

MONTH = Period.parse("2020-M12")
#: Standard deviation of the stand-in forecast's error per lead day, per variable.
ERRORS = {"temperature": 0.6, "humidity": 3.0, "wind_speed": 0.25, "rain": 0.3}


def _observed_days(region) -> pl.DataFrame:
    """The region's observed weather per day: the mean hour over its sites, averaged over the day
    (the wind direction from the mean wind vector)."""
    hours = air.load_met(air.stations_of(region, with_met=True), MONTH.start - dt.timedelta(days=2), MONTH.end)
    hours = hours.with_columns((pl.col("wind_direction").radians().sin() * pl.col("wind_speed")).alias("_u"),
                               (pl.col("wind_direction").radians().cos() * pl.col("wind_speed")).alias("_v"))
    return hours.group_by(pl.col("time").dt.date().alias("day")).agg(
        pl.col("temperature").mean(), pl.col("humidity").mean(), pl.col("wind_speed").mean(), pl.col("rain").sum(),
        pl.col("_u").mean(), pl.col("_v").mean()).with_columns(
        (pl.arctan2("_u", "_v").degrees() % 360).alias("wind_direction")).drop("_u", "_v").sort("day")


def _met_forecasts(region, observed: pl.DataFrame, rng: np.random.Generator) -> int:
    by_day = {r["day"]: r for r in observed.iter_rows(named=True)}
    last = max(by_day)
    rows = []
    for issue_day in MONTH.dates():
        issued_at = clock.attach(dt.datetime.combine(issue_day, dt.time(6)))
        for offset in range(-1, 8):
            day = issue_day + dt.timedelta(days=offset)
            seen = by_day[min(day, last)]
            lead = max(offset, 0)
            values = {k: float(seen[k]) + float(rng.normal(0, s * (1 + lead))) for k, s in ERRORS.items()}
            rows.append(MetForecast(
                region=region, issued_at=issued_at, valid_at=clock.attach(dt.datetime.combine(day, dt.time())),
                temperature=round(values["temperature"], 1),
                humidity=round(min(max(values["humidity"], 5.0), 100.0), 1),
                wind_speed=round(max(values["wind_speed"], 0.2), 1), rain=round(max(values["rain"], 0.0), 1),
                wind_direction=round(float(seen["wind_direction"]), 0)))
    MetForecast.objects.bulk_create(rows)
    return len(rows)


@demo_step(order=76, name="forecast runs and the evaluation of the warnings",
           requires=("air daily results", "emergency list and episodes"))
def build_forecasts(ctx: DemoContext) -> None:
    rng = np.random.default_rng(ctx.random_for("forecasts").getrandbits(64))
    zhengzhou = ctx.regions["410100"]
    office = Person.objects.get(username="zz_office")
    hours = _met_forecasts(zhengzhou, _observed_days(zhengzhou), rng)
    entered = set(Forecast.objects.filter(region=zhengzhou).values_list("issued_on", flat=True))
    model, published, adjusted = None, 0, None
    for day in MONTH.dates():
        at = clock.attach(dt.datetime.combine(day, dt.time(8)))
        with clock.as_of(at):
            model = model or runs.train(zhengzhou, at, stations=False)
            run = runs.issue(zhengzhou, at, model=model, stations=False)
            if day == dt.date(2020, 12, 20):  # the consultation raises the peak of the stagnant spell
                peak = max(run.values.filter(station__isnull=True, lead__lte=3), key=lambda v: v.aqi)
                up = min(int(peak.aqi * 1.2), 500)
                run = runs.adjust(run, {peak.day: runs.DayChange(up, max(up - 30, 0), min(up + 35, 500))}, office,
                                  "会商：静稳形势持续，区域传输叠加本地累积，上调峰值日预报")
                adjusted = run
            if day not in entered:
                runs.publish(run, office)
                published += 1
    ctx.progress(f"  {hours} meteorological forecast days, {published} runs published (model {model.version}), "
                 f"adjusted run {adjusted.pk} for {adjusted.issued_on}")
    result = runs.verify(zhengzhou, MONTH.start, MONTH.end)
    if not result.scores.is_empty():
        ctx.progress("  December verification, level accuracy by lead: " + ", ".join(
            f"{r['lead']}: {r['level_accuracy']:.2f}" for r in result.scores.iter_rows(named=True)))
    with clock.as_of(clock.attach(dt.datetime.combine(MONTH.end, dt.time(23)))):
        for episode in WarningEpisode.objects.filter(region=zhengzhou).order_by("started_at"):
            found = evaluation.evaluate(episode, user=office)
            evaluation.publish(found, office)
            ctx.progress(f"  evaluation of {episode}: {evaluation.sentence(found)}")

