"""Whether enterprises keep their measures during a warning, from electricity data (环保+电力).

For each period of a warning at one level, the list version in force says per enterprise what it
must do; the meters say what it did:

* a line the list stops (the whole enterprise stopped, the named lines, or the line of a stopped
  unit) whose production meter still draws power: ``stopped_line_drawing_power``;
* a load limit: the production meters of the limited lines (all of the enterprise's, or the unit's
  line) above the allowed share of their rated power: ``load_above_allowed``;
* every enterprise with a measure: a line producing while the meter of its pollution-control
  equipment is off: ``control_off_while_producing``;
* a stack under a stop or a load limit whose NOx emission (concentration x flow, hourly CEMS) falls
  less than the measure removes, against the same length of time before the warning:
  ``reduction_not_matching``.

Findings become alarms tied to the warning (:func:`gongjian.sources.services.record_alarms`), each with
its evidence; the office turns them into verification notices.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from gongjian import clock
from gongjian.analytics import compliance
from gongjian.sources import services as sources
from gongjian.sources.services import Subject, load_cems, load_power, thresholds_for

from .models import Measure, WarningAction, WarningEpisode

__all__ = ["check_episode", "level_periods"]

_WINDOW = pl.Schema({"meter": pl.Int64, "start": pl.Datetime("us"), "end": pl.Datetime("us")})


def level_periods(episode: WarningEpisode, until: dt.datetime) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """``(level, from, to)`` for each stretch of the warning at one level (aware times); the last one
    ends at the lift, or at ``until`` while the warning is in force."""
    actions = sorted(episode.actions.all(), key=lambda a: (a.at, a.pk))
    periods = []
    for action, following in zip(actions, [*actions[1:], None], strict=True):
        if action.kind == WarningAction.Kind.LIFT:
            continue
        end = following.at if following is not None else (episode.lifted_at or until)
        if end > action.at:
            periods.append((action.level_to, action.at, end))
    return periods


def check_episode(episode: WarningEpisode, *, until: dt.datetime | None = None) -> int:
    """Run the warning rules for ``episode`` over its periods; returns the number of new alarms."""
    until = until or episode.lifted_at or clock.now()
    naive = clock.naive_local
    stopped, allowed, watched, reductions = [], [], set(), []
    for level, start, end in level_periods(episode, until):
        if level == "blue" or episode.reduction_list_id is None:
            continue
        measures = list(Measure.objects.filter(reduction_list=episode.reduction_list, level=level, enterprise__isnull=False)
                        .select_related("unit").prefetch_related("lines"))
        reductions.append((naive(start), naive(end), _expected_shares(measures)))
        for measure in measures:
            watched.add(measure.enterprise_id)
            lines = _lines_of(measure)
            if measure.kind in (Measure.Kind.STOP, Measure.Kind.STOP_LINES):
                stopped += [(pk, naive(start), naive(end)) for pk in sources.production_meters(measure.enterprise_id, lines)]
            elif measure.kind == Measure.Kind.LIMIT:
                allowed += [(pk, naive(start), naive(end), float(measure.load_percent))
                            for pk in sources.production_meters(measure.enterprise_id, lines)]
    if not watched:
        return 0
    meters = list(sources.meters_of(watched))
    first, last = naive(episode.started_at), naive(until)
    power = load_power(meters, first, last)
    t = thresholds_for({})
    found = [compliance.stopped_line_drawing_power(power, pl.DataFrame(stopped, schema=_WINDOW, orient="row"), t)]
    rated = pl.DataFrame([(m.pk, m.rated_kw) for m in meters if m.rated_kw],
                         schema={"meter": pl.Int64, "rated": pl.Float64}, orient="row")
    load = power.join(rated, on="meter").select(pl.col("meter").alias("unit"), "time",
                                                (pl.col("kw") / pl.col("rated") * 100).alias("load"))
    limits = pl.DataFrame(allowed, schema={"unit": pl.Int64, "start": pl.Datetime("us"), "end": pl.Datetime("us"),
                                           "allowed": pl.Float64}, orient="row")
    found.append(compliance.load_above_allowed(load, limits, t).with_columns(pl.concat_str(pl.lit("meter:"), "key").alias("key")))
    found.append(_control_findings(power, meters, first, last, t))
    found.append(_reduction_findings(reductions, first, t))
    subjects = {}
    for unit in sources.units_of(watched):
        subjects[f"unit:{unit.pk}"] = Subject(unit.enterprise.organisation.region_id, str(unit),
                                              enterprise_id=unit.enterprise_id)
    for meter in meters:
        subject = Subject(meter.enterprise.organisation.region_id, str(meter), enterprise_id=meter.enterprise_id)
        subjects[str(meter.pk)] = subjects[f"meter:{meter.pk}"] = subject
        if meter.line_id:
            subjects[f"line:{meter.line_id}"] = Subject(subject.region_id, str(meter.line),
                                                        enterprise_id=meter.enterprise_id)
    new = sources.record_alarms(pl.concat(found), subjects)
    episode.alarms.add(*new)
    return len(new)


def _expected_shares(measures: list[Measure]) -> dict[int, float]:
    """Per monitored stack: the share of its emission the measures at one level remove (a stop 1, a
    load limit to x % 1 - x/100; the strictest when several apply)."""
    units = sources.stacks_of({m.enterprise_id for m in measures})
    shares: dict[int, float] = {}
    for unit in units:
        for m in measures:
            lines = _lines_of(m)
            applies = m.enterprise_id == unit.enterprise_id and (
                (m.unit_id == unit.pk) if m.unit_id else (lines is None or unit.line_id in lines))
            if not applies:
                continue
            if m.kind in (Measure.Kind.STOP, Measure.Kind.STOP_LINES):
                shares[unit.pk] = 1.0
            elif m.kind == Measure.Kind.LIMIT:
                shares[unit.pk] = max(shares.get(unit.pk, 0.0), 1 - float(m.load_percent) / 100)
    return shares


def _reduction_findings(reductions, first: dt.datetime, t) -> pl.DataFrame:
    """Each level's period against the same length before the warning began, NOx in kg/h."""
    units = list(sources.units({u for _s, _e, shares in reductions for u in shares}))
    if not units:
        return compliance.reduction_not_matching(pl.DataFrame(schema={"unit": pl.Int64, "time": pl.Datetime("us"),
                                                                      "value": pl.Float64}), {}, first, first)
    longest = max(end - start for start, end, _shares in reductions)
    cems = load_cems(units, first - longest, max(end for _s, end, _sh in reductions), "h")
    emissions = cems.select("unit", "time", (pl.col("nox") * pl.col("flow") / 1e6).alias("value")).drop_nulls()
    found = [compliance.reduction_not_matching(emissions, shares, start, end, t, baseline_end=first)
             for start, end, shares in reductions if shares]
    return pl.concat(found).with_columns(pl.concat_str(pl.lit("unit:"), "key").alias("key"))


