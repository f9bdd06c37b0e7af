"""Forecast runs: issued from the history and the imported meteorological forecast by the forecast
model (:mod:`gongjian.analytics.forecast`), adjusted by a forecaster into a new run (both kept),
published into the region's :class:`~gongjian.emergency.models.Forecast` days, which the warning
proposal reads (:func:`gongjian.emergency.episodes.proposed_level`); and verified against the
observed daily AQI (:mod:`gongjian.analytics.verification`).

A published run never changes; a later publication supersedes it (its status moves on, its days do
not). The imported meteorological forecast is read all or nothing, every bad cell named by its row
and column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.air import services as air
from gongjian.core import imports
from gongjian.regions import policy
from gongjian.regions.models import Region
from gongjian.standards.hj633 import category

from .models import Forecast, ForecastRun, ForecastValue, MetForecast, WarningStandard

__all__ = ["CONCENTRATIONS", "DayChange", "MET_LAYOUT", "Verification", "adjust", "issue", "issue_daily", "levels_of",
           "met_forecast", "publish", "published_forecasts", "read_met_forecast", "store_run", "verify"]

#: The daily concentrations a run keeps (O3: the daily maximum 8-hour mean), as HJ 633 names them.
CONCENTRATIONS = ("so2", "no2", "co", "o3_8h", "pm10", "pm25")
#: Days 1-3 are the detailed forecast, 4-7 the trend (the plans' "3-day detailed, 7-day trend").
DETAILED_DAYS = 3
LEADS = range(1, 8)
#: How much history the model learns from and predicts on.
HISTORY_DAYS = 730
#: LightGBM's threads: one, as a job or a page's request shares the machine with the site.
THREADS = 1

#: The layout of the meteorological forecast file an office imports: each column, the headers a
#: file may give it (Chinese or English; a parenthesised unit is ignored) and its unit. Optional
#: variables may be left out; ``site`` (a station code) is empty for the region's forecast.
MET_LAYOUT = (
    ("station", ("站点", "site", "station"), ""),
    ("issued_at", ("发布时间", "issued"), "YYYY-MM-DD HH:MM"),
    ("valid_at", ("预报时间", "time", "valid"), "YYYY-MM-DD HH:MM"),
    ("temperature", ("气温", "temperature"), "°C"),
    ("humidity", ("相对湿度", "humidity"), "%"),
    ("wind_speed", ("风速", "wind_speed"), "m/s"),
    ("wind_direction", ("风向", "wind_direction"), "°"),
    ("boundary_layer", ("边界层高度", "boundary_layer_height", "blh"), "m"),
    ("rain", ("降水量", "precipitation", "rain"), "mm"),
)
#: The key of the region's own row among the stations' in the engine's frames.
REGION_KEY = "region"
#: The stored meteorological variables under the engine's names (:data:`gongjian.analytics.forecast.FEATURES`).
_ENGINE_NAMES = {"boundary_layer": "boundary_layer_height", "rain": "precipitation"}


MET_VARIABLES = tuple(name for name, _h, unit in MET_LAYOUT if name not in ("station", "issued_at", "valid_at"))


def levels_of(low: int, high: int) -> tuple[int, int]:
    """The AQI levels (HJ 633 Table 2, 1 优 … 6 严重污染) a range ``low``–``high`` spans."""
    return category(low).level, category(high).level


# --- the meteorological forecast an office imports ------------------------------------------------

def _moment(text: str) -> dt.datetime:
    if len(text.strip()) == 10:  # a day's forecast: valid from its start
        return clock.attach(dt.datetime.combine(imports.date(text), dt.time()))
    return imports.moment(text)


def read_met_forecast(region: Region, path: Path | None = None, *, table=None, user=None) -> int:
    """Store a meteorological forecast file for ``region`` (the layout of :data:`MET_LAYOUT`): all
    or nothing, every problem named by row and column; the hours of an issue already stored are
    replaced by the file's. Returns the number of hours read."""
    source = path.name if path else _("meteorological forecast")
    stations = {s.code: s for s in [*air.stations_of(region), *air.stations_of(region, with_met=True)]}
    seen: dict[tuple, int] = {}

    def station(text: str):
        found = stations.get(text.strip())
        if found is None:
            raise ValidationError(_("%(v)r is not a station of %(region)s") % {"v": text, "region": region})
        return found

    def prepare(row: imports.Row) -> None:
        forecast = row.instance
        forecast.region, forecast.imported_by = region, user
        if forecast.issued_at is None and "issued_at" not in row.failed:  # its field is not validated (below)
            row.problem(_("Give the time the forecast was issued."), "issued_at")
        if forecast.station_id is None and forecast.issued_at and forecast.valid_at:  # the region's own hours
            first = seen.setdefault((forecast.issued_at, forecast.valid_at), row.number)
            if first != row.number:
                row.problem(_("the same hour as row %(row)s") % {"row": first}, "valid_at")

    columns = [imports.Column("station", MET_LAYOUT[0][1], station),
               imports.Column("issued_at", MET_LAYOUT[1][1], _moment, required=True),
               imports.Column("valid_at", MET_LAYOUT[2][1], _moment, required=True)]
    columns += [imports.Column(name, headers, imports.number) for name, headers, _unit in MET_LAYOUT[3:]]
    # the issues a file holds replace the stored ones (``replace`` below), so the model's unique
    # constraints are not judged against those; rows of one file are (``unique``, ``prepare``)
    spec = imports.ImportSpec(MetForecast, tuple(columns), prepare=prepare, exclude=("issued_at",),
                              unique=(("station", "issued_at", "valid_at"),))
    batch = imports.read_rows(path if path is not None else table, spec, source)
    batch.check()
    issues = {r.instance.issued_at for r in batch.rows}
    imports.save(batch, user=user, replace=MetForecast.objects.filter(region=region, issued_at__in=issues))
    return len(batch.rows)


