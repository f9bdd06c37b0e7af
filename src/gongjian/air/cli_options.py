"""Command-line options that describe a file layout, shared by `gongjian air` and `gongjian import air`."""

from __future__ import annotations

from django.core.management.base import CommandError

from .hourly_io import Layout

__all__ = ["add_layout_arguments", "layout_from_options", "pairs"]


def add_layout_arguments(parser) -> None:
    parser.add_argument("--map", action="append", default=[], metavar="COLUMN=SOURCE",
                        help="canonical column from a source column, e.g. pm25=PM2.5 (repeatable)")
    parser.add_argument("--unit", action="append", default=[], metavar="POLLUTANT=UNIT",
                        help="unit of a pollutant in the files, e.g. co=ug/m3 (repeatable)")
    parser.add_argument("--hour-label", choices=["start", "end"], default=None,
                        help="whether times label the start (default) or the end of the hour")
    parser.add_argument("--time-columns", metavar="YEAR,MONTH,DAY,HOUR",
                        help="build the time from these four columns instead of one time column")


def pairs(values: list[str], option: str) -> dict[str, str]:
    result = {}
    for value in values:
        name, sep, target = value.partition("=")
        if not sep or not name or not target:
            raise CommandError(f"{option} takes NAME=VALUE, not {value!r}")
        result[name.strip().lower()] = target.strip()
    return result


def layout_from_options(options: dict, base: Layout | None = None) -> Layout:
    """The layout the options describe, on top of ``base`` (a remembered layout)."""
    base = base or Layout()
    time_columns = base.time_columns
    if options.get("time_columns"):
        time_columns = tuple(c.strip() for c in options["time_columns"].split(","))
        if len(time_columns) != 4:
            raise CommandError("--time-columns takes four names: YEAR,MONTH,DAY,HOUR")
    try:
        return Layout(columns={**base.columns, **pairs(options.get("map", []), "--map")},
                      units={**base.units, **pairs(options.get("unit", []), "--unit")},
                      hour_label=options.get("hour_label") or base.hour_label, time_columns=time_columns)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
