"""The one writer of every spreadsheet the platform produces (downloads and command-line exports).

An export is a document an office files or forwards, so it reads like one (:class:`Report`): a
heading block with the title, the period and the moment the data are as of, the scope they cover;
headers in the reader's language with the unit in the header ("PM2.5（μg/m³）"); names, never ids;
one sheet per table and a last sheet "说明" (notes) saying what the columns mean and that a blank
cell is "no data", never 0; column widths fitted to their content (a Chinese character counts two);
the header row frozen and filterable. A CSV (:func:`report_csv`) is the first table alone, headed by
its column headers and written UTF-8 with the byte-order mark Excel needs to read Chinese.

Names and notes in these tables come from people (an organisation's name typed into a form or the
API). A text beginning with ``=`` written as-is becomes a live formula in the office's Excel
(``=HYPERLINK(...)`` sending a click elsewhere, or worse): formula injection. So every text cell is
stored as text (xlsxwriter's ``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers``
off, and :meth:`write_string` for every text), and a CSV, which has no cell types, gets a leading
apostrophe on a text that a spreadsheet would read as a formula (OWASP's advice for CSV injection).
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import xlsxwriter
from django.db.models import Manager
from django.http import HttpResponse
from django.utils.translation import gettext as _

from gongjian import clock

__all__ = ["EXPORT_FORMATS", "FORMULA_START", "Column", "Report", "Table", "excel_response", "report_csv", "report_response",
           "report_workbook", "scope_label", "write_table"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
#: The formats a page's export offers (its ``format`` query parameter).
EXPORT_FORMATS = ("xlsx", "csv")
#: What makes a spreadsheet read a cell as a formula (or a DDE command).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "^[" + "".join("\\" + c if c in "-" else c for c in FORMULA_START) + "]"
#: Every text cell is a text cell.
_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
#: Column widths in Excel's character units: room for a short number, no wider than a screen's third.
_NARROWEST, _WIDEST = 6, 60


@dataclass(frozen=True)
class Column:
    """One column of an export: the row key it shows, its header (translated), the unit the header
    names and, for the notes sheet, what it means."""

    key: str
    label: object
    unit: str = ""
    note: object = ""

    @property
    def header(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else str(self.label)


@dataclass
class Table:
    """One sheet: its name (at most 31 characters, Excel's limit), its columns and its rows
    (mappings from the columns' keys to values)."""

    name: object
    columns: Sequence[Column]
    rows: Iterable[Mapping]


@dataclass
class Report:
    """An export as an office files it: ``period`` the label of the period the figures cover ("" where
    they cover none, as a registry's), ``as_of`` the moment (or day) the data are as of, ``scope`` whose
    records they are (:func:`scope_label`), ``notes`` lines for the notes sheet."""

    title: str
    tables: Sequence[Table]
    period: str = ""
    as_of: dt.datetime | dt.date | None = None
    scope: str = ""
    notes: Sequence[str] = ()
    exported: dt.datetime = field(default_factory=clock.now)

    def heading(self) -> list[tuple[str, str]]:
        """The heading block's lines (label, text), as each sheet and the notes sheet begin."""
        lines = [(_("Period covered"), self.period)] if self.period else []
        if self.as_of is not None:
            lines.append((_("Data as of"), _text(self.as_of)))
        if self.scope:
            lines.append((_("Scope"), self.scope))
        if self.as_of is None or _text(self.as_of) != _text(self.exported):  # a live register is as of its export
            lines.append((_("Exported"), _text(self.exported)))
        return lines


def scope_label(user) -> str:
    """Whose records an export holds, as the heading names it: the person's organisation, else
    their jurisdiction; everything for a superuser."""
    if user.is_superuser:
        return _("all records")
    return str(getattr(user, "organisation", None) or getattr(user, "jurisdiction", None) or "")


def _value(value):
    """A cell's value as the sheet stores it: a name for a record, a naive Beijing time for a
    moment, items joined for a relation or a list."""
    if isinstance(value, Manager):
        value = list(value.all())
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(_value(v)) for v in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return clock.naive_local(value) if value.tzinfo else value
    if value is None or isinstance(value, (int, float, dt.date)):
        return value
    return str(value)


def _text(value) -> str:
    value = _value(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _width(text: str) -> int:
    """How many of Excel's character units ``text`` needs: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _sheet_name(name: object, taken: set[str]) -> str:
    base = str(name)[:31]
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:28]}({n})", n + 1
    taken.add(title)
    return title


def _write_sheet(workbook, title: str, report: Report, table: Table, formats: dict) -> None:
    sheet = workbook.add_worksheet(title)
    sheet.write_string(0, 0, report.title, formats["title"])
    heading = report.heading()
    for row, (label, text) in enumerate(heading, start=1):
        sheet.write_string(row, 0, f"{label}：{text}")
    top = len(heading) + 2
    widths = [_width(c.header) for c in table.columns]
    for col, column in enumerate(table.columns):
        sheet.write_string(top, col, column.header, formats["header"])
    row = top
    for row, record in enumerate(table.rows, start=top + 1):
        for col, column in enumerate(table.columns):
            value = _value(record.get(column.key))
            if value is None:
                continue  # a blank cell is "no data" (the notes sheet says so), never 0
            if isinstance(value, dt.datetime):
                sheet.write_datetime(row, col, value, formats["moment"])
            elif isinstance(value, dt.date):
                sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), formats["day"])
            elif isinstance(value, (int, float)):
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, value)
            widths[col] = max(widths[col], _width(_text(value)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, _NARROWEST), _WIDEST))
    sheet.freeze_panes(top + 1, 0)
    if table.columns:
        sheet.autofilter(top, 0, row, len(table.columns) - 1)


def _write_notes(workbook, title: str, report: Report, formats: dict) -> None:
    sheet = workbook.add_worksheet(title)
    sheet.write_string(0, 0, report.title, formats["title"])
    lines = [*report.heading(), ("", _("A blank cell means no data, not zero."))]
    lines += [(column.header, str(column.note)) for table in report.tables for column in table.columns if column.note]
    lines += [("", str(note)) for note in report.notes]
    for row, (label, text) in enumerate(lines, start=2):
        sheet.write_string(row, 0, label, formats["header"])
        sheet.write_string(row, 1, text)
    sheet.set_column(0, 0, min(max([_width(label) for label, _t in lines] + [10]) + 2, _WIDEST))
    sheet.set_column(1, 1, _WIDEST * 2)


def report_workbook(report: Report) -> bytes:
    """``report`` as an Excel workbook: one sheet per table, each under the heading block, and the
    notes sheet last."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, _AS_TEXT) as workbook:
        formats = {"title": workbook.add_format({"bold": True, "font_size": 14}),
                   "header": workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "text_wrap": True}),
                   "day": workbook.add_format({"num_format": "yyyy-mm-dd"}),
                   "moment": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})}
        taken: set[str] = set()
        for table in report.tables:
            _write_sheet(workbook, _sheet_name(table.name, taken), report, table, formats)
        _write_notes(workbook, _sheet_name(_("Notes"), taken), report, formats)
    return buffer.getvalue()


