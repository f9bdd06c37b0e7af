"""The post-episode evaluation of a warning: how much of the change in the concentrations during the
episode the weather explains, and how much is left for the measures.

For the warning's region, a model of each pollutant on time and the observed weather
(:func:`gongjian.analytics.normalise.fit`, after Grange & Carslaw 2019) is trained on the
business-as-usual hours around the episode (the :data:`TRAINING_DAYS` before it and, as far as the
record reaches, after it, without the hours of any warning of the region or the regions above it,
when measures were in force: a warning early in a record has few hours before it, and hours on both
sides let the model's trend interpolate rather than extrapolate); it predicts the
episode's hours under the weather that was observed (the *expected* series: the episode without
measures), and the difference observed − expected, with its band
(:func:`gongjian.analytics.normalise.effect`: the model's own error over hold-out windows as long
as the episode), is what the measures changed. PM2.5 is evaluated per assessment station and for
the region (the hourly mean of its assessment stations); the other pollutants for the region.

The figures are stored (:class:`~gongjian.emergency.models.EpisodeEvaluation`), so the page, the Word
and the PDF document show the same numbers, with a digest of what they were computed from (the
windows, the stations, the other warnings left out, and the hours and weather read: their row
counts, null counts and sums), so that the page can say when the stored hours have changed since
(:func:`inputs_changed`). Only a lifted warning is evaluated. An evaluation is public once the office
publishes it (:func:`publish`); a published evaluation never changes, evaluating again makes a new
one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.air import services as air
from gongjian.regions import policy

from .models import EpisodeEvaluation, Level, WarningEpisode

__all__ = ["POLLUTANTS", "TRAINING_DAYS", "evaluate", "inputs_changed", "latest", "publish", "sentence"]

#: The pollutants evaluated for the region (PM2.5 also per station), with their units.
POLLUTANTS = {"pm25": ("PM2.5", "μg/m³"), "pm10": ("PM10", "μg/m³"), "no2": ("NO2", "μg/m³"),
              "so2": ("SO2", "μg/m³"), "co": ("CO", "mg/m³")}
#: How far before (and after, up to now) the episode business-as-usual hours are taken from.
TRAINING_DAYS = 365
#: Days shown either side of the episode in the series (the before and after of the chart).
CONTEXT_DAYS = 3
#: The band's coverage.
LEVEL = 0.9
#: LightGBM's threads: one, as a page's request or a job shares the machine with the site (OpenMP's
#: spinning threads on a busy machine made a two-second fit take minutes).
MODEL_PARAMS = {"num_threads": 1}


def _bau_mask(times: pl.Series, episode: WarningEpisode, first: dt.datetime, last: dt.datetime) -> pl.Series:
    regions = [r.pk for r in episode.region.ancestors_and_self()]
    inside = pl.Series([False] * len(times))
    for other in WarningEpisode.objects.filter(region_id__in=regions, started_at__lt=last):
        start = clock.naive_local(other.started_at)
        end = clock.naive_local(other.lifted_at) if other.lifted_at else clock.naive_local(last)
        inside = inside | ((times >= start) & (times < end))
    return ~inside


def _weather(region, first: dt.date, last: dt.date) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """The region's observed weather per hour: the mean over its stations and sites with
    meteorology (a wind direction averaged as a vector would be better; the hourly directions of
    nearby sites rarely straddle north, and the model treats it as one variable among several)."""
    from gongjian.analytics.normalise import WEATHER

    sites = air.stations_of(region, with_met=True)
    hours = air.load_met(sites, first, last)
    if hours.is_empty():
        return pl.DataFrame(), ()
    present = tuple(v for v in WEATHER if v in hours.columns and hours[v].null_count() < hours.height)
    return hours.group_by("time").agg(*(pl.col(v).mean() for v in present)).sort("time"), present


def _level_of(episode: WarningEpisode) -> str:
    """The highest level the warning reached."""
    order = list(Level.values)
    levels = [a.level_to for a in episode.actions.all() if a.level_to] or [episode.level]
    return max(levels, key=order.index)


def _figures(effect, model) -> dict:
    return {"observed": round(effect.mean_observed, 2), "expected": round(effect.mean_expected, 2),
            "difference": round(effect.mean_difference, 2), "lower": round(effect.lower, 2),
            "upper": round(effect.upper, 2), "days": effect.days, "windows": effect.windows,
            "r2": round(model.r2, 3), "n_train": model.n_train, "version": model.version}


def _daily(series: pl.DataFrame) -> list[dict]:
    daily = series.group_by(pl.col("time").dt.date().alias("date")).agg(
        pl.col("observed").mean(), pl.col("expected").mean()).sort("date")
    return [{"date": r["date"].isoformat(), "observed": None if r["observed"] is None else round(r["observed"], 1),
             "expected": round(r["expected"], 1)} for r in daily.iter_rows(named=True)]


def _read(episode: WarningEpisode, first_day: dt.date, last_day: dt.date):
    """The assessment stations of the warning's region, its observed weather per hour (and the
    variables present) and the stations' hours from ``first_day`` to ``last_day`` joined to it."""
    region = episode.region
    stations = air.stations_of(region)
    weather, variables = _weather(region, first_day, last_day)
    if not stations or not variables:
        return stations, weather, variables, pl.DataFrame()
    hours = air.load_hourly(stations, first_day, last_day).join(weather, on="time", how="inner")
    return stations, weather, variables, hours


