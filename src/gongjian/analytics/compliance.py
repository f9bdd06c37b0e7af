"""Compliance checks of monitored sources: each rule finds runs in a series and returns them as
findings with their evidence (series, period, rule, thresholds, what was seen). Nothing here reads
the database; the monitoring app feeds series in and turns findings into alarms.

Series are Polars frames sorted by their key and ``time`` at a regular interval (minutes or hours):

* CEMS: ``unit, time`` and measured concentrations (mg/m3), ``o2`` (%), ``flow`` (m3/h);
* electricity: ``meter, time, kw`` (mean power in the interval);
* dust monitors: ``site, time, pm10`` (ug/m3).

Rules (thresholds in :class:`Thresholds`, configurable per unit by passing another instance):

* ``exceedance``: a concentration at the reference O2 above the unit's limit, with duration and peak;
* ``flat_line``: a value unchanged (within a tolerance) for many intervals - a stuck or faked signal;
* ``pinned``: values held just under the limit for most of a long window;
* ``missing``: intervals without data;
* ``drop_at_inspection``: emissions falling sharply right when an inspection is announced;
* ``flow_without_power`` / ``power_without_flow``: the stack's flow and the production line's
  electricity disagree;
* during a warning: ``stopped_line_drawing_power``, ``control_off_while_producing``,
  ``load_above_allowed``, ``reduction_not_matching``;
* construction sites: ``dust_above_threshold`` for a configurable time;
* devices: ``silent``, no data for many of its reporting intervals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from .runs import runs

__all__ = ["RULES", "Thresholds", "at_reference_o2", "control_off_while_producing", "drop_at_inspection",
           "dust_above_threshold", "exceedances", "flat_lines", "flow_power_mismatch", "load_above_allowed",
           "missing", "pinned", "reduction_not_matching", "silent_devices", "stopped_line_drawing_power"]

RULES = ("exceedance", "flat_line", "pinned", "missing", "drop_at_inspection", "flow_without_power",
         "power_without_flow", "stopped_line_drawing_power", "control_off_while_producing", "load_above_allowed",
         "reduction_not_matching", "dust_above_threshold", "silent")

#: Columns of every findings frame.
COLUMNS = ("key", "rule", "series", "start", "end", "length", "peak", "threshold", "evidence")


@dataclass(frozen=True)
class Thresholds:
    o2_reference: float = 9.0  # %, e.g. 9 % for coal-fired boilers, 10 % for cement kilns (GB 13271, GB 4915)
    exceedance_intervals: int = 1  # how many consecutive intervals above the limit make a finding
    flat_intervals: int = 60  # e.g. an hour of minute data
    flat_tolerance: float = 0.0
    pinned_band: float = 0.05  # within 5 % under the limit ...
    pinned_share: float = 0.9  # ... for 90 % of ...
    pinned_window: int = 24  # ... a window of this many intervals
    missing_intervals: int = 3
    inspection_drop: float = 0.5  # a fall of half or more ...
    inspection_window: int = 6  # ... comparing this many intervals before and after the announcement
    flow_floor: float = 100.0  # m3/h: a stack with less is not running
    power_floor: float = 5.0  # kW: a line or control device drawing less is off
    power_intervals: int = 2
    reduction_tolerance: float = 0.2  # the emission fall may miss the list's reduction by this share
    dust_threshold: float = 150.0  # ug/m3 PM10 at a site ...
    dust_intervals: int = 2  # ... for this many consecutive intervals
    silent_intervals: int = 10  # a device that misses this many of its reporting intervals is silent


def at_reference_o2(concentration: pl.Expr, o2: pl.Expr, reference: float) -> pl.Expr:
    """A measured concentration converted to the reference oxygen content: C x (21 - O2ref) / (21 - O2)
    (the 折算 of HJ 75-2017 and the emission standards, e.g. GB 13223-2011). Null where O2 reaches
    the air's 21 % (no combustion gas to speak of)."""
    return pl.when(o2 < 20.9).then(concentration * (21.0 - reference) / (21.0 - o2)).otherwise(None)


