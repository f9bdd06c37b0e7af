"""Electricity readings from the power company's files or the API, all or nothing.

A reading is a meter number, the start of its interval (Beijing time) and the mean power in kW over
it. Every row is checked first - the meter known and visible to the user, the time readable, the
power a number of zero or more, no interval given twice - and every problem is reported with its
row and column; nothing is saved unless all rows are good. A reading already held for a meter and
interval is replaced only with a reason (the power company corrects its data), and the value before
is kept with who, when and why.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core import imports, series
from gongjian.core.numbers import finite_number
from gongjian.regions import policy

from .kinds import READINGS
from .monitoring import Meter, MeterReading, MeterReadingCorrection

__all__ = ["COLUMNS", "import_readings", "store_readings"]

#: Accepted column names: meter number, interval start, mean power (kW).
COLUMNS = {"meter": ("表号", "电表编号", "meter"), "start": ("时间", "开始时间", "start", "time"),
           "kw": ("功率", "平均功率(kW)", "kw", "kW")}


def import_readings(path: Path, user, *, reason: str = "") -> int:
    """Readings from a CSV or Excel file (columns :data:`COLUMNS`); returns how many were stored.
    ``reason`` explains the corrections the file makes to readings already held."""
    return _store(path, user, source="file", name=path.name, first_row=None, reason=reason)


def store_readings(rows: list[dict], user, *, source: str = "api", name: str = "", first_row: int = 1,
                   reason: str = "") -> int:
    """Check and store ``rows`` (``meter``, ``start``, ``kw``); :class:`InvalidInput` lists every
    bad row and nothing is stored. A row that changes a reading already held is a correction: it
    needs ``reason``, and the value before is kept with who, when and why
    (:class:`~gongjian.sources.monitoring.MeterReadingCorrection`)."""
    return _store(rows, user, source=source, name=name, first_row=first_row, reason=reason)


def _store(table, user, *, source: str, name: str, first_row: int | None, reason: str) -> int:
    if not policy.SUBMIT_ELECTRICITY.allows(user):
        raise PermissionDenied(policy.SUBMIT_ELECTRICITY.summary)
    batch = imports.read_rows(table, _spec(user, source), name, first_row=first_row)
    corrections = _corrections(batch, user, reason)
    batch.check()
    with transaction.atomic():  # opened only once every row has been checked
        MeterReadingCorrection.objects.bulk_create(corrections)
        series.write(READINGS, _frame(batch), source=source, user=user)
    return len(batch.rows)


def _frame(batch: imports.Batch) -> pl.DataFrame:
    """The checked readings as the series store takes them: readings enter through the one series door
    (:func:`gongjian.core.series.write`), like the gateway's, so their handlers see every source."""
    rows = [row.instance for row in batch.rows]
    return pl.DataFrame({"meter_id": [r.meter_id for r in rows], "start": [r.start for r in rows],
                         "kw": [float(r.kw) for r in rows], "source": [r.source for r in rows]},
                        schema={"meter_id": pl.Int64, "start": pl.Datetime("us", "UTC"), "kw": pl.Float64,
                                "source": pl.String})


def _spec(user, source: str) -> imports.ImportSpec:
    """Readings keyed by meter and interval: the meter one the user sees, the power a number of zero
    or more; the rest is the reading's own validation."""
    meters: dict[str, Meter | None] = {}

    def meter(text: str) -> Meter:
        if text not in meters:
            meters[text] = policy.visible(user, Meter.objects.filter(number=text)).first()
        if meters[text] is None:
            raise ValidationError(_("unknown meter %(v)r") % {"v": text})
        return meters[text]

    def power(text: str) -> float:
        kw = finite_number(text)
        if kw is None or kw < 0:
            raise ValidationError(_("power %(v)r is not a number of zero or more") % {"v": text})
        return kw

    def prepare(row: imports.Row) -> None:
        row.instance.source = source

    return imports.ImportSpec(MeterReading, (
        imports.Column("meter", COLUMNS["meter"], meter, required=True),
        imports.Column("start", COLUMNS["start"], imports.moment, required=True),
        imports.Column("kw", COLUMNS["kw"], power, required=True),
    ), key=("meter", "start"), prepare=prepare)


def _corrections(batch: imports.Batch, user, reason: str) -> list[MeterReadingCorrection]:
    """The corrections the batch makes to what is held; without a reason, a problem per changed row."""
    out, at = [], clock.now()
    for row in batch.rows:
        if not row.changed:
            continue
        old, new = row.before, row.instance
        if not reason.strip():
            row.problem(_("replaces the stored %(old)s kW of %(m)s at %(t)s with %(new)s kW: give the "
                          "reason for the correction") % {
                "old": old["kw"], "new": new.kw, "m": new.meter.number, "t": f"{clock.local(new.start):%Y-%m-%d %H:%M}"},
                "kw")
            continue
        out.append(MeterReadingCorrection(meter_id=new.meter_id, start=new.start, old_kw=old["kw"], new_kw=new.kw,
                                          old_source=old["source"], new_source=new.source, reason=reason.strip(),
                                          by=user, at=at))
    return out
