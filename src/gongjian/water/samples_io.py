"""Reading surface-water sample results from CSV or Excel, checking everything.

Columns (English or the Chinese header in brackets): ``section`` (断面), ``date`` (日期;
``YYYY-MM-DD``, ``YYYY/MM/DD`` or ``YYYYMMDD``, optionally followed by ``HH:MM[:SS]``; Beijing
time), ``item`` (项目; the Chinese name, the usual abbreviation or the HJ 212-2017 code:
:func:`gongjian.standards.gb3838.item_for_name`), ``value`` (监测值); optional ``kind`` (水体类型:
``river``/``lake``/``reservoir`` or 河流/湖泊/水库), ``target`` (目标类别: ``III``, ``Ⅲ``, ``3``) and
``unit`` (单位). Without a unit a value is in the item's Table 1 unit, or for an HJ 212 code in the
code's unit (:func:`gongjian.standards.gb3838.code_unit`: µg/L for some metals); values are
converted to the Table 1 unit. A value below the detection limit is written ``0.01L``, ``<0.01``
(the limit is kept as the value, ``below_limit`` true); a bare ``ND`` is refused, as it gives no
limit to take half of (:data:`gongjian.standards.gb3838.ND_FACTOR`). An empty value is no data.

Every problem is named by file, row (the header is row 1) and column, and raised together as
:class:`~gongjian.core.problems.InvalidInput`; nothing is returned unless every row is sound:
an unknown item, a negative concentration, a pH outside 0–14, a unit that does not fit the item, a
sample given twice (section, time, item, across all the files), a bad date, an unknown kind or
one kind per section broken, a target that is no class Ⅰ..Ⅴ.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from gongjian.core.imports import missing_columns, problems_from_mask
from gongjian.core.problems import InvalidInput, Problem
from gongjian.core.tabular import read_text_table
from gongjian.standards import gb3838, units

__all__ = ["COLUMNS", "KIND_WORDS", "SCHEMA", "read_samples"]

#: Each column and the headers accepted for it (the first is the canonical one).
COLUMNS = {
    "section": ("section", "断面", "断面名称", "断面编码"),
    "date": ("date", "time", "日期", "采样日期", "监测日期", "采样时间", "监测时间"),
    "item": ("item", "项目", "监测项目", "指标"),
    "value": ("value", "监测值", "浓度", "结果", "监测结果"),
    "kind": ("kind", "水体类型", "类型"),
    "target": ("target", "目标类别", "水质目标", "目标"),
    "unit": ("unit", "单位"),
}
REQUIRED = ("section", "date", "item", "value")
#: Kinds as sheets write them.
KIND_WORDS = {"river": "river", "lake": "lake", "reservoir": "reservoir", "河流": "river", "河": "river",
              "湖泊": "lake", "湖": "lake", "湖库": "lake", "水库": "reservoir", "库": "reservoir"}
#: The frame returned.
SCHEMA = {"section": pl.String, "date": pl.Date, "time": pl.Datetime("us"), "item": pl.String, "value": pl.Float64,
          "below_limit": pl.Boolean, "kind": pl.String, "target": pl.Int8}
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?")


def _moment(text: str) -> dt.datetime:
    """A date with an optional time of day (an Excel date cell reads as ``2024-01-05 00:00:00``)."""
    raw = text.strip().replace("T", " ")
    day, _sep, rest = raw.partition(" ")
    match = _DATE.fullmatch(day)
    if not match:
        raise ValueError
    y, m, d = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
    hour = minute = second = 0
    if rest.strip():
        clock = _TIME.fullmatch(rest.strip())
        if not clock:
            raise ValueError
        hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
    return dt.datetime(y, m, d, hour, minute, second)


def _header(columns: list[str], name: str) -> str | None:
    return next((c for c in COLUMNS[name] if c in columns), None)


def _lookup(texts: pl.Series, parse: Callable[[str], object]) -> dict[str, object]:
    """``parse`` once per distinct text (``None`` where it raises ``ValueError``)."""
    found = {}
    for text in texts.unique().drop_nulls().to_list():
        try:
            found[text] = parse(text)
        except ValueError:
            found[text] = None
    return found


def _mapped(frame: pl.DataFrame, column: str, parse: Callable[[str], object], dtype: pl.DataType) -> pl.Series:
    table = _lookup(frame[column], parse)
    return frame[column].replace_strict(table, default=None, return_dtype=dtype) if table else pl.Series(
        [None] * frame.height, dtype=dtype)


def _reading(text: str) -> dict:
    r = gb3838.parse_reading(text)
    return {"number": r.limit if r.below_limit else r.value, "below": r.below_limit,
            "bare_nd": r.below_limit and r.limit is None}


def _kind(text: str) -> str:
    if text.casefold() not in KIND_WORDS:
        raise ValueError
    return KIND_WORDS[text.casefold()]


def _target(text: str) -> int:
    cls = gb3838.parse_class(text)
    if cls > 5:
        raise ValueError
    return cls


def _factor(pair: str) -> float:
    """The factor to the item's Table 1 unit for ``item text|unit`` (no unit: the code's or the item's)."""
    item_text, _sep, unit = pair.partition("|")
    item = gb3838.item_for_name(item_text)
    if not unit and re.fullmatch(r"[wW]\d{5}", item_text):
        unit = gb3838.code_unit(item_text)
    return units.water_factor(unit, item.unit) if unit else 1.0