def met_forecast(region: Region, before: dt.datetime) -> tuple[dt.datetime | None, pl.DataFrame]:
    """The newest meteorological forecast for ``region`` issued at or before ``before``: its
    region-wide hours as the forecast engine's layout has them (``time`` as naive Beijing time, the
    variables under :data:`gongjian.analytics.forecast.FEATURES`' names)."""
    issued = (MetForecast.objects.filter(region=region, station__isnull=True, issued_at__lte=before)
              .order_by("-issued_at").values_list("issued_at", flat=True).first())
    if issued is None:
        return None, pl.DataFrame()
    rows = MetForecast.objects.filter(region=region, station__isnull=True, issued_at=issued).order_by("valid_at")
    frame = pl.DataFrame([{"time": clock.naive_local(r.valid_at), **{v: getattr(r, v) for v in MET_VARIABLES}}
                          for r in rows], schema={"time": pl.Datetime("us"), **dict.fromkeys(MET_VARIABLES, pl.Float64)})
    present = [v for v in MET_VARIABLES if frame[v].null_count() < frame.height]
    return issued, frame.select("time", *present).rename({k: v for k, v in _ENGINE_NAMES.items() if k in present})


# --- runs: store, adjust, publish -----------------------------------------------------------------

def _values(run: ForecastRun, days: pl.DataFrame, stations: dict[str, object]) -> list[ForecastValue]:
    out = []
    for row in days.iter_rows(named=True):
        code = row.get("station")
        low, high = int(row["aqi_low"]), int(row["aqi_high"])
        level_low, level_high = levels_of(low, high)
        value = ForecastValue(run=run, station=stations[code] if code else None, day=row["day"], lead=int(row["lead"]),
                              aqi=int(row["aqi"]), aqi_low=low, aqi_high=high, primary=row.get("primary") or "",
                              level_low=level_low, level_high=level_high,
                              **{c: row.get(c) for c in CONCENTRATIONS})
        value.full_clean(exclude=["run", "station"])
        out.append(value)
    return out


