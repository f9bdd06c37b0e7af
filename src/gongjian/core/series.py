"""Time series: one way in, one way out, and one hook for new data.

A domain app declares each of its series stores once, as a :class:`SeriesKind` (the model, the
columns that name one series, the time column, the value columns), and registers what must follow
when new data arrive with :func:`on_new_data`. Then:

* :func:`write` is the only way rows enter a series store, whatever brought them (a file, an HJ 212
  device through the gateway, the API, the demo): one bulk upsert, in one transaction, and, once
  that transaction commits, every handler of the kind is called with what the write touched
  (:class:`Written`: the series and the times, in Beijing time). A write that is rolled back calls
  nobody. The air app's handler runs quality control and recomputes the touched days, so a late
  station hour from a device is checked and counted exactly as one from a file.
* :func:`read` is the one bulk reader: one query, whose result comes as Arrow columns straight from
  the database driver (ADBC: :func:`arrow_reader`), or where no driver applies is converted by
  Polars column by column (:func:`frame_from_queryset`), never an ORM object per row;
  :func:`read_chunks` gives the same rows as a frame per group of series, so that a network's year
  is computed with the memory of one group.

Frames carry times as naive Beijing wall-clock times (shared/DESIGN.md, Stores), the form the
engine's frames use; :func:`write` also takes timezone-aware times. Stored times are UTC, as
Django stores every aware datetime; a daily kind (periods stored as dates, such as an
enterprise's daily emissions) carries its dates as they are. A judgement on stored rows (a quality
flag) changes them through :func:`update_values`, which adds no row. Nothing here names a domain app: water samples or meter
readings are declared the same way.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial

import polars as pl
from django.core.exceptions import EmptyResultSet
from django.db import connection, models, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast

from gongjian import clock

__all__ = ["SeriesKind", "Written", "arrow_reader", "database_times", "declare", "frame_from_queryset", "kind", "on_new_data",
           "read", "read_chunks", "update_values", "write"]

log = logging.getLogger("gongjian.series")

#: Rows per ``executemany``: big enough to amortise the round trip, small enough to bound memory.
CHUNK = 20_000


@dataclass(frozen=True)
class SeriesKind:
    """One series store: ``model``'s table, keyed by ``keys`` (the columns naming one series, as
    attribute names: ``station_id``) and ``time`` (the start of the period), holding ``values``.
    ``keys`` and ``time`` must be the model's unique constraint: a write replaces the row they name."""

    name: str
    model: type[models.Model]
    keys: tuple[str, ...]
    values: tuple[str, ...]
    time: str = "time"

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def column(self, name: str) -> models.Field:
        """The model field of a column (``get_field`` knows a foreign key by its attribute name too)."""
        return self.model._meta.get_field(name)

    @property
    def daily(self) -> bool:
        """Whether the periods are calendar days stored as dates (a ``DateField``: an enterprise's
        daily emissions): a date has no time zone, so it is written and read as it is."""
        return self.column(self.time).get_internal_type() == "DateField"


_KINDS: dict[str, SeriesKind] = {}
_HANDLERS: dict[str, list[Callable[[Written], object]]] = defaultdict(list)


def declare(series_kind: SeriesKind) -> SeriesKind:
    """Make ``series_kind`` known by its name (idempotent for the same declaration)."""
    known = _KINDS.setdefault(series_kind.name, series_kind)
    if known != series_kind:
        raise ValueError(f"series kind {series_kind.name!r} is declared twice, differently")
    return series_kind


def kind(name: str | SeriesKind) -> SeriesKind:
    """The declared kind called ``name`` (a kind passes through)."""
    if isinstance(name, SeriesKind):
        return name
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no series kind {name!r}; declared: {', '.join(sorted(_KINDS)) or 'none'}") from None


def on_new_data(kind_name: str):
    """Decorator: call the function with a :class:`Written` after every committed write of the kind.

    Register from the app's ``AppConfig.ready`` (by importing the module that holds the handler),
    so that the handler's module is imported by nobody else."""

    def register(handler: Callable[[Written], object]):
        if handler not in _HANDLERS[kind_name]:
            _HANDLERS[kind_name].append(handler)
        return handler

    return register


