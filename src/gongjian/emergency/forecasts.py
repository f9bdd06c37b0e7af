"""Forecast daily AQI entered as lines of text or imported from a CSV/Excel file, all or nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongjian.core import imports
from gongjian.regions.models import Region

from .models import AQI_TOP, Forecast

__all__ = ["read_forecast"]

_DAY_COLUMNS = ("日期", "date", "day")
_AQI_COLUMNS = ("AQI", "日均AQI")


def _rows_from_text(text: str) -> list[dict[str, str]]:
    """Lines ``day, AQI`` as records numbered by line (a blank line is an empty record, skipped)."""
    rows = []
    for line in text.splitlines():
        parts = re.split(r"[,\s，\t]+", line.strip()) if line.strip() else []
        rows.append({"date": parts[0], "AQI": parts[1] if len(parts) > 1 else ""} if parts else {})
    return rows


def _aqi(text: str) -> int:
    """A whole number; its range is the model's rule."""
    if not text.isdigit():
        raise ValidationError(_("AQI %(v)r is not a whole number from 0 to %(top)s") % {"v": text, "top": AQI_TOP})
    return int(text)


def read_forecast(region: Region, issued_on: str, *, text: str | None = None, path: Path | None = None,
                  user=None) -> int:
    """Store the forecast issued on ``issued_on`` (replacing one issued the same day); every bad line
    is listed with its row and nothing is saved. Everything is read and checked before the
    transaction that writes opens."""
    source = path.name if path else _("forecast")
    try:
        issued = dt.date.fromisoformat(issued_on.strip())
    except ValueError:
        raise imports.refused(_("the issue date %(v)r is not a date (YYYY-MM-DD)") % {"v": issued_on}, source,
                              "issued_on") from None
    same_issue = Forecast.objects.filter(region=region, issued_on=issued)

    def prepare(row: imports.Row) -> None:
        forecast = row.instance
        forecast.region, forecast.issued_on, forecast.entered_by = region, issued, user
        forecast.source = Forecast.Source.FILE if path else Forecast.Source.ENTERED
        if forecast.day is not None and forecast.day < issued:
            row.problem(_("%(d)s is before the issue date") % {"d": forecast.day}, "day")

    spec = imports.ImportSpec(Forecast, (
        imports.Column("day", _DAY_COLUMNS, imports.date, required=True),
        imports.Column("aqi", _AQI_COLUMNS, _aqi, required=True),
    ), key=("day",), within=same_issue, prepare=prepare)
    batch = imports.read_rows(path if path else _rows_from_text(text or ""), spec, source)
    kept = [row.instance.pk for row in batch.rows if row.before is not None]
    imports.save(batch, user=user, replace=same_issue.exclude(pk__in=kept))
    return len(batch.rows)
