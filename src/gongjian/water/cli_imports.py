"""The water files for ``gongjian import``: section results (manual monthly samples) into the
samples store (:mod:`gongjian.core.cli_imports`)."""

from __future__ import annotations

from pathlib import Path

from gongjian.core.cli_imports import ImportKind

from . import services

__all__ = ["IMPORT_KINDS"]


def _arguments(parser) -> None:
    parser.add_argument("--preview", action="store_true", help="check and count only; save nothing")


def _samples(files: list[Path], options: dict) -> str:
    count = services.import_samples(list(files), None, save=not options["preview"])
    return f"{count:,} water samples {'checked' if options['preview'] else 'stored'}"


IMPORT_KINDS = [
    ImportKind("water-samples", "section results (CSV or Excel: section, date, item, value[, unit]) into the "
               "samples store", _samples, _arguments, several_files=True),
]
