"""Surface-water evaluation of a frame of samples: period means, section classes, attainment of the
target class, the rates offices report, a region's state and county rankings.

Input is a plain long frame, one row per sample and item, as :func:`gongjian.water.samples_io.read_samples`
returns it or the water app reads it from its store:

* ``section`` (text), ``date`` (``pl.Date``) or ``time`` (``pl.Datetime``: its day is used),
  ``item`` (a :data:`gongjian.standards.gb3838.ALL_ITEMS` key), ``value`` (``Float64`` in the Table 1
  unit; null is no data);
* optional ``below_limit`` (``Boolean``): the result was below the detection limit and ``value`` is
  that limit; it enters as :data:`~gongjian.standards.gb3838.ND_FACTOR` (½) times the limit
  (环办监测函〔2020〕82号 point 7, :meth:`~gongjian.standards.gb3838.Reading.statistic`);
* optional ``kind`` (``river``/``lake``/``reservoir``, one per section; river when absent) and
  ``target`` (the target class 1..5, one per section and period; none when absent).

Every rule is the one of :mod:`gongjian.standards.gb3838` (class, exceedance multiple, status, the
proportion method, the rates) and :mod:`gongjian.standards.cwqi`: this module only groups. Periods
are those of :mod:`gongjian.periods`, assigned as for air data
(:func:`gongjian.analytics.airquality.assign_periods`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import polars as pl

from gongjian.analytics.airquality import assign_periods
from gongjian.periods import Period, PeriodKind
from gongjian.standards import cwqi, gb3838
from gongjian.standards.rounding import round_half_even, round_half_even_expr

__all__ = ["RANK_BY", "above_target_text", "period_means", "rank_regions", "rates", "region_states",
           "section_periods"]

_KEY = ["section", "period", "period_start", "period_end"]


def _prepared(samples: pl.DataFrame, period: Period | PeriodKind | str) -> pl.DataFrame:
    missing = {"section", "item", "value"} - set(samples.columns)
    if missing or not {"date", "time"} & set(samples.columns):
        raise ValueError(f"samples need section, date (or time), item and value; missing {sorted(missing) or ['date']}")
    frame = samples
    if "date" not in frame.columns:
        frame = frame.with_columns(pl.col("time").dt.date().alias("date"))
    if "kind" not in frame.columns:
        frame = frame.with_columns(pl.lit("river").alias("kind"))
    if "target" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Int8).alias("target"))
    frame = frame.with_columns(pl.col("kind").fill_null("river"), pl.col("value").cast(pl.Float64),
                               pl.col("target").cast(pl.Int8))
    if "below_limit" in frame.columns:
        factor = gb3838.ND_FACTOR
        frame = frame.with_columns(pl.when(pl.col("below_limit").fill_null(False))
                                   .then(pl.col("value") * factor.numerator / factor.denominator)
                                   .otherwise(pl.col("value")).alias("value"))
    bad_items = sorted(set(frame["item"].drop_nulls().unique().to_list()) - set(gb3838.ALL_ITEMS))
    if bad_items:
        raise ValueError(f"unknown item(s) {bad_items}")
    bad_kinds = sorted(set(frame["kind"].unique().to_list()) - set(gb3838.KINDS))
    if bad_kinds:
        raise ValueError(f"unknown kind(s) {bad_kinds}: one of {', '.join(gb3838.KINDS)}")
    kinds = frame.group_by("section").agg(pl.col("kind").n_unique().alias("n")).filter(pl.col("n") > 1)
    if kinds.height:
        raise ValueError(f"section(s) {sorted(kinds['section'].to_list())} are given more than one kind")
    return assign_periods(frame, period)


def _targets(frame: pl.DataFrame) -> pl.DataFrame:
    """One target per section and period (``ValueError`` when a section's rows disagree)."""
    targets = frame.group_by(_KEY).agg(pl.col("target").drop_nulls().unique().alias("_targets"))
    clash = targets.filter(pl.col("_targets").list.len() > 1)
    if clash.height:
        first = clash.row(0, named=True)
        raise ValueError(f"section {first['section']} has targets {sorted(first['_targets'])} in {first['period']}")
    return targets.select(*_KEY, pl.col("_targets").list.first().alias("target"))


def period_means(samples: pl.DataFrame, period: Period | PeriodKind | str,
                 decimals: Mapping[str, int] | None = None) -> pl.DataFrame:
    """The arithmetic mean of each item per section and period (环办〔2011〕22号 一(二):
    :func:`gongjian.standards.gb3838.period_mean`), with the number of results.

    Columns ``section, kind, period, period_start, period_end, item, value, results``. Floating sums
    are snapped to the decimal value when they are within float noise of a 12-significant-digit
    number (0.1 and 0.2 give 0.15, not 0.15000000000000002), as ``period_mean`` sums decimals.
    ``decimals`` (item → places) rounds each mean half-even before it is classified, for an office
    that does so; no verified source sets the places (:mod:`gongjian.standards.gb3838`)."""
    return _means(_prepared(samples, period), decimals)


def _means(frame: pl.DataFrame, decimals: Mapping[str, int] | None) -> pl.DataFrame:
    mean = pl.col("value").mean()
    snapped = mean.round_sig_figs(12)
    value = pl.when((mean - snapped).abs() <= snapped.abs() * 1e-14).then(snapped).otherwise(mean)
    means = (frame.group_by([*_KEY, "kind", "item"])
             .agg(value.alias("value"), pl.col("value").count().cast(pl.Int32).alias("results"))
             .filter(pl.col("results") > 0))
    if decimals:
        means = means.with_columns(
            pl.coalesce([pl.when(pl.col("item") == k).then(round_half_even_expr(pl.col("value"), d))
                         for k, d in decimals.items()] + [pl.col("value")]).alias("value"))
    return means.select("section", "kind", "period", "period_start", "period_end", "item", "value", "results").sort(
        "section", "period_start", "item")


def above_target_text(above: Sequence[Mapping] | Mapping[str, float | None], sep: str = "; ", space: str = " ") -> str:
    """``总磷 0.45倍; 氨氮 0.20倍`` (multiples to two decimals, GB/T 8170); an item without a multiple
    (pH, DO) is named alone. ``above`` is a list of ``{"item", "multiple"}`` or a mapping item ->
    multiple (a stored month's ``items_above``); pages and bulletins pass their own separators."""
    entries = [{"item": k, "multiple": m} for k, m in above.items()] if isinstance(above, Mapping) else above
    parts = []
    for entry in entries:
        item = gb3838.ALL_ITEMS.get(entry["item"])
        name = item.name_zh if item else entry["item"]
        multiple = entry["multiple"]
        parts.append(name if multiple is None else f"{name}{space}{round_half_even(multiple, 2)}倍")
    return sep.join(parts)


_ABOVE = pl.List(pl.Struct({"item": pl.String, "class": pl.Int8, "multiple": pl.Float64}))
_SCHEMA = {
    "section": pl.String, "kind": pl.String, "period": pl.String, "period_start": pl.Date, "period_end": pl.Date,
    "class": pl.Int8, "class_code": pl.String, "status": pl.String, "deciding": pl.List(pl.String),
    "items": pl.Int32, "tn_class": pl.Int8, "fecal_coliform_class": pl.Int8, "target": pl.Int8,
    "meets_target": pl.Boolean, "above_target": _ABOVE, "above_target_text": pl.String, "cwqi": pl.Float64,
    "cwqi_items": pl.Int32,
}


def section_periods(samples: pl.DataFrame, period: Period | PeriodKind | str,
                    decimals: Mapping[str, int] | None = None) -> pl.DataFrame:
    """Each section's evaluation per period.

    Columns: ``section, kind, period, period_start, period_end``; ``class`` (1..6, null: no
    evaluated item measured), ``class_code`` (``I``..``V``, ``劣V``), ``status`` (优 .. 重度污染),
    ``deciding`` (the items at the worst class), ``items`` (evaluated items measured);
    ``tn_class`` (lakes and reservoirs) and ``fecal_coliform_class``, evaluated separately;
    ``target``, ``meets_target``; ``above_target``: the evaluated items worse than the target class,
    worst first, each with its class and multiple ``(C − C_target) / C_target`` (none for pH and DO),
    and ``above_target_text``; ``cwqi``, the section's index (:mod:`gongjian.standards.cwqi`,
    provisional while ``cwqi.VERIFIED`` is false; null unless all 21 CWQI items were measured, so that
    a section measuring fewer items never ranks as cleaner) and ``cwqi_items``, the items measured."""
    frame = _prepared(samples, period)
    means = _means(frame, decimals)
    targets = _targets(frame)
    grouped = (means.group_by(["section", "kind", "period", "period_start", "period_end"])
               .agg(pl.col("item"), pl.col("value"))
               .join(targets, on=_KEY, how="left")
               .sort("section", "period_start"))
    rows = []
    for r in grouped.iter_rows(named=True):
        values = dict(zip(r["item"], r["value"], strict=True))
        kind, target = r["kind"], r["target"]
        result = gb3838.section_class(values, kind)
        above = []
        if target is not None:
            for key, multiple in gb3838.exceedances(values, target, kind).items():
                above.append({"item": key, "class": gb3838.item_class(key, values[key], kind), "multiple": multiple})
        rows.append({
            "section": r["section"], "kind": kind, "period": r["period"], "period_start": r["period_start"],
            "period_end": r["period_end"], "class": result.cls, "class_code": gb3838.class_code(result.cls),
            "status": None if result.status is None else result.status.name_zh, "deciding": list(result.deciding),
            "items": sum(values.get(k) is not None for k in gb3838.EVALUATED_ITEMS),
            "tn_class": result.tn_class, "fecal_coliform_class": result.fecal_coliform_class, "target": target,
            "meets_target": None if target is None else gb3838.meets_target(result.cls, target),
            "above_target": above, "above_target_text": above_target_text(above),
            "cwqi": cwqi.section_index(values, kind), "cwqi_items": cwqi.section_result(values, kind).items,
        })
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row")


def _percent(count: int, total: int) -> float | None:
    return None if total == 0 else float(gb3838.percent(Fraction(count, total)))


def rates(evaluated: pl.DataFrame, by: Sequence[str] = ("period", "period_start", "period_end")) -> pl.DataFrame:
    """The reporting rates of :func:`section_periods` rows, per group ``by`` (per period by default;
    ``by=()`` for one row over every row given), water-quality.md §2.4:

    ``sections`` evaluated (with a class), ``iii_or_better`` and ``share_iii_or_better`` (%),
    ``worse_than_v`` and ``share_worse_than_v`` (%), ``with_target``, ``meeting_target`` and
    ``attainment`` (%, over those with a target and a class); percentages to one decimal
    (:func:`gongjian.standards.gb3838.percent`); null where nothing was evaluated."""
    classed = pl.col("class").is_not_null()
    with_target = classed & pl.col("target").is_not_null()
    aggregations = [
        classed.sum().cast(pl.Int32).alias("sections"),
        (classed & (pl.col("class") <= 3)).sum().cast(pl.Int32).alias("iii_or_better"),
        (pl.col("class") == gb3838.WORSE_THAN_V).sum().cast(pl.Int32).alias("worse_than_v"),
        with_target.sum().cast(pl.Int32).alias("with_target"),
        (with_target & pl.col("meets_target")).sum().cast(pl.Int32).alias("meeting_target"),
    ]
    counted = evaluated.group_by(list(by), maintain_order=True).agg(aggregations) if by else evaluated.select(aggregations)
    shares = [
        pl.struct("iii_or_better", "sections").map_elements(lambda s: _percent(s["iii_or_better"], s["sections"]),
                                                             return_dtype=pl.Float64).alias("share_iii_or_better"),
        pl.struct("worse_than_v", "sections").map_elements(lambda s: _percent(s["worse_than_v"], s["sections"]),
                                                            return_dtype=pl.Float64).alias("share_worse_than_v"),
        pl.struct("meeting_target", "with_target").map_elements(
            lambda s: _percent(s["meeting_target"], s["with_target"]), return_dtype=pl.Float64).alias("attainment"),
    ]
    result = counted.with_columns(shares)
    order = [*by, "sections", "iii_or_better", "share_iii_or_better", "worse_than_v", "share_worse_than_v",
             "with_target", "meeting_target", "attainment"]
    return result.select(order).sort(list(by)) if by else result.select(order)


def region_states(means: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """A region's (river's, basin's) state per period from its sections' period means
    (:func:`period_means`) and ``membership`` (``section, region``): fewer than 5 sections with
    data, the items averaged and classed; 5 or more, the proportion method
    (:func:`gongjian.standards.gb3838.basin_state`). Columns ``region, period, period_start,
    period_end, sections, method`` (``average``/``proportion``), ``class`` (averaging only),
    ``status``. All sections of a region are taken as one kind (the first one's)."""
    joined = means.join(membership.select("section", "region"), on="section", how="inner")
    rows = []
    for (region, key, start, end), part in joined.group_by(["region", "period", "period_start", "period_end"]):
        sections = []
        kind = part["kind"][0]
        for _, sec in part.group_by("section"):
            sections.append(dict(zip(sec["item"], sec["value"], strict=True)))
        evaluated = [s for s in sections if gb3838.section_class(s, kind).cls is not None]
        state = gb3838.basin_state(sections, kind)
        rows.append({"region": region, "period": key, "period_start": start, "period_end": end,
                     "sections": len(evaluated),
                     "method": "proportion" if len(evaluated) >= gb3838.MIN_PROPORTION_SECTIONS else "average",
                     "class": state.cls, "status": None if state.status is None else state.status.name_zh})
    schema = {"region": pl.String, "period": pl.String, "period_start": pl.Date, "period_end": pl.Date,
              "sections": pl.Int32, "method": pl.String, "class": pl.Int8, "status": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row").sort("region", "period_start")


#: Rankings: name -> (column, descending). Attainment and the share at Ⅲ or better rank the
#: highest first; the CWQI ranks the smallest first (城市地表水环境质量排名技术规定).
RANK_BY = {"attainment": ("attainment", True), "iii_or_better": ("share_iii_or_better", True),
           "cwqi": ("cwqi", False)}


def rank_regions(evaluated: pl.DataFrame, membership: pl.DataFrame, by: str = "attainment") -> pl.DataFrame:
    """Regions (counties) ranked per period by their sections (:func:`section_periods` rows and
    ``membership``: ``section, region``): the :func:`rates` of each region, its ``cwqi``
    (:func:`gongjian.standards.cwqi.city_index`: river and lake sections weighted by their numbers),
    and ``rank`` by ``by`` (:data:`RANK_BY`); ties share the best rank, regions without a value are
    listed last, unranked."""
    if by not in RANK_BY:
        raise ValueError(f"rank by one of {', '.join(RANK_BY)}, not {by!r}")
    joined = evaluated.join(membership.select("section", "region"), on="section", how="inner")
    keys = ["region", "period", "period_start", "period_end"]
    stats = rates(joined, by=keys)
    indices = joined.group_by(keys).agg(
        pl.col("cwqi").filter(pl.col("kind") == "river").alias("_river"),
        pl.col("cwqi").filter(pl.col("kind") != "river").alias("_lake"))
    indices = indices.with_columns(pl.struct("_river", "_lake").map_elements(
        lambda s: cwqi.city_index(s["_river"], s["_lake"]), return_dtype=pl.Float64).alias("cwqi"))
    stats = stats.join(indices.select(*keys, "cwqi"), on=keys, how="left")
    column, descending = RANK_BY[by]
    ranked = stats.with_columns(
        pl.col(column).rank(method="min", descending=descending).over("period").cast(pl.Int32).alias("rank"))
    return ranked.sort("period_start", pl.col("rank").is_null(), "rank", "region", nulls_last=True)
