"""The air files for ``gongjian import``: hourly station data and hourly meteorology
(:mod:`gongjian.core.cli_imports`)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from gongjian.core.cli_imports import ImportKind

from . import services
from .cli_options import add_layout_arguments, layout_from_options
from .models import SourceLayout

__all__ = ["IMPORT_KINDS"]


def _air_arguments(parser) -> None:
    parser.add_argument("--source", required=True,
                        help="name of the data source; its layout is remembered for the next import")
    parser.add_argument("--preview", action="store_true", help="check and count only; save nothing")
    add_layout_arguments(parser)


def _met_arguments(parser) -> None:
    parser.add_argument("--preview", action="store_true", help="check and count only; save nothing")
    add_layout_arguments(parser)


def _air(files: list[Path], options: dict) -> str:
    # One transaction: a failed import (or a preview) leaves neither data nor a remembered layout.
    with transaction.atomic():
        source, _ = SourceLayout.objects.get_or_create(name=options["source"])
        layout = layout_from_options(options, services.layout_for(source))
        source.columns, source.units = layout.columns, layout.units
        source.hour_label, source.time_columns = layout.hour_label, list(layout.time_columns or [])
        source.save()
        result = services.import_hourly(files, source, save=not options["preview"])
        if options["preview"]:
            transaction.set_rollback(True)
    verb = "would insert" if options["preview"] else "inserted"
    return (f"{result.rows:,} station-hours: {verb} {result.inserted:,}, changed {result.changed:,} "
            f"({result.corrections:,} corrections), unchanged {result.unchanged:,}; "
            f"{len(result.findings)} quality finding(s) to review")


def _met(files: list[Path], options: dict) -> str:
    hours = services.import_met(files, layout_from_options(options), save=not options["preview"])
    return f"{hours:,} meteorological hours {'checked' if options['preview'] else 'stored'}"


IMPORT_KINDS = [
    ImportKind("air", "hourly station data (CSV or Excel) into the store", _air, _air_arguments, several_files=True),
    ImportKind("met", "hourly meteorology (wind, temperature, humidity, pressure, rain)", _met, _met_arguments,
               several_files=True),
]
