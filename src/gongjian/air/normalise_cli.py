"""`gongjian air normalise FILES --station S --pollutant P --out OUT`: one station's weather-normalised
series (Grange & Carslaw 2019), its break points (AQEval / strucchange) and its Theil-Sen trend
(openair), from hourly files.

FILES are hourly air files in the importer's layout (:mod:`gongjian.air.hourly_io`, the layout
options apply) with the meteorology in ``--met`` files (:mod:`gongjian.air.met_io`), or, with
``--layout beijing``, the Beijing multi-site files that hold both (:mod:`gongjian.air.beijing_io`).
Writes ``time, observed, normalised, lower, upper`` (hourly) and prints the model's out-of-sample R²,
the breaks (on daily means) and the trend. Bad input: every problem listed, nothing written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from django.core.management.base import CommandError

from gongjian.analytics import breakpoints, normalise, trend
from gongjian.core.problems import InvalidInput
from gongjian.standards.hj663 import POLLUTANTS

from .beijing_io import read_beijing
from .cli_options import add_layout_arguments, layout_from_options
from .hourly_io import MET_COLUMNS, read_hourly
from .met_io import read_met

__all__ = ["add_normalise_parser", "run_normalise"]


def add_normalise_parser(sub) -> None:
    p = sub.add_parser("normalise", help="weather-normalised series, break points and trend of one station")
    p.add_argument("inputs", nargs="+", type=Path, metavar="FILE", help="hourly CSV or Excel files")
    p.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.xlsx")
    p.add_argument("--station", required=True, help="the station's code in the files")
    p.add_argument("--pollutant", required=True, choices=list(POLLUTANTS))
    p.add_argument("--met", action="append", type=Path, default=[], metavar="FILE",
                   help="hourly meteorology files (station,time,wind_speed,...), repeatable")
    p.add_argument("--layout", choices=["gongjian", "beijing"], default="gongjian",
                   help="beijing: the Beijing multi-site files, pollutants and weather in one file per station")
    p.add_argument("--samples", type=int, default=300, help="weather draws per time (rmweather's n_samples)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--time-features", default=",".join(normalise.TIME_FEATURES), metavar="LIST",
                   help="time variables of the model (default trend,doy,weekday,hour; under two years of data "
                        "the day of year and the trend are confounded: leave out doy)")
    add_layout_arguments(p)


def _read(command, inputs: list[Path], options: dict) -> pl.DataFrame:
    if options["layout"] == "beijing":
        if options["met"]:
            raise CommandError("--layout beijing reads the weather from the same files: leave out --met")
        return read_beijing(inputs)
    if not options["met"]:
        raise CommandError("--met FILE is needed: the hourly weather of the station")
    for path in options["met"]:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
    layout = layout_from_options(options)
    air = read_hourly(inputs, layout)
    weather = read_met(options["met"])
    return air.join(weather, on=["station", "time"], how="left")


def run_normalise(command, inputs: list[Path], out: Path, options: dict) -> None:
    station, pollutant = options["station"], options["pollutant"]
    command.progress(f"reading {len(inputs)} file(s)")
    try:
        hourly = _read(command, inputs, options)
    except InvalidInput as exc:
        for problem in exc.problems[:200]:
            command.stderr.write(str(problem))
        if len(exc.problems) > 200:
            command.stderr.write(f"... and {len(exc.problems) - 200} more")
        raise CommandError(f"{len(exc.problems)} problem(s) in the input; nothing was written") from exc
    stations = sorted(hourly["station"].unique().to_list())
    frame = hourly.filter(pl.col("station") == station).sort("time")
    if frame.is_empty():
        raise CommandError(f"station {station!r} is not in the files (stations: {', '.join(stations[:20])})")
    present = [c for c in MET_COLUMNS if frame[c].is_not_null().any()]
    if not present:
        raise CommandError(f"station {station!r} has no weather in the files: nothing to normalise on")
    time_features = tuple(f.strip() for f in options["time_features"].split(",") if f.strip())
    try:
        command.progress(f"{frame.height:,} hours of {station}; model of {pollutant} on {', '.join(present)}")
        model = normalise.fit(frame, pollutant, weather=tuple(present), time_features=time_features,
                              seed=options["seed"])
        command.progress(f"normalising over {options['samples']} weather draws")
        series = normalise.normalise(model, frame, samples=options["samples"], seed=options["seed"])
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    days = normalise.daily(series)
    if "doy" in time_features and "trend" in time_features and days["date"].max() - days["date"].min() < dt.timedelta(days=730):
        command.stderr.write("note: under two years of data the day of year and the trend are confounded, and a "
                             "change may be taken for a season; consider --time-features trend,weekday,hour")
    command._write(series.select("time", "observed", "normalised", "lower", "upper"), out)
    write = command.stdout.write
    write(f"{station} {pollutant}: model R² {model.r2:.3f} out of sample ({model.n_test:,} of "
          f"{model.n_train + model.n_test:,} hours held out), RMSE {model.rmse:.1f}; {model.version}")
    try:
        found = breakpoints.find(days, hac=True)
    except ValueError as exc:  # too short a series: the normalised series is still worth having
        write(f"break points: not computed ({exc})")
    else:
        write(f"break points (daily normalised means, BIC, {found.level:.0%} intervals): {len(found.breaks)}")
        for b in found.breaks:
            write(f"  after {b.date} ({b.lower} .. {b.upper}): {b.before:.1f} -> {b.after:.1f}, "
                  f"change {b.size:+.1f} ({b.size_lower:+.1f} .. {b.size_upper:+.1f})")
    try:
        seasons = trend.monthly(days, "normalised").height >= 24  # each calendar month twice
        slope = trend.trend(days, deseason=seasons, autocor=True)
    except ValueError as exc:
        write(f"trend: not computed ({exc})")
    else:
        write(f"trend (Theil-Sen, monthly{', deseasonalised' if seasons else ''}, block bootstrap): {slope.slope:+.2f} per year "
              f"({slope.lower:+.2f} .. {slope.upper:+.2f}), {slope.percent:+.1f} %/year, p = {slope.p_value:.3f}, "
              f"{slope.start} .. {slope.end}")
    write(f"wrote {series.height:,} rows to {out}")
