"""``python -m bench [NAME] [OPTIONS...]``: each benchmark in a process of its own.

A benchmark reads its own options (``bench.gateway --devices 200``), so the runner takes the names
and hands the rest to the benchmark instead of leaving the module name in front of its parser
(issue 16). Each runs as ``python -m NAME`` in a fresh process: the benchmarks configure Django for
sites of their own and measure peak memory, which one shared process would mix up.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ("bench.aqi_national", "bench.series_read", "bench.air_pages", "bench.optimiser", "bench.gateway", "bench.forecast", "bench.normalise")


class UsageError(ValueError):
    """The command line names no known benchmark, or gives options to more than one."""


def parse(argv: list[str]) -> list[tuple[str, list[str]]]:
    """``[(module, options), ...]``: the leading arguments are names (``bench.gateway`` or ``gateway``),
    the rest the options of the one benchmark named; no name runs them all without options."""
    names: list[str] = []
    while len(names) < len(argv) and not argv[len(names)].startswith("-"):
        names.append(argv[len(names)])
    options = argv[len(names):]
    modules = []
    for name in names:
        module = name if name.startswith("bench.") else f"bench.{name}"
        if module not in BENCHMARKS:
            raise UsageError(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}")
        modules.append(module)
    if options and len(modules) != 1:
        raise UsageError("options go to one benchmark: name it first (python -m bench bench.gateway --devices 200)")
    return [(module, options) for module in modules or BENCHMARKS]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__.strip() + "\n\nbenchmarks: " + ", ".join(BENCHMARKS))
        return 0
    try:
        runs = parse(argv)
    except UsageError as error:
        print(f"python -m bench: {error}", file=sys.stderr)
        return 2
    failed = []
    for module, options in runs:
        print(f"\n=== {' '.join([module, *options])}", flush=True)
        if subprocess.run([sys.executable, "-m", module, *options]).returncode:
            failed.append(module)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0
