"""Quality control of an automatic water station's series (pure): values outside the physically
possible range, a flat line, a spike.

HJ 915-2017 (地表水自动监测技术规范) requires the data platform to review automatic data for
validity before they are used (its data-review chapter), without fixing numeric thresholds for
these three patterns. The checks and their defaults here are gongjian's, kept few and configurable
(:class:`Thresholds`, settable through ``settings.GONGJIAN_WATER_QC``): the ranges are physical
(a concentration is never negative, pH lies in 0–14 as GB 3838's pH scale has it, dissolved oxygen
in fresh water stays well below 20 mg/L even supersaturated), a flat line is the same reading for
``flat_hours`` consecutive readings (an analyser that has stopped measuring), a spike a reading at
least ``spike_ratio`` times both its neighbours and above ``spike_floor`` (a single bad sample
draw). Findings come back with their evidence, in no language: the app words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from .runs import runs

__all__ = ["CHECKS", "Thresholds", "check_series"]

CHECKS = ("out_of_range", "flat", "spike")


@dataclass(frozen=True)
class Thresholds:
    """The checks' parameters, per GB 3838 item key where they differ by item."""

    #: Physically possible range per item (Table 1 units); items not named: ``[0, +inf)``.
    ranges: dict[str, tuple[float, float]] = field(default_factory=lambda: {
        "ph": (0.0, 14.0), "do": (0.0, 20.0), "water_temperature": (-5.0, 45.0)})
    #: Consecutive identical readings before a series is suspect (water temperature and pH, read to
    #: 0.1, legitimately repeat longer).
    flat_hours: dict[str, int] = field(default_factory=lambda: {"water_temperature": 48, "ph": 48})
    flat_default: int = 24
    spike_ratio: float = 3.0
    #: A spike must also exceed this multiple of the item's class Ⅲ limit where it has one (the app
    #: passes the limits in ``spike_floor``); the ratio alone would flag noise near zero.
    spike_floor: dict[str, float] = field(default_factory=dict)

    def flat_for(self, item: str) -> int:
        return self.flat_hours.get(item, self.flat_default)


def check_series(frame: pl.DataFrame, thresholds: Thresholds = Thresholds()) -> pl.DataFrame:
    """Findings in ``frame`` (``series, item, time, value``: one automatic station's readings per
    series and item, nulls missing), as ``series, item, check, start, end, readings, detail``.

    ``detail`` is ``name=value`` pairs joined by ``;`` (``value=15.2;range=0-14``). A missing reading
    ends a flat line; a spike is judged against the readings just before and after it.
    """
    schema = {"series": pl.Int64, "item": pl.String, "check": pl.String, "start": pl.Datetime("us"),
              "end": pl.Datetime("us"), "readings": pl.UInt32, "detail": pl.String}
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    frame = frame.select("series", "item", pl.col("time").cast(pl.Datetime("us")), "value").sort("series", "item", "time")
    frame = frame.with_columns(pl.format("{}|{}", "series", "item").alias("_key"))
    found = []
    v = pl.col("value")
    for item in frame["item"].unique(maintain_order=True).to_list():
        of = frame.filter(pl.col("item") == item)
        low, high = thresholds.ranges.get(item, (0.0, float("inf")))
        found.append(_runs(of, (v < low) | (v > high), "out_of_range",
                           pl.format(f"value={{}};range={low:g}-{high:g}", v), 1))
        changed = (v != v.shift().over("_key")).fill_null(True) | v.is_null()
        flat = of.with_columns(changed.cum_sum().over("_key").alias("_run")).filter(v.is_not_null())
        found.append(flat.group_by("_key", "_run").agg(
            pl.col("series").first(), pl.col("item").first(), pl.col("time").min().alias("start"),
            pl.col("time").max().alias("end"), pl.len().cast(pl.UInt32).alias("readings"),
            pl.format("value={}", v.first()).alias("detail"),
        ).filter(pl.col("readings") >= thresholds.flat_for(item)).select(
            "series", "item", pl.lit("flat").alias("check"), "start", "end", "readings", "detail"))
        before, after = v.shift().over("_key"), v.shift(-1).over("_key")
        floor = thresholds.spike_floor.get(item, 0.0)
        spike = (v > floor) & (v >= before * thresholds.spike_ratio) & (v >= after * thresholds.spike_ratio) & (
            before > 0) & (after > 0)
        found.append(_runs(of, spike, "spike", pl.format("value={};before={};after={}", v, before, after), 1))
    return pl.concat(found).sort("series", "item", "start", "check")


def _runs(frame: pl.DataFrame, condition: pl.Expr, check: str, detail: pl.Expr, min_readings: int) -> pl.DataFrame:
    found = runs(frame.with_columns(detail.alias("_detail")), condition, key="_key",
                 aggregates=[pl.col("series").first(), pl.col("item").first(), pl.col("_detail").first().alias("detail")])
    return found.filter(pl.col("length") >= min_readings).select(
        "series", "item", pl.lit(check).alias("check"), "start", "end",
        pl.col("length").cast(pl.UInt32).alias("readings"), "detail")
