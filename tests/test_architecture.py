"""The house's layering, computed from the code's imports by ``tools/architecture.py`` (the same
figures the issue notes quote), and the apps' model dependencies from Django's registry."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

_TOOL = Path(__file__).resolve().parent.parent / "tools" / "architecture.py"
_spec = importlib.util.spec_from_file_location("architecture", _TOOL)
architecture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(architecture)

FIGURES = architecture.report()


def test_no_import_circles_between_files():
    assert FIGURES["circles"] == []


def test_no_import_from_a_lower_layer_up():
    assert FIGURES["upward_imports"] == []


def test_apps_read_each_other_only_through_services():
    assert FIGURES["internal_reads"] == []


@pytest.mark.parametrize("concern", ["time zones", "period arithmetic", "series writes"])
def test_one_home(concern):
    """Nothing outside the concern's home (``architecture.HOMES``) does it."""
    assert FIGURES["homes"][concern] == []


def test_table_importers_build_no_problems_of_their_own():
    """Every table importer turns bad cells into problems through ``gongjian.core.imports``; only the
    importers of documents that are not tables (GeoJSON boundaries, plan documents) check their
    documents' structure themselves."""
    assert FIGURES["homes"]["import problems"] == [
        "gongjian.regions.geojson", "gongjian.regions.services", "gongjian.tasks.importing"]


def test_the_tool_sees_a_circle(tmp_path):
    """The figures above can fail: two modules importing each other are found."""
    package = tmp_path / "gongjian" / "air"
    package.mkdir(parents=True)
    (tmp_path / "gongjian" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from gongjian.air import b\n")
    (package / "b.py").write_text("def f():\n    from gongjian.air import a\n")
    (package / "up.py").write_text("from gongjian.site import urls\n")
    (package / "zone.py").write_text("import zoneinfo\nZONE = zoneinfo.ZoneInfo('Asia/Shanghai')\n")
    (tmp_path / "gongjian" / "standards.py").write_text("from gongjian.air import a\n")
    saved = architecture.ROOT
    architecture.ROOT = tmp_path
    try:
        figures = architecture.report()
    finally:
        architecture.ROOT = saved
    assert figures["circles"] == [["gongjian.air.a", "gongjian.air.b"]]
    assert ("gongjian.standards", "gongjian.air.a") in figures["upward_imports"]
    assert figures["homes"]["time zones"] == ["gongjian.air.zone"]


#: A made-up module per way of doing a concern outside its home, and the concern it is: each figure of
#: ``test_one_home`` is shown able to fail, for every pattern the tool looks for.
SECOND_HOMES = [
    ("time zones", "import datetime as dt\nfrom gongjian import clock\nAT = dt.datetime(2020, 1, 1, tzinfo=clock.zone())\n"),
    ("time zones", "def utc(frame):\n    return frame.dt.convert_time_zone('UTC')\n"),
    ("time zones", "def local(frame, name):\n    return frame.dt.replace_time_zone(name)\n"),
    ("time zones", "import datetime as dt\nNOW = dt.datetime.now()\n"),
    ("time zones", "import datetime as dt\nTODAY = dt.date.today()\n"),
    ("time zones", "from django.utils import timezone\nNOW = timezone.now()\n"),
    ("period arithmetic", "import datetime as dt\ndef year_end(year):\n    return dt.date(year, 12, 31)\n"),
    ("period arithmetic", "import datetime as dt\ndef year_start(day):\n    return dt.date(day.year, 1, 1)\n"),
    ("period arithmetic", "def month_start(day):\n    return day.replace(day=1)\n"),
    ("period arithmetic", "def january(day):\n    return day.replace(year=day.year, month=1)\n"),
    ("period arithmetic", "import calendar\nDAYS = calendar.mdays\n"),
    ("series writes", "from .models import Hour\nHour.objects.bulk_create([])\n"),
    ("series writes", "from .models import Hour\nHour.objects.filter(station_id=1, time__lt=f(g(1))).update(so2_flag='x')\n"),
    ("series writes", "from .models import Hour\nHour.objects.filter(\n    station_id=1).exclude(so2=None).delete()\n"),
    ("series writes", "SQL = 'UPDATE air_hour SET so2 = 1'\n"),
    ("import problems", "from gongjian.core.problems import Problem\nBAD = Problem('a.csv', 2, 'so2', 'not a number')\n"),
]
#: Doing it at home, or something that only looks alike, is not counted.
NOT_SECOND_HOMES = [
    "import datetime as dt\nPHASE_2 = dt.date(2031, 1, 1)\n",  # a standard's date, not worked out
    "from gongjian import clock\nAT = clock.attach(clock.naive_local(clock.now()))\n",
    "def days(frame):\n    calendar = frame['end'] - frame['start']\n    return calendar.alias('calendar_days')\n",
    "from .models import Hour\nROWS = Hour.objects.filter(station_id=1).values_list('time')\n",
    "from .models import Station\nStation.objects.filter(pk=1).update(name='x')\n",
]


def _figures_of(tmp_path, files: dict[str, str]) -> dict:
    package = tmp_path / "gongjian" / "air"
    package.mkdir(parents=True)
    (tmp_path / "gongjian" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "kinds.py").write_text(
        "from gongjian.core import series\nfrom .models import Hour\n"
        "HOURLY = series.declare(series.SeriesKind(name='air.hourly', model=Hour, keys=('station_id',), values=()))\n")
    for name, text in files.items():
        (package / name).write_text(text)
    saved = architecture.ROOT
    architecture.ROOT = tmp_path
    try:
        return architecture.report()
    finally:
        architecture.ROOT = saved


@pytest.mark.parametrize(("concern", "code"), SECOND_HOMES)
def test_the_tool_sees_a_second_home(tmp_path, concern, code):
    homes = _figures_of(tmp_path, {"second.py": code})["homes"]
    assert homes[concern] == ["gongjian.air.second"]
    assert all(where == [] for other, where in homes.items() if other != concern)


def test_the_tool_counts_no_second_home_where_there_is_none(tmp_path):
    homes = _figures_of(tmp_path, {f"m{n}.py": code for n, code in enumerate(NOT_SECOND_HOMES)})["homes"]
    assert homes == {concern: [] for concern in architecture.HOMES}


def _app_graph(edges) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        if a != b:
            graph.setdefault(a, set()).add(b)
    return graph


def _cycle(graph) -> list[str] | None:
    seen, stack = set(), []

    def visit(node):
        if node in stack:
            return stack[stack.index(node):] + [node]
        if node in seen:
            return None
        seen.add(node)
        stack.append(node)
        for child in sorted(graph.get(node, ())):
            if found := visit(child):
                return found
        stack.pop()
        return None

    for node in sorted(graph):
        if found := visit(node):
            return found
    return None


def _ours(label: str) -> bool:
    config = apps.get_app_config(label)
    return config.name.startswith("gongjian.")


def test_no_circle_between_apps_models():
    """Foreign keys between our apps point one way only (sources below emergency, regions below all)."""
    edges = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if field.is_relation and target is not None and not field.auto_created:
                a, b = model._meta.app_label, target._meta.app_label
                if _ours(a) and _ours(b):
                    edges.append((a, b))
    assert _cycle(_app_graph(edges)) is None


def test_no_circle_between_apps_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    edges = [(key[0], parent[0]) for key, migration in loader.disk_migrations.items()
             for parent in migration.dependencies if parent[0] in {k[0] for k in loader.disk_migrations}]
    ours = [(a, b) for a, b in edges if _ours(a) and _ours(b)]
    assert _cycle(_app_graph(ours)) is None
