"""The one writer of every spreadsheet the platform produces (downloads and command-line exports).

Names and notes in these tables come from people (an organisation's name typed into a form or the
API). A text beginning with ``=`` written as-is becomes a live formula in the office's Excel
(``=HYPERLINK(...)`` sending a click elsewhere, or worse): formula injection. So every text cell is
stored as text (xlsxwriter's ``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers``
off), and a CSV, which has no cell types, gets a leading apostrophe on a text that a spreadsheet
would read as a formula (OWASP's advice for CSV injection). Numbers stay numbers.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import xlsxwriter
from django.http import HttpResponse

__all__ = ["FORMULA_START", "excel_response", "write_table"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: What makes a spreadsheet read a cell as a formula (or a DDE command).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "^[" + "".join("\\" + c if c in "-" else c for c in FORMULA_START) + "]"
#: Every text cell is a text cell.
_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def _plain(table: pl.DataFrame) -> pl.DataFrame:
    lists = [c for c, t in table.schema.items() if isinstance(t, pl.List)]
    return table.with_columns(pl.col(c).list.join(",") for c in lists)


def _write_workbook(sheets: dict[str, pl.DataFrame], target) -> None:
    with xlsxwriter.Workbook(target, _AS_TEXT) as workbook:
        for title, table in sheets.items():
            _plain(table).write_excel(workbook, worksheet=title[:31], autofit=True)


def _defused_csv(table: pl.DataFrame) -> pl.DataFrame:
    texts = [c for c, t in table.schema.items() if t == pl.String]
    return table.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_PATTERN))
        .then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c) for c in texts)


def _sheets(sheets: pl.DataFrame | dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    return {"Sheet1": sheets} if isinstance(sheets, pl.DataFrame) else sheets


def write_table(sheets: pl.DataFrame | dict[str, pl.DataFrame], path: Path) -> None:
    """``sheets`` to ``path``: an Excel workbook for ``.xlsx``, else CSV (one table only)."""
    sheets = _sheets(sheets)
    if path.suffix.lower() == ".xlsx":
        _write_workbook(sheets, str(path))
        return
    if len(sheets) != 1:
        raise ValueError("a CSV file holds one table")
    _defused_csv(_plain(next(iter(sheets.values())))).write_csv(path)


def excel_response(sheets: pl.DataFrame | dict[str, pl.DataFrame], name: str) -> HttpResponse:
    """``sheets`` (one table, or sheet name -> table) as an Excel attachment named ``name``; list
    columns are written comma-joined."""
    buffer = io.BytesIO()
    _write_workbook(_sheets(sheets), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