@transaction.atomic
def store_run(region: Region, issued_at: dt.datetime, days: pl.DataFrame, *, model_version: str = "",
              inputs: dict | None = None, user=None, adjusts: ForecastRun | None = None, forecaster=None,
              reason: str = "") -> ForecastRun:
    """A new draft run of ``region`` with ``days`` (per row: ``station`` code or null for the region,
    ``day``, ``lead``, the six concentrations, ``aqi``, ``aqi_low``, ``aqi_high``, ``primary``); the
    levels come from the range (HJ 633). ``inputs`` are described on the run and digested."""
    text = json.dumps(inputs or {}, ensure_ascii=False, sort_keys=True, default=str)
    run = ForecastRun.objects.create(region=region, issued_at=issued_at, model_version=model_version,
                                     inputs=text, inputs_digest=hashlib.sha256(text.encode()).hexdigest(),
                                     issued_by=user, adjusts=adjusts, forecaster=forecaster, reason=reason)
    codes = [c for c in days["station"].unique().to_list() if c] if "station" in days.columns else []
    stations = {s.code: s for s in air.stations_of(region) if s.code in codes}
    if missing := sorted(set(codes) - set(stations)):
        raise ValidationError(_("No station %(codes)s in %(region)s.") % {"codes": ", ".join(missing), "region": region})
    ForecastValue.objects.bulk_create(_values(run, days, stations))
    return run


@dataclass(frozen=True)
class DayChange:
    """A forecaster's change of one day of the region's forecast: the AQI point and its range, and
    the primary pollutant (empty: as the run had it)."""

    aqi: int
    low: int
    high: int
    primary: str = ""


def _frame(run: ForecastRun) -> pl.DataFrame:
    rows = [{"station": v.station.code if v.station_id else None, "day": v.day, "lead": v.lead,
             **{c: getattr(v, c) for c in CONCENTRATIONS}, "aqi": v.aqi, "aqi_low": v.aqi_low, "aqi_high": v.aqi_high,
             "primary": v.primary} for v in run.values.select_related("station").order_by("station", "day")]
    return pl.DataFrame(rows, schema={"station": pl.String, "day": pl.Date, "lead": pl.Int64,
                                      **dict.fromkeys(CONCENTRATIONS, pl.Float64), "aqi": pl.Int64,
                                      "aqi_low": pl.Int64, "aqi_high": pl.Int64, "primary": pl.String})


def _check_editor(user, run: ForecastRun) -> None:
    if not (policy.can_see(user, run) and policy.can_change(user, run)):
        raise PermissionDenied


@transaction.atomic
def adjust(run: ForecastRun, changes: dict[dt.date, DayChange], forecaster, reason: str) -> ForecastRun:
    """A forecaster's adjustment of ``run``: a NEW draft run linked to it (``adjusts``), with the
    region's days changed as ``changes`` says and everything else copied; ``run`` stays as it was.
    Refused without a reason, without a change, or for a day the run does not forecast."""
    _check_editor(forecaster, run)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    frame = _frame(run)
    region_days = set(frame.filter(pl.col("station").is_null())["day"].to_list())
    if unknown := sorted(set(changes) - region_days):
        raise ValidationError(_("The run does not forecast %(days)s.") % {"days": ", ".join(map(str, unknown))})
    changed = {d: c for d, c in changes.items()
               if (c.aqi, c.low, c.high) != tuple(frame.filter(pl.col("station").is_null() & (pl.col("day") == d))
                                                   .select("aqi", "aqi_low", "aqi_high").row(0))
               or (c.primary and c.primary != frame.filter(pl.col("station").is_null() & (pl.col("day") == d))["primary"][0])}
    if not changed:
        raise ValidationError(_("The adjustment changes no day."))
    rows = []
    for row in frame.iter_rows(named=True):
        change = changed.get(row["day"]) if row["station"] is None else None
        if change is not None:
            row.update(aqi=change.aqi, aqi_low=change.low, aqi_high=change.high, primary=change.primary or row["primary"])
        rows.append(row)
    inputs = {"adjusts": run.pk, "days": {str(d): [c.aqi, c.low, c.high, c.primary] for d, c in sorted(changed.items())}}
    return store_run(run.region, clock.now(), pl.DataFrame(rows, schema=frame.schema), model_version=run.model_version,
                     inputs=inputs, user=forecaster, adjusts=run, forecaster=forecaster, reason=reason)


