"""Section results from the samples store: the evaluation of a section over a month, quarter or
year, and the stored monthly results (:class:`~gongjian.water.models.SectionMonth`).

One way from samples to classes, whatever the period: the valid samples of the period (flag
``valid``; ``suspect`` and ``invalid`` stay out) are evaluated by
:func:`gongjian.analytics.waterquality.section_periods` (a value below the detection limit enters as
half the limit; the period mean per item, 环办〔2011〕22号 一(二); the single-factor class; the items
above the year's target class with their multiples; whether the target is met). A section without a target for the year has ``target_class`` and
``meets_target`` ``None``: no target is never taken for class Ⅲ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable

import polars as pl

from gongjian import clock
from gongjian.analytics import waterquality
from gongjian.core import series
from gongjian.periods import Period
from gongjian.standards import gb3838

from .kinds import SAMPLES
from .models import SampleFlag, SectionMonth, SectionTarget, WaterSection

__all__ = ["evaluate_period", "month_of", "recompute_months", "samples_frame", "targets_of"]


def month_of(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return Period.containing("month", day).start


def samples_frame(section_ids: Iterable[int], start: dt.datetime | None = None, end: dt.datetime | None = None
                  ) -> pl.DataFrame:
    """The stored samples of the sections in ``[start, end)`` (naive Beijing or aware times): the
    kind's columns, sorted by section, item and time."""
    return series.read(SAMPLES, {"section_id": list(section_ids)}, start, end)


def _valid(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("flag") == SampleFlag.VALID)


def targets_of(section_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], int]:
    """``(section_id, year) -> target class`` of the targets set."""
    return {(s, y): c for s, y, c in SectionTarget.objects.filter(section_id__in=list(section_ids), year__in=list(years))
            .values_list("section_id", "year", "target_class")}


def _evaluated(frame: pl.DataFrame, sections: dict[int, WaterSection], period) -> dict[tuple[int, dt.date], dict]:
    """The valid samples of ``frame`` evaluated per section and period by
    :func:`gongjian.analytics.waterquality.section_periods` (``period``: a calendar kind or one
    :class:`Period`), each section with its kind and its target for the year of the samples.
    ``(section_id, period_start) -> result``, with ``means`` (item -> the period mean) and ``samples``."""
    valid = _valid(frame)
    if valid.is_empty():
        return {}
    years = valid["time"].dt.year().unique().to_list()
    targets = targets_of(list(sections), years)
    target = pl.DataFrame([(s, y, c) for (s, y), c in targets.items()], orient="row",
                          schema={"section_id": pl.Int64, "year": pl.Int32, "target": pl.Int8})
    samples = (valid.with_columns(pl.col("time").dt.year().alias("year"))
               .join(target, on=["section_id", "year"], how="left")
               .with_columns(pl.col("section_id").cast(pl.String).alias("section"),
                             pl.col("section_id").replace_strict({k: v.kind for k, v in sections.items()},
                                                                 return_dtype=pl.String).alias("kind"))
               .select("section", "time", "item", "value", "below_limit", "kind", "target"))
    means: dict[tuple[str, dt.date], dict] = defaultdict(dict)
    counts: dict[tuple[str, dt.date], int] = defaultdict(int)
    for section, start, item, value, results in waterquality.period_means(samples, period).select(
            "section", "period_start", "item", "value", "results").iter_rows():
        means[section, start][item] = value
        counts[section, start] += results
    out = {}
    for row in waterquality.section_periods(samples, period).iter_rows(named=True):
        key = (row["section"], row["period_start"])
        out[int(row["section"]), row["period_start"]] = {
            "water_class": row["class"], "deciding": row["deciding"],
            "items_above": {a["item"]: a["multiple"] for a in row["above_target"]},
            "target_class": row["target"], "meets_target": row["meets_target"],
            "tn_class": row["tn_class"], "fecal_coliform_class": row["fecal_coliform_class"],
            "means": means[key], "samples": counts[key]}
    return out


def _no_data(target: int | None) -> dict:
    return {"water_class": None, "deciding": [], "items_above": {}, "target_class": target, "meets_target": None,
            "tn_class": None, "fecal_coliform_class": None, "means": {}, "samples": 0}


def evaluate_period(sections: Iterable[WaterSection], period: Period) -> list[dict]:
    """Each section's result over ``period`` from its valid samples: ``section`` (the record),
    ``period`` (its key), ``water_class`` (``None``: no data), ``class_name``, ``deciding``,
    ``items_above`` (item -> multiple against the target), ``target_class``, ``meets_target``,
    ``means`` (item -> period mean) and ``samples`` (valid results used)."""
    sections = {s.pk: s for s in sections}
    start, end = clock.day_bounds(period.start, period.end)
    results = _evaluated(samples_frame(list(sections), start, end), sections, period)
    targets = targets_of(list(sections), [period.end.year])
    out = []
    for pk, section in sections.items():
        result = results.get((pk, period.start)) or _no_data(targets.get((pk, period.end.year)))
        out.append({"section": section, "period": period.key, **result,
                    "class_name": gb3838.class_name(result["water_class"])})
    return out


def _version(rows: pl.DataFrame, target: int | None, kind: str) -> str:
    """The fingerprint of a month's inputs: its samples as stored, the target and the water-body kind."""
    digest = hashlib.sha256(repr((target, kind)).encode())
    for row in rows.select("item", "time", "value", "below_limit", "flag").sort("item", "time").iter_rows():
        digest.update(repr(row).encode())
    return digest.hexdigest()


def recompute_months(months: Iterable[tuple[int, dt.date]]) -> list[SectionMonth]:
    """Recompute and store the results of ``(section_id, first day of month)`` pairs from the
    samples as stored now; a month whose inputs (samples and target) are unchanged is left as it
    is. Returns the stored results, changed or not."""
    wanted: dict[int, set[dt.date]] = defaultdict(set)
    for section_id, month in months:
        wanted[section_id].add(month_of(month))
    if not wanted:
        return []
    sections = WaterSection.objects.in_bulk(list(wanted))
    first = min(m for ms in wanted.values() for m in ms)
    last = Period.containing("month", max(m for ms in wanted.values() for m in ms)).end
    start, end = clock.day_bounds(first, last)
    frame = samples_frame(list(wanted), start, end)
    days = frame["time"].dt.date().unique().to_list()
    frame = frame.with_columns(pl.col("time").dt.date().replace_strict({d: month_of(d) for d in days},
                                                                        return_dtype=pl.Date).alias("month"))
    targets = targets_of(list(wanted), {m.year for ms in wanted.values() for m in ms})
    stored = {(r.section_id, r.month): r for r in SectionMonth.objects.filter(section_id__in=list(wanted),
                                                                             month__gte=first, month__lte=last)}
    out = []
    for section_id, ms in wanted.items():
        section = sections.get(section_id)
        if section is None:
            continue
        for month in sorted(ms):
            rows = frame.filter((pl.col("section_id") == section_id) & (pl.col("month") == month))
            target = targets.get((section_id, month.year))
            version = _version(rows, target, section.kind)
            record = stored.get((section_id, month))
            if record is not None and record.inputs_version == version:
                out.append(record)
                continue
            result = _evaluated(rows.drop("month"), {section_id: section}, "month").get((section_id, month)) \
                or _no_data(target)
            values = {k: result[k] for k in ("water_class", "deciding", "items_above", "means", "samples",
                                             "meets_target")}
            values.update(target_class=target, computed_at=clock.now(), inputs_version=version)
            record, _ = SectionMonth.objects.update_or_create(section_id=section_id, month=month, defaults=values)
            out.append(record)
    return out
