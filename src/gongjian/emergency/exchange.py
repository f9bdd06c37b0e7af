"""The reduction list as Excel, in the layout offices exchange, and back.

Import is all or nothing: every row is checked first (unknown level, enterprise, emission unit, line,
site or measure; a load or reduction that is negative or above 100 %; a stated reduction above the
source's inventory emissions), every problem is listed with its row and column, and only a clean file
replaces the draft's measures. Stated reductions are checked, not stored: what a measure removes is
always computed from the inventory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import polars as pl
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian.core.problems import InvalidInput, Problem
from gongjian.core.tabular import read_text_table
from gongjian.sources.models import POLLUTANTS, ConstructionSite, Enterprise

from .models import MEASURE_LEVELS, Measure, ReductionList
from .removal import Inventory, ListAccount

__all__ = ["COLUMNS", "export_table", "import_list"]

COLUMNS = {"level": "预警级别", "enterprise": "企业名称", "credit_code": "统一社会信用代码", "unit": "排放单元",
           "site": "工地名称", "kind": "减排措施", "load": "允许负荷(%)", "lines": "停产生产线", "note": "操作说明",
           "so2": "SO2减排量(t/a)", "nox": "NOx减排量(t/a)", "pm": "颗粒物减排量(t/a)", "vocs": "VOCs减排量(t/a)"}
LEVEL_NAMES = {"黄色": "yellow", "橙色": "orange", "红色": "red", "yellow": "yellow", "orange": "orange", "red": "red"}
LEVEL_TEXT = {"yellow": "黄色", "orange": "橙色", "red": "红色"}
KIND_NAMES = {"停产": Measure.Kind.STOP, "限产": Measure.Kind.LIMIT, "停产生产线": Measure.Kind.STOP_LINES,
              "禁止重型车辆运输": Measure.Kind.NO_TRANSPORT, "停止土石方作业": Measure.Kind.SITE_EARTHWORK,
              "全面停工": Measure.Kind.SITE_STOP}
KIND_TEXT = {v: k for k, v in KIND_NAMES.items()}


def export_table(account: ListAccount) -> pl.DataFrame:
    """Every measure of the list with what it removes (enterprise measures of a level share one row
    each; the removal column of a source is its measures' total, capped at its inventory)."""
    rows = []
    for level in MEASURE_LEVELS:
        for entry in account.sources[level].values():
            for i, m in enumerate(entry.measures):
                rows.append({
                    COLUMNS["level"]: LEVEL_TEXT[level],
                    COLUMNS["enterprise"]: m.enterprise.organisation.name if m.enterprise_id else "",
                    COLUMNS["credit_code"]: m.enterprise.organisation.credit_code if m.enterprise_id else "",
                    COLUMNS["unit"]: m.unit.name if m.unit_id else "",
                    COLUMNS["site"]: m.site.name if m.site_id else "",
                    COLUMNS["kind"]: KIND_TEXT[m.kind],
                    COLUMNS["load"]: float(m.load_percent) if m.load_percent is not None else None,
                    COLUMNS["lines"]: "、".join(sorted(line.name for line in m.lines.all())),
                    COLUMNS["note"]: m.note,
                    **{COLUMNS[p]: float(entry.removed[p]) if i == 0 else None for p in POLLUTANTS},
                })
    schema = {c: pl.String for c in COLUMNS.values()} | {COLUMNS["load"]: pl.Float64} | {
        COLUMNS[p]: pl.Float64 for p in POLLUTANTS}
    return pl.DataFrame(rows, schema=schema)


@dataclass
class _Row:
    number: int
    level: str
    kind: str
    enterprise: Enterprise | None = None
    unit_id: int | None = None
    site: ConstructionSite | None = None
    load: Decimal | None = None
    line_ids: list[int] = field(default_factory=list)
    note: str = ""


def _decimal(text: str) -> Decimal | None:
    """A finite decimal (``inf``, ``NaN`` and overflowing exponents are no quantity), else ``None``."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value.adjusted()) < 30 else None


def import_list(version: ReductionList, path: Path) -> int:
    """Replace the draft ``version``'s measures with the file's; raises :class:`InvalidInput` listing
    every problem (nothing written). Returns the number of measures."""
    name = path.name
    if not version.editable:
        raise InvalidInput([Problem(_("only a draft version takes an import"), name)])
    frame = read_text_table(path)
    required = [COLUMNS[c] for c in ("level", "enterprise", "kind")]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InvalidInput([Problem(_("missing column"), name, 1, c) for c in missing])
    region = version.region
    enterprises = Enterprise.objects.filter(organisation__region__path__startswith=region.path).select_related(
        "organisation").prefetch_related("units", "lines")
    by_code = {e.organisation.credit_code: e for e in enterprises if e.organisation.credit_code}
    by_name = {e.organisation.name: e for e in enterprises}
    sites = {s.name: s for s in ConstructionSite.objects.filter(region__path__startswith=region.path)}
    inventory = Inventory.load(region, version.inventory_year)
    problems: list[Problem] = []
    rows: list[_Row] = []

    def cell(record: dict, key: str) -> str:
        value = record.get(COLUMNS[key])
        return "" if value is None else str(value).strip()

    for number, record in enumerate(frame.iter_rows(named=True), start=2):
        found = len(problems)

        def problem(message: str, key: str) -> None:
            problems.append(Problem(message, name, number, COLUMNS[key]))  # noqa: B023 (used at once)

        if not any(cell(record, k) for k in COLUMNS if COLUMNS[k] in record):
            continue  # a blank line
        level = LEVEL_NAMES.get(cell(record, "level"))
        if level is None:
            problem(_("unknown level %(v)r (黄色, 橙色 or 红色)") % {"v": cell(record, "level")}, "level")
        kind = KIND_NAMES.get(cell(record, "kind"))
        if kind is None:
            problem(_("unknown measure %(v)r (one of %(k)s)") % {"v": cell(record, "kind"), "k": "、".join(KIND_NAMES)},
                    "kind")
        row = _Row(number, level or "", kind or "", note=cell(record, "note"))
        if kind in Measure.SITE_KINDS:
            row.site = sites.get(cell(record, "site"))
            if row.site is None:
                problem(_("unknown construction site %(v)r") % {"v": cell(record, "site")}, "site")
        elif kind is not None:
            code, text = cell(record, "credit_code"), cell(record, "enterprise")
            row.enterprise = by_code.get(code) if code else by_name.get(text)
            if row.enterprise is None:
                problem(_("unknown enterprise %(v)r in %(r)s") % {"v": code or text, "r": region},
                        "credit_code" if code else "enterprise")
        e = row.enterprise
        if e is not None and cell(record, "unit"):
            units = {u.name: u.pk for u in e.units.all()}
            row.unit_id = units.get(cell(record, "unit"))
            if row.unit_id is None:
                problem(_("%(e)s has no emission unit %(v)r") % {"e": e, "v": cell(record, "unit")}, "unit")
        if e is not None and cell(record, "lines"):
            lines = {line.name: line.pk for line in e.lines.all()}
            for line_name in filter(None, (x.strip() for x in cell(record, "lines").replace(",", "、").split("、"))):
                if line_name in lines:
                    row.line_ids.append(lines[line_name])
                else:
                    problem(_("%(e)s has no line %(v)r") % {"e": e, "v": line_name}, "lines")
        if kind == Measure.Kind.STOP_LINES and not cell(record, "lines"):
            problem(_("name the lines to stop"), "lines")
        load_text = cell(record, "load")
        if kind == Measure.Kind.LIMIT:
            row.load = _decimal(load_text)
            if row.load is None:
                problem(_("a load limit needs the allowed load, a number from 0 to 100"), "load")
            elif not 0 <= row.load <= 100:
                problem(_("allowed load %(v)s%% is outside 0-100%%") % {"v": load_text}, "load")
        elif load_text:
            problem(_("only a load limit has an allowed load"), "load")
        ceiling = None
        if row.unit_id:
            ceiling = inventory.units.get(row.unit_id)
        elif e is not None:
            ceiling = inventory.emitted_by(e.pk)
        for p in POLLUTANTS:
            text = cell(record, p)
            if not text:
                continue
            value = _decimal(text)
            if value is None:
                problem(_("%(v)r is not a number") % {"v": text}, p)
            elif value < 0:
                problem(_("a reduction cannot be negative"), p)
            elif ceiling is not None and value > ceiling[p]:
                problem(_("reduction %(v)s t/a is above the source's emissions in the %(y)s inventory (%(c)s t/a)")
                        % {"v": text, "y": version.inventory_year, "c": ceiling[p].normalize()}, p)
        if len(problems) == found:
            rows.append(row)
    if not rows and not problems:
        problems.append(Problem(_("the file lists no measures"), name))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        version.measures.all().delete()
        for row in rows:
            measure = Measure(version=version, level=row.level, kind=row.kind, enterprise=row.enterprise,
                              unit_id=row.unit_id, site=row.site, load_percent=row.load, note=row.note)
            try:
                measure.full_clean()
            except Exception as exc:  # a rule of the model the columns did not catch: still nothing saved
                raise InvalidInput([Problem(str(exc), name, row.number)]) from exc
            measure.save()
            if row.line_ids:
                measure.lines.set(row.line_ids)
    return len(rows)