@transaction.atomic
def publish(run: ForecastRun, user) -> int:
    """Publish a draft: the region's published runs issued no later than it are superseded and the
    run's region days become the region's :class:`Forecast` of its issue day (source: the forecast
    model), replacing what the model gave that day, so the warning proposal reads them. A day a
    forecaster entered or imported for that issue day stays as it is (the office's word over the
    model's). Refused for a draft issued before the newest published run of the region: publishing it
    would put an older forecast over a newer one. Returns the days written."""
    _check_editor(user, run)
    run = ForecastRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ForecastRun.Status.DRAFT:
        raise ValidationError(_("Only a draft run is published; a published run never changes."))
    published = ForecastRun.objects.select_for_update().filter(region=run.region, status=ForecastRun.Status.PUBLISHED)
    newer = published.filter(issued_at__gt=run.issued_at).order_by("-issued_at").first()
    if newer is not None:
        raise ValidationError(_("This run was issued at %(at)s, before the published run of %(newer)s: an older "
                                "forecast is not published over a newer one. Issue or adjust a new run.") % {
            "at": f"{clock.local(run.issued_at):%Y-%m-%d %H:%M}",
            "newer": f"{clock.local(newer.issued_at):%Y-%m-%d %H:%M}"})
    for previous in published.filter(issued_at__lte=run.issued_at):
        previous.status = ForecastRun.Status.SUPERSEDED
        previous.save()
    run.status, run.published_at, run.published_by = ForecastRun.Status.PUBLISHED, clock.now(), user
    run.save()
    issued_on = run.issued_on
    stored = Forecast.objects.filter(region=run.region, issued_on=issued_on)
    stored.filter(source=Forecast.Source.MODEL).delete()
    kept = set(stored.values_list("day", flat=True))  # entered or imported: not the model's to replace
    days = [(v.day, v.aqi) for v in run.values.filter(station__isnull=True, day__gte=issued_on).order_by("day")
            if v.day not in kept]
    Forecast.objects.bulk_create(Forecast(region=run.region, issued_on=issued_on, day=d, aqi=aqi,
                                          source=Forecast.Source.MODEL, entered_by=user) for d, aqi in days)
    return len(days)


# --- issuing: the model on the history and the met forecast --------------------------------------

def _history(region: Region, stations: list, last: dt.date) -> pl.DataFrame:
    """The stored daily results of the region (its own row, keyed ``region``) and of ``stations``
    (keyed by code) up to ``last``, as the forecast engine reads them."""
    start = last - dt.timedelta(days=HISTORY_DAYS)
    parts = [air.daily_history(start, last, region=region)]
    if stations:
        parts.append(air.daily_history(start, last, stations=stations))
    parts = [p for p in parts if not p.is_empty()]
    if not parts:
        return pl.DataFrame()
    return pl.concat(parts, how="diagonal_relaxed").select(
        pl.when(pl.col("subject") == "station").then(pl.col("key")).otherwise(pl.lit(REGION_KEY)).alias("station"),
        "date", *CONCENTRATIONS)


def _for_every_place(weather: pl.DataFrame, places: list[str]) -> pl.DataFrame:
    """The region's daily weather as every place's (one weather for the region and its stations)."""
    return pl.DataFrame({"station": places}).join(weather, how="cross")


