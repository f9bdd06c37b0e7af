"""Forecast daily AQI entered as lines of text or imported from a CSV/Excel file, all or nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from gongjian.core.problems import InvalidInput, Problem
from gongjian.core.tabular import read_text_table
from gongjian.regions.models import Region

from .models import Forecast

__all__ = ["read_forecast"]

_DAY_COLUMNS = ("日期", "date", "day")
_AQI_COLUMNS = ("AQI", "aqi", "日均AQI")


def _rows_from_file(path: Path, problems: list[Problem]) -> list[tuple[int, str, str]]:
    try:
        frame = read_text_table(path)
    except InvalidInput as exc:  # not a table: one clear problem
        problems.extend(exc.problems)
        return []
    day = next((c for c in _DAY_COLUMNS if c in frame.columns), None)
    aqi = next((c for c in _AQI_COLUMNS if c in frame.columns), None)
    for wanted, found in ((_DAY_COLUMNS, day), (_AQI_COLUMNS, aqi)):
        if found is None:
            problems.append(Problem(_("missing column (one of %(c)s)") % {"c": ", ".join(wanted)}, path.name, 1))
    if day is None or aqi is None:
        return []
    return [(i, r[day] or "", r[aqi] or "") for i, r in enumerate(frame.iter_rows(named=True), start=2)]


def _rows_from_text(text: str) -> list[tuple[int, str, str]]:
    rows = []
    for i, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            parts = re.split(r"[,\s，\t]+", line.strip())
            rows.append((i, parts[0], parts[1] if len(parts) > 1 else ""))
    return rows


def read_forecast(region: Region, issued_on: str, *, text: str | None = None, path: Path | None = None,
                  user=None) -> int:
    """Store the forecast issued on ``issued_on`` (replacing one issued the same day); every bad line
    is listed with its row and nothing is saved. Everything is read and checked before the
    transaction that writes opens."""
    source = path.name if path else _("forecast")
    problems: list[Problem] = []
    try:
        issued = dt.date.fromisoformat(issued_on.strip())
    except ValueError:
        issued = None
        problems.append(Problem(_("the issue date %(v)r is not a date (YYYY-MM-DD)") % {"v": issued_on}, source,
                                field="issued_on"))
    rows = _rows_from_file(path, problems) if path else _rows_from_text(text or "")
    parsed: dict[dt.date, int] = {}
    for number, day_text, aqi_text in rows:
        try:
            day = dt.date.fromisoformat(day_text.strip()[:10])
        except ValueError:
            problems.append(Problem(_("%(v)r is not a date (YYYY-MM-DD)") % {"v": day_text}, source, number, "date"))
            continue
        if not aqi_text.strip().isdigit() or not 0 <= int(aqi_text.strip()) <= 500:
            problems.append(Problem(_("AQI %(v)r is not a whole number from 0 to 500") % {"v": aqi_text}, source,
                                    number, "AQI"))
            continue
        if day in parsed:
            problems.append(Problem(_("%(d)s is given twice") % {"d": day}, source, number, "date"))
            continue
        if issued and day < issued:
            problems.append(Problem(_("%(d)s is before the issue date") % {"d": day}, source, number, "date"))
            continue
        parsed[day] = int(aqi_text.strip())
    if not parsed and not problems:
        problems.append(Problem(_("no forecast days given"), source))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        Forecast.objects.filter(region=region, issued_on=issued).delete()
        Forecast.objects.bulk_create(Forecast(region=region, issued_on=issued, day=d, aqi=a, entered_by=user,
                                              source=Forecast.Source.FILE if path else Forecast.Source.ENTERED)
                                     for d, a in sorted(parsed.items()))
    return len(parsed)
