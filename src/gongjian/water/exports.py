"""The water pages' exports as offices file them (:class:`gongjian.core.exports.Report`): the sections'
table of a period with its rates, and the county ranking. The rows are the pages' own, so an export
never shows what the page would not."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gongjian.core.exports import Column, Report, Table, scope_label
from gongjian.periods import Period

__all__ = ["ranking_report", "sections_report"]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def sections_report(user, rows: list[dict], rates: dict | None, period: Period, newest: dt.datetime | None) -> Report:
    """The sections' classes of ``period`` (the overview page's ``rows``) and the rates over them."""
    columns = [
        Column("code", _("Section code")), Column("name", _("Section name")), Column("water_body", _("River or water body")),
        Column("kind", _("Kind of water body")), Column("control_level", _("Control level")),
        Column("region", _("Responsible region")),
        Column("class_name", _("Water class"), note=_("GB 3838-2002 single-factor class: the worst evaluated item decides "
                                                "(环办〔2011〕22号).")),
        Column("status", _("Water quality status")), Column("target_name", _("Target class")),
        Column("meets", _("Meets its target"), note=_("Blank where there is no data or no target for the year.")),
        Column("items_above", _("Items above the target class (multiple)"),
               note=_("Multiple = (mean - limit of the target class) / that limit.")),
        Column("deciding", _("Deciding items")), Column("samples", _("Samples used")),
    ]
    table = [{**r, "meets": _yes_no(r["meets_target"]), "class_name": r["class_name"] or _("no data")} for r in rows]
    tables = [Table(_("Section"), columns, table)]
    if rates:
        tables.append(Table(_("Rates"), [Column("item", _("Item")), Column("value", _("Value"))], [
            {"item": _("Sections"), "value": rates["sections"]},
            {"item": _("Sections with data"), "value": rates["evaluated"]},
            {"item": _("Share at class III or better (%)"), "value": rates["share_iii_or_better"]},
            {"item": _("Share worse than class V (%)"), "value": rates["share_worse_than_v"]},
            {"item": _("Target attainment (%)"), "value": rates["attainment"]},
            {"item": _("Water quality status"), "value": rates["state"] or _("no data")},
        ]))
    return Report(_("Surface water quality of the sections"), tables,
                  period=f"{period.label()}（{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}）", as_of=newest,
                  scope=scope_label(user),
                  notes=[_("Shares are over the sections with data, as percentages with one decimal (GB/T 8170).")])


def ranking_report(user, rows: list[dict], year: int) -> Report:
    """The county ranking of ``year`` (the ranking page's rows)."""
    columns = [
        Column("rank", _("Rank"), note=_("Equal values share a rank; a county without sections with data has none.")),
        Column("name", _("County, city or district")), Column("sections", _("Sections")), Column("evaluated", _("Sections with data")),
        Column("attainment", _("Target attainment"), "%"),
        Column("share_iii_or_better", _("Share at class III or better"), "%"),
        Column("share_worse_than_v", _("Share worse than class V"), "%"),
    ]
    table = [{**r, "name": r["region"].name} for r in rows]
    whole = Period.of_year(year)
    return Report(_("County ranking by water sections %(year)s") % {"year": year},
                  [Table(_("Ranking"), columns, table)],
                  period=f"{whole.label()}（{whole.start:%Y-%m-%d} – {whole.end:%Y-%m-%d}）",
                  scope=scope_label(user), notes=[_("Ranked by target attainment, then by the share at class III "
                                                    "or better.")])
