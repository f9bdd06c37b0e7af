"""One way to import a table into a model: declared columns, the model's own validation, every
problem named by row and column, and all or nothing.

An importer declares an :class:`ImportSpec`: the model, its :class:`Column`\\ s (the headers a file
may carry for each, in Chinese and English, and how a cell is read), the natural key that makes a
row update a stored record, and ``prepare``, which fills what the file does not carry (the list
version, a record looked up from two cells). :func:`read_rows` maps the headers, reads every cell,
builds the model instances and runs the model's own ``full_clean`` on each, so that a form, the API
and an import refuse the same things with the same messages; every refusal becomes a
:class:`~gongjian.core.problems.Problem` with the row as a spreadsheet shows it (the header is row
1) and the column header as the file has it. :func:`save` writes nothing if there is any problem
(:class:`~gongjian.core.problems.InvalidInput`), and otherwise everything in one transaction, with
history. The file is read and checked before the transaction opens, so SQLite's write lock is not
held while a file is read (docs/architecture.md, "Bad input").

Series files (hourly air data, meteorology: millions of cells) are read vectorised with Polars, not
row by row through models; their bad cells become problems through :func:`problems_from_mask`, and
their missing columns through :func:`missing_columns`, the same way as here.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import polars as pl
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongjian import clock

from .numbers import finite_number
from .problems import InvalidInput, Problem
from .tabular import read_text_table

__all__ = [
    "BOOKKEEPING_HEADERS", "Batch", "Column", "Counts", "ImportSpec", "Row", "choice", "date", "decimal", "import_rows",
    "json_value", "match_headers", "missing_columns", "moment", "number", "problems_from_mask", "read_rows", "refused",
    "save",
]

#: Problems listed per check of a series file; the rest are counted by InvalidInput.
MASK_LIMIT = 10_000
#: Key values asked of the database per query (below every backend's limit on parameters).
CHUNK = 900


# --- reading cells -------------------------------------------------------------------------------

def number(text: str) -> float:
    """A finite number (``inf``, ``NaN``, ``1e309`` are no quantity: :mod:`gongjian.core.numbers`)."""
    value = finite_number(text)
    if value is None:
        raise ValidationError(_("%(v)r is not a number") % {"v": text})
    return value


def decimal(text: str) -> Decimal:
    """A finite decimal, exactly as written (no float rounding)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value.adjusted()) >= 30:
        raise ValidationError(_("%(v)r is not a number") % {"v": text})
    return value


def date(text: str) -> dt.date:
    """An ISO date; ``/`` is accepted between its parts, as spreadsheets write it."""
    try:
        return dt.date.fromisoformat(text.replace("/", "-")[:10])
    except ValueError:
        raise ValidationError(_("%(v)r is not a date (YYYY-MM-DD)") % {"v": text}) from None


def moment(text: str) -> dt.datetime:
    """An ISO date-time (``/`` accepted between date parts); without an offset it is Beijing time
    (:func:`gongjian.clock.parse_as_of`)."""
    try:
        return clock.parse_as_of(text.replace("/", "-"))
    except ValueError:
        raise ValidationError(_("%(v)r is not a time (YYYY-MM-DD HH:MM)") % {"v": text}) from None


def json_value(text: str) -> Any:
    """A JSON value as a cell writes it (``{"pm10": 80}``); the model field's validators then say
    whether it has the shape they need."""
    try:
        return json.loads(text)
    except ValueError:
        raise ValidationError(_("%(v)r is not JSON (e.g. {\"pm10\": 80})") % {"v": text}) from None


def choice(mapping: Mapping[str, Any], message: str, **params) -> Callable[[str], Any]:
    """A cell read through ``mapping`` (words a file writes -> stored value); any other text is refused
    with ``message``, formatted with ``v`` (the text) and ``params``."""
    def parse(text: str) -> Any:
        if text in mapping:
            return mapping[text]
        raise ValidationError(message % {"v": text, **params})
    return parse