@dataclass
class Written:
    """What one :func:`write` touched: ``touched`` has the kind's keys and ``time`` (naive Beijing
    time) of every row written, in the order given. With ``keep_existing`` a row the store held
    already is counted as touched though it was kept as it was."""

    kind: SeriesKind
    source: str
    touched: pl.DataFrame
    #: Who brought the rows (the importing user; ``None`` for a device or a job).
    user: object = None
    #: What each handler returned, by handler (``module.name``), once it has run.
    results: dict[str, object] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.touched.height

    def spans(self) -> pl.DataFrame:
        """Per series (the kind's keys): ``first`` and ``last`` time touched and ``first_day``,
        ``last_day`` (Beijing dates), one row per series."""
        return (self.touched.group_by(list(self.kind.keys), maintain_order=True)
                .agg(pl.col("time").min().alias("first"), pl.col("time").max().alias("last"))
                .with_columns(pl.col("first").dt.date().alias("first_day"), pl.col("last").dt.date().alias("last_day")))


def _to_utc(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """``column`` as aware UTC; naive times are Beijing wall-clock times."""
    dtype = frame.schema[column]
    if not isinstance(dtype, pl.Datetime):
        raise TypeError(f"series time column {column!r} must hold datetimes, not {dtype}")
    times = pl.col(column) if dtype.time_zone is not None else clock.attach_column(pl.col(column))
    return frame.with_columns(clock.utc_column(times).alias(column))


def _stored(series_kind: SeriesKind, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame``'s times as the store holds them: aware UTC, or the dates of a daily kind."""
    if not series_kind.daily:
        return _to_utc(frame, series_kind.time)
    if frame.schema[series_kind.time] != pl.Date:
        raise TypeError(f"series date column {series_kind.time!r} must hold dates, not {frame.schema[series_kind.time]}")
    return frame


def _as_framed(series_kind: SeriesKind, times: pl.Expr) -> pl.Expr:
    """Stored times as frames carry them: naive Beijing times (a daily kind's dates as they are)."""
    return times if series_kind.daily else clock.naive_local_column(times)


def _adapt(series_kind: SeriesKind) -> Callable:
    ops = connection.ops
    return ops.adapt_datefield_value if series_kind.daily else ops.adapt_datetimefield_value


def write(series_kind: str | SeriesKind, rows: pl.DataFrame, *, source: str, user=None,
          keep_existing: bool = False) -> Written:
    """Store ``rows`` in the kind's store, in one transaction, and call its handlers after commit.

    ``rows`` holds the kind's keys, its time (naive Beijing time or aware) and any of its value
    columns; a row for a stored key and time replaces the values it carries (others stay), unless
    ``keep_existing``, when stored rows are kept as they are (a device's resend). Value columns
    absent from ``rows`` get the model field's default in new rows. ``source`` says what brought the
    rows (``file``, ``gateway``, ``api``, ``demo``) and ``user`` who, for the handlers. Two rows for the same key and
    time are refused (:class:`ValueError`): which one would win is not for the store to guess."""
    series_kind = kind(series_kind)
    stored_time = series_kind.time
    rows = rows.rename({"time": stored_time}) if stored_time != "time" and "time" in rows.columns else rows
    unknown = set(rows.columns) - {*series_kind.keys, stored_time, *series_kind.values}
    missing = {*series_kind.keys, stored_time} - set(rows.columns)
    if unknown or missing:
        raise ValueError(f"{series_kind.name}: columns not of the kind {sorted(unknown)}, missing {sorted(missing)}")
    naming = [*series_kind.keys, stored_time]
    if rows.select(naming).is_duplicated().any():
        raise ValueError(f"{series_kind.name}: two rows for the same {', '.join(naming)}")
    rows = _stored(series_kind, rows)
    given = [c for c in series_kind.values if c in rows.columns]
    defaults = {c: getattr(value, "value", value)  # a choice's value, not the enum member
                for c in series_kind.values if c not in rows.columns
                for value in [series_kind.column(c).get_default()]}
    rows = rows.with_columns(pl.lit(value).alias(c) for c, value in defaults.items() if value is not None)
    columns = [*naming, *[c for c in series_kind.values if c in rows.columns]]
    with transaction.atomic():
        _upsert(series_kind, rows.select(columns), given, keep_existing)
        touched = rows.select(*series_kind.keys, _as_framed(series_kind, pl.col(stored_time)).alias("time"))
        written = Written(series_kind, source, touched, user)
        if rows.height:
            transaction.on_commit(partial(_notify, written))
    return written


def database_times(times: pl.Series) -> pl.Series:
    """Aware UTC times (or naive ones in UTC) as the connection's driver takes them for a
    ``DateTimeField``, a column at a time: on SQLite the text Django writes
    (``connection.ops.adapt_datetimefield_value``: ``YYYY-MM-DD HH:MM:SS`` and ``.ffffff`` only when
    there are microseconds, which the unique constraints compare as text), elsewhere the datetimes."""
    if connection.vendor != "sqlite":
        return times
    t = pl.col("t")  # formatted in its own zone, UTC: the text has no offset, as Django's
    return (pl.DataFrame({"t": times})
            .select(pl.when(t.dt.microsecond() == 0).then(t.dt.strftime("%Y-%m-%d %H:%M:%S"))
                    .otherwise(t.dt.strftime("%Y-%m-%d %H:%M:%S.%6f")).alias(times.name)).to_series())


def _upsert(series_kind: SeriesKind, rows: pl.DataFrame, given: list[str], keep_existing: bool) -> None:
    """One ``INSERT ... ON CONFLICT`` per row, sent in chunks (SQLite and PostgreSQL both read it). The
    parameters are made a column at a time (:func:`database_times`), not value by value."""
    quote = connection.ops.quote_name
    naming = [*series_kind.keys, series_kind.time]
    action = ("DO NOTHING" if keep_existing or not given else
              "DO UPDATE SET " + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in given))
    sql = (f"INSERT INTO {quote(series_kind.table)} ({', '.join(quote(c) for c in rows.columns)}) "
           f"VALUES ({', '.join(['%s'] * len(rows.columns))}) "
           f"ON CONFLICT ({', '.join(quote(c) for c in naming)}) {action}")
    if series_kind.daily:
        adapt = _adapt(series_kind)
        position = rows.columns.index(series_kind.time)
        prepare = lambda chunk: [[*r[:position], adapt(r[position]), *r[position + 1:]] for r in chunk.iter_rows()]  # noqa: E731
    else:
        prepare = lambda chunk: chunk.with_columns(database_times(chunk[series_kind.time])).rows()  # noqa: E731
    if connection.vendor == "postgresql":
        _copy_upsert(series_kind, rows, action, prepare)
        return
    with connection.cursor() as cursor:
        for chunk in rows.iter_slices(CHUNK):
            cursor.executemany(sql, prepare(chunk))


def _copy_upsert(series_kind: SeriesKind, rows: pl.DataFrame, action: str, prepare: Callable) -> None:
    """PostgreSQL: the rows by COPY into a temporary table of the session (every column of the kind,
    no constraint), then one ``INSERT ... SELECT ... ON CONFLICT`` with the same action, and the
    temporary table emptied: about three times ``executemany``'s rate (docs/performance.md, the
    gateway's store). The driver's errors become Django's."""
    quote = connection.ops.quote_name
    table = quote(series_kind.table)
    batch = quote(f"batch_{series_kind.table}"[:63])
    every = ", ".join(quote(c) for c in (*series_kind.keys, series_kind.time, *series_kind.values))
    columns = ", ".join(quote(c) for c in rows.columns)
    naming = ", ".join(quote(c) for c in (*series_kind.keys, series_kind.time))
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        raw.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {batch} ON COMMIT DELETE ROWS AS "
                    f"SELECT {every} FROM {table} WITH NO DATA")
        for chunk in rows.iter_slices(CHUNK):
            with raw.copy(f"COPY {batch} ({columns}) FROM STDIN") as copy:
                for row in prepare(chunk):
                    copy.write_row(row)
        # through Django's cursor, so that what watches the connection's statements (the write matrix's
        # recorder, query logging) sees the write into the store; only the COPY needs psycopg's own
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {batch} ON CONFLICT ({naming}) {action}")
        cursor.execute(f"TRUNCATE {batch}")  # a second write in the same transaction must not see these


