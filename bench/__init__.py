"""Benchmarks: each prints its throughput and the ratio against a baseline run in the same process.

Run all with ``make bench`` (``python -m bench``), one with ``python -m bench bench.gateway`` (or
``python -m bench gateway``, or ``python -m bench.gateway``); options after the name go to that
benchmark: ``python -m bench bench.gateway --devices 200 --duration 5``.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    """A temporary folder for one benchmark's site, removed when the benchmark ends, however it ends.

    A bench's site holds a year of hours (hundreds of MB); one left behind per run fills the disk
    (issue 16).
    """
    with tempfile.TemporaryDirectory(prefix="gongjian-bench-") as folder:
        yield Path(folder)