def read_samples(paths: list[Path], check_section: Callable[[str], str | None] | None = None, *,
                 keep_rows: bool = False) -> pl.DataFrame:
    """All files as one frame (:data:`SCHEMA`): ``section, date, time, item`` (a GB 3838 item key),
    ``value`` (Table 1 unit; the detection limit when ``below_limit``), ``below_limit``, ``kind``
    (river when not given), ``target`` (1..5 or null); sorted by section, time and item.

    ``check_section(name)`` returns why a section is refused (unknown, outside the user's
    jurisdiction), named once at its first row with every other problem; ``keep_rows`` adds
    ``_source``, ``_row`` and ``_kind_given`` (the row gave a kind: ``kind`` is not the default)."""
    problems: list[Problem] = []
    frames = []
    for path in map(Path, paths):
        try:
            table = read_text_table(path)
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        missing = missing_columns(table.columns, [COLUMNS[n] for n in REQUIRED], path.name)
        if missing:
            problems.extend(missing)
            continue
        frame, file_problems = _check(table, path.name, check_section)
        problems.extend(file_problems)
        frames.append(frame)
    if frames:  # across files, among the rows whose section, time and item could be read
        every = pl.concat(frames).filter((pl.col("section") != "") & pl.col("time").is_not_null()
                                         & pl.col("item").is_not_null())
        problems.extend(_duplicates(every))
        problems.extend(_kinds(every))
    if problems:
        raise InvalidInput(problems)
    extra = {"_source": pl.String, "_row": pl.Int32, "_kind_given": pl.Boolean} if keep_rows else {}
    if not frames:
        return pl.DataFrame(schema=SCHEMA | extra)
    result = pl.concat(frames).sort("section", "time", "item")
    return result.select(*SCHEMA, *extra)