def _findings(found: pl.DataFrame, key: str, rule: str, series: str, threshold: float | None,
              evidence: pl.Expr | None = None) -> pl.DataFrame:
    if "peak" not in found.columns:
        found = found.with_columns(pl.lit(None, dtype=pl.Float64).alias("peak"))
    return found.select(pl.col(key).cast(pl.String).alias("key"), pl.lit(rule).alias("rule"),
                        pl.lit(series).alias("series"), "start", "end", "length",
                        pl.col("peak").cast(pl.Float64), pl.lit(threshold, dtype=pl.Float64).alias("threshold"),
                        (evidence if evidence is not None else pl.lit("")).alias("evidence"))


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={"key": pl.String, "rule": pl.String, "series": pl.String,
                                "start": pl.Datetime("us"), "end": pl.Datetime("us"), "length": pl.UInt32,
                                "peak": pl.Float64, "threshold": pl.Float64, "evidence": pl.String})


def exceedances(cems: pl.DataFrame, limits: dict[str, float], t: Thresholds = Thresholds(), key: str = "unit") -> pl.DataFrame:
    """Runs above each pollutant's limit at the reference O2 (limits in mg/m3 at ``t.o2_reference``)."""
    found = [_empty()]
    for pollutant, limit in limits.items():
        frame = cems.with_columns(at_reference_o2(pl.col(pollutant), pl.col("o2"), t.o2_reference).alias("_ref"))
        hit = runs(frame, pl.col("_ref") > limit, key=key, aggregates=[pl.col("_ref").max().alias("peak")])
        hit = hit.filter(pl.col("length") >= t.exceedance_intervals)
        found.append(_findings(hit, key, "exceedance", pollutant, limit, pl.format(
            "{} above {} mg/m3 at {}% O2 for {} intervals, peak {}", pl.lit(pollutant), pl.lit(limit),
            pl.lit(t.o2_reference), pl.col("length"), pl.col("peak").round(1))))
    return pl.concat(found)


def flat_lines(frame: pl.DataFrame, column: str, t: Thresholds = Thresholds(), key: str = "unit") -> pl.DataFrame:
    """Runs of a value that does not change (beyond ``t.flat_tolerance``) for ``t.flat_intervals``."""
    v = pl.col(column)
    changed = ((v - v.shift().over(key)).abs() > t.flat_tolerance).fill_null(True) | v.is_null()
    marked = frame.with_columns(changed.cum_sum().over(key).alias("_level"))
    hit = (marked.filter(v.is_not_null()).group_by(key, "_level", maintain_order=True)
           .agg(pl.col("time").min().alias("start"), pl.col("time").max().alias("end"), pl.len().alias("length"),
                v.first().alias("peak"))
           .filter(pl.col("length") >= t.flat_intervals))
    return _findings(hit, key, "flat_line", column, None,
                     pl.format("{} stays at {} for {} intervals", pl.lit(column), pl.col("peak"), pl.col("length")))


def pinned(frame: pl.DataFrame, column: str, limit: float, t: Thresholds = Thresholds(), key: str = "unit") -> pl.DataFrame:
    """Windows in which the value sits just under the limit (within ``t.pinned_band``) most of the time:
    a signal held below the line rather than measured."""
    v = pl.col(column)
    near = ((v <= limit) & (v >= limit * (1 - t.pinned_band))).cast(pl.Float64)
    share = near.rolling_mean(t.pinned_window).over(key)
    hit = runs(frame.with_columns(share.alias("_share")), pl.col("_share") >= t.pinned_share, key=key,
               aggregates=[pl.col("_share").max().alias("peak")])
    return _findings(hit, key, "pinned", column, limit, pl.format(
        "{} within {}% under the limit {} for at least {}% of {} intervals", pl.lit(column),
        pl.lit(round(t.pinned_band * 100)), pl.lit(limit), pl.lit(round(t.pinned_share * 100)), pl.lit(t.pinned_window)))


def missing(frame: pl.DataFrame, column: str, t: Thresholds = Thresholds(), key: str = "unit") -> pl.DataFrame:
    """Runs of intervals without a value (the frame holds every expected interval, nulls missing)."""
    hit = runs(frame, pl.col(column).is_null(), key=key).filter(pl.col("length") >= t.missing_intervals)
    return _findings(hit, key, "missing", column, None,
                     pl.format("{} missing for {} intervals", pl.lit(column), pl.col("length")))


