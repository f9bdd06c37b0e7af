"""The benchmark runner hands each benchmark its own options, and a benchmark leaves no folder behind
(issue 16: ``python -m bench bench.gateway`` failed in argparse; ``bench.air_pages`` left ~640 MB in
the temporary directory every run). Nothing here runs a benchmark."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from bench import workspace
from bench.runner import BENCHMARKS, UsageError, parse

ROOT = Path(__file__).resolve().parent.parent


def test_the_module_name_is_the_runners_and_the_options_the_benchmarks():
    assert parse(["bench.gateway"]) == [("bench.gateway", [])]
    assert parse(["gateway", "--devices", "200", "--duration", "5"]) == [
        ("bench.gateway", ["--devices", "200", "--duration", "5"])]
    assert parse(["bench.optimiser", "bench.gateway"]) == [("bench.optimiser", []), ("bench.gateway", [])]
    assert parse([]) == [(name, []) for name in BENCHMARKS]


@pytest.mark.parametrize("argv", [["bench.nothing"], ["--devices", "200"], ["optimiser", "gateway", "--sizes", "5"]])
def test_unknown_names_and_options_without_one_benchmark_are_refused(argv):
    with pytest.raises(UsageError):
        parse(argv)


def test_every_benchmark_is_reachable_through_the_runner():
    """``python -m bench NAME --help`` reaches the benchmark's own parser (before the fix, the
    gateway's parser saw ``bench.gateway`` and exited with status 2)."""
    for name in BENCHMARKS:
        done = subprocess.run([sys.executable, "-m", "bench", name, "--help"], cwd=ROOT, capture_output=True,
                              text=True)
        assert done.returncode == 0, (name, done.stderr)
        assert f"=== {name} --help" in done.stdout and "usage:" in done.stdout, name
    refused = subprocess.run([sys.executable, "-m", "bench", "bench.nothing"], cwd=ROOT, capture_output=True,
                             text=True)
    assert refused.returncode == 2 and "unknown benchmark" in refused.stderr


def test_a_benchmarks_folder_is_gone_afterwards_even_when_it_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with workspace() as home:
        (home / "db.sqlite3").write_bytes(b"\0" * 4096)
        assert home.parent == tmp_path
    with pytest.raises(RuntimeError), workspace() as home:
        (home / "db.sqlite3").write_bytes(b"\0" * 4096)
        raise RuntimeError("the server did not start")
    assert list(tmp_path.iterdir()) == []


def test_importing_the_pages_benchmark_creates_no_site(tmp_path, monkeypatch):
    """The site was made at import time with ``mkdtemp`` and never removed; now only ``main`` makes
    it, inside :func:`bench.workspace`."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    home = os.environ.get("GONGJIAN_HOME")
    importlib.reload(importlib.import_module("bench.air_pages"))
    assert list(tmp_path.iterdir()) == []
    assert os.environ.get("GONGJIAN_HOME") == home
