"""Services of the air app: importing hourly data into the store, reading it back for the engine.

Other apps and the pages call these; nothing else touches the hourly tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
from django.conf import settings
from django.db import connection, transaction

from gongjian.regions import policy

from .frames import frame_from_values
from .hourly_io import MET_COLUMNS, Layout, read_hourly
from .models import POLLUTANTS, AirHour, Correction, Flag, ImportBatch, SourceLayout, Station

__all__ = ["ImportResult", "existing_hours", "import_hourly", "import_met", "layout_for", "load_hourly", "store_met_hours",
           "store_new_hours"]

FLAG_COLUMNS = [f"{p}_flag" for p in POLLUTANTS]


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


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
    findings: list = field(default_factory=list)
    saved: bool = False


def _stored(station_ids: list[int], start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    rows = AirHour.objects.filter(station_id__in=station_ids, time__gte=start, time__lte=end).values_list(
        "id", "station_id", "time", *POLLUTANTS, *FLAG_COLUMNS)
    schema = {"id": pl.Int64, "station_id": pl.Int64, "time": pl.Datetime("us", "UTC"),
              **{p: pl.Float64 for p in POLLUTANTS}, **{f: pl.String for f in FLAG_COLUMNS}}
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def _to_utc(naive_local: pl.Expr) -> pl.Expr:
    return naive_local.dt.replace_time_zone(settings.TIME_ZONE).dt.convert_time_zone("UTC")


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
    layout = layout_for(source)
    stations: dict[str, Station] = {}
    check_station = _station_checker(stations, user)
    hourly = read_hourly(paths, layout, mask=False, keep_rows=True, check_station=check_station,
                         flag_values=tuple(Flag.values))
    file_flags = [c for c in FLAG_COLUMNS if c in hourly.columns]
    hourly = hourly.with_columns(pl.col(c).fill_null(Flag.NORMAL.value).replace("", Flag.NORMAL.value)
                                 for c in file_flags)

    hourly = hourly.with_columns(
        pl.col("station").replace_strict({c: s.pk for c, s in stations.items()}, return_dtype=pl.Int64).alias("station_id"),
        _to_utc(pl.col("time")).alias("time_utc"))
    stored = _stored([s.pk for s in stations.values()], hourly["time_utc"].min(), hourly["time_utc"].max())
    stored = stored.rename({c: f"{c}_stored" for c in (*POLLUTANTS, *FLAG_COLUMNS)})
    merged = hourly.join(stored, left_on=["station_id", "time_utc"], right_on=["station_id", "time"], how="left")
    # A file without a flag column keeps the stored flag (a reviewer's judgement) while the value is
    # unchanged; a new or changed value starts again as normal.
    merged = merged.with_columns(
        pl.when(pl.col(p).eq_missing(pl.col(f"{p}_stored")) & pl.col(f"{p}_flag_stored").is_not_null())
        .then(pl.col(f"{p}_flag_stored")).otherwise(pl.lit(Flag.NORMAL.value)).alias(f"{p}_flag")
        for p in POLLUTANTS if f"{p}_flag" not in file_flags)
    value_cols = [*POLLUTANTS, *FLAG_COLUMNS]
    differs = pl.any_horizontal(~pl.col(c).eq_missing(pl.col(f"{c}_stored")) for c in value_cols)
    new = merged.filter(pl.col("id").is_null())
    changed = merged.filter(pl.col("id").is_not_null() & differs)
    result = ImportResult(rows=hourly.height, inserted=new.height, changed=changed.height,
                          unchanged=hourly.height - new.height - changed.height)
    if not save:
        return result
    corrections = _corrections(changed)
    digests = {Path(path).name: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in paths}
    with transaction.atomic():
        if remember_layout or source.pk is None:
            source.save()
        batches = {}
        for path in paths:
            name = Path(path).name
            rows = hourly.filter(pl.col("_source") == name).height
            inserted = new.filter(pl.col("_source") == name).height
            altered = changed.filter(pl.col("_source") == name).height
            batches[name] = ImportBatch.objects.create(
                source=source, file_name=name, sha256=digests[name], rows=rows,
                inserted=inserted, changed=altered, unchanged=rows - inserted - altered, imported_by=user)
        _insert(new, batches)
        _update(changed, batches)
        Correction.objects.bulk_create(
            Correction(station_id=c["station_id"], time=c["time"], pollutant=c["pollutant"], old_value=c["old_value"],
                       new_value=c["new_value"], old_flag=c["old_flag"], new_flag=c["new_flag"],
                       reason=f"re-imported from {c['_source']}", changed_by=user, batch=batches[c["_source"]])
            for c in corrections)
        # quality control on arrival, with a day of context before the file's first hour
        from .quality import run_quality_checks
        from .tasks import enqueue_recompute

        first, last = hourly["time"].min().date(), hourly["time"].max().date()
        result.findings = run_quality_checks(list(stations.values()), first - dt.timedelta(days=1), last, user)
        transaction.on_commit(lambda: enqueue_recompute(first, last, [s.pk for s in stations.values()]))
    result.corrections = len(corrections)
    result.batches = list(batches.values())
    result.saved = True
    return result


def _corrections(changed: pl.DataFrame) -> list[dict]:
    out = []
    for row in changed.iter_rows(named=True):
        for p in POLLUTANTS:
            if row[p] != row[f"{p}_stored"] or row[f"{p}_flag"] != row[f"{p}_flag_stored"]:
                out.append({"station_id": row["station_id"], "time": row["time_utc"], "pollutant": p,
                            "old_value": row[f"{p}_stored"], "new_value": row[p], "old_flag": row[f"{p}_flag_stored"],
                            "new_flag": row[f"{p}_flag"], "_source": row["_source"]})
    return out


def _insert(frame: pl.DataFrame, batches: dict[str, ImportBatch]) -> None:
    if frame.is_empty():
        return
    frame = frame.with_columns(pl.col("_source").replace_strict({n: b.pk for n, b in batches.items()},
                                                                return_dtype=pl.Int64).alias("batch_id"))
    _bulk_insert(AirHour._meta.db_table, frame.rename({"time_utc": "_time"}),
                 ["station_id", "_time", *POLLUTANTS, *FLAG_COLUMNS, "batch_id"])


def _bulk_insert(table: str, frame: pl.DataFrame, columns: list[str]) -> None:
    """INSERT many rows in batches, datetimes adapted as the ORM adapts them. ``_time`` (aware UTC)
    is the ``time`` column."""
    adapt = connection.ops.adapt_datetimefield_value
    names = ["time" if c == "_time" else c for c in columns]
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
    position = columns.index("_time")
    with connection.cursor() as cursor:
        for chunk in frame.select(columns).iter_slices(20_000):
            rows = [list(r) for r in chunk.iter_rows()]
            for r in rows:
                r[position] = adapt(r[position])
            cursor.executemany(sql, rows)


def store_new_hours(frame: pl.DataFrame) -> int:
    """Insert station-hours known to be new (the demo; the HJ 212 gateway after its own checks).

    ``frame``: ``station_id``, ``time`` (naive Beijing time), the pollutants and optionally their
    flag columns (default ``N``). One transaction; returns the number of rows."""
    for column in FLAG_COLUMNS:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(Flag.NORMAL.value).alias(column))
    frame = frame.with_columns(_to_utc(pl.col("time")).alias("_time"), pl.lit(None, dtype=pl.Int64).alias("batch_id"))
    with transaction.atomic():
        _bulk_insert(AirHour._meta.db_table, frame, ["station_id", "_time", *POLLUTANTS, *FLAG_COLUMNS, "batch_id"])
    return frame.height


def existing_hours(keys: pl.DataFrame) -> pl.DataFrame:
    """Which of ``keys`` (``station_id``, ``time`` naive Beijing time) the store holds already."""
    if keys.is_empty():
        return keys
    zone = _zone()
    low, high = keys["time"].min(), keys["time"].max()
    rows = AirHour.objects.filter(station_id__in=keys["station_id"].unique().to_list(),
                                  time__range=(low.replace(tzinfo=zone), high.replace(tzinfo=zone))
                                  ).values_list("station_id", "time")
    held = pl.DataFrame([(s, t.astimezone(zone).replace(tzinfo=None)) for s, t in rows],
                        schema={"station_id": keys.schema["station_id"], "time": keys.schema["time"]}, orient="row")
    return keys.join(held, on=["station_id", "time"], how="semi")


def store_met_hours(frame: pl.DataFrame) -> int:
    """Insert meteorological hours (``station_id``, ``time`` naive Beijing time, :data:`MET_COLUMNS`)."""
    from .models import MetHour

    frame = frame.with_columns(_to_utc(pl.col("time")).alias("_time"))
    with transaction.atomic():
        _bulk_insert(MetHour._meta.db_table, frame, ["station_id", "_time", *MET_COLUMNS])
    return frame.height


def _update(frame: pl.DataFrame, batches: dict[str, ImportBatch]) -> None:
    if frame.is_empty():
        return
    table = AirHour._meta.db_table
    assignments = ", ".join(f"{c} = %s" for c in [*POLLUTANTS, *FLAG_COLUMNS, "batch_id"])
    sql = f"UPDATE {table} SET {assignments} WHERE id = %s"
    params = [(*(r[p] for p in POLLUTANTS), *(r[f] for f in FLAG_COLUMNS), batches[r["_source"]].pk, r["id"])
              for r in frame.iter_rows(named=True)]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def load_hourly(stations, start: dt.date, end: dt.date, *, mask: bool = True) -> pl.DataFrame:
    """Hourly values of ``stations`` (a queryset or list) from ``start`` to ``end`` inclusive, as the
    engine takes them: ``station`` (code), ``time`` (naive Beijing time), the six pollutants; flagged
    values nulled unless ``mask`` is false (then the flag columns are kept)."""
    zone = _zone()
    lo = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    hi = dt.datetime.combine(end, dt.time(23), tzinfo=zone)
    hours = AirHour.objects.filter(station__in=stations, time__gte=lo, time__lte=hi)
    columns = {"station": ("station__code", pl.String), "time": ("time", pl.Datetime("us", "UTC")),
               **{p: (p, pl.Float64) for p in POLLUTANTS}, **{f: (f, pl.String) for f in FLAG_COLUMNS}}
    frame = frame_from_values(hours, columns).with_columns(
        pl.col("time").dt.convert_time_zone(settings.TIME_ZONE).dt.replace_time_zone(None))
    if not mask:
        return frame.sort("station", "time")
    from gongjian.standards.hj663 import mask_flagged

    return mask_flagged(frame).sort("station", "time")


def import_met(paths: list[Path], layout: Layout | None = None, *, user=None, save: bool = True) -> int:
    """Check meteorological files and store them, replacing stored hours of the same stations and
    times (meteorology has no review flags to keep). Every problem raises :class:`InvalidInput`
    before anything is written; ``save=False`` is the preview. Returns the number of hours."""
    from .met_io import read_met
    from .models import MetHour

    stations: dict[str, Station] = {}
    check_station = _station_checker(stations, user)
    met = read_met(paths, layout, check_station)
    if not save:
        return met.height
    met = met.with_columns(pl.col("station").replace_strict({c: s.pk for c, s in stations.items()},
                                                             return_dtype=pl.Int64).alias("station_id"))
    with transaction.atomic():
        zone = _zone()
        spans = met.group_by("station_id").agg(pl.col("time").min().alias("first"), pl.col("time").max().alias("last"))
        for station_id, first, last in spans.iter_rows():
            MetHour.objects.filter(station_id=station_id, time__gte=first.replace(tzinfo=zone),
                                   time__lte=last.replace(tzinfo=zone)).delete()
        store_met_hours(met.select("station_id", "time", *MET_COLUMNS))
    return met.height