def _notify(written: Written) -> None:
    """Run every handler of the kind. The rows are committed by now, so a handler that fails must not
    fail the write's caller (an import answered 500 with its data stored, a gateway ingest loop
    stopped with its packets marked done) nor keep the other handlers from running: its error is
    logged and the call is queued again as a job (:func:`retry`), which the job worker runs and, if it
    fails again, keeps among the failed jobs in the back office (django-q retries it as configured)."""
    for handler in list(_HANDLERS[written.kind.name]):
        name = _handler_name(handler)
        try:
            written.results[name] = handler(written)
        except Exception:
            log.exception("series %s: handler %s failed on %d rows from %s; queued again",
                           written.kind.name, name, written.rows, written.source)
            from django_q.tasks import async_task

            # queued, never run here (not even by a synchronous test worker): it has just failed here
            async_task("gongjian.core.series.retry", written.kind.name, name, written.touched.to_dicts(),
                       written.source, task_name=f"retry {name}"[:100], sync=False)


def _handler_name(handler: Callable) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def retry(kind_name: str, handler_name: str, touched: list[dict], source: str) -> object:
    """Call one handler again on what a committed write touched (queued by :func:`_notify` when the
    handler failed); raises if it fails again, so that the job is kept as failed."""
    series_kind = kind(kind_name)
    handler = next((h for h in _HANDLERS[kind_name] if _handler_name(h) == handler_name), None)
    if handler is None:
        raise LookupError(f"series {kind_name}: no handler {handler_name}")
    return handler(Written(series_kind, source, pl.DataFrame(touched)))