def drop_at_inspection(frame: pl.DataFrame, column: str, announced: dt.datetime, t: Thresholds = Thresholds(),
                       key: str = "unit") -> pl.DataFrame:
    """Series whose mean over the ``t.inspection_window`` intervals after an announced inspection is
    ``t.inspection_drop`` or more below the mean of the window before it."""
    before = frame.filter(pl.col("time") < announced).group_by(key).agg(
        pl.col(column).tail(t.inspection_window).mean().alias("_before"))
    after = frame.filter(pl.col("time") >= announced).group_by(key).agg(
        pl.col(column).head(t.inspection_window).mean().alias("_after"), pl.col("time").min().alias("start"),
        pl.col("time").head(t.inspection_window).max().alias("end"))
    both = before.join(after, on=key).filter((pl.col("_before") > 0) & (
        pl.col("_after") <= pl.col("_before") * (1 - t.inspection_drop)))
    both = both.with_columns(pl.lit(t.inspection_window, dtype=pl.UInt32).alias("length"),
                             pl.col("_before").alias("peak"))
    return _findings(both, key, "drop_at_inspection", column, t.inspection_drop, pl.format(
        "{} mean {} before the announcement at {}, {} after", pl.lit(column), pl.col("_before").round(2),
        pl.lit(announced.isoformat(sep=" ")), pl.col("_after").round(2)))


def flow_power_mismatch(cems: pl.DataFrame, power: pl.DataFrame, t: Thresholds = Thresholds()) -> pl.DataFrame:
    """The stack's flow and its production line's power disagree: flow with the line off
    (``flow_without_power``), or the line running and no flow (``power_without_flow``: the stack data
    do not come from the running process). ``power``: ``unit, time, kw`` (the line's meter mapped to
    the unit)."""
    joined = cems.select("unit", "time", "flow").join(power.select("unit", "time", "kw"), on=["unit", "time"],
                                                      how="inner").sort("unit", "time")
    on_flow, on_power = pl.col("flow") >= t.flow_floor, pl.col("kw") >= t.power_floor
    found = []
    for rule, condition in (("flow_without_power", on_flow & ~on_power), ("power_without_flow", on_power & ~on_flow)):
        hit = runs(joined, condition, key="unit", aggregates=[pl.col("kw").max().alias("peak"),
                                                               pl.col("flow").max().alias("_flow")])
        hit = hit.filter(pl.col("length") >= t.power_intervals)
        found.append(_findings(hit, "unit", rule, "flow/kw", None, pl.format(
            "flow up to {} m3/h with the line at up to {} kW", pl.col("_flow").round(0), pl.col("peak").round(1))))
    return pl.concat(found)


def stopped_line_drawing_power(power: pl.DataFrame, stopped: pl.DataFrame, t: Thresholds = Thresholds()) -> pl.DataFrame:
    """During a warning, a meter of a line the list stops still draws power. ``stopped``: ``meter,
    start, end`` (the periods its line must be stopped)."""
    inside = power.join(stopped, on="meter").filter(pl.col("time").is_between(pl.col("start"), pl.col("end")))
    inside = inside.drop("start", "end").sort("meter", "time")
    hit = runs(inside, pl.col("kw") >= t.power_floor, key="meter", aggregates=[pl.col("kw").max().alias("peak")])
    hit = hit.filter(pl.col("length") >= t.power_intervals)
    return _findings(hit, "meter", "stopped_line_drawing_power", "kw", t.power_floor, pl.format(
        "the stopped line draws up to {} kW for {} intervals", pl.col("peak").round(1), pl.col("length")))


def control_off_while_producing(production: pl.DataFrame, control: pl.DataFrame, t: Thresholds = Thresholds()) -> pl.DataFrame:
    """The production meter runs while the pollution-control meter linked to it is off (分表计电).
    Both frames: ``line, time, kw``."""
    joined = production.join(control, on=["line", "time"], suffix="_control").sort("line", "time")
    hit = runs(joined, (pl.col("kw") >= t.power_floor) & (pl.col("kw_control") < t.power_floor), key="line",
               aggregates=[pl.col("kw").max().alias("peak"), pl.col("kw_control").max().alias("_control")])
    hit = hit.filter(pl.col("length") >= t.power_intervals)
    return _findings(hit, "line", "control_off_while_producing", "kw", t.power_floor, pl.format(
        "production up to {} kW while its control equipment draws at most {} kW", pl.col("peak").round(1),
        pl.col("_control").round(1)))


