"""Figures about the house computed from the code's own imports, so any reviewer can recompute them.

    python tools/architecture.py            # the report
    python tools/architecture.py --json     # the same figures as JSON

It parses every module under ``src/gongjian`` with :mod:`ast` (nothing is imported or run) and
reports:

* **import circles between files**: strongly connected groups of modules that import each other,
  counting imports inside functions too (a lazy import hides a circle, it does not remove it);
* **upward imports**: an import from a lower layer to a higher one (``LAYERS``);
* **reads of another app's internals**: an app importing any module of another app other than its
  ``services`` (apps talk to each other through services; see docs/architecture.md);
* **homes**: the modules outside its home that do a thing that must have one home (time zones,
  period arithmetic, writing time series, building import problems); each list should be empty.
  The patterns (``HOMES``) read the text, so they see what is written where it is written: a
  queryset of a series model updated through a variable, say, is not seen; the tests prove each
  pattern on a made-up module;
* **longest functions**.

``tests/test_architecture.py`` asserts the figures that must be zero.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "gongjian"

#: Layer of each top-level part of the package; a module may import only its own layer or lower.
#: Apps (layer 4) may import each other, but only through each other's ``services``.
LAYERS: dict[str, int] = {
    "standards": 0,
    "clock": 1,
    "periods": 1,
    "analytics": 1,
    "core": 2,
    "regions": 3,
    "air": 4, "sources": 4, "emergency": 4, "tasks": 4, "gateway": 4, "water": 4,
    "demo": 5,
    "site": 6,
    "cli": 7,
}
#: Series models given on the command line (``--series``), else those the code declares.
SERIES: list[tuple[str, str]] = []
APPS = {part for part, layer in LAYERS.items() if layer in (3, 4)}
#: The modules of an app another app may import: its services. The regions app is the ground every
#: app stands on (the jurisdiction tree, organisations, people and the one access policy), so its
#: models and policy are public too.
PUBLIC_MODULES = {"services"}
BASE_APP, BASE_PUBLIC = "regions", {"models", "policy", "services"}

#: Each concern that must have one home: the home, and what doing it looks like in the code (a
#: regular expression). :func:`homes` lists every module outside the home that does it.
#: ``{series_models}`` stands for the models declared as time series (``SeriesKind(..., model=X)``)
#: and ``{series_tables}`` for their tables: writing one with the ORM or raw SQL is a second door into
#: a series store besides :func:`gongjian.core.series.write`.
#: A call's parenthesised arguments, two levels of nested parentheses deep (``filter(time__gte=f(x))``).
_ARGS = r"\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)"
HOMES: dict[str, tuple[str, str]] = {
    # attaching, converting or reading a zone, and reading a clock other than gongjian.clock's
    "time zones": ("gongjian.clock",
                   r"ZoneInfo\(|settings\.TIME_ZONE|timezone\.(localtime|get_current_timezone|now)\(|\.astimezone\(|"
                   r"\btzinfo=|\breplace_time_zone\(|\bconvert_time_zone\(|\bdatetime\.now\(|\bdate\.today\("),
    # month ends, year bounds worked out from a year (``date(year, 12, 31)``; a literal date such as
    # a standard's phase date is a date, not arithmetic), moving a date within its month or year,
    # and the calendar module
    "period arithmetic": ("gongjian.periods",
                          r"monthrange\(|relativedelta\(|\bdef (month_end|_period|period_bounds|quarter_start|dekad)|"
                          r"\bdate\((?!\s*\d)(?:[^,()]|\([^()]*\))+,\s*(1,\s*1|12,\s*31)\)|"
                          r"\.replace\([^()]*\b(day|month)=|\bimport calendar\b|\bfrom calendar import\b"),
    # creating, updating or deleting rows of a series model, by the ORM or by SQL
    "series writes": ("gongjian.core.series",
                      r"\b({series_models})(\.objects)?\.(bulk_create|create|update_or_create|bulk_update)\(|"
                      r"\b({series_models})\.objects(\.(all|filter|exclude)" + _ARGS + r")*\.(update|delete)\(|"
                      r"(INSERT INTO|UPDATE|DELETE FROM)\W*({series_tables})\b"),
    "import problems": ("gongjian.core", r"\bProblem\(|\bInvalidInput\(\["),
}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = mod.split(".")
                    base = base if is_pkg else base[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                # ``from pkg import submodule`` imports the submodule; ``from mod import name`` the module
                subs = [f"{prefix}.{alias.name}" for alias in node.names]
                targets = [t for t in subs if t in mods]
                if len(targets) < len(subs):
                    targets.append(prefix)
            for target in targets:
                if not target.startswith(PACKAGE + ".") and target != PACKAGE:
                    continue
                resolved = _resolve(target, mods)
                if resolved and resolved != mod and resolved != PACKAGE:
                    graph[mod].add(resolved)
    return graph


def circles(graph: dict[str, set[str]], mods) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in mods:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        out.append(sorted(group))
    return sorted(out)


def part(mod: str) -> str:
    return mod.split(".")[1] if "." in mod else ""


def upward(graph) -> list[tuple[str, str]]:
    bad = []
    for mod, targets in graph.items():
        for target in targets:
            a, b = LAYERS.get(part(mod)), LAYERS.get(part(target))
            if a is not None and b is not None and b > a:
                bad.append((mod, target))
    return sorted(bad)


def internal_reads(graph) -> list[tuple[str, str]]:
    bad = []
    for mod, targets in graph.items():
        for target in targets:
            a, b = part(mod), part(target)
            if a in APPS and b in APPS and a != b:
                tail = target.split(".")[2:]
                public = BASE_PUBLIC if b == BASE_APP else PUBLIC_MODULES
                if not tail or tail[0] not in public:
                    bad.append((mod, target))
    return sorted(bad)


def series_models(mods) -> list[tuple[str, str]]:
    """(model, table) of every declared series: ``SeriesKind(..., model=X)`` in an app's module; the
    table by Django's default name, ``<app label>_<model in lower case>``."""
    rx = re.compile(r"SeriesKind\([^)]*?model=(\w+)", re.S)
    return sorted({(name, f"{part(mod)}_{name.lower()}") for mod, path in mods.items()
                   for name in rx.findall(path.read_text(encoding="utf-8"))})