def _polars_type(model_field: models.Field) -> pl.DataType:
    internal = model_field.get_internal_type()
    if internal == "DateTimeField":
        return pl.Datetime("us", "UTC")
    if internal == "DateField":
        return pl.Date
    if internal in ("FloatField", "DecimalField"):
        return pl.Float64
    if internal == "BooleanField":
        return pl.Boolean
    if internal.endswith("IntegerField") or internal in ("ForeignKey", "AutoField", "BigAutoField", "OneToOneField"):
        return pl.Int64
    return pl.String


def read(series_kind: str | SeriesKind, keys: Mapping[str, Iterable] | None = None, start: dt.datetime | None = None,
         end: dt.datetime | None = None, fields: Iterable[str] | None = None) -> pl.DataFrame:
    """The stored rows of the kind whose keys are among ``keys`` (column -> accepted values; a key not
    named is not filtered) and whose time lies in ``[start, end)`` (naive Beijing times or aware; ``None``:
    open), in one query: the kind's keys, ``time`` (naive Beijing time) and ``fields`` (default: every
    value column), sorted by keys and time."""
    series_kind = kind(series_kind)
    fields = list(series_kind.values if fields is None else fields)
    unknown = set(fields) - set(series_kind.values)
    if unknown or set(keys or {}) - set(series_kind.keys):
        raise ValueError(f"{series_kind.name}: not its keys or values: "
                         f"{sorted(unknown | (set(keys or {}) - set(series_kind.keys)))}")
    stored_time = series_kind.time
    lookups = {f"{k}__in": list(v) for k, v in (keys or {}).items()}
    if start is not None:
        lookups[f"{stored_time}__gte"] = start if series_kind.daily else clock.aware(start)
    if end is not None:
        lookups[f"{stored_time}__lt"] = end if series_kind.daily else clock.aware(end)
    queryset = series_kind.model.objects.filter(**lookups)
    columns = {c: (c, _polars_type(series_kind.column(c))) for c in (*series_kind.keys, stored_time, *fields)}
    frame = frame_from_queryset(queryset, columns).with_columns(_as_framed(series_kind, pl.col(stored_time)))
    if stored_time != "time":
        frame = frame.rename({stored_time: "time"})
    return frame.sort(*series_kind.keys, "time")


def read_chunks(series_kind: str | SeriesKind, keys: Mapping[str, Iterable], start: dt.datetime | None = None,
                end: dt.datetime | None = None, fields: Iterable[str] | None = None, *,
                size: int = 100) -> Iterator[pl.DataFrame]:
    """:func:`read` a group of series at a time: one frame per ``size`` values of the first key named in
    ``keys`` (in the order given; the other keys filter every group), each read by one query. The
    groups concatenated are :func:`read`'s rows, so a computation per series (or per group of series
    chosen by the caller, such as the stations of whole cities) holds one group in memory, not the
    store."""
    if size < 1:
        raise ValueError(f"read_chunks: size must be at least 1, not {size}")
    if not keys:
        raise ValueError("read_chunks: name the key whose values make the groups")
    first, *rest = keys
    values = list(keys[first])
    fields = None if fields is None else list(fields)
    for i in range(0, len(values), size):
        yield read(series_kind, {first: values[i:i + size], **{k: keys[k] for k in rest}}, start, end, fields)


#: What to add to the last time or date to bound a half-open range that holds it.
_LAST = {False: dt.timedelta(microseconds=1), True: dt.timedelta(days=1)}


