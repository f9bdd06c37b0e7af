"""Electricity readings from the power company's files or the API, all or nothing.

A reading is a meter number, the start of its interval (Beijing time) and the mean power in kW over
it. Every row is checked first - the meter known and visible to the user, the time readable, the
power a number of zero or more, no interval given twice - and every problem is reported with its
row and column; nothing is saved unless all rows are good. A reading already held for a meter and
interval is replaced only with a reason (the power company corrects its data), and the value before
is kept with who, when and why.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.numbers import finite_number
from gongjian.core.problems import InvalidInput, Problem
from gongjian.core.tabular import read_text_table
from gongjian.regions import policy

from .monitoring import Meter, MeterReading, MeterReadingCorrection

__all__ = ["COLUMNS", "import_readings", "store_readings"]

#: Accepted column names: meter number, interval start, mean power (kW).
COLUMNS = {"meter": ("表号", "电表编号", "meter"), "start": ("时间", "开始时间", "start", "time"),
           "kw": ("功率", "平均功率(kW)", "kw", "kW")}


def import_readings(path: Path, user, *, reason: str = "") -> int:
    """Readings from a CSV or Excel file (columns :data:`COLUMNS`); returns how many were stored.
    ``reason`` explains the corrections the file makes to readings already held."""
    frame = read_text_table(path)  # a file that is not a table raises InvalidInput naming it
    found = {key: next((c for c in names if c in frame.columns), None) for key, names in COLUMNS.items()}
    missing = [Problem(_("missing column (one of %(c)s)") % {"c": ", ".join(COLUMNS[key])}, path.name, 1)
               for key, column in found.items() if column is None]
    if missing:
        raise InvalidInput(missing)
    rows = [{key: row[column] for key, column in found.items()} for row in frame.iter_rows(named=True)]
    return store_readings(rows, user, source="file", name=path.name, first_row=2, reason=reason)


def store_readings(rows: list[dict], user, *, source: str = "api", name: str = "", first_row: int = 1,
                   reason: str = "") -> int:
    """Check and store ``rows`` (``meter``, ``start``, ``kw``); :class:`InvalidInput` lists every
    bad row and nothing is stored. A row that changes a reading already held is a correction: it
    needs ``reason``, and the value before is kept with who, when and why
    (:class:`~gongjian.sources.monitoring.MeterReadingCorrection`)."""
    if not policy.SUBMIT_ELECTRICITY.allows(user):
        raise PermissionDenied(policy.SUBMIT_ELECTRICITY.summary)
    numbers = {str(r.get("meter") or "").strip() for r in rows}
    meters = {m.number: m for m in policy.visible(user, Meter.objects.filter(number__in=numbers))}
    problems, readings, seen = [], {}, set()
    for number, row in enumerate(rows, start=first_row):
        meter = meters.get(str(row.get("meter") or "").strip())
        if meter is None:
            problems.append(Problem(_("unknown meter %(v)r") % {"v": row.get("meter")}, name, number, "meter"))
        start = _moment(row.get("start"))
        if start is None:
            problems.append(Problem(_("%(v)r is not a time (YYYY-MM-DD HH:MM)") % {"v": row.get("start")}, name,
                                    number, "start"))
        kw = finite_number(row.get("kw"))
        if kw is None or kw < 0:
            problems.append(Problem(_("power %(v)r is not a number of zero or more") % {"v": row.get("kw")}, name,
                                    number, "kw"))
            continue
        if meter is None or start is None:
            continue
        if (meter.pk, start) in seen:
            problems.append(Problem(_("%(m)s at %(t)s is given twice") % {"m": meter.number, "t": start}, name,
                                    number, "start"))
            continue
        seen.add((meter.pk, start))
        readings[number] = MeterReading(meter=meter, start=start, kw=kw, source=source)
    if not readings and not problems:
        problems.append(Problem(_("no readings given"), name))
    corrections = _corrections(readings, user, reason, name, problems)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():  # opened only once every row has been checked
        MeterReadingCorrection.objects.bulk_create(corrections)
        MeterReading.objects.bulk_create(readings.values(), update_conflicts=True, unique_fields=["meter", "start"],
                                         update_fields=["kw", "source"])
    return len(readings)


def _corrections(readings: dict[int, MeterReading], user, reason: str, name: str,
                 problems: list[Problem]) -> list[MeterReadingCorrection]:
    """The corrections ``readings`` make to what is held; without a reason, a problem per changed row."""
    if not readings:
        return []
    held = {(r.meter_id, r.start): r for r in MeterReading.objects.filter(
        meter__in={r.meter_id for r in readings.values()}, start__in={r.start for r in readings.values()})}
    out, at = [], clock.now()
    for number, new in readings.items():
        old = held.get((new.meter_id, new.start))
        if old is None or (old.kw == new.kw and old.source == new.source):
            continue
        if not reason.strip():
            problems.append(Problem(_("replaces the stored %(old)s kW of %(m)s at %(t)s with %(new)s kW: give the "
                                      "reason for the correction") % {
                "old": old.kw, "new": new.kw, "m": new.meter.number, "t": f"{new.start:%Y-%m-%d %H:%M}"},
                name, number, "kw"))
            continue
        out.append(MeterReadingCorrection(meter_id=new.meter_id, start=new.start, old_kw=old.kw, new_kw=new.kw,
                                          old_source=old.source, new_source=new.source, reason=reason.strip(),
                                          by=user, at=at))
    return out


def _moment(value) -> dt.datetime | None:
    """An ISO time (``/`` accepted between date parts), naive values in Beijing time; ``None`` if unreadable."""
    try:
        return clock.parse_as_of(value if isinstance(value, dt.datetime) else str(value or "").replace("/", "-"))
    except ValueError:
        return None
