"""The regions' files for ``gongjian import``: the jurisdiction tree from CSV and its outlines from
GeoJSON (:mod:`gongjian.core.cli_imports`)."""

from __future__ import annotations

from pathlib import Path

from gongjian.core.cli_imports import ImportKind

from . import services

__all__ = ["IMPORT_KINDS"]


def _regions(files: list[Path], options: dict) -> str:
    file = files[0]
    done = services.import_regions_csv(file.read_bytes(), source=file.name)
    return f"{len(done)} regions added from {file.name}"


def _boundaries(files: list[Path], options: dict) -> str:
    file = files[0]
    done = services.import_boundaries(file.read_bytes(), match_by=options["match_by"], source=file.name)
    return f"{len(done)} boundaries attached from {file.name}"


def _match_by(parser) -> None:
    parser.add_argument("--match-by", choices=["code", "name"], default="code")


IMPORT_KINDS = [
    ImportKind("regions", "regions from CSV: code,name,level,kind,parent_code", _regions),
    ImportKind("boundaries", "GeoJSON outlines matched to regions", _boundaries, _match_by),
]
