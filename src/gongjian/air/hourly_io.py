"""Reading hourly station data from CSV or Excel into the canonical frame, checking everything.

Canonical input: columns ``station,time,so2,no2,co,o3,pm10,pm25``; ``time`` ISO 8601 Beijing time,
the **start** of the hour; µg/m3 except CO in mg/m3; empty or ``NA`` = missing. Optional flag columns
``so2_flag`` ... ``pm25_flag`` carry data flags (HJ 212 ``N``, ``C``, ``M``, ...); a value whose flag
is not valid (:data:`~gongjian.standards.hj663.VALID_FLAGS`) is read as missing. Other layouts are
described by a :class:`Layout` (column mapping, units, hour-ending labels, time split over columns).

Every problem (file, row, column, reason) is collected and raised together as
:class:`~gongjian.core.problems.InvalidInput`; a caller writes nothing unless reading succeeds.
Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from gongjian.core.imports import missing_columns, problems_from_mask
from gongjian.core.problems import InvalidInput, Problem
from gongjian.core.tabular import read_text_table
from gongjian.standards.hj663 import POLLUTANTS, mask_flagged
from gongjian.standards.units import CANONICAL, factor

__all__ = ["Layout", "read_hourly"]

#: Meteorological columns (m/s, degrees from north, °C, %, hPa, mm), read by :mod:`gongjian.air.met_io`.
MET_COLUMNS = ("wind_speed", "wind_direction", "temperature", "humidity", "pressure", "rain")
TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
NA_VALUES = ("", "NA", "N/A", "null", "—", "-")
#: Shown problems per file beyond which the rest are counted (the exception carries them all).
MAX_PROBLEMS = 10_000


@dataclass
class Layout:
    """How a source file maps onto the canonical columns.

    ``columns``: canonical name -> source column (``{"pm25": "PM2.5"}``). ``units``: pollutant ->
    unit of the file (``{"co": "ug/m3"}``); unstated pollutants are in their canonical unit.
    ``hour_label``: ``start`` (canonical) or ``end`` (``16:00`` = 15:00-16:00; ``24:00`` allowed).
    ``time_columns``: build the time from year, month, day, hour columns instead of one column.
    """

    columns: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    hour_label: str = "start"
    time_columns: tuple[str, str, str, str] | None = None

    def __post_init__(self) -> None:
        if self.hour_label not in ("start", "end"):
            raise ValueError("hour_label is 'start' or 'end'")
        unknown = set(self.columns) - {"station", "time", *POLLUTANTS, *(f"{p}_flag" for p in POLLUTANTS), *MET_COLUMNS}
        if unknown:
            raise ValueError(f"cannot map unknown column(s) {sorted(unknown)}")
        self.factors = {p: factor(p, self.units.get(p, CANONICAL[p])) for p in POLLUTANTS}
        for p in self.units:
            if p not in CANONICAL:
                raise ValueError(f"unit given for unknown pollutant {p!r}")

    def source(self, name: str) -> str:
        return self.columns.get(name, name)


def open_table(path: Path, value_columns: list[str], layout: Layout, problems: list[Problem]) -> pl.DataFrame | None:
    """The file as text columns, or ``None`` after recording why it cannot be used (unreadable,
    or missing the station, time or value columns)."""
    try:
        raw = read_text_table(path)
    except InvalidInput as exc:  # a file that is not CSV or Excel at all: one clear problem
        problems.extend(exc.problems)
        return None
    needed = [layout.source("station"), *(layout.time_columns or [layout.source("time")]), *value_columns]
    missing = missing_columns(raw.columns, needed, path.name)
    problems.extend(missing)
    return None if missing else raw


def _time_expr(frame: pl.DataFrame, layout: Layout) -> tuple[pl.Expr, list[str]]:
    if layout.time_columns:
        y, m, d, h = (pl.col(c).str.strip_chars().cast(pl.Int32, strict=False) for c in layout.time_columns)
        start = pl.datetime(y, m, d) + pl.duration(hours=h)
        return start, list(layout.time_columns)
    text = pl.col(layout.source("time")).str.strip_chars().str.replace(r"\+08:00$", "")
    # "24:00" ends the day in hour-ending data; read it as 00:00 of the next day
    is_24 = text.str.contains(r"[T ]24:00(:00)?$")
    base = pl.when(is_24).then(text.str.replace(r"24:00(:00)?$", "00:00")).otherwise(text)
    parsed = pl.coalesce(base.str.to_datetime(f, strict=False) for f in TIME_FORMATS)
    parsed = pl.when(is_24).then(parsed + pl.duration(days=1)).otherwise(parsed)
    return parsed, [layout.source("time")]


def read_hourly(paths: list[Path], layout: Layout | None = None, *, mask: bool = True,
                keep_rows: bool = False, check_station: Callable[[str], str | None] | None = None,
                flag_values: tuple[str, ...] | None = None) -> pl.DataFrame:
    """All files as one canonical hourly frame (``station, time, so2..pm25`` in canonical units).

    With ``mask`` (the default, for evaluation) flagged values are nulled and flag columns dropped;
    without it the values and ``<pollutant>_flag`` columns are returned as read (for storage).
    ``keep_rows`` keeps ``_source`` and ``_row`` so that later checks can name the line.
    ``check_station(code)`` returns why a station code is refused (unknown, outside the user's
    jurisdiction), so that those problems are listed with all the others in one pass; ``flag_values``
    is the vocabulary of data flags (an empty flag means normal)."""
    layout = layout or Layout()
    problems: list[Problem] = []
    frames = []
    for path in paths:
        source = Path(path).name
        raw = open_table(Path(path), [layout.source(p) for p in POLLUTANTS], layout, problems)
        if raw is None:
            continue
        frame, file_problems = _check_frame(raw, layout, source, mask)
        problems.extend(file_problems)
        if flag_values is not None:
            for flag in [c for c in frame.columns if c.endswith("_flag")]:
                bad = pl.col(flag).is_not_null() & (pl.col(flag) != "") & ~pl.col(flag).is_in(flag_values)
                problems += problems_from_mask(frame, bad, layout.source(flag),
                                               lambda r, f=flag: _("flag %(flag)r is not one of %(flags)s") % {"flag": r[f], "flags": ", ".join(flag_values)},
                                               source)
        if check_station is not None:
            problems += station_problems(frame, check_station, layout.source("station"), source)
        frames.append(frame)
    if frames and not problems:
        problems.extend(_duplicates(pl.concat(frames, how="diagonal_relaxed")))
    if problems:
        raise InvalidInput(problems)
    hourly = pl.concat(frames, how="diagonal_relaxed").sort("station", "time")
    return hourly if keep_rows else hourly.drop("_source", "_row")


def _check_frame(raw: pl.DataFrame, layout: Layout, source: str, mask: bool) -> tuple[pl.DataFrame, list[Problem]]:
    time, time_sources = _time_expr(raw, layout)
    values = {}
    for p in POLLUTANTS:
        text = pl.col(layout.source(p)).str.strip_chars()
        missing = text.is_null() | text.is_in(NA_VALUES)
        number = text.cast(pl.Float64, strict=False)  # "inf", "nan", "1e309" are no measurement: not a number
        values[p] = (text, missing, pl.when(number.is_finite()).then(number))
    checked = raw.with_row_index("_row", offset=2).select(
        pl.col("_row"),
        pl.col(layout.source("station")).str.strip_chars().alias("station"),
        time.alias("time"),
        pl.concat_str([pl.col(c) for c in time_sources], separator=" ").alias("_time_text"),
        *(v[0].alias(f"_{p}_text") for p, v in values.items()),
        *(pl.when(v[1]).then(None).otherwise(v[2]).alias(p) for p, v in values.items()),
        *(v[1].alias(f"_{p}_missing") for p, v in values.items()),
    )
    problems: list[Problem] = []

    def report(mask: pl.Expr, column: str, message) -> None:
        problems.extend(problems_from_mask(checked, mask, column, message, source, limit=MAX_PROBLEMS))

    report(pl.col("station").is_null() | (pl.col("station") == ""), layout.source("station"), lambda r: _("station is empty"))
    time_column = ",".join(time_sources)
    report(pl.col("time").is_null(), time_column,
           lambda r: _("time %(time)r is not a local date and time (YYYY-MM-DDTHH:MM)") % {"time": r["_time_text"]})
    report(pl.col("time").is_not_null() & ((pl.col("time").dt.minute() != 0) | (pl.col("time").dt.second() != 0)),
           time_column, lambda r: _("time %(time)s is not on the hour") % {"time": r["time"]})
    for p in POLLUTANTS:
        column = layout.source(p)
        report(~pl.col(f"_{p}_missing") & pl.col(p).is_null(), column,
               lambda r, p=p: _("%(value)r is not a number") % {"value": r[f"_{p}_text"]})
        report(pl.col(p) < 0, column, lambda r, p=p: _("negative concentration %(value)s") % {"value": r[p]})
        report(pl.col(p).is_nan() | pl.col(p).is_infinite(), column, lambda r, p=p: _("%(value)r is not a finite number") % {"value": r[f"_{p}_text"]})
    shift = pl.duration(hours=1) if layout.hour_label == "end" else pl.duration(hours=0)
    flag_sources = {p: layout.source(f"{p}_flag") for p in POLLUTANTS if layout.source(f"{p}_flag") in raw.columns}
    flags = raw.select(pl.col(src).str.strip_chars().alias(f"{p}_flag") for p, src in flag_sources.items())
    frame = checked.hstack(flags).select(
        pl.col("station"), (pl.col("time") - shift).alias("time"),
        *(_convert(pl.col(p), layout.factors[p]) for p in POLLUTANTS), *flags.columns,
        pl.lit(source).alias("_source"), pl.col("_row"))
    return (mask_flagged(frame) if mask else frame), problems


def _convert(value: pl.Expr, factor: float) -> pl.Expr:
    """Convert to the canonical unit without float noise: 2300 µg/m3 * 0.001 is 2.3000000000000003,
    which would decide a GB/T 8170 half (a daily mean of exactly 2.05 mg/m3) the wrong way. Data
    carry far fewer than nine decimals, so snapping to nine restores the decimal value."""
    return value if factor == 1 else (value * factor).round(9)


def station_problems(frame: pl.DataFrame, check_station: Callable[[str], str | None], column: str,
                     source: str) -> list[Problem]:
    """Why each station code refused by ``check_station`` is refused, at its first row."""
    firsts = frame.filter(pl.col("station").is_not_null() & (pl.col("station") != "")).group_by(
        "station", maintain_order=True).agg(pl.col("_row").first())
    firsts = firsts.with_columns(pl.Series("_why", [check_station(code) for code in firsts["station"]], pl.String))
    return problems_from_mask(firsts, pl.col("_why").is_not_null(), column, lambda r: r["_why"], source)


def _duplicates(hourly: pl.DataFrame) -> list[Problem]:
    """Every row after the first for a station and hour, naming the first (across all the files read)."""
    key = ("station", "time")
    rows = hourly.sort("station", "time", "_source", "_row").with_columns(
        pl.col("_source").first().over(key).alias("_first_source"), pl.col("_row").first().over(key).alias("_first_row"))
    return problems_from_mask(rows, pl.int_range(pl.len()).over(key) > 0, "time",
                              lambda r: _("station %(station)s hour %(hour)s repeats %(source)s row %(row)s") % {
                                  "station": r["station"], "hour": f"{r['time']:%Y-%m-%d %H:%M}",
                                  "source": r["_first_source"], "row": r["_first_row"]}, limit=MAX_PROBLEMS)