def _lines_of(measure: Measure) -> list[int] | None:
    """The lines a measure concerns; ``None``: all of the enterprise's."""
    if measure.kind == Measure.Kind.STOP_LINES:
        return [line.pk for line in measure.lines.all()]
    if measure.unit_id:
        return [measure.unit.line_id] if measure.unit.line_id else []
    return None


def _control_findings(power: pl.DataFrame, meters: list, first: dt.datetime, last: dt.datetime,
                      t) -> pl.DataFrame:
    """Production against control on each line that has both meters, over the whole warning."""
    role = pl.DataFrame([(m.pk, m.line_id, m.purpose) for m in meters if m.line_id],
                        schema={"meter": pl.Int64, "line": pl.Int64, "purpose": pl.String}, orient="row")
    tagged = power.filter(pl.col("time").is_between(first, last, closed="left")).join(role, on="meter")
    production = tagged.filter(pl.col("purpose") == "production").group_by("line", "time").agg(pl.col("kw").sum())
    control = tagged.filter(pl.col("purpose") == "control").group_by("line", "time").agg(pl.col("kw").sum())
    found = compliance.control_off_while_producing(production.sort("line", "time"), control.sort("line", "time"), t)
    return found.with_columns(pl.concat_str(pl.lit("line:"), "key").alias("key"))
