"""Runs of consecutive rows where a condition holds, per series: the shape of every data check
(air-station quality control, source compliance) - a finding is a run with its start, end, length
and evidence."""

from __future__ import annotations

import polars as pl

__all__ = ["runs"]


def runs(frame: pl.DataFrame, condition: pl.Expr, *, key: str, time: str = "time",
         aggregates: list[pl.Expr] = ()) -> pl.DataFrame:
    """``key, start, end, length`` and ``aggregates`` (evaluated over the run's rows) for each run of
    consecutive rows of a series (``frame`` sorted by ``key, time``) where ``condition`` holds; a
    null condition ends a run."""
    marked = frame.with_columns(condition.fill_null(False).alias("_hit"))
    marked = marked.with_columns((pl.col("_hit") != pl.col("_hit").shift().over(key)).fill_null(True)
                                 .cum_sum().over(key).alias("_run"))
    return (marked.filter(pl.col("_hit")).group_by(key, "_run", maintain_order=True)
            .agg(pl.col(time).min().alias("start"), pl.col(time).max().alias("end"), pl.len().alias("length"),
                 *aggregates)
            .drop("_run"))
