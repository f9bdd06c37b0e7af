"""Services of the air app: importing hourly data into the store, reading it back for the engine.

Other apps and the pages call these. Hours enter the store only through
:func:`gongjian.core.series.write` (the ``air.hourly`` kind of :mod:`.kinds`), whose new-data hook
(:mod:`.handlers`) runs quality control and the recomputation for every source alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import transaction

from gongjian import clock
from gongjian.core import series
from gongjian.regions import policy

from .current import PeerRank, RegionNow, peer_rank, region_now
from .hourly_io import MET_COLUMNS, Layout, read_hourly
from .hours import load_hourly
from .kinds import FLAG_COLUMNS, HOURLY, MET
from .models import (
    POLLUTANTS,
    Correction,
    Flag,
    ImportBatch,
    MetHour,
    QualityFinding,
    SourceLayout,
    Station,
)
from .results import data_bounds, ranking_table, target_progress

__all__ = ["ImportResult", "PeerRank", "RegionNow", "daily_history", "data_bounds", "import_hourly", "import_met",
           "layout_for", "load_hourly", "load_met", "peer_rank", "ranking_table", "region_now", "stations_of",
           "store_device_hours", "target_progress"]


def layout_for(source: SourceLayout) -> Layout:
    return Layout(columns=dict(source.columns), units=dict(source.units), hour_label=source.hour_label,
                  time_columns=tuple(source.time_columns) if source.time_columns else None)


@dataclass
class ImportResult:
    """What an import found and (unless it was a preview) did, file by file."""

    rows: int = 0
    inserted: int = 0
    changed: int = 0
    unchanged: int = 0
    corrections: int = 0
    batches: list[ImportBatch] = field(default_factory=list)
    saved: bool = False
    #: The stations and days the import touched (what quality control checked once it committed).
    station_ids: list[int] = field(default_factory=list)
    days: tuple[dt.date, dt.date] | None = None

    @property
    def findings(self) -> list[QualityFinding]:
        """The findings awaiting review on the station-days the import touched (and the day before,
        which quality control sees as context): what the hook found after the import committed,
        and what earlier findings there still wait for a reviewer."""
        if not self.saved or self.days is None:
            return []
        start, end = clock.day_bounds(self.days[0] - dt.timedelta(days=1), self.days[1])
        return list(QualityFinding.objects.filter(station_id__in=self.station_ids, status=QualityFinding.Status.OPEN,
                                                  start__lt=end, end__gte=start))


def _station_checker(found: dict[str, Station], user):
    """``check(code)`` for the readers: why a station code is refused (not in the registry, outside
    ``user``'s jurisdiction), or ``None``; accepted stations are collected in ``found``."""

    def check(code: str) -> str | None:
        station = found.get(code) or Station.objects.filter(code=code).select_related("region").first()
        if station is None:
            return f"unknown station {code!r}: add it to the station registry first"
        found[code] = station
        if user is not None and not policy.can_place(user, station.region):
            return f"station {code} lies outside your jurisdiction"
        return None

    return check


def import_hourly(paths: list[Path], source: SourceLayout, *, user=None, save: bool = True,
                  remember_layout: bool = False) -> ImportResult:
    """Check files against the source's layout and the station registry, then store them.

    Every problem (file, row, column, reason) raises :class:`InvalidInput` before anything is
    written; ``save=False`` stops there (the preview). Stored hours equal to the file's are left
    alone, so importing the same file twice changes nothing; a different value or flag for a stored
    hour replaces it and records a :class:`Correction` ("re-imported from FILE"). The files are read
    and checked before the one transaction that writes opens; ``remember_layout`` saves ``source``
    (perhaps new, or with a changed layout) in it.
    """
    stations: dict[str, Station] = {}
    hourly, file_flags = _read_checked(paths, layout_for(source), stations, user)
    new, changed = _against_stored(hourly, stations, file_flags)
    result = ImportResult(rows=hourly.height, inserted=new.height, changed=changed.height,
                          unchanged=hourly.height - new.height - changed.height)
    if not save:
        return result
    corrections = _corrections(changed)
    digests = {Path(path).name: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in paths}
    with transaction.atomic():  # opened once the files are read, checked and digested
        if remember_layout or source.pk is None:
            source.save()
        batches = _batches(digests, source, hourly, new, changed, user)
        written = pl.concat([new, changed]).select(
            "station_id", "time", *POLLUTANTS, *FLAG_COLUMNS,
            pl.col("_source").replace_strict({n: b.pk for n, b in batches.items()}, return_dtype=pl.Int64).alias("batch_id"))
        series.write(HOURLY, written, source="file", user=user)
        Correction.objects.bulk_create(
            Correction(station_id=c["station_id"], time=c["time"], pollutant=c["pollutant"], old_value=c["old_value"],
                       new_value=c["new_value"], old_flag=c["old_flag"], new_flag=c["new_flag"],
                       reason=f"re-imported from {c['_source']}", changed_by=user, batch=batches[c["_source"]])
            for c in corrections)
    result.corrections = len(corrections)
    result.station_ids = [s.pk for s in stations.values()]
    result.days = (hourly["time"].min().date(), hourly["time"].max().date())
    result.batches = list(batches.values())
    result.saved = True
    return result


def _read_checked(paths: list[Path], layout, stations: dict[str, Station], user) -> tuple[pl.DataFrame, list[str]]:
    """The files' hours, every cell checked (:func:`read_hourly`), with ``station_id`` (``stations``
    fills with the stations named) and the flag columns the files carry, blank flags as normal."""
    hourly = read_hourly(paths, layout, mask=False, keep_rows=True, check_station=_station_checker(stations, user),
                         flag_values=tuple(Flag.values))
    file_flags = [c for c in FLAG_COLUMNS if c in hourly.columns]
    hourly = hourly.with_columns(pl.col(c).fill_null(Flag.NORMAL.value).replace("", Flag.NORMAL.value)
                                 for c in file_flags)
    return hourly.with_columns(
        pl.col("station").replace_strict({c: s.pk for c, s in stations.items()}, return_dtype=pl.Int64).alias("station_id"),
        pl.col("time").cast(pl.Datetime("us"))), file_flags


def _against_stored(hourly: pl.DataFrame, stations: dict[str, Station],
                    file_flags: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The file's hours the store does not hold (``new``) and those it holds otherwise (``changed``,
    with the stored values as ``<column>_stored``), read in bulk through the series door."""
    stored = series.read(HOURLY, {"station_id": [s.pk for s in stations.values()]}, hourly["time"].min(),
                         hourly["time"].max() + dt.timedelta(hours=1), [*POLLUTANTS, *FLAG_COLUMNS])
    stored = stored.rename({c: f"{c}_stored" for c in (*POLLUTANTS, *FLAG_COLUMNS)}).with_columns(
        pl.lit(True).alias("_held"))
    merged = hourly.join(stored, on=["station_id", "time"], how="left")
    # A file without a flag column keeps the stored flag (a reviewer's judgement) while the value is
    # unchanged; a new or changed value starts again as normal.
    merged = merged.with_columns(
        pl.when(pl.col(p).eq_missing(pl.col(f"{p}_stored")) & pl.col(f"{p}_flag_stored").is_not_null())
        .then(pl.col(f"{p}_flag_stored")).otherwise(pl.lit(Flag.NORMAL.value)).alias(f"{p}_flag")
        for p in POLLUTANTS if f"{p}_flag" not in file_flags)
    differs = pl.any_horizontal(~pl.col(c).eq_missing(pl.col(f"{c}_stored")) for c in (*POLLUTANTS, *FLAG_COLUMNS))
    return merged.filter(pl.col("_held").is_null()), merged.filter(pl.col("_held").is_not_null() & differs)


def _batches(digests: dict[str, str], source: SourceLayout, hourly: pl.DataFrame, new: pl.DataFrame,
             changed: pl.DataFrame, user) -> dict[str, ImportBatch]:
    """One :class:`ImportBatch` per file (its SHA-256 in ``digests`` and its counts), by file name."""
    batches = {}
    for name, digest in digests.items():
        rows = hourly.filter(pl.col("_source") == name).height
        inserted = new.filter(pl.col("_source") == name).height
        altered = changed.filter(pl.col("_source") == name).height
        batches[name] = ImportBatch.objects.create(
            source=source, file_name=name, sha256=digest, rows=rows,
            inserted=inserted, changed=altered, unchanged=rows - inserted - altered, imported_by=user)
    return batches


def _corrections(changed: pl.DataFrame) -> list[dict]:
    out = []
    for row in changed.iter_rows(named=True):
        for p in POLLUTANTS:
            if row[p] != row[f"{p}_stored"] or row[f"{p}_flag"] != row[f"{p}_flag_stored"]:
                out.append({"station_id": row["station_id"], "time": clock.attach(row["time"]), "pollutant": p,
                            "old_value": row[f"{p}_stored"], "new_value": row[p], "old_flag": row[f"{p}_flag_stored"],
                            "new_flag": row[f"{p}_flag"], "_source": row["_source"]})
    return out


def store_device_hours(hours: pl.DataFrame, *, source: str = "gateway") -> pl.DataFrame:
    """Station hours a device sent (HJ 212 hourly data) into the store, through the same door and
    new-data hook as a file's, so that they are checked and counted alike. Hours the store holds
    already (from a file, or an earlier packet) are kept as they are: the first word on an hour stands.

    ``hours`` has one row per station, hour and pollutant: ``station_id``, ``time`` (naive Beijing
    time, the start of the hour), ``pollutant`` (one of :data:`POLLUTANTS`), ``value`` and ``flag``
    (the HJ 212-2017 data flag, §6.2; none: normal); a pollutant not given is stored empty. Returns
    ``station_id, time`` of the hours the store held already, which were not written."""
    hours = hours.with_columns(pl.col("time").cast(pl.Datetime("us")))
    held = series.read(HOURLY, {"station_id": hours["station_id"].unique().to_list()}, hours["time"].min(),
                       hours["time"].max() + dt.timedelta(hours=1), fields=[])
    new = hours.join(held, on=["station_id", "time"], how="anti")
    if new.height:
        of = {p: pl.col("pollutant") == p for p in POLLUTANTS}
        wide = new.group_by("station_id", "time", maintain_order=True).agg(
            *(pl.col("value").filter(of[p]).first().alias(p) for p in POLLUTANTS),
            *(pl.col("flag").filter(of[p]).first().fill_null(Flag.NORMAL.value).alias(f"{p}_flag") for p in POLLUTANTS))
        series.write(HOURLY, wide, source=source, keep_existing=True)
    return held.join(hours, on=["station_id", "time"], how="semi")


def import_met(paths: list[Path], layout: Layout | None = None, *, user=None, save: bool = True) -> int:
    """Check meteorological files and store them, replacing stored hours of the same stations and
    times (meteorology has no review flags to keep: every column of a file's hour replaces the
    stored one; hours the file does not hold stay). Every problem raises :class:`InvalidInput`
    before anything is written; ``save=False`` is the preview. Returns the number of hours."""
    from .met_io import read_met

    stations: dict[str, Station] = {}
    check_station = _station_checker(stations, user)
    met = read_met(paths, layout, check_station)
    if not save:
        return met.height
    met = met.with_columns(pl.col("station").replace_strict({c: s.pk for c, s in stations.items()},
                                                             return_dtype=pl.Int64).alias("station_id"))
    series.write(MET, met.select("station_id", "time", *MET_COLUMNS), source="file", user=user)
    return met.height


def daily_history(start: dt.date, end: dt.date, *, region=None, stations=None, edition: str = "auto") -> pl.DataFrame:
    """Stored daily results from ``start`` to ``end`` (inclusive) of ``region`` (its own region row)
    or of ``stations``, as :func:`gongjian.air.evaluation.read_daily` gives them (``key``, ``date``,
    the daily values, ``aqi``, ``level``, ``primary``); ``edition`` ``auto`` is the one in force on
    ``end``. For other apps' forecasts and verification: no row for a day is "no data"."""
    from .evaluation import read_daily
    from .models import DailyResult
    from .results import stored_edition

    rows = DailyResult.objects.all()
    if region is not None:
        rows = rows.filter(subject=DailyResult.Subject.REGION, place=region)
    if stations is not None:
        rows = rows.filter(subject=DailyResult.Subject.STATION, station__in=list(stations))
    return read_daily(rows, stored_edition(edition, end), start, end).sort("key", "date")


def load_met(stations, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Observed meteorological hours of ``stations`` from ``start`` to ``end`` inclusive: ``station``
    (code), ``time`` (naive Beijing time) and the variables of :data:`MET_COLUMNS`."""
    codes = {s.pk: s.code for s in stations}
    frame = series.read(MET, {"station_id": list(codes)}, *clock.day_bounds(start, end), list(MET_COLUMNS))
    return frame.select(pl.col("station_id").replace_strict(codes, return_dtype=pl.String).alias("station"), "time",
                        *MET_COLUMNS).sort("station", "time")


def stations_of(region, *, with_met: bool = False):
    """The assessment stations of the region's subtree (whose hours make its official values); with
    ``with_met``, every station or meteorological site of the subtree that has stored meteorology
    instead: whose series a forecast or an evaluation reads."""
    stations = Station.objects.filter(region__path__startswith=region.path).order_by("code")
    if with_met:
        return list(stations.filter(pk__in=MetHour.objects.values("station_id").distinct()))
    return list(stations.filter(assessment=True))