def _defused(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def report_csv(report: Report) -> bytes:
    """The first table of ``report`` as CSV: the headers, then one line per row (moments in Beijing
    time, a blank for no data), UTF-8 with the byte-order mark."""
    table = report.tables[0]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in table.columns])
    for record in table.rows:
        writer.writerow([_defused(t) if isinstance(v, str) else t
                         for v, t in ((_value(record.get(c.key)), _text(record.get(c.key))) for c in table.columns)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_response(report: Report, fmt: str, name: str) -> HttpResponse:
    """``report`` as a download: ``fmt`` ``xlsx`` or ``csv``, the file named ``name`` plus the suffix."""
    body, content_type = (report_csv(report), CSV) if fmt == "csv" else (report_workbook(report), XLSX)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _plain(table: pl.DataFrame) -> pl.DataFrame:
    lists = [c for c, t in table.schema.items() if isinstance(t, pl.List)]
    return table.with_columns(pl.col(c).list.join(",") for c in lists)


def _write_workbook(sheets: dict[str, pl.DataFrame], target) -> None:
    with xlsxwriter.Workbook(target, _AS_TEXT) as workbook:
        for title, table in sheets.items():
            _plain(table).write_excel(workbook, worksheet=title[:31], autofit=True, freeze_panes=(1, 0))


def _defused_csv(table: pl.DataFrame) -> pl.DataFrame:
    texts = [c for c, t in table.schema.items() if t == pl.String]
    return table.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_PATTERN))
        .then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c) for c in texts)


def _sheets(sheets: pl.DataFrame | dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    return {"Sheet1": sheets} if isinstance(sheets, pl.DataFrame) else sheets


def write_table(sheets: pl.DataFrame | dict[str, pl.DataFrame], path: Path) -> None:
    """``sheets`` to ``path``: an Excel workbook for ``.xlsx``, else CSV (one table only). A plain
    table, header in the first row: the form a file exchanged with another program (or read back by
    an import) takes; what an office reads is a :class:`Report`."""
    sheets = _sheets(sheets)
    if path.suffix.lower() == ".xlsx":
        _write_workbook(sheets, str(path))
        return
    if len(sheets) != 1:
        raise ValueError("a CSV file holds one table")
    _defused_csv(_plain(next(iter(sheets.values())))).write_csv(path)


def excel_response(sheets: pl.DataFrame | dict[str, pl.DataFrame], name: str) -> HttpResponse:
    """``sheets`` (one table, or sheet name -> table) as an Excel attachment named ``name``, each
    a plain table (header in the first row, frozen) that an import reads back, as the emergency
    list's exchange file is; list columns are written comma-joined."""
    buffer = io.BytesIO()
    _write_workbook(_sheets(sheets), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
