"""Reading the tables people upload (CSV or Excel) as text columns, so that every importer checks and
converts values itself and can name the row and column of each problem."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from .problems import InvalidInput, Problem, cannot_read

__all__ = ["EXCEL_SUFFIXES", "decode_text", "read_text_table"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
BOM = b"\xef\xbb\xbf"


def decode_text(raw: bytes, source: str) -> tuple[str, str]:
    """Text as offices save it and its encoding: UTF-8 (with or without the byte-order mark Excel
    writes), else GB 18030 (a superset of GBK and GB 2312, what Excel writes for "CSV" on a Chinese
    Windows). Bytes that are neither raise :class:`InvalidInput` naming the byte offset."""
    try:
        return raw.removeprefix(BOM).decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8:
        try:
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise InvalidInput([Problem(
                _("the text is neither UTF-8 nor GBK/GB18030 (byte %(offset)s cannot be read); save it as "
                  "\"CSV UTF-8\" and send it again") % {"offset": utf8.start + (3 if raw.startswith(BOM) else 0)},
                source)]) from None


def read_text_table(path: Path) -> pl.DataFrame:
    """Every column as text: an Excel file's first sheet, or CSV in UTF-8 or GB 18030
    (:func:`decode_text`). A file that is not a table raises :class:`InvalidInput` naming the file
    (never the folder it was read from)."""
    try:
        if path.suffix.lower() in EXCEL_SUFFIXES:
            return pl.read_excel(path, engine="calamine").select(pl.all().cast(pl.String))
        raw = path.read_bytes()
        text, encoding = decode_text(raw, path.name)
        return pl.read_csv(raw.removeprefix(BOM) if encoding == "utf-8" else text.encode("utf-8"), infer_schema=False)
    except InvalidInput:
        raise
    except Exception as exc:  # whatever the reader raises for a file that is not a table
        raise cannot_read(path, exc) from None