def homes(mods, series: list[tuple[str, str]] | None = None) -> dict[str, list[str]]:
    """Per concern, the modules outside its home that do it (should be none)."""
    series = series_models(mods) if series is None else series
    names = "|".join(name for name, _ in series) or "(?!)"
    tables = "|".join(table for _, table in series) or "(?!)"
    texts = {mod: path.read_text(encoding="utf-8") for mod, path in mods.items()}
    found: dict[str, list[str]] = {}
    for concern, (home, pattern) in HOMES.items():
        rx = re.compile(pattern.replace("{series_models}", names).replace("{series_tables}", tables))
        found[concern] = sorted(mod for mod, text in texts.items()
                                if rx.search(text) and mod != home and not mod.startswith(home + "."))
    return found


def longest_functions(mods, n: int = 10) -> list[tuple[int, str]]:
    sizes = []
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                sizes.append((node.end_lineno - node.lineno + 1, f"{mod}.{node.name}"))
    return sorted(sizes, reverse=True)[:n]


def report() -> dict:
    mods = modules()
    graph = imports(mods)
    return {
        "modules": len(mods),
        "circles": circles(graph, mods),
        "upward_imports": upward(graph),
        "internal_reads": internal_reads(graph),
        "homes": homes(mods, SERIES or None),
        "longest_functions": longest_functions(mods),
    }


def main(argv=None) -> int:
    global ROOT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--root", type=Path, help="the src folder to read (default: this checkout's)")
    parser.add_argument("--series", action="append", default=[], metavar="MODEL=TABLE",
                        help="a series model and its table, for a checkout that declares none")
    parser.add_argument("--layer", action="append", default=[], metavar="PART=N",
                        help="override a part's layer, e.g. site=2 to read an older checkout")
    args = parser.parse_args(argv)
    ROOT = args.root or ROOT
    SERIES.extend(tuple(item.split("=", 1)) for item in args.series)
    for override in args.layer:
        name, _, layer = override.partition("=")
        LAYERS[name] = int(layer)
    figures = report()
    if args.json:
        json.dump(figures, sys.stdout, ensure_ascii=False, indent=1)
        return 0
    print(f"modules: {figures['modules']}")
    print(f"import circles between files: {len(figures['circles'])}")
    for group in figures["circles"]:
        print("   ", " <-> ".join(group))
    print(f"imports from a lower layer up: {len(figures['upward_imports'])}")
    for a, b in figures["upward_imports"]:
        print(f"    {a} -> {b}")
    print(f"imports of another app's internals (not its services): {len(figures['internal_reads'])}")
    for a, b in figures["internal_reads"]:
        print(f"    {a} -> {b}")
    for concern, where in figures["homes"].items():
        print(f"places for {concern} outside {HOMES[concern][0]}: {len(where)}")
        for mod in where:
            print(f"    {mod}")
    print("longest functions (lines):")
    for lines, name in figures["longest_functions"]:
        print(f"    {lines:4d}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