# --- declarations --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a file: the ``field`` it fills (a model field, or a value only ``prepare``
    reads), the ``headers`` a file may give it (the first is the one shown; Chinese and English),
    ``parse`` turning a non-empty cell's text into the value (raising ``ValidationError`` with the
    message a user reads; default: the text), and whether the file must have it. ``assign=False``
    keeps the value from the instance (``prepare`` uses it, e.g. a name looked up with another cell);
    problems of the field are still named by this column."""

    field: str
    headers: tuple[str, ...]
    parse: Callable[[str], Any] | None = None
    required: bool = False
    assign: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.headers, str):
            object.__setattr__(self, "headers", (self.headers,))

    @property
    def header(self) -> str:
        return self.headers[0]


@dataclass(frozen=True)
class ImportSpec:
    """How a table becomes records of ``model``.

    ``key``: fields (all of them columns) naming a stored record; a row whose key names one of
    ``within`` (default: all the model's records; give the records the user sees) updates it, and
    ``prepare`` refuses it if the user may not change that record as stored (``row.stored``).
    ``unique``: further sets of fields no two rows of a file may share (the model's unconditional
    unique constraints are added; empty values never clash). ``prepare(row)`` fills what the file
    does not carry and reports what only it can check (``row.problem``). ``exclude``: fields the
    model's validation leaves alone (set when written, e.g. a tree's path). ``create(row)`` writes
    one new record where a model needs more than a bulk insert (a tree node); by default new
    records are bulk-created with history. ``extra_columns``: whether headers the spec does not know
    are ignored (a plan's table) instead of refused.
    """

    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    prepare: Callable[[Row], None] | None = None
    exclude: tuple[str, ...] = ()
    create: Callable[[Row], None] | None = None
    extra_columns: bool = False
    within: models.QuerySet | None = None

    def __post_init__(self) -> None:
        fields = {c.field for c in self.columns}
        if missing := [k for k in self.key if k not in fields]:
            raise ValueError(f"key field(s) {missing} are not columns")

    @classmethod
    def for_fields(cls, model: type[models.Model], fields: Iterable[str], *,
                   querysets: Mapping[str, models.QuerySet] | None = None, **options) -> ImportSpec:
        """A spec from a model's fields (a registry entry's ``form_fields``): each column headed by
        the field's verbose name in Chinese, in English, or its name; cells read by the model field's
        own conversion, choices by value or label, relations by primary key or a unique code of the
        related model looked up in ``querysets[name]`` (scope them to the user: a row may link only to
        what its author sees)."""
        querysets = querysets or {}
        columns = []
        for name in fields:
            f = model._meta.get_field(name)
            headers = []
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    headers.append(str(f.verbose_name))
            columns.append(Column(name, tuple(dict.fromkeys([*headers, name])), _field_parser(f, querysets.get(name)),
                                  required=not f.blank and not f.has_default() and not f.many_to_many))
        return cls(model, tuple(columns), **options)


def _field_parser(f, queryset) -> Callable[[str], Any]:
    """How a cell fills model field ``f``: the field's own conversion and messages."""
    if f.is_relation:
        related = f.related_model
        unique = {r.name for r in related._meta.concrete_fields if r.unique and not r.primary_key} | {
            c.fields[0] for c in related._meta.constraints if isinstance(c, models.UniqueConstraint) and len(c.fields) == 1}
        codes = [r.name for r in related._meta.concrete_fields if r.name in unique and isinstance(r, models.CharField)]
        base = queryset if queryset is not None else related._default_manager.all()
        cache: dict[str, Any] = {}

        def one(text: str):
            if text not in cache:
                match = models.Q(pk=int(text)) if text.isdigit() else models.Q(pk__in=[])
                for code in codes:
                    match |= models.Q(**{code: text})
                cache[text] = base.filter(match).first()
            if cache[text] is None:
                raise ValidationError(_("no %(model)s %(v)r") % {"model": related._meta.verbose_name, "v": text})
            return cache[text]

        if f.many_to_many:
            return lambda text: [one(part.strip()) for part in re.split(r"[,，、;；]", text) if part.strip()]
        return one
    if f.choices:
        words = {}
        for value, label in f.flatchoices:
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    words[str(label)] = value
            words[str(value)] = value
        return choice(words, _("%(v)r is not one of %(c)s"), c="、".join(str(label) for _v, label in f.flatchoices))
    if isinstance(f, models.BooleanField):
        return choice({"是": True, "否": False, "true": True, "false": False, "True": True, "False": False,
                       "1": True, "0": False, "yes": True, "no": False}, _("%(v)r is neither 是 nor 否"))
    if isinstance(f, models.JSONField):
        return json_value
    if isinstance(f, models.DateTimeField):
        return moment
    if isinstance(f, models.DateField):
        return date
    if isinstance(f, models.FloatField):
        return number
    if isinstance(f, models.DecimalField):
        return decimal
    return f.to_python


