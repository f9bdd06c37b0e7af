"""`gongjian air forecast verify --forecasts F --observed FILES --out OUT`: score daily AQI
forecasts by lead day against the daily AQI of observed hourly files (issue 18).

Forecast file (CSV in UTF-8 or GB 18030, or Excel), one row per place and target day:

============  ==========================================================================
column        meaning
============  ==========================================================================
``station``   the station code (or ``region``: a region code, with ``--regions`` to form
              the regions' hourly values from their stations')
``issued``    the day the forecast was issued (YYYY-MM-DD)
``day``       the target day (YYYY-MM-DD), on or after ``issued``; lead = day - issued
``aqi``       the forecast AQI (a whole number), and/or
``aqi_low``,  the forecast AQI range ("AQI 75–105": 75 and 105)
``aqi_high``
``primary``   optional: the forecast primary pollutant(s), "PM2.5", "O3", "PM2.5、O3"; empty = none
============  ==========================================================================

Observed files are hourly, in the air importer's layout (``--map``, ``--unit``, ``--time-columns``
as for ``gongjian air daily``); their daily AQI comes from the engine
(:func:`gongjian.analytics.airquality.daily_aqi`). Scores are those of
:mod:`gongjian.analytics.verification`, one row per lead day, with the persistence forecast (the
issue day's observed AQI) scored on the same rows and the skill against it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gongjian.analytics import verification
from gongjian.analytics.airquality import daily_aqi
from gongjian.core.imports import missing_columns, problems_from_mask
from gongjian.core.problems import InvalidInput
from gongjian.core.tabular import read_text_table
from gongjian.standards.hj663 import spatial_mean

from .cli_options import add_layout_arguments

__all__ = ["SCORE_COLUMNS", "add_forecast_parser", "read_forecasts", "verify_forecasts"]

SCORE_COLUMNS = [
    "lead", "days", "level_accuracy", "half_level_accuracy", "range_accuracy", "primary_accuracy", "primary_days",
    "mae", "bias", "persistence_level_accuracy", "persistence_half_level_accuracy",
    "persistence_primary_accuracy", "persistence_mae", "skill_level_accuracy", "skill_half_level_accuracy",
    "skill_mae",
]


def add_forecast_parser(sub) -> None:
    """``forecast verify`` under the ``gongjian air`` sub-commands."""
    forecast = sub.add_parser("forecast", help="forecast verification")
    actions = forecast.add_subparsers(dest="forecast_action", required=True)
    p = actions.add_parser("verify", help="score forecasts by lead day against observed hourly files")
    p.add_argument("--forecasts", type=Path, required=True, metavar="FILE", help="the forecasts (CSV or Excel)")
    p.add_argument("--observed", dest="inputs", nargs="+", type=Path, required=True, metavar="FILE",
                   help="observed hourly files (CSV or Excel)")
    p.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.xlsx: the scores per lead day")
    p.add_argument("--edition", choices=["auto", "2012", "2026"], default="auto")
    p.add_argument("--regions", type=Path, metavar="FILE.csv",
                   help="station,region membership: forecasts by region, observed from their stations")
    p.add_argument("--point-tolerance", type=int, default=verification.Rules.point_tolerance,
                   help="half-levels a point forecast may be off and still count (default 1)")
    p.add_argument("--range-tolerance", type=int, default=verification.Rules.range_tolerance,
                   help="half-levels beyond a range forecast that still count (default 0)")
    p.add_argument("--primary-on-good-days", choices=["skip", "none_is_right"],
                   default=verification.Rules.primary_on_good_days,
                   help="days with observed AQI <= 50 for primary-pollutant accuracy")
    p.add_argument("--half-levels", metavar="U1,...,U12",
                   help="upper AQI of each half-level (default 25,50,75,100,125,150,175,200,250,300,400,500)")
    add_layout_arguments(p)


def read_forecasts(path: Path) -> pl.DataFrame:
    """The forecast file as ``<place>, issued, day, lead, aqi, aqi_low, aqi_high, primary``; every
    bad cell is listed (file, row, column) in one :class:`InvalidInput` and nothing is returned."""
    raw = read_text_table(path).rename(lambda c: c.strip().lower())
    source = path.name
    key = next((k for k in ("station", "region") if k in raw.columns), "station")
    problems = missing_columns(raw.columns, [key, "issued", "day"], source)
    if not problems and "aqi" not in raw.columns and not {"aqi_low", "aqi_high"} <= set(raw.columns):
        problems += missing_columns(raw.columns, [("aqi", "aqi_low")], source)
        if "aqi_low" in raw.columns:
            problems += missing_columns(raw.columns, ["aqi_high"], source)
    if problems:
        raise InvalidInput(problems)
    frame = raw.with_row_index("_row", 2).with_columns(pl.col(pl.String).str.strip_chars())
    text = {c: pl.col(c).is_not_null() & (pl.col(c) != "") for c in frame.columns if c != "_row"}
    numbers = [c for c in ("aqi", "aqi_low", "aqi_high") if c in frame.columns]
    frame = frame.with_columns(
        *[pl.col(c).str.to_date("%Y-%m-%d", strict=False).alias(f"_{c}") for c in ("issued", "day")],
        *[pl.col(c).cast(pl.Int64, strict=False).alias(f"_{c}") for c in numbers])
    for c in ("issued", "day"):
        problems += problems_from_mask(frame, ~text[c], c, _("a date (YYYY-MM-DD) is needed"), source)
        problems += problems_from_mask(frame, text[c] & pl.col(f"_{c}").is_null(), c,
                                       lambda r, c=c: _("%(v)r is not a date (YYYY-MM-DD)") % {"v": r[c]}, source)
    problems += problems_from_mask(frame, ~text[key], key, _("the place is missing"), source)
    for c in numbers:
        bad = text[c] & (pl.col(f"_{c}").is_null() | (pl.col(f"_{c}") < 0))
        problems += problems_from_mask(frame, bad, c, lambda r, c=c: _("AQI %(v)r is not a whole number from 0")
                                       % {"v": r[c]}, source)
    problems += problems_from_mask(frame, pl.col("_day") < pl.col("_issued"), "day",
                                   lambda r: _("%(d)s is before the issue date %(i)s") % {"d": r["day"], "i": r["issued"]},
                                   source)
    has_point = text["aqi"] if "aqi" in text else pl.lit(False)
    has_range = (text["aqi_low"] & text["aqi_high"]) if {"aqi_low", "aqi_high"} <= set(text) else pl.lit(False)
    problems += problems_from_mask(frame, ~has_point & ~has_range, "aqi", _("no AQI: give aqi, or aqi_low and aqi_high"),
                                   source)
    if {"aqi_low", "aqi_high"} <= set(frame.columns):
        problems += problems_from_mask(frame, pl.col("_aqi_low") > pl.col("_aqi_high"), "aqi_low",
                                       lambda r: _("the range %(lo)s–%(hi)s is upside down") % {"lo": r["aqi_low"],
                                                                                               "hi": r["aqi_high"]},
                                       source)
    if "primary" in frame.columns:
        problems += _unknown_pollutants(frame, source)
    if not problems:
        repeated = pl.struct(key, "_issued", "_day").is_duplicated()
        problems += problems_from_mask(frame, repeated, "day", lambda r: _("%(p)s, issued %(i)s, day %(d)s appears twice")
                                       % {"p": r[key], "i": r["issued"], "d": r["day"]}, source)
    if problems:
        raise InvalidInput(problems)
    out = frame.select(pl.col(key), pl.col("_issued").alias("issued"), pl.col("_day").alias("day"),
                       *[pl.col(f"_{c}").alias(c) for c in numbers],
                       *([pl.col("primary")] if "primary" in frame.columns else []))
    return out.with_columns((pl.col("day") - pl.col("issued")).dt.total_days().cast(pl.Int32).alias("lead"))


def _unknown_pollutants(frame: pl.DataFrame, source: str) -> list:
    """A problem for each ``primary`` cell naming a pollutant the verification does not know."""
    def unknown(value):
        try:
            verification.normalise_pollutants(value)
            return False
        except ValueError:
            return True
    bad = pl.col("primary").map_elements(unknown, return_dtype=pl.Boolean, skip_nulls=True).fill_null(False)
    return problems_from_mask(frame, bad, "primary", lambda r: _(
        "%(v)r names an unknown pollutant (PM2.5, PM10, SO2, NO2, CO, O3)") % {"v": r["primary"]}, source)


def _rules(options: dict) -> verification.Rules:
    upper = verification.HALF_LEVEL_UPPER
    if options.get("half_levels"):
        try:
            upper = tuple(int(x) for x in options["half_levels"].split(","))
        except ValueError:
            raise CommandError("--half-levels takes whole AQI values separated by commas") from None
    try:
        return verification.Rules(half_level_upper=upper, point_tolerance=options["point_tolerance"],
                                  range_tolerance=options["range_tolerance"],
                                  primary_on_good_days=options["primary_on_good_days"])
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


def verify_forecasts(command, hourly: pl.DataFrame, forecasts: Path, edition: str, regions: Path | None = None,
                     **options) -> pl.DataFrame:
    """The ``forecast verify`` action of ``gongjian air`` (a method of its Command)."""
    rules = _rules(options)
    if not forecasts.is_file():
        raise CommandError(f"{forecasts}: no such file")
    try:
        table = read_forecasts(forecasts)
    except InvalidInput as exc:
        for problem in exc.problems:
            command.stderr.write(str(problem))
        raise CommandError(f"{exc.count} problem(s) in {forecasts.name}; nothing was written") from exc
    key = table.columns[0]
    if key == "region":
        if regions is None:
            raise CommandError("forecasts by region need --regions (station,region membership)")
        membership = pl.read_csv(regions, infer_schema=False)
        if not {"station", "region"} <= set(membership.columns):
            raise CommandError(f"{regions.name}: needs columns station,region")
        hourly = spatial_mean(hourly, membership).collect()
    first, last = table["issued"].min(), table["day"].max()
    lo, hi = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23))
    command.progress(f"daily AQI {first}..{last} (edition {edition})")
    observed = daily_aqi(hourly.filter(pl.col("time").is_between(lo, hi)), edition, key)
    if observed.is_empty():
        raise CommandError(f"the observed files hold no hour between {first} and {last}")
    command.progress(f"scoring {table.height:,} forecasts")
    scores = verification.score(table, observed, key=key, rules=rules)
    reference = verification.persistence(observed, table, key=key)
    if reference.is_empty():
        result = scores.with_columns(pl.lit(None, pl.Float64).alias(c) for c in SCORE_COLUMNS if c not in scores.columns)
        return result.select(SCORE_COLUMNS)
    ref_scores = verification.score(reference, observed, key=key, rules=rules)
    result = verification.skill(scores, ref_scores, suffix="persistence")
    for c in SCORE_COLUMNS:
        if c not in result.columns:
            result = result.with_columns(pl.lit(None, pl.Float64).alias(c))
    return result.select(SCORE_COLUMNS)
