"""Scorecards of counties and departments, and the plans' accountability rules. Pure: frames in,
scores and findings (each with its evidence) out.

The dimensions are the ones the plans assess (e.g. Zhengzhou 2020 air plan, 严格考核奖惩; the
provincial notice's monthly assessment): environmental quality (the unit's place in the period's
ranking), task completion (deadlines of the period met on time), overdue items, supervision cases
closed on time. Weights are configurable; a unit without quality data (a department) is scored on
the rest, rescaled to 100.

Rules, each configurable (:class:`Rule`):

* ``rising``: the concentration rising quarter on quarter by more than ``margin`` (%) -> e.g.
  approval freeze (区域限批);
* ``behind``: behind the time schedule of a year target -> e.g. public summons (公开约谈);
* ``bottom``: among the last ``bottom`` of the ranking ``months`` months running -> e.g. summons (约谈).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

__all__ = ["DEFAULT_RULES", "Rule", "Weights", "behind_schedule", "bottom_running", "rising_quarter_on_quarter",
           "scores"]


@dataclass(frozen=True)
class Weights:
    quality: float = 40.0
    tasks: float = 30.0
    overdue: float = 10.0
    cases: float = 20.0
    overdue_step: float = 0.2  # each overdue item costs this share of the overdue weight


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


def scores(units: pl.DataFrame, weights: Weights = Weights()) -> pl.DataFrame:
    """Per unit the dimension scores and the total (0-100). ``units``: ``unit, rank, ranked``
    (its place in the quality ranking and how many were ranked; null without quality data),
    ``due, on_time, overdue`` (deadlines of the period), ``cases_due, cases_on_time``."""
    quality = pl.when(pl.col("rank").is_null()).then(None).when(pl.col("ranked") <= 1).then(weights.quality).otherwise(
        weights.quality * (pl.col("ranked") - pl.col("rank")) / (pl.col("ranked") - 1))
    tasks = pl.when(pl.col("due") == 0).then(weights.tasks).otherwise(weights.tasks * pl.col("on_time") / pl.col("due"))
    overdue = (weights.overdue * (1 - weights.overdue_step * pl.col("overdue"))).clip(lower_bound=0)
    cases = pl.when(pl.col("cases_due") == 0).then(weights.cases).otherwise(
        weights.cases * pl.col("cases_on_time") / pl.col("cases_due"))
    scored = units.with_columns(quality.cast(pl.Float64).alias("score_quality"), tasks.alias("score_tasks"),
                                overdue.alias("score_overdue"), cases.alias("score_cases"))
    rest = weights.tasks + weights.overdue + weights.cases
    total = pl.when(pl.col("score_quality").is_null()).then(
        (pl.col("score_tasks") + pl.col("score_overdue") + pl.col("score_cases")) * 100 / rest).otherwise(
        pl.col("score_quality") + pl.col("score_tasks") + pl.col("score_overdue") + pl.col("score_cases"))
    return scored.with_columns(total.round(1).alias("total")).sort("total", descending=True)


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


def behind_schedule(progress: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    """Units behind the time schedule of a year target (or unable to meet it). ``progress``:
    ``unit, metric, ytd, schedule, status``."""
    found = progress.filter(pl.col("status").is_in(["behind", "cannot_be_met"]))
    return found.select("unit", pl.lit(rule.name).alias("rule"), pl.lit(rule.consequence).alias("consequence"),
                        pl.format("{}: {} against the schedule {} ({})", pl.col("metric"), pl.col("ytd"),
                                  pl.col("schedule"), pl.col("status")).alias("evidence"))


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
