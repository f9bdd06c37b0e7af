"""Rankings of stations or regions on a period's statistics (环办监测〔2018〕19号 §4-5).

Ascending by composite index, PM2.5 or PM10 (smaller is better), descending by good-day ratio;
equal values share the best rank (1, 2, 2, 4: "并列"). Improvement ranking (城市环境空气质量变化程度
排名方案, 2017): the change of the composite index against a baseline period,

.. math:: \\Delta I = (I_{current} - I_{baseline}) / I_{baseline} \\times 100\\%

ascending (most improved first). Rows without a value are listed last, unranked.
"""

from __future__ import annotations

import polars as pl

from gongjian.standards.rounding import round_half_even_expr

__all__ = ["RANKINGS", "improvement", "rank"]

#: ranking name -> (column, descending)
RANKINGS = {
    "composite": ("composite_index", False),
    "pm25": ("pm25", False),
    "pm10": ("pm10", False),
    "good_ratio": ("good_ratio", True),
    "improvement": ("improvement", False),
}


def improvement(current: pl.DataFrame, baseline: pl.DataFrame, key: str, column: str = "composite_index") -> pl.DataFrame:
    """Add ``baseline_<column>`` and ``improvement`` (% change, two decimals) to ``current``."""
    base = baseline.select(pl.col(key), pl.col(column).alias(f"baseline_{column}"))
    joined = current.join(base, on=key, how="left")
    change = (pl.col(column) - pl.col(f"baseline_{column}")) / pl.col(f"baseline_{column}") * 100
    return joined.with_columns(
        pl.when(pl.col(f"baseline_{column}") > 0).then(round_half_even_expr(change, 2)).alias("improvement"))


def rank(stats: pl.DataFrame, by: str) -> pl.DataFrame:
    """``stats`` sorted by the ranking ``by`` with a ``rank`` column (ties share the best rank)."""
    if by not in RANKINGS:
        raise ValueError(f"rank by one of {', '.join(RANKINGS)}, not {by!r}")
    column, descending = RANKINGS[by]
    ranked = stats.with_columns(pl.col(column).rank(method="min", descending=descending).cast(pl.Int32).alias("rank"))
    return ranked.sort(pl.col("rank").is_null(), "rank", nulls_last=True)