def _observed_met(stations: list, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Daily observed weather of the region: the engine's daily values (means, precipitation summed,
    the mean wind vector) of the mean hour over the stations that measure it."""
    from gongjian.analytics import forecast as engine

    hours = air.load_met(stations, start, end)
    if hours.is_empty():
        return pl.DataFrame()
    variables = [c for c in hours.columns if c not in ("station", "time")]
    mean_hour = hours.group_by("time").agg(*(pl.col(v).mean() for v in variables)).rename(
        {k: v for k, v in _ENGINE_NAMES.items() if k in variables})
    return engine.daily_weather(mean_hour.with_columns(pl.lit(REGION_KEY).alias("station")), "station").drop("station")


def _inputs(region: Region, at: dt.datetime, met: pl.DataFrame | None, stations: bool):
    """What a run reads: the last whole observed day before the issue day (``base``), the places'
    history up to it, and the daily weather forecast (the newest imported, or ``met``)."""
    from gongjian.analytics import forecast as engine

    base = clock.day_of(at) - dt.timedelta(days=1)
    places = air.stations_of(region) if stations else []
    history = _history(region, places, base)
    if history.is_empty() or history["date"].max() < base - dt.timedelta(days=engine.LAGS):
        raise ValidationError(_("No recent daily results for %(region)s before %(day)s.") % {
            "region": region, "day": clock.day_of(at)})
    met_issued = None
    if met is None:
        met_issued, met = met_forecast(region, at)
        if not met.is_empty():
            met = engine.daily_weather(met.with_columns(pl.lit(REGION_KEY).alias("station")), "station").drop("station")
    if met.is_empty():
        raise ValidationError(_("No meteorological forecast for %(region)s issued by %(at)s.") % {
            "region": region, "at": f"{clock.local(at):%Y-%m-%d %H:%M}"})
    return base, places, history, met, met_issued


def train(region: Region, at: dt.datetime, *, met: pl.DataFrame | None = None, stations: bool = True):
    """The forecast model (:func:`gongjian.analytics.forecast.train`) of ``region`` as a run issued at
    ``at`` would train it: on the stored daily results and the observed weather up to the last whole
    day before the issue day, with the variables both observed and forecast."""
    from gongjian.analytics import forecast as engine

    _base, _places, history, met, _issued = _inputs(region, at, met, stations)
    observed = _observed_met(air.stations_of(region, with_met=True), history["date"].min(), history["date"].max())
    shared = [c for c in observed.columns if c != "date" and c in met.columns and met[c].null_count() < met.height]
    if not shared:
        raise ValidationError(_("The meteorological forecast and the observed weather share no variable."))
    keys = history["station"].unique().sort().to_list()
    try:
        return engine.train(history, _for_every_place(observed.select("date", *shared), keys), leads=LEADS,
                            threads=THREADS)
    except ValueError as refused:  # too little history for a lead or a pollutant: said as the engine says it
        raise ValidationError(str(refused)) from refused


def issue(region: Region, at: dt.datetime, *, user=None, progress: Callable[[str], None] = lambda _m: None,
          met: pl.DataFrame | None = None, model=None, stations: bool = True) -> ForecastRun:
    """Issue ``region``'s run at ``at`` (a draft) for the issue day and the six days after it.

    The forecast model (:func:`train`) learns from the stored daily results and the observed weather
    up to the last whole day before the issue day (whose results the night's job computed) and
    forecasts from it (:func:`gongjian.analytics.forecast.predict`): lead 1 is the issue day, lead 7
    six days later, each counted from that last observed day, which is the ``issued`` day the
    verification's persistence forecast repeats. The weather is the newest imported meteorological
    forecast (or ``met``: daily weather with ``date`` and the engine's variables). ``model`` reuses a
    trained model; ``stations=False`` forecasts the region's own row only."""
    from gongjian.analytics import forecast as engine

    progress(_("reading the history of %(region)s") % {"region": region})
    base, places, history, met, met_issued = _inputs(region, at, met, stations)
    if model is None:
        progress(_("training the forecast model"))
        model = train(region, at, met=met, stations=stations)
    progress(_("forecasting %(n)s days") % {"n": len(LEADS)})
    keys = history["station"].unique().sort().to_list()
    try:
        predicted = engine.predict(model, history, _for_every_place(met, keys), base)
    except ValueError as refused:  # the forecast lacks a variable the model was trained with, ...
        raise ValidationError(str(refused)) from refused
    days = predicted.select(
        pl.when(pl.col("station") == REGION_KEY).then(None).otherwise(pl.col("station")).cast(pl.String).alias("station"),
        "day", "lead", *CONCENTRATIONS, "aqi", "aqi_low", "aqi_high",
        pl.col("primary_pollutants").list.join("、").alias("primary")).drop_nulls("aqi")
    inputs = {"history": [str(history["date"].min()), str(history["date"].max())], "history_rows": history.height,
              "met_forecast_issued": str(clock.local(met_issued)) if met_issued else "given",
              "weather": list(model.weather), "stations": [s.code for s in places],
              "model_trained_to": str(model.trained_to)}
    return store_run(region, at, days, model_version=model.version, inputs=inputs, user=user)


def issue_daily(progress: Callable[[str], None] = print) -> int:
    """The daily job: a draft run for every region that holds a warning standard (the regions that
    issue warnings), at the job's moment; a region without history or met forecast is reported and
    skipped. Returns the runs issued."""
    at, issued = clock.now(), 0
    for region in Region.objects.filter(pk__in=WarningStandard.objects.values("region_id")).order_by("path"):
        try:
            run = issue(region, at, progress=progress)
        except ValidationError as refused:
            progress(f"{region}: {'; '.join(refused.messages)}")
            continue
        progress(_("%(region)s: run %(pk)s issued (draft)") % {"region": region, "pk": run.pk})
        issued += 1
    return issued


# --- verification -------------------------------------------------------------------------------

@dataclass
class Verification:
    """A month's verification of the region's published forecasts (:mod:`gongjian.analytics.
    verification`): ``scores`` of the forecasts per lead day with persistence's and climatology's
    side by side and the skill against each, the ``worst`` misses, and how many forecasts had an
    observed day."""

    scores: pl.DataFrame
    worst: pl.DataFrame
    forecasts: int
    matched: int


def published_forecasts(region: Region, first: dt.date, last: dt.date) -> pl.DataFrame:
    """The region's days from ``first`` to ``last`` as they were published: for each issue day, the
    last run published that day (a later publication the same day replaced it), with ``region``,
    ``issued`` (the last observed day the lead counts from: the day before the issue day), ``day``,
    ``lead``, ``aqi``, ``aqi_low``, ``aqi_high``, ``primary``."""
    published = ForecastRun.objects.filter(region=region, published_at__isnull=False).order_by("published_at", "pk")
    last_of_day: dict[dt.date, int] = {}
    for run in published.only("pk", "issued_at", "published_at"):
        last_of_day[run.issued_on] = run.pk
    rows = [{"region": str(region.pk), "issued": v.day - dt.timedelta(days=v.lead), "day": v.day, "lead": v.lead,
             "aqi": v.aqi, "aqi_low": v.aqi_low, "aqi_high": v.aqi_high, "primary": v.primary}
            for v in ForecastValue.objects.filter(run_id__in=last_of_day.values(), station__isnull=True,
                                                  day__gte=first, day__lte=last).select_related("run")]
    return pl.DataFrame(rows, schema={"region": pl.String, "issued": pl.Date, "day": pl.Date, "lead": pl.Int64,
                                      "aqi": pl.Int64, "aqi_low": pl.Int64, "aqi_high": pl.Int64, "primary": pl.String})


def _observed(region: Region, first: dt.date, last: dt.date) -> pl.DataFrame:
    daily = air.daily_history(first, last, region=region)
    return daily.select(pl.col("key").alias("region"), "date", "aqi", *CONCENTRATIONS,
                        pl.col("primary").str.split(",").list.eval(pl.element().filter(pl.element() != ""))
                        .alias("primary_pollutants"))


def verify(region: Region, first: dt.date, last: dt.date, *, climate_years: int = 3, worst: int = 10) -> Verification:
    """Scores by lead day of the forecasts published for ``first``..``last`` against the observed
    daily AQI of the region (the stored daily results), with persistence (the issue day's AQI for
    every lead) and climatology (the day-of-year mean concentrations of the ``climate_years`` before
    ``first``) scored on the same days, and the skill against each."""
    from gongjian.analytics import verification as rules

    forecasts = published_forecasts(region, first, last)
    observed = _observed(region, first - dt.timedelta(days=max(LEADS)), last)
    if forecasts.is_empty() or observed.is_empty():
        return Verification(pl.DataFrame(), pl.DataFrame(), forecasts.height, 0)
    matched = rules.match(forecasts, observed, key="region")
    scores = rules.summarise(matched)
    persistence = rules.score(rules.persistence(observed, forecasts, key="region"), observed, key="region")
    history = _observed(region, first - dt.timedelta(days=365 * climate_years), first - dt.timedelta(days=1))
    climate = rules.score(rules.climatology(history, forecasts, key="region"), observed, key="region") \
        if not history.is_empty() else pl.DataFrame()
    table = scores
    for name, reference in (("persistence", persistence), ("climatology", climate)):
        if not reference.is_empty():
            table = rules.skill(table, reference, suffix=name)
            table = table.rename({c: f"{c}_vs_{name}" for c in table.columns if c.startswith("skill_") and "_vs_" not in c})
    return Verification(table, rules.worst_misses(matched, worst), forecasts.height, matched.height)
