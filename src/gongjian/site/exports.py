"""Excel downloads: one table (or several sheets) as an .xlsx response."""

from __future__ import annotations

import io

import polars as pl
import xlsxwriter
from django.http import HttpResponse

__all__ = ["excel_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def excel_response(sheets: pl.DataFrame | dict[str, pl.DataFrame], name: str) -> HttpResponse:
    """``sheets`` (one table, or sheet name -> table) as an Excel attachment named ``name``; list
    columns are written comma-joined."""
    if isinstance(sheets, pl.DataFrame):
        sheets = {"Sheet1": sheets}
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as workbook:
        for title, table in sheets.items():
            lists = [c for c, t in table.schema.items() if isinstance(t, pl.List)]
            table.with_columns(pl.col(c).list.join(",") for c in lists).write_excel(
                workbook, worksheet=title[:31], autofit=True)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
