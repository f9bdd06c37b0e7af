"""Forecast bench: the daily AQI forecast of the 12 Beijing stations over a held-out year (issue 18).

Train on 2013-03-01..2016-02-29, issue a forecast every day of 2016-02-29..2017-02-27 for lead days
1..7 (targets up to 2017-02-28), and score it by lead day with :mod:`gongjian.analytics.verification`
beside two reference forecasts run on the same days: persistence (the issue day's AQI for every
lead) and climatology (the AQI of the day-of-year mean concentrations of the training years).

**Weather stand-in**: the data hold the observed weather, not a forecast of it; the bench feeds the
OBSERVED weather of the target days to the model as if it were a perfect weather forecast. The
figures are therefore an upper bound of what a real weather forecast gives, above all at days 4-7.
AQI under HJ 633-2026 (the six daily indicators) for the forecast and the observations alike.

    python -m bench bench.forecast [--stations 12] [--threads 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import time
from pathlib import Path

import polars as pl

from gongjian.air.hourly_io import Layout, read_hourly
from gongjian.analytics import forecast, verification
from gongjian.analytics.airquality import daily_aqi

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "beijing-multisite"
BEIJING = Layout(columns={"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"},
                 units={"co": "ug/m3"}, time_columns=("year", "month", "day", "hour"))
TRAIN = (dt.date(2013, 3, 1), dt.date(2016, 2, 29))
HOLD_OUT = (dt.date(2016, 3, 1), dt.date(2017, 2, 28))
EDITION = "2026"
STAND_IN = "weather: OBSERVED weather of the target days used as a stand-in for a weather forecast"
COMPASS = {name: 22.5 * i for i, name in enumerate(
    "N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW".split())}


def weather(files: list[Path]) -> pl.DataFrame:
    """Daily observed weather per station in the layout of gongjian.analytics.forecast.FEATURES:
    relative humidity from temperature and dew point (Magnus formula, Alduchov & Eskridge 1996)."""
    frames = []
    for path in files:
        frames.append(pl.read_csv(path, null_values="NA", columns=[
            "year", "month", "day", "hour", "TEMP", "PRES", "DEWP", "RAIN", "wd", "WSPM", "station"],
            schema_overrides={c: pl.Float64 for c in ("TEMP", "PRES", "DEWP", "RAIN", "WSPM")}))
    raw = pl.concat(frames)
    magnus = lambda t: (17.625 * t / (243.04 + t)).exp()  # noqa: E731
    hourly = raw.select(
        "station", pl.datetime("year", "month", "day", "hour").alias("time"),
        pl.col("TEMP").alias("temperature"),
        (100 * magnus(pl.col("DEWP")) / magnus(pl.col("TEMP"))).clip(0, 100).alias("humidity"),
        pl.col("WSPM").alias("wind_speed"),
        pl.col("wd").replace_strict(COMPASS, default=None, return_dtype=pl.Float64).alias("wind_direction"),
        pl.col("RAIN").alias("precipitation"), pl.col("PRES").alias("pressure"))
    return forecast.daily_weather(hourly)


def table(rows: list[list], header: list[str]) -> str:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def pct(value) -> str:
    return "  -" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{100 * value:.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=12, help="how many of the 12 stations (alphabetical)")
    parser.add_argument("--threads", type=int, default=1, help="LightGBM threads (more than free cores spin)")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"skipped: needs {SHARED} (the Beijing multi-site data, absent on a fresh clone)")
        return
    files = sorted(SHARED.glob("*.csv"))[: args.stations]
    t0 = time.perf_counter()
    hourly = read_hourly(files, BEIJING)
    daily = daily_aqi(hourly, EDITION)
    met = weather(files)
    t_read = time.perf_counter() - t0
    history = daily.filter(pl.col("date").is_between(*TRAIN))
    print(f"{hourly.height:,} station-hours, {daily['station'].n_unique()} stations; read + daily AQI + weather "
          f"in {t_read:.1f} s\n{STAND_IN}; AQI under HJ 633-{EDITION}")

    t0 = time.perf_counter()
    model = forecast.train(history, met, threads=args.threads, edition=EDITION)
    t_train = time.perf_counter() - t0
    print(f"trained {len(model.boosters)} models ({model.version}) in {t_train:.1f} s")
    print("range factors (observed/forecast AQI, central 50 %): " + ", ".join(
        f"d{lead} {lo:.2f}-{hi:.2f}" for lead, (lo, hi) in model.range_factors.items()))

    issued = [HOLD_OUT[0] - dt.timedelta(days=1) + dt.timedelta(days=i)
              for i in range((HOLD_OUT[1] - HOLD_OUT[0]).days)]
    t0 = time.perf_counter()
    runs = forecast.hindcast(model, daily, met, issued, edition=EDITION)
    runs = runs.filter(pl.col("day").is_between(*HOLD_OUT))
    t_hind = time.perf_counter() - t0
    print(f"{runs.height:,} station-day forecasts ({len(issued)} issue days) in {t_hind:.1f} s")

    observed = daily.filter(pl.col("date").is_between(*HOLD_OUT))
    point = runs.select("station", "issued", "day", "lead", "aqi", "primary_pollutants")
    ranged = runs.select("station", "issued", "day", "lead", "aqi_low", "aqi_high", "primary_pollutants")
    refs = {"persistence": verification.persistence(daily, point),
            "climatology": verification.climatology(history, point, edition=EDITION)}
    # the three are scored on the same rows: those every one of them forecasts
    rows = ["station", "issued", "day"]
    common = refs["persistence"].select(rows).join(refs["climatology"].select(rows), on=rows)
    point, ranged = (f.join(common, on=rows) for f in (point, ranged))
    refs = {name: ref.join(common, on=rows) for name, ref in refs.items()}
    scores = {"model": verification.score(point, observed), "range": verification.score(ranged, observed),
              **{name: verification.score(ref, observed) for name, ref in refs.items()}}
    by_lead = {name: {r["lead"]: r for r in s.iter_rows(named=True)} for name, s in scores.items()}
    skill_p = {r["lead"]: r for r in verification.skill(scores["model"], scores["persistence"]).iter_rows(named=True)}

    rows = []
    for lead in model.leads:
        m, p, c, r = (by_lead[n][lead] for n in ("model", "persistence", "climatology", "range"))
        rows.append([lead, m["days"], pct(m["level_accuracy"]), pct(p["level_accuracy"]), pct(c["level_accuracy"]),
                     pct(m["half_level_accuracy"]), pct(p["half_level_accuracy"]), pct(c["half_level_accuracy"]),
                     pct(m["primary_accuracy"]), pct(p["primary_accuracy"]), pct(c["primary_accuracy"]),
                     f"{m['mae']:.1f}", f"{p['mae']:.1f}", f"{c['mae']:.1f}",
                     f"{skill_p[lead]['skill_level_accuracy']:+.2f}",
                     pct(r["level_accuracy"]), pct(r["range_accuracy"])])
    print("\nHeld-out year 2016-03-01..2017-02-28, 12 stations; accuracies in % (" + STAND_IN + ")")
    print(table(rows, ["lead", "days", "level M", "level P", "level C", "half M", "half P", "half C",
                       "prim M", "prim P", "prim C", "MAE M", "MAE P", "MAE C", "skill(P)", "range lvl", "in range"]))
    print("M = model, P = persistence (issue day's AQI), C = climatology (day-of-year mean of 2013-03..2016-02);\n"
          "level = AQI level accuracy; half = half-level accuracy (same or adjacent half-level); prim = primary\n"
          "pollutant accuracy (days with AQI > 50); skill(P) = level-accuracy skill against persistence;\n"
          "range lvl / in range = the model's AQI range forecast: observed level among the levels it spans /\n"
          "observed AQI inside it.")
    beaten = all(by_lead["model"][lead]["level_accuracy"] > by_lead["persistence"][lead]["level_accuracy"]
                 for lead in model.leads)
    print(f"goal: model level accuracy above persistence at every lead day: {'met' if beaten else 'NOT met'}")
    print(f"times: train {t_train:.1f} s, forecast of the year {t_hind:.1f} s (threads={args.threads})")


if __name__ == "__main__":
    main()
