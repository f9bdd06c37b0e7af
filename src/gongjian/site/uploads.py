"""Uploaded files as paths on disk: the readers (Polars, calamine, python-docx) take paths, and an
importer names the file in its problems."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["upload_on_disk"]


@contextmanager
def upload_on_disk(upload) -> Iterator[Path]:
    """The upload written to a temporary folder under its own name (no directories), removed after."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.read())
        yield path