def update_values(series_kind: str | SeriesKind, rows: pl.DataFrame) -> int:
    """Replace the given value columns of rows the store holds already, in one transaction; returns
    the number of rows.

    This is how a judgement on stored data is recorded (quality control or a reviewer flagging hours
    suspect, invalid or valid): the values stay, their flags change. It is no second door for new
    data: a row the store does not hold is refused (:class:`ValueError`) and nothing is inserted, and
    no new-data handler is called (the flags were set by the checks those handlers run, or by a
    reviewer whose decision asks for its own recomputation). ``rows`` holds the kind's keys, its time
    (naive Beijing time or aware) and at least one value column."""
    series_kind = kind(series_kind)
    stored_time = series_kind.time
    rows = rows.rename({"time": stored_time}) if stored_time != "time" and "time" in rows.columns else rows
    naming = [*series_kind.keys, stored_time]
    given = [c for c in rows.columns if c not in naming]
    unknown = set(given) - set(series_kind.values)
    if unknown or not given or set(naming) - set(rows.columns):
        raise ValueError(f"{series_kind.name}: updates value columns of named rows, not {sorted(rows.columns)}")
    if rows.is_empty():
        return 0
    rows = _stored(series_kind, rows)
    quote, adapt = connection.ops.quote_name, _adapt(series_kind)
    sql = (f"UPDATE {quote(series_kind.table)} SET {', '.join(f'{quote(c)} = %s' for c in given)} "
           f"WHERE {' AND '.join(f'{quote(c)} = %s' for c in naming)}")
    with transaction.atomic():
        held = read(series_kind, {k: rows[k].unique().to_list() for k in series_kind.keys},
                    rows[stored_time].min(), rows[stored_time].max() + _LAST[series_kind.daily], fields=[])
        wanted = rows.select(*series_kind.keys, _as_framed(series_kind, pl.col(stored_time)).alias("time"))
        absent = wanted.join(held, on=[*series_kind.keys, "time"], how="anti")
        if absent.height:
            raise ValueError(f"{series_kind.name}: {absent.height} rows are not stored, e.g. {absent.row(0, named=True)}")
        width = len(series_kind.keys)
        params = [[*r[width:-1], *r[:width], adapt(r[-1])]  # SET values, then WHERE keys and time
                  for r in rows.select(*series_kind.keys, *given, stored_time).iter_rows()]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return rows.height


def frame_from_queryset(queryset, columns: dict[str, tuple[str, pl.DataType]]) -> pl.DataFrame:
    """``queryset``'s rows as a frame, never an ORM object per row (a year of one station is 8,784
    rows of 13 columns; pages need that in milliseconds, the daily computation a network's year).
    ``columns``: output name -> (ORM lookup, Polars type); datetimes come back aware UTC. The
    queryset's own SQL runs (``sql_with_params``), so a policy-scoped queryset stays scoped.

    The rows come as Arrow columns from an ADBC driver (:func:`arrow_reader`) where one applies, and
    otherwise through Django's cursor, converted by Polars column by column; both give the same frame.
    On SQLite datetimes and dates are selected as text (``CAST``) so that no driver parses them row by
    row, and Polars parses them vectorised; PostgreSQL's drivers return them natively."""
    sqlite = connection.vendor == "sqlite"
    temporal = {n for n, (_, t) in columns.items() if t == pl.Date or isinstance(t, pl.Datetime)}
    if sqlite and temporal:
        queryset = queryset.annotate(**{f"_text_{n}": Cast(columns[n][0], TextField()) for n in temporal})
    lookups = [f"_text_{name}" if sqlite and name in temporal else lookup for name, (lookup, _) in columns.items()]
    # one alias per output column: two lookups may end in the same column name (station__name, place__name)
    aliases = {f"_c{i}": name for i, name in enumerate(columns)}
    try:
        sql, params = queryset.values(**{a: F(lookup) for a, lookup in zip(aliases, lookups, strict=True)}
                                      ).query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (``station__in=[]``): Django compiles no SQL
        sql = None
    schema = {n: (pl.String if sqlite and n in temporal else
                  pl.Datetime("us", "UTC") if isinstance(t, pl.Datetime) else t) for n, (_, t) in columns.items()}
    frame = None
    if sql is not None:
        arrow = arrow_reader()
        if arrow is not None:
            frame = arrow.frame(sql, params)
        if frame is not None:
            frame = frame.rename(aliases).select(pl.col(n).cast(t) for n, t in schema.items())
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            frame = pl.DataFrame(rows, schema=schema, orient="row")
    if frame is None:
        frame = pl.DataFrame(schema=schema)
    if sqlite and temporal:
        frame = frame.with_columns(
            pl.col(n).str.to_date("%Y-%m-%d") if columns[n][1] == pl.Date else
            clock.attach_column(pl.col(n).str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us"), "UTC")
            for n in temporal)
    return frame


_PLACEHOLDER = re.compile(r"%s|%%")


class ArrowReader:
    """Reads a query's result as Arrow columns through an ADBC driver (``adbc-driver-sqlite``,
    ``adbc-driver-postgresql``), on a connection of its own to the database of Django's ``default``
    connection, opened for the query in autocommit, so that it sees what is committed and holds no
    session that would keep a database from being dropped or a WAL file from being checkpointed
    (opening one costs well under a millisecond on SQLite and a few on a local PostgreSQL).

    ADBC rather than connectorx: ADBC binds the query's parameters, so Django's SQL runs as it is;
    connectorx takes none, and the values would have to be written into the SQL text."""

    def __init__(self, vendor: str, target: str, module):
        self.vendor, self.target, self.module = vendor, target, module

    def sql(self, sql: str) -> str:
        """Django's ``%s`` placeholders as the driver's (``?`` on SQLite, ``$1``... on PostgreSQL)."""
        count = iter(range(1, 1 << 30))
        mark = (lambda: "?") if self.vendor == "sqlite" else (lambda: f"${next(count)}")
        return _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else mark(), sql)

    def frame(self, sql: str, params) -> pl.DataFrame | None:
        """The result as a frame (columns as the driver typed them), or ``None`` when the driver
        cannot run the query (a function only Django's SQLite connection defines; a parameter type the
        driver does not bind; on SQLite a column whose first batch of rows holds only nulls and whose
        later rows do not, which the driver cannot type): the caller then reads through Django."""
        try:
            with self.module.connect(self.target, autocommit=True) as con, con.cursor() as cursor:
                if self.vendor == "sqlite":  # the driver types each column from its first batch of rows
                    cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(SQLITE_BATCH_ROWS)})
                cursor.execute(self.sql(sql), tuple(params))
                return pl.DataFrame(cursor.fetch_arrow())
        except (self.module.Error, pl.exceptions.ComputeError, TypeError, ValueError) as error:
            log.info("series: the Arrow reader could not run a query (%s); read through Django instead", error)
            return None