def _check(table: pl.DataFrame, source: str, check_section) -> tuple[pl.DataFrame, list[Problem]]:
    headers = {name: _header(table.columns, name) for name in COLUMNS}

    def text(name: str) -> pl.Expr:
        if headers[name] is None:
            return pl.lit("", pl.String).alias(name)
        return pl.col(headers[name]).cast(pl.String).str.strip_chars().fill_null("").alias(name)

    raw = table.with_row_index("_row", offset=2).select(pl.col("_row").cast(pl.Int32), *(text(n) for n in COLUMNS))
    raw = raw.filter(pl.any_horizontal(pl.col(n) != "" for n in COLUMNS))  # blank lines
    raw = raw.with_columns(pl.concat_str("item", pl.lit("|"), "unit").alias("_item_unit"))
    readings = _mapped(raw, "value", _reading, pl.Struct({"number": pl.Float64, "below": pl.Boolean,
                                                          "bare_nd": pl.Boolean}))
    checked = raw.with_columns(
        _mapped(raw, "date", _moment, pl.Datetime("us")).alias("time"),
        _mapped(raw, "item", lambda t: gb3838.item_for_name(t).key, pl.String).alias("_item"),
        readings.alias("_reading"),
        _mapped(raw, "kind", _kind, pl.String).alias("_kind"),
        _mapped(raw, "target", _target, pl.Int8).alias("_target"),
        _mapped(raw, "_item_unit", _factor, pl.Float64).alias("_factor"),
    ).with_columns(pl.col("_reading").struct.field("number").alias("_number"))
    number = (pl.col("_number") * pl.col("_factor").fill_null(1.0)).round(12)
    checked = checked.with_columns(
        pl.when(pl.col("_factor") == 1.0).then(pl.col("_number")).otherwise(number).alias("_value"))
    problems: list[Problem] = []

    def report(mask: pl.Expr, name: str, message) -> None:
        problems.extend(problems_from_mask(checked, mask, headers[name] or COLUMNS[name][0], message, source))

    report(pl.col("section") == "", "section", _("section is empty"))
    if check_section is not None:
        firsts = checked.filter(pl.col("section") != "").group_by("section", maintain_order=True).agg(
            pl.col("_row").first())
        why = {name: check_section(name) for name in firsts["section"]}
        refused = firsts.with_columns(pl.col("section").replace_strict(why, return_dtype=pl.String).alias("_why"))
        problems.extend(problems_from_mask(refused, pl.col("_why").is_not_null(), headers["section"],
                                           lambda r: r["_why"], source))
    report(pl.col("time").is_null(), "date",
           lambda r: _("%(value)r is not a date (YYYY-MM-DD, optionally with HH:MM)") % {"value": r["date"]})
    report(pl.col("_item").is_null(), "item",
           lambda r: _("%(value)r is not a GB 3838 item (write its Chinese name, e.g. 氨氮, or its HJ 212 code)")
           % {"value": r["item"]})
    report((pl.col("kind") != "") & pl.col("_kind").is_null(), "kind",
           lambda r: _("kind %(value)r is not river, lake or reservoir (河流, 湖泊, 水库)") % {"value": r["kind"]})
    report((pl.col("target") != "") & pl.col("_target").is_null(), "target",
           lambda r: _("target %(value)r is not a class I..V") % {"value": r["target"]})
    report(pl.col("_item").is_not_null() & pl.col("_factor").is_null(), "unit",
           lambda r: _("unit %(unit)r does not fit %(item)s (its unit is %(canonical)s)") % {
               "unit": r["unit"], "item": gb3838.ALL_ITEMS[r["_item"]].name_zh,
               "canonical": gb3838.ALL_ITEMS[r["_item"]].unit or _("dimensionless")})
    report((pl.col("value") != "") & pl.col("_reading").is_null(), "value",
           lambda r: _("%(value)r is not a number, nor a result below the detection limit (0.01L, <0.01)")
           % {"value": r["value"]})
    report(pl.col("_reading").struct.field("bare_nd").fill_null(False), "value",
           lambda r: _("%(value)r gives no detection limit: write it as 0.01L or <0.01 with the limit")
           % {"value": r["value"]})
    report((pl.col("_item") == "ph") & ((pl.col("_value") < 0) | (pl.col("_value") > 14)), "value",
           lambda r: _("pH %(value)s is outside 0–14") % {"value": r["value"]})
    report((pl.col("_item") != "ph").fill_null(True) & (pl.col("_item") != "water_temperature").fill_null(True)
           & (pl.col("_value") < 0), "value",
           lambda r: _("negative concentration %(value)s") % {"value": r["value"]})
    frame = checked.select(
        "section", pl.col("time").dt.date().alias("date"), "time", pl.col("_item").alias("item"),
        pl.col("_value").alias("value"),
        pl.col("_reading").struct.field("below").fill_null(False).alias("below_limit"),
        pl.col("_kind").fill_null("river").alias("kind"), pl.col("_target").alias("target"),
        pl.lit(source).alias("_source"), "_row", pl.col("_kind").is_not_null().alias("_kind_given"))
    return frame, problems


def _duplicates(samples: pl.DataFrame) -> list[Problem]:
    """Every sample after the first for a section, time and item (across all the files), naming the first."""
    key = ["section", "time", "item"]
    rows = samples.with_row_index("_order").sort("_order").with_columns(
        pl.col("_source").first().over(key).alias("_first_source"), pl.col("_row").first().over(key).alias("_first_row"))
    return problems_from_mask(
        rows, pl.int_range(pl.len()).over(key) > 0, "date",
        lambda r: _("section %(section)s %(item)s at %(time)s repeats %(source)s row %(row)s") % {
            "section": r["section"], "item": gb3838.ALL_ITEMS[r["item"]].name_zh, "time": f"{r['time']:%Y-%m-%d %H:%M}",
            "source": r["_first_source"], "row": r["_first_row"]})


def _kinds(samples: pl.DataFrame) -> list[Problem]:
    """A section is one kind of water: a row giving another kind than the section's first row is refused."""
    rows = samples.with_columns(pl.col("kind").first().over("section").alias("_first_kind"),
                                pl.col("_source").first().over("section").alias("_first_source"),
                                pl.col("_row").first().over("section").alias("_first_row"))
    return problems_from_mask(
        rows, pl.col("kind") != pl.col("_first_kind"), "kind",
        lambda r: _("section %(section)s is a %(kind)s in %(source)s row %(row)s") % {
            "section": r["section"], "kind": _(r["_first_kind"]), "source": r["_first_source"], "row": r["_first_row"]})
