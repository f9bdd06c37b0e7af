"""The reduction list as Excel, in the layout offices exchange, and back.

Import is all or nothing: every row is checked first (unknown level, enterprise, emission unit, line,
site or measure; a load or reduction that is negative or above 100 %; a stated reduction above the
source's inventory emissions), every problem is listed with its row and column, and only a clean file
replaces the draft's measures. Stated reductions are checked, not stored: what a measure removes is
always computed from the inventory.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongjian.core import imports
from gongjian.sources import services as sources
from gongjian.sources.services import POLLUTANTS

from .models import MEASURE_LEVELS, Measure, ReductionList
from .removal import Inventory, ListAccount

__all__ = ["COLUMNS", "export_table", "import_list", "spec_for"]

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
    each; the removal column, on a source's first row, is what its measures remove together: each
    emission unit once, at the strongest measure covering it)."""
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


def _load(text: str) -> Decimal:
    """The allowed load of a limit: a percentage (the model's own 0-100 rule, said in the list's words)."""
    value = imports.decimal(text)
    if not 0 <= value <= 100:
        raise ValidationError(_("allowed load %(v)s%% is outside 0-100%%") % {"v": text})
    return value


def _reduction(text: str) -> Decimal:
    value = imports.decimal(text)
    if value < 0:
        raise ValidationError(_("a reduction cannot be negative"))
    return value


class _Lookups:
    """What a list file's cells are looked up in: the list region's enterprises (by credit code and
    by name) with their units and lines, its construction sites, and its inventory (the ceiling of a
    stated reduction)."""

    def __init__(self, version: ReductionList):
        self.version, region = version, version.region
        enterprises = sources.enterprises_in(region).prefetch_related("units", "lines")
        self.by_code = {e.organisation.credit_code: e for e in enterprises if e.organisation.credit_code}
        self.by_name = {e.organisation.name: e for e in enterprises}
        self.sites = {s.name: s for s in sources.sites_in(region)}
        self.inventory = Inventory.load(region, version.inventory_year)

    def prepare(self, row: imports.Row) -> None:
        row.instance.reduction_list = self.version
        self._source(row)
        if row.instance.enterprise is not None:
            self._parts(row, row.instance.enterprise)
        if row.values.get("kind") == Measure.Kind.STOP_LINES and not row.values.get("lines"):
            row.problem(_("name the lines to stop"), "lines")
        self._stated(row)

    def _source(self, row: imports.Row) -> None:
        """The construction site of a site measure, else the enterprise (by credit code, else name)."""
        v, measure, kind = row.values, row.instance, row.values.get("kind")
        if kind in Measure.SITE_KINDS:
            measure.site = self.sites.get(v.get("site") or "")
            if measure.site is None:
                row.problem(_("unknown construction site %(v)r") % {"v": row.texts.get("site", "")}, "site")
        elif kind is not None:
            code, text = v.get("credit_code"), v.get("enterprise")
            measure.enterprise = self.by_code.get(code) if code else self.by_name.get(text)
            if measure.enterprise is None:
                row.problem(_("unknown enterprise %(v)r in %(r)s") % {"v": code or text, "r": self.version.region},
                            "credit_code" if code else "enterprise")

    def _parts(self, row: imports.Row, e) -> None:
        """The enterprise's emission unit and lines the row names."""
        v = row.values
        if v.get("unit"):
            row.instance.unit_id = {u.name: u.pk for u in e.units.all()}.get(v["unit"])
            if row.instance.unit_id is None:
                row.problem(_("%(e)s has no emission unit %(v)r") % {"e": e, "v": v["unit"]}, "unit")
        if v.get("lines"):
            lines = {line.name: line.pk for line in e.lines.all()}
            row.many["lines"] = []
            for name in filter(None, (x.strip() for x in v["lines"].replace(",", "、").split("、"))):
                if name in lines:
                    row.many["lines"].append(lines[name])
                else:
                    row.problem(_("%(e)s has no line %(v)r") % {"e": e, "v": name}, "lines")

    def _stated(self, row: imports.Row) -> None:
        """A stated reduction may not exceed what the source emits in the inventory."""
        measure, e = row.instance, row.instance.enterprise
        ceiling = self.inventory.units.get(measure.unit_id) if measure.unit_id else (
            self.inventory.emitted_by(e.pk) if e is not None else None)
        for p in POLLUTANTS:
            if ceiling is not None and row.values.get(p) is not None and row.values[p] > ceiling[p]:
                row.problem(_("reduction %(v)s t/a is above the source's emissions in the %(y)s inventory (%(c)s t/a)")
                            % {"v": row.texts[p], "y": self.version.inventory_year, "c": ceiling[p].normalize()}, p)


def spec_for(version: ReductionList) -> imports.ImportSpec:
    """How the rows of a list file become measures of the draft ``version``: the level, measure and
    load cells are read here, the sources looked up in the list's region (:class:`_Lookups`); every
    other rule is the measure's own (:meth:`Measure.clean`). Stated reductions are checked against
    the inventory, not stored."""
    levels = imports.choice(LEVEL_NAMES, _("unknown level %(v)r (黄色, 橙色 or 红色)"))
    kinds = imports.choice(KIND_NAMES, _("unknown measure %(v)r (one of %(k)s)"), k="、".join(KIND_NAMES))
    C, Column = COLUMNS, imports.Column
    return imports.ImportSpec(Measure, (
        Column("level", (C["level"], "level"), levels, required=True),
        Column("enterprise", (C["enterprise"], "enterprise"), required=True, assign=False),
        Column("credit_code", (C["credit_code"], "credit_code")),
        Column("unit", (C["unit"], "unit"), assign=False),
        Column("site", (C["site"], "site"), assign=False),
        Column("kind", (C["kind"], "kind"), kinds, required=True),
        Column("load_percent", (C["load"], "load"), _load),
        Column("lines", (C["lines"], "lines"), assign=False),
        Column("note", (C["note"], "note")),
        *(Column(p, (C[p], p), _reduction) for p in POLLUTANTS),
    ), prepare=_Lookups(version).prepare)


def import_list(version: ReductionList, path: Path) -> int:
    """Replace the draft ``version``'s measures with the file's; raises :class:`InvalidInput` listing
    every problem (nothing written). Returns the number of measures."""
    if not version.editable:
        raise imports.refused(_("only a draft version takes an import"), path.name)
    batch = imports.read_rows(path, spec_for(version))
    return imports.save(batch, replace=version.measures.all()).created