def _summary(frame: pl.DataFrame) -> dict:
    """What a frame's digest covers: its rows, and per column its nulls and (numbers) its sum."""
    if frame.is_empty():
        return {"rows": 0}
    numbers = [c for c, t in frame.schema.items() if t.is_numeric()]
    return {"rows": frame.height, "nulls": {c: frame[c].null_count() for c in frame.columns},
            "sums": {c: round(float(frame[c].cast(pl.Float64).sum()), 6) for c in numbers},
            "times": [str(frame["time"].min()), str(frame["time"].max())] if "time" in frame.columns else None}


def _digest(episode: WarningEpisode, first_day: dt.date, last_day: dt.date, stations, weather, hours) -> str:
    """SHA-256 of the inputs of an evaluation (the module's docstring)."""
    regions = [r.pk for r in episode.region.ancestors_and_self()]
    others = [(str(o.started_at), str(o.lifted_at)) for o in WarningEpisode.objects.filter(
        region_id__in=regions).order_by("started_at", "pk")]
    ordered = hours.sort("station", "time") if not hours.is_empty() else hours
    text = json.dumps({"window": [str(episode.started_at), str(episode.lifted_at)],
                       "training": [first_day.isoformat(), last_day.isoformat()],
                       "stations": sorted(s.code for s in stations), "warnings": others,
                       "weather": _summary(weather), "hours": _summary(ordered)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def evaluate(episode: WarningEpisode, *, user=None, progress=lambda _m: None, training_days: int = TRAINING_DAYS,
             seed: int = 0) -> EpisodeEvaluation:
    """Evaluate ``episode`` (lifted: one still in force is refused) and store the figures, as a new
    draft evaluation (public once published)."""
    from gongjian.analytics import normalise

    if episode.lifted_at is None or episode.lifted_at > clock.now():
        raise ValueError(_("The warning is still in force: it is evaluated once it is lifted."))
    start = episode.started_at
    end = episode.lifted_at
    first_day = clock.day_of(start) - dt.timedelta(days=training_days)
    last_day = min(clock.day_of(end) + dt.timedelta(days=max(training_days, CONTEXT_DAYS)), clock.today())
    region = episode.region
    stations, weather, variables, hours = _read(episode, first_day, last_day)
    if not stations:
        raise ValueError(_("%(region)s has no assessment station.") % {"region": region})
    if not variables:
        raise ValueError(_("No observed meteorology for %(region)s: the weather's part cannot be separated.")
                         % {"region": region})
    progress(_("reading %(n)s stations' hours") % {"n": len(stations)})
    digest = _digest(episode, first_day, last_day, stations, weather, hours)
    naive_start, naive_end = clock.naive_local(start), clock.naive_local(end)
    reach = clock.attach(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()))
    bau = hours.filter(_bau_mask(hours["time"], episode, clock.attach(dt.datetime.combine(first_day, dt.time())),
                                 reach) & (pl.col("time") < clock.naive_local(min(reach, clock.now()))))
    during = pl.col("time").is_between(naive_start, naive_end, closed="left")
    context = pl.col("time").is_between(naive_start - dt.timedelta(days=CONTEXT_DAYS),
                                        naive_end + dt.timedelta(days=CONTEXT_DAYS), closed="left")
    region_hours = hours.group_by("time").agg(*(pl.col(p).mean() for p in POLLUTANTS),
                                              *(pl.col(v).first() for v in variables)).sort("time")
    region_bau = region_hours.join(bau.select("time").unique(), on="time", how="semi")
    result = {"region": region.name, "level": _level_of(episode), "weather": list(variables), "band_level": LEVEL,
              "window": [clock.local(start).isoformat(), clock.local(end).isoformat()],
              "training": [first_day.isoformat(), last_day.isoformat(), region_bau.height],
              "inputs": {"digest": digest, "hours": hours.height}, "pollutants": {}, "stations": [], "series": {}}
    for pollutant in POLLUTANTS:
        progress(_("%(p)s for the region") % {"p": POLLUTANTS[pollutant][0]})
        frame = region_bau.select("time", pollutant, *variables)
        if frame[pollutant].drop_nulls().len() < 50:
            continue
        model = normalise.fit(frame, pollutant, weather=variables, seed=seed, params=MODEL_PARAMS)
        effect = normalise.effect(model, region_hours.filter(during).select("time", pollutant, *variables), level=LEVEL)
        result["pollutants"][pollutant] = _figures(effect, model)
        shown = region_hours.filter(context).select("time", pl.col(pollutant).alias("observed"), *variables)
        result["series"][pollutant] = _daily(shown.with_columns(normalise.expected(model, shown)))
    for station in stations:
        progress(_("PM2.5 at %(station)s") % {"station": station.name})
        own = hours.filter(pl.col("station") == station.code)
        frame = own.join(bau.filter(pl.col("station") == station.code).select("time"), on="time", how="semi")
        if frame["pm25"].drop_nulls().len() < 50 or own.filter(during)["pm25"].drop_nulls().is_empty():
            result["stations"].append({"code": station.code, "name": station.name, "pm25": None})
            continue
        model = normalise.fit(frame.select("time", "pm25", *variables), "pm25", weather=variables, seed=seed,
                              params=MODEL_PARAMS)
        effect = normalise.effect(model, own.filter(during).select("time", "pm25", *variables), level=LEVEL)
        result["stations"].append({"code": station.code, "name": station.name, "pm25": _figures(effect, model)})
    return EpisodeEvaluation.objects.create(episode=episode, computed_at=clock.now(), computed_by=user, result=result)


def latest(episode: WarningEpisode, user=None) -> EpisodeEvaluation | None:
    """The newest evaluation of ``episode`` (that ``user`` sees: the public, a published one)."""
    found = episode.evaluations.all()
    if user is not None:
        found = policy.visible(user, found)
    return found.order_by("-computed_at", "-pk").first()


def inputs_changed(evaluation: EpisodeEvaluation) -> bool | None:
    """Whether the hours, weather or warnings an evaluation was computed from have changed since
    (read again over its stored training window and digested; no model is trained). ``None`` for an
    evaluation stored without a digest."""
    stored = evaluation.result.get("inputs", {}).get("digest")
    if not stored:
        return None
    first, last = (dt.date.fromisoformat(d[:10]) for d in evaluation.result["training"][:2])
    stations, weather, _variables, hours = _read(evaluation.episode, first, last)
    return _digest(evaluation.episode, first, last, stations, weather, hours) != stored


def publish(evaluation: EpisodeEvaluation, user) -> EpisodeEvaluation:
    """Publish an evaluation (the office's decision): from then on the public sees it, and it never
    changes. Refused for one already published."""
    if not (policy.can_see(user, evaluation.episode) and policy.can_change(user, evaluation.episode)):
        raise PermissionDenied
    if evaluation.published_at is not None:
        raise ValidationError(_("This evaluation is already published; a published evaluation never changes."))
    evaluation.published_at, evaluation.published_by = clock.now(), user
    evaluation.save()
    return evaluation


def sentence(evaluation: EpisodeEvaluation, pollutant: str = "pm25") -> str:
    """The finding, from the figures: "of the fall in PM2.5 during the red warning, about X μg/m³
    (Y–Z) is attributable to the measures" (the fall: expected − observed, its band the negated
    band of the difference); said otherwise when the observed was not below the expected, or when
    the band includes zero."""
    result = evaluation.result
    figures = result["pollutants"].get(pollutant)
    name, unit = POLLUTANTS[pollutant]
    level = Level(result["level"]).label
    if figures is None:
        return _("%(pollutant)s could not be evaluated: too few business-as-usual hours.") % {"pollutant": name}
    fall, low, high = -figures["difference"], -figures["upper"], -figures["lower"]
    values = {"level": level, "pollutant": name, "x": f"{fall:.1f}", "low": f"{low:.1f}", "high": f"{high:.1f}",
              "unit": unit, "coverage": f"{result['band_level']:.0%}"}
    if fall <= 0:
        text = _("During the %(level)s warning %(pollutant)s was %(x)s %(unit)s (%(low)s–%(high)s) against what the "
                 "weather alone explains: no fall is attributable to the measures.") % {
            **values, "x": f"{-fall:+.1f}", "low": f"{-high:+.1f}", "high": f"{-low:+.1f}"}
    else:
        text = _("Of the fall in %(pollutant)s during the %(level)s warning, about %(x)s %(unit)s (%(low)s–%(high)s) "
                 "is attributable to the measures.") % values
    if low <= 0 <= high:
        text += _(" The %(coverage)s band includes zero: the effect cannot be told from the model's own error.") % values
    return text



def assumptions(evaluation: EpisodeEvaluation) -> list[str]:
    """What the figures rest on, as the page and the documents state it."""
    r = evaluation.result
    first, last, hours = r["training"]
    return [
        _("Business as usual: the model learns each pollutant from the hours of %(first)s to %(last)s, before "
          "and after the warning, outside every warning of the region and the regions above it, %(hours)s hours; "
          "it assumes emissions then were as they would have been during the episode without measures.") % {
            "first": first, "last": last[:10], "hours": hours},
        _("Weather: %(vars)s, observed (not forecast) at the region's stations and meteorological sites, their "
          "hourly mean; with time variables (trend, day of year, weekday, hour), after Grange & Carslaw (2019), "
          "gradient boosting (LightGBM).") % {"vars": ", ".join(r["weather"])},
        _("Expected: what the model predicts for the episode's hours under the weather observed then; the "
          "difference observed − expected is what the measures (and anything else the weather does not "
          "explain) changed."),
        _("The band: the %(coverage)s range of the model's own mean error over hold-out windows as long as the "
          "episode (a moving-block bootstrap over days of the rows the model did not learn from); it is a lower "
          "bound on the error of a period the model has never seen.") % {"coverage": f"{r['band_level']:.0%}"},
        _("The region's series is the hourly mean of its assessment stations; a station's figures are its own."),
    ]
