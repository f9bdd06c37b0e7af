"""Reading the tables people upload (CSV or Excel) as text columns, so that every importer checks and
converts values itself and can name the row and column of each problem."""

from __future__ import annotations

from pathlib import Path

import polars as pl

__all__ = ["read_text_table"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def read_text_table(path: Path) -> pl.DataFrame:
    """Every column as text (an Excel sheet's first sheet; CSV as UTF-8, undecodable bytes replaced).
    Raises whatever the reader raises for a file that is not a table."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return pl.read_excel(path, engine="calamine").select(pl.all().cast(pl.String))
    return pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