#: Rows of the SQLite driver's first batch, from which it types each column: a whole chunk of
#: :func:`read_chunks` (100 stations' year is 878,400 rows), so that a column null in the first
#: stations and valued later is still typed from its values.
SQLITE_BATCH_ROWS = 1_000_000

_READERS: dict[tuple, ArrowReader | None] = {}


def arrow_reader() -> ArrowReader | None:
    """The :class:`ArrowReader` of Django's ``default`` database, or ``None`` where the Arrow path does
    not apply and reads go through Django's cursor:

    * inside a transaction (``atomic``): a second connection would not see its uncommitted writes;
    * the driver is not installed (``adbc-driver-sqlite`` / ``adbc-driver-postgresql``);
    * SQLite in memory (tests): the driver's own SQLite library cannot open Django's shared-cache
      memory database;
    * the setting ``ARROW_READS`` is false (a test comparing both paths)."""
    from django.conf import settings

    if connection.in_atomic_block or not getattr(settings, "ARROW_READS", True):
        return None
    options = connection.settings_dict
    key = (connection.vendor, options.get("NAME"), options.get("HOST"), options.get("PORT"), options.get("USER"))
    if key not in _READERS:
        _READERS[key] = _make_reader(connection.vendor, options)
    return _READERS[key]


def _make_reader(vendor: str, options: dict) -> ArrowReader | None:
    name = str(options.get("NAME") or "")
    try:
        if vendor == "sqlite":
            if not name or name == ":memory:" or "mode=memory" in name or name.startswith("file:"):
                return None
            import adbc_driver_sqlite.dbapi as module

            return ArrowReader(vendor, name, module)
        if vendor == "postgresql":
            import adbc_driver_postgresql.dbapi as module

            quote = urllib.parse.quote
            user = quote(options.get("USER") or "", safe="")
            password = options.get("PASSWORD") or ""
            auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
            host = options.get("HOST") or ""
            port = f":{options['PORT']}" if options.get("PORT") else ""
            query = {k: v for k, v in (options.get("OPTIONS") or {}).items()
                     if k in ("sslmode", "sslrootcert", "sslcert", "sslkey", "application_name")}
            uri = f"postgresql://{auth}{quote(host, safe='')}{port}/{quote(name, safe='')}"
            return ArrowReader(vendor, uri + (f"?{urllib.parse.urlencode(query)}" if query else ""), module)
    except ImportError:
        log.info("series: no ADBC driver for %s installed; reads go through Django's cursor", vendor)
    return None