# --- reading a file ------------------------------------------------------------------------------

@dataclass
class Row:
    """One row of a file as read: its ``number`` as a spreadsheet shows it, the cells' ``texts`` and
    parsed ``values`` by column field (a cell that could not be read has no value), the model
    ``instance`` it becomes (a copy of the stored record when its key is stored), ``stored`` (that
    record as read, untouched by the row: who may change it is judged on it, not on what the row
    makes of it), ``before`` (the stored values it changes, ``None`` for a new record), ``changed``
    (those fields) and ``many`` (values of many-to-many fields, set once the record is saved).
    ``failed``: the fields whose cells could not be read or were refused; ``refused``: whether any
    problem names this row."""

    batch: Batch
    number: int
    texts: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    instance: models.Model | None = None
    stored: models.Model | None = None
    before: dict[str, Any] | None = None
    changed: list[str] = field(default_factory=list)
    many: dict[str, list] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    refused: bool = False

    def problem(self, message: str, field: str = "") -> None:
        """Report ``message`` at this row, in the column of ``field`` (a column's or model field's name)."""
        self.refused = True
        self.failed.add(field)
        self.batch.problems.append(Problem(str(message), self.batch.source, self.number, self.batch.header(field)))


@dataclass
class Batch:
    """A file read and checked: its rows, every problem found, and the headers as the file has them."""

    spec: ImportSpec
    source: str
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def header(self, name: str) -> str:
        """The column header that names ``name`` in this file; a model field the file does not
        carry is named by its verbose name."""
        if not name or name == NON_FIELD_ERRORS:
            return ""
        if name in self.headers:
            return self.headers[name]
        declared = next((c.header for c in self.spec.columns if c.field == name), None)
        if declared is not None:
            return declared
        try:
            return str(self.spec.model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # not a model field: a name the importer chose
            return name

    def check(self) -> None:
        """Raise :class:`InvalidInput` with every problem, if there is any, in the order of the file's rows
        (problems of the whole file first)."""
        if self.problems:
            raise InvalidInput(sorted(self.problems, key=lambda p: p.row or 0))


@dataclass(frozen=True)
class Counts:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def refused(message: str, source: str = "", field: str = "") -> InvalidInput:
    """The exception refusing a whole input for one reason (a list version that is not a draft, an
    issue date that is no date)."""
    return InvalidInput([Problem(str(message), source, field=field)])


def _normal(header: str) -> str:
    """A header as compared: case, spaces and parenthesised notes (units: ``(kW)``, ``（t/a）``) ignored."""
    return re.sub(r"[(（][^)）]*[)）]|\s", "", str(header)).casefold()


def missing_columns(headers: Iterable[str], wanted: Iterable[str | tuple[str, ...]], source: str) -> list[Problem]:
    """A problem (row 1) for each wanted column (a header, or the headers any one of which will do)
    that ``headers`` lacks, compared exactly (a series file's columns are selected by these names)."""
    present = set(headers)
    wanted = [(names,) if isinstance(names, str) else tuple(names) for names in wanted]
    return [_missing(names, source) for names in wanted if not present.intersection(names)]


def _missing(names: tuple[str, ...], source: str) -> Problem:
    message = _("missing column") if len(names) == 1 else _("missing column (one of %(c)s)") % {"c": ", ".join(names)}
    return Problem(message, source, 1, names[0])


#: Headers of an office's own bookkeeping that a sheet may carry beside the data (a row number, a
#: remark): ignored wherever no column claims them, so that 序号 and 备注 need not be cut from a
#: sheet before it is sent, while a misspelt header is still refused. 编号 is not one of them: in
#: some sheets it is the key (a task's number), and a key silently ignored would make every row new.
BOOKKEEPING_HEADERS = ("序号", "备注", "说明", "No.", "No", "note", "notes", "remark", "remarks")


def match_headers(headers: Iterable[str], columns: Iterable[Column], source: str, *,
                  extra: bool = False) -> tuple[dict[str, str], list[Problem]]:
    """Which header of a file holds each column (field -> header as written) and the problems: a
    required column missing, a column given twice, a header no column knows (other than the
    :data:`BOOKKEEPING_HEADERS`, ignored). With ``extra`` (a file that carries other columns too)
    every unknown header is ignored, and of two headers for one column the one first in the
    column's ``headers`` is taken."""
    headers = [h for h in headers if str(h).strip()]
    by_normal: dict[str, list[str]] = {}
    for h in headers:
        by_normal.setdefault(_normal(h), []).append(h)
    found, used, problems = {}, set(), []
    for column in columns:
        hits = [h for name in column.headers for h in by_normal.get(_normal(name), [])]
        hits = list(dict.fromkeys(hits))
        if len(hits) > 1 and not extra:
            problems.append(Problem(_("the columns %(c)s are the same column") % {"c": ", ".join(hits)}, source, 1,
                                    hits[1]))
        if hits:
            found[column.field] = hits[0]
            used.update(hits)
        elif column.required:
            problems.append(_missing(column.headers, source))
    if not extra:
        known = "、".join(c.header for c in columns)
        bookkeeping = {_normal(h) for h in BOOKKEEPING_HEADERS}
        problems += [Problem(_("unknown column (the columns are %(c)s)") % {"c": known}, source, 1, h)
                     for h in headers if h not in used and _normal(h) not in bookkeeping]
    return found, problems


def _records(table, first_row: int | None) -> tuple[list[str] | None, Iterable[tuple[int, Mapping]]]:
    """The headers and numbered records of a file, a frame or a list of mappings (no headers for no
    mappings: nothing was sent, which is not a missing column)."""
    if isinstance(table, (str, Path)):
        table = read_text_table(Path(table))  # a file that is not a table raises InvalidInput naming it
    if isinstance(table, pl.DataFrame):
        return table.columns, enumerate(table.iter_rows(named=True), start=first_row or 2)
    records = list(table)
    headers = list(dict.fromkeys(k for r in records for k in r)) if records else None
    return headers, enumerate(records, start=first_row or 1)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read_rows(table, spec: ImportSpec, source: str = "", *, first_row: int | None = None) -> Batch:
    """Read ``table`` (a CSV or Excel file, a Polars frame of text, or a list of mappings from the
    API) through ``spec``: every problem is collected in the returned :class:`Batch`, nothing is
    written. Rows are numbered from 2 for files and frames (the header is row 1) and from 1 for
    records, unless ``first_row`` says otherwise; blank rows are skipped."""
    if isinstance(table, (str, Path)) and not source:
        source = Path(table).name
    headers, records = _records(table, first_row)
    batch = Batch(spec, source)
    if headers is not None:
        batch.headers, batch.problems = match_headers(headers, spec.columns, source, extra=spec.extra_columns)
    if batch.problems:
        return batch
    columns = [c for c in spec.columns if c.field in batch.headers]
    for number, record in records:
        texts = {c.field: _text(record.get(batch.headers[c.field])) for c in columns}
        if not any(texts.values()):
            continue
        row = Row(batch, number, texts)
        for column in columns:
            text = texts[column.field]
            if not text:
                row.values[column.field] = None
                continue
            try:
                row.values[column.field] = column.parse(text) if column.parse else text
            except ValidationError as exc:
                for message in exc.messages:
                    row.problem(message, column.field)
        batch.rows.append(row)
    stored = _stored(spec, batch.rows)
    for row in batch.rows:
        _build(row, stored)
    _duplicates(batch)
    if not batch.rows and not batch.problems:
        batch.problems.append(Problem(_("no %(things)s given") % {"things": spec.model._meta.verbose_name_plural},
                                      source))
    return batch


def _key(spec: ImportSpec, values: Mapping[str, Any]) -> tuple | None:
    if not spec.key or any(values.get(k) is None for k in spec.key):
        return None
    return tuple(v.pk if isinstance(v, models.Model) else v for v in (values[k] for k in spec.key))


def _stored(spec: ImportSpec, rows: list[Row]) -> dict[tuple, models.Model]:
    """The stored records the rows' keys name, asked in chunks of the key field with most values."""
    keys = {k for k in (_key(spec, r.values) for r in rows) if k is not None}
    if not keys:
        return {}
    attnames = [spec.model._meta.get_field(k).attname for k in spec.key]
    distinct = [{k[i] for k in keys} for i in range(len(attnames))]
    widest = max(range(len(attnames)), key=lambda i: len(distinct[i]))
    others = {f"{a}__in": distinct[i] for i, a in enumerate(attnames) if i != widest}
    values = sorted(distinct[widest], key=str)
    found = {}
    for start in range(0, len(values), CHUNK):
        base = spec.within if spec.within is not None else spec.model._default_manager.all()
        query = base.filter(**others, **{f"{attnames[widest]}__in": values[start:start + CHUNK]})
        for record in query:
            key = tuple(getattr(record, a) for a in attnames)
            if key in keys:
                found[key] = record
    return found


def _snapshot(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
            if not f.primary_key and not getattr(f, "auto_now", False)}


def _build(row: Row, stored: Mapping[tuple, models.Model]) -> None:
    """The row's instance with its values, prepared and validated by the model itself."""
    spec = row.batch.spec
    key = _key(spec, row.values)
    row.stored = stored.get(key) if key is not None else None
    if row.stored is not None:
        row.before = _snapshot(row.stored)
        row.instance = copy.copy(row.stored)  # a model's copy has its own cache of related records
    else:
        row.instance = spec.model()
    meta = spec.model._meta
    for column in spec.columns:
        if not column.assign or column.field not in row.values or column.field in row.failed:
            continue
        try:
            f = meta.get_field(column.field)
        except FieldDoesNotExist:  # a value only prepare reads
            continue
        value = row.values[column.field]
        if f.many_to_many:
            row.many[f.name] = value or []
        else:
            setattr(row.instance, f.name, _empty(f) if value is None else value)
    if spec.prepare is not None:
        try:
            spec.prepare(row)
        except ValidationError as exc:
            _report(row, exc)
    try:
        if row.refused:
            # each field's own rules still apply; the model's rules across fields would only report
            # the consequences of a cell already refused
            row.instance.clean_fields(exclude=[*spec.exclude, *row.failed])
        else:
            row.instance.full_clean(exclude=list(spec.exclude))
    except ValidationError as exc:
        _report(row, exc)
    if row.before is not None:
        after = _snapshot(row.instance)
        row.changed = [name for name, value in after.items() if row.before[name] != value]


def _empty(f) -> Any:
    """What an empty cell stores: an empty text for a text field, else nothing."""
    return "" if f.empty_strings_allowed and not f.null else None


def _report(row: Row, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for name, messages in errors.items():
        for message in messages:
            row.problem(message, name)


def _duplicates(batch: Batch) -> None:
    """Rows of the file that name the same record (key, the spec's and the model's unique sets), each
    row reported once (the first set it clashes in: the key, usually the fewest fields)."""
    meta = batch.spec.model._meta
    sets = [batch.spec.key, *batch.spec.unique, *(tuple(c.fields) for c in meta.total_unique_constraints),
            *meta.unique_together, *((f.name,) for f in meta.concrete_fields if f.unique and not f.primary_key)]
    sets = [s for s in dict.fromkeys(tuple(s) for s in sets) if s]
    reported: set[int] = set()
    for fields in sets:
        seen: dict[tuple, int] = {}
        for row in batch.rows:
            values = tuple(getattr(row.instance, meta.get_field(f).attname) for f in fields)
            if any(v is None or v == "" for v in values):
                continue
            if values in seen and row.number not in reported:
                reported.add(row.number)
                shown = ", ".join(row.texts.get(f) or str(getattr(row.instance, f)) for f in fields)
                row.problem(_("%(v)s is given twice (first in row %(row)s)") % {"v": shown, "row": seen[values]},
                            fields[-1])
            elif values not in seen:
                seen[values] = row.number


# --- writing -------------------------------------------------------------------------------------

def save(batch: Batch, *, user=None, replace: models.QuerySet | None = None) -> Counts:
    """Write a batch read without problems, all in one transaction: ``replace`` (records the file
    takes the place of) deleted, new records created and changed ones updated, with history (who:
    ``user``). Raises :class:`InvalidInput` and writes nothing if the batch has any problem."""
    batch.check()
    spec, model = batch.spec, batch.spec.model
    new = [r for r in batch.rows if r.before is None]
    changed = [r for r in batch.rows if r.before is not None and r.changed]
    historical = getattr(model._meta, "simple_history_manager_attribute", None) is not None
    with transaction.atomic():
        if replace is not None:
            replace.delete()
        if spec.create is not None:
            for row in new:
                spec.create(row)
        elif historical:
            for row, saved in zip(new, bulk_create_with_history([r.instance for r in new], model,
                                                                  default_user=user), strict=True):
                row.instance = saved
        else:
            model._default_manager.bulk_create([r.instance for r in new])
        if changed:
            stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
            for row in changed:
                for f in stamped:
                    f.pre_save(row.instance, False)
            names = sorted({meta_name(model, a) for r in changed for a in r.changed} | {f.name for f in stamped})
            if historical:
                bulk_update_with_history([r.instance for r in changed], model, names, default_user=user)
            else:
                model._default_manager.bulk_update([r.instance for r in changed], names)
        for row in new + changed:
            for name, values in row.many.items():
                getattr(row.instance, name).set(values)
    return Counts(len(new), len(changed), len(batch.rows) - len(new) - len(changed))


def meta_name(model: type[models.Model], attname: str) -> str:
    """The field name of a column name (``meter_id`` -> ``meter``)."""
    return next(f.name for f in model._meta.concrete_fields if f.attname == attname)


def import_rows(table, spec: ImportSpec, source: str = "", *, user=None, replace: models.QuerySet | None = None,
                first_row: int | None = None) -> Counts:
    """:func:`read_rows` then :func:`save`: all of ``table`` or nothing."""
    return save(read_rows(table, spec, source, first_row=first_row), user=user, replace=replace)


# --- series files --------------------------------------------------------------------------------

def problems_from_mask(frame: pl.DataFrame, mask: pl.Expr, column: str, message: str | Callable[[dict], str],
                       source: str | None = None, *, limit: int = MASK_LIMIT) -> list[Problem]:
    """A problem for each row of ``frame`` where ``mask`` holds (the first ``limit`` of them), at the
    row in its ``_row`` column and the header ``column``; ``message`` is a text or made from the row;
    ``source`` is the file, or ``None`` for the row's ``_source`` column (several files at once)."""
    return [Problem(message(r) if callable(message) else message, source if source is not None else r["_source"],
                    r["_row"], column) for r in frame.filter(mask).head(limit).iter_rows(named=True)]