def load_above_allowed(load: pl.DataFrame, allowed: pl.DataFrame, t: Thresholds = Thresholds()) -> pl.DataFrame:
    """Load above the list's allowed percentage during a warning. ``load``: ``unit, time, load`` (%);
    ``allowed``: ``unit, start, end, allowed`` (%)."""
    inside = load.join(allowed, on="unit").filter(pl.col("time").is_between(pl.col("start"), pl.col("end")))
    inside = inside.drop("start", "end").sort("unit", "time")
    hit = runs(inside, pl.col("load") > pl.col("allowed"), key="unit",
               aggregates=[pl.col("load").max().alias("peak"), pl.col("allowed").first().alias("_allowed")])
    hit = hit.filter(pl.col("length") >= t.power_intervals)
    return _findings(hit, "unit", "load_above_allowed", "load", None, pl.format(
        "load up to {}% where the list allows {}%", pl.col("peak").round(1), pl.col("_allowed")))


def reduction_not_matching(emissions: pl.DataFrame, expected: dict[str, float], warning_start: dt.datetime,
                           warning_end: dt.datetime, t: Thresholds = Thresholds(), key: str = "unit",
                           baseline_end: dt.datetime | None = None) -> pl.DataFrame:
    """The emission fall during a warning against the list's reduction. ``emissions``: ``key, time,
    value`` (e.g. kg/h); ``expected``: per key the share the list removes (0.3 = 30 %). The baseline
    is the same length of time just before ``baseline_end`` (default: the warning's start; for a
    later level of the same warning, the warning's first start)."""
    length = warning_end - warning_start
    baseline_end = baseline_end or warning_start
    base = emissions.filter(pl.col("time").is_between(baseline_end - length, baseline_end, closed="left")).group_by(
        key).agg(pl.col("value").mean().alias("_before"))
    during = emissions.filter(pl.col("time").is_between(warning_start, warning_end)).group_by(key).agg(
        pl.col("value").mean().alias("_during"), pl.len().alias("length"))
    shares = pl.DataFrame({key: list(expected), "_expected": list(expected.values())},
                          schema={key: emissions.schema[key], "_expected": pl.Float64})
    both = base.join(during, on=key).join(shares, on=key).filter(pl.col("_before") > 0).with_columns(
        (1 - pl.col("_during") / pl.col("_before")).alias("peak"))
    both = both.filter(pl.col("peak") < pl.col("_expected") * (1 - t.reduction_tolerance)).with_columns(
        pl.lit(warning_start).alias("start"), pl.lit(warning_end).alias("end"), pl.col("length").cast(pl.UInt32))
    return _findings(both, key, "reduction_not_matching", "value", None, pl.format(
        "emissions fell {}% where the list removes {}%", (pl.col("peak") * 100).round(1), (pl.col("_expected") * 100).round(1)))


def dust_above_threshold(dust: pl.DataFrame, t: Thresholds = Thresholds()) -> pl.DataFrame:
    """A site's PM10 above ``t.dust_threshold`` for ``t.dust_intervals`` consecutive intervals."""
    hit = runs(dust, pl.col("pm10") > t.dust_threshold, key="site", aggregates=[pl.col("pm10").max().alias("peak")])
    hit = hit.filter(pl.col("length") >= t.dust_intervals)
    return _findings(hit, "site", "dust_above_threshold", "pm10", t.dust_threshold, pl.format(
        "PM10 above {} ug/m3 for {} intervals, peak {}", pl.lit(t.dust_threshold), pl.col("length"), pl.col("peak").round(0)))


def silent_devices(devices: pl.DataFrame, now: dt.datetime, t: Thresholds = Thresholds()) -> pl.DataFrame:
    """Devices whose last data is older than ``t.silent_intervals`` of their reporting intervals.
    ``devices``: ``device, last_seen`` (null: never reported; not a finding until it has), ``interval``
    (seconds)."""
    found = devices.filter(pl.col("last_seen").is_not_null() & (
        pl.lit(now) - pl.col("last_seen") > pl.duration(seconds=pl.col("interval") * t.silent_intervals)))
    found = found.with_columns(pl.col("last_seen").alias("start"), pl.lit(now).alias("end"),
                               ((pl.lit(now) - pl.col("last_seen")).dt.total_seconds() // pl.col("interval"))
                               .cast(pl.UInt32).alias("length"))
    return _findings(found, "device", "silent", "packets", float(t.silent_intervals), pl.format(
        "no data since {} ({} reporting intervals)", pl.col("last_seen").dt.strftime("%Y-%m-%d %H:%M"), pl.col("length")))
