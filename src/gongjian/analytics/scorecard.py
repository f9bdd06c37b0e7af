"""Scorecards of counties and departments, and the plans' accountability rules. Pure: frames in,
scores and findings (each with its evidence) out.

The dimensions are the ones the plans assess (e.g. Zhengzhou 2020 air plan, 严格考核奖惩; the
provincial notice's monthly assessment): environmental quality (the unit's place in the period's
ranking), task completion (deadlines of the period met on time), overdue items, supervision cases
closed on time. Weights are configurable (:class:`Weights`).

Missing data are "no data", never full marks (one rule, stated on the scorecard page; the office's
scores feed 约谈 and 问责):

* a component has data when the period has something to assess: quality, a place in the ranking;
  deadlines met and overdue items, deadlines due in the period; cases, cases due in the period.
  Without it the component is null ("no data"), neither full marks nor zero;
* the total is rescaled to 100 over the components with data:
  ``total = 100 x (sum of their scores) / (sum of their weights)``;
* a unit is ranked only when the components with data carry at least ``Weights.min_share`` of the
  weight of the components assessed for its kind (departments have no quality component); a unit
  below it has no total and no place, and the result says which components it lacks.

Rules, each configurable (:class:`Rule`):

* ``rising``: the concentration rising quarter on quarter by more than ``margin`` (%) -> e.g.
  approval freeze (区域限批);
* ``behind``: behind the time schedule of a year target -> e.g. public summons (公开约谈);
* ``bottom``: among the last ``bottom`` of the ranking ``months`` months running -> e.g. summons (约谈).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

__all__ = ["COMPONENTS", "DEFAULT_RULES", "Rule", "Weights", "behind_schedule", "bottom_running",
           "rising_quarter_on_quarter", "scores"]

#: The components of a scorecard, in the order the page shows them.
COMPONENTS = ("quality", "tasks", "overdue", "cases")


@dataclass(frozen=True)
class Weights:
    quality: float = 40.0
    tasks: float = 30.0
    overdue: float = 10.0
    cases: float = 20.0
    overdue_step: float = 0.2  # each overdue item costs this share of the overdue weight
    min_share: float = 0.6  # ranked only when the components with data carry this share of the weight

    def of(self, component: str) -> float:
        return getattr(self, component)


@dataclass(frozen=True)
class Rule:
    """An accountability rule: its ``kind`` (``rising``, ``behind``, ``bottom``), parameters and
    the consequence the plan attaches."""

    name: str
    kind: str
    consequence: str
    months: int = 3
    bottom: int = 1
    margin: float = 0.0
    metric: str = "pm25"


#: The plans' rules as gongjian applies them when an office has configured none.
DEFAULT_RULES = (
    Rule("PM2.5浓度环比上升", "rising", "区域限批", margin=0.0, metric="pm25"),
    Rule("未达到年度目标时序进度", "behind", "公开约谈"),
    Rule("综合指数排名连续3个月末位", "bottom", "约谈", months=3, bottom=1, metric="composite"),
)


def scores(units: pl.DataFrame, weights: Weights = Weights(), assessed: tuple[str, ...] = COMPONENTS) -> pl.DataFrame:
    """Per unit the component scores (null without data), the total (0-100, rescaled over the
    components with data) and its place, after the module's rule; ranked units first, by total.

    ``units``: ``unit, rank, ranked`` (its place in the quality ranking and how many were ranked;
    null without quality data), ``due, on_time, overdue`` (deadlines of the period),
    ``cases_due, cases_on_time``. ``assessed``: the components of this kind of unit.

    Adds ``score_<component>``, ``weight_with_data`` and ``weight_assessed`` (points), ``missing``
    (the assessed components without data), ``total`` and ``place`` (null when not ranked)."""
    has = {"quality": pl.col("rank").is_not_null(), "tasks": pl.col("due") > 0, "overdue": pl.col("due") > 0,
           "cases": pl.col("cases_due") > 0}
    value = {
        "quality": pl.when(pl.col("ranked") <= 1).then(weights.quality).otherwise(
            weights.quality * (pl.col("ranked") - pl.col("rank")) / (pl.col("ranked") - 1)),
        "tasks": weights.tasks * pl.col("on_time") / pl.col("due"),
        "overdue": (weights.overdue * (1 - weights.overdue_step * pl.col("overdue"))).clip(lower_bound=0),
        "cases": weights.cases * pl.col("cases_on_time") / pl.col("cases_due"),
    }
    scored = units.with_columns(
        [pl.when(has[c] & pl.lit(c in assessed)).then(value[c]).otherwise(None).cast(pl.Float64).alias(f"score_{c}")
         for c in COMPONENTS])
    present = {c: pl.col(f"score_{c}").is_not_null() for c in assessed}
    with_data = pl.sum_horizontal([pl.when(present[c]).then(weights.of(c)).otherwise(0.0) for c in assessed])
    points = pl.sum_horizontal([pl.col(f"score_{c}").fill_null(0.0) for c in assessed])
    full = float(sum(weights.of(c) for c in assessed))
    scored = scored.with_columns(with_data.alias("weight_with_data"), pl.lit(full).alias("weight_assessed"),
                                 pl.concat_list([pl.when(present[c]).then(None).otherwise(pl.lit(c)) for c in assessed])
                                 .list.drop_nulls().alias("missing"))
    ranked = (pl.col("weight_with_data") > 0) & (pl.col("weight_with_data") >= weights.min_share * full)
    scored = scored.with_columns(pl.when(ranked).then(points * 100 / pl.col("weight_with_data")).otherwise(None)
                                 .round(1).alias("total"))
    scored = scored.with_columns(pl.col("total").rank("min", descending=True).cast(pl.Int64).alias("place"))
    return scored.sort(["place", "weight_with_data"], descending=[False, True], nulls_last=True, maintain_order=True)


def rising_quarter_on_quarter(quarterly: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    """Units whose last quarter is above the one before by more than ``rule.margin`` %.
    ``quarterly``: ``unit, quarter`` (sortable text, e.g. 2020Q3), ``value``."""
    ordered = quarterly.sort("unit", "quarter").group_by("unit", maintain_order=True).agg(
        pl.col("quarter").tail(2).alias("q"), pl.col("value").tail(2).alias("v")).filter(pl.col("v").list.len() == 2)
    found = ordered.with_columns(pl.col("v").list.get(0).alias("before"), pl.col("v").list.get(1).alias("after"),
                                 pl.col("q").list.get(0).alias("q0"), pl.col("q").list.get(1).alias("q1"))
    found = found.filter(pl.col("after") > pl.col("before") * (1 + rule.margin / 100))
    return found.select("unit", pl.lit(rule.name).alias("rule"), pl.lit(rule.consequence).alias("consequence"),
                        pl.format("{} {} {} → {} {}", pl.lit(rule.metric), pl.col("q0"), pl.col("before").round(1),
                                  pl.col("q1"), pl.col("after").round(1)).alias("evidence"))


#: The statuses of a target that the ``behind`` rule acts on, in the words of its evidence (the
#: rule names and consequences above are the plans' own Chinese too).
BEHIND = {"behind": "滞后于时序进度", "cannot_be_met": "已无法完成"}


def behind_schedule(progress: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    """Units behind the time schedule of a year target (or unable to meet it). ``progress``:
    ``unit, metric, ytd, schedule, status``."""
    found = progress.filter(pl.col("status").is_in(list(BEHIND)))
    return found.select("unit", pl.lit(rule.name).alias("rule"), pl.lit(rule.consequence).alias("consequence"),
                        pl.format("{}：年内累计{}，时序进度{}（{}）", pl.col("metric"), pl.col("ytd"),
                                  pl.col("schedule"), pl.col("status").replace_strict(BEHIND)).alias("evidence"))



def bottom_running(ranks: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    """Units among the last ``rule.bottom`` of the ranking in each of the last ``rule.months``
    months. ``ranks``: ``unit, month`` (sortable text), ``rank``, ``ranked``."""
    months = sorted(ranks["month"].unique().to_list())[-rule.months:]
    if len(months) < rule.months:
        return pl.DataFrame(schema={"unit": ranks.schema["unit"], "rule": pl.String, "consequence": pl.String,
                                    "evidence": pl.String})
    last = ranks.filter(pl.col("month").is_in(months) & (pl.col("rank") > pl.col("ranked") - rule.bottom))
    found = last.group_by("unit").agg(pl.col("month").sort(), pl.col("rank").sort_by("month"),
                                      pl.col("ranked").first()).filter(pl.col("month").list.len() == rule.months)
    return found.select("unit", pl.lit(rule.name).alias("rule"), pl.lit(rule.consequence).alias("consequence"),
                        pl.format("ranked {} of {} in {}", pl.col("rank").cast(pl.List(pl.String)).list.join("/"),
                                  pl.col("ranked"), pl.col("month").list.join(", ")).alias("evidence"))
