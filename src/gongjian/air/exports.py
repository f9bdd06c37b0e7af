"""The air pages' exports as offices file them (:class:`gongjian.core.exports.Report`): a ranking
and the year's target progress, with names, units in the headers, the period and the day the data
are as of. The rows are the page's own (``ranking_table``, ``target_progress``), so an export never
shows what the page would not."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.utils.translation import gettext as _

from gongjian.core.exports import Column, Report, Table, scope_label
from gongjian.periods import Period

__all__ = ["ranking_report", "targets_report"]

UG = "μg/m³"
MG = "mg/m³"


def _ranking_columns() -> list[Column]:
    """A ranking's columns in the page's order, the statistics HJ 663 publishes with their units."""
    return [
        Column("rank", _("Rank"), note=_("Equal values share a rank.")),
        Column("name", _("Name")),
        Column("composite_index", _("Composite index"),
               note=_("Sum of each pollutant's statistic over its Grade II limit (HJ 663); lower is better.")),
        Column("index_primary", _("Primary item")),
        Column("pm25", "PM2.5", UG), Column("pm10", "PM10", UG), Column("o3_8h_p90", _("O3 8-hour 90th percentile"), UG),
        Column("no2", "NO2", UG), Column("so2", "SO2", UG), Column("co_p95", _("CO 95th percentile"), MG),
        Column("index_pm25", _("PM2.5 index")), Column("index_pm10", _("PM10 index")),
        Column("index_o3", _("O3 index")), Column("index_no2", _("NO2 index")),
        Column("good_ratio", _("Good-day ratio"), "%"), Column("good_days", _("Good days"), _("days")),
        Column("heavy_days", _("Heavy-pollution days"), _("days")), Column("valid_days", _("Valid days"), _("days")),
        Column("improvement", _("Change on the same period last year"), "%",
               note=_("Blank where the same period of last year has no data.")),
        Column("capture_pm25", _("PM2.5 data capture"), "%"),
    ]


def ranking_report(user, table: pl.DataFrame, level_label: str, period: Period, last_day: dt.date | None,
                   ranked_by: str) -> Report:
    """The ranking ``table`` of ``period`` (the page's, :func:`gongjian.air.results.ranking_table`)
    as a report; ``last_day`` the last day with data, ``ranked_by`` the ranking's name."""
    as_of = min(last_day, period.end) if last_day else None
    return Report(
        _("Air quality ranking of %(level)s") % {"level": level_label},
        [Table(_("Ranking"), _ranking_columns(), table.to_dicts() if table.height else [])],
        period=f"{period.label()}（{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}）", as_of=as_of,
        scope=scope_label(user), notes=[_("Ranked by: %(by)s") % {"by": ranked_by}])


def targets_report(user, rows: list[dict], year: int, as_of: dt.date) -> Report:
    """The target-progress ``rows`` of ``year`` as of ``as_of`` (the page's,
    :func:`gongjian.air.results.target_progress`) as a report."""
    columns = [
        Column("region", _("Region")), Column("metric_label", _("Target")), Column("unit", _("Unit")),
        Column("target_value", _("Target value")), Column("ytd", _("Year to date")),
        Column("schedule", _("On schedule by now")), Column("basis_label", _("Schedule basis")),
        Column("allowance_strict", _("Allowance for the rest of the year, strict")),
        Column("allowance", _("Allowance for the rest of the year, with rounding"),
               note=_("Allowance: for concentrations, the highest mean the remaining days may have; for good days "
                      "and the good-day ratio, the number of non-good days still allowed; for heavy-pollution days, "
                      "how many more are allowed.")),
        Column("status_label", _("Status")),
        Column("days_elapsed", _("Days elapsed")), Column("days_remaining", _("Days left")),
    ]
    # the unit of each target's figures (the composite index has none)
    units = {"pm25_mean": UG, "pm10_mean": UG, "good_ratio": "%", "good_days": _("days"), "heavy_days": _("days")}
    table = [{**row, "status_label": str(row.get("status_label", "")), "basis_label": str(row.get("basis_label", "")),
              "unit": units.get(row["metric"], "")}
             for row in rows]
    whole = Period.of_year(year)
    return Report(_("Target progress %(year)s") % {"year": year}, [Table(_("Target progress"), columns, table)],
                  period=f"{whole.label()}（{whole.start:%Y-%m-%d} – {min(as_of, whole.end):%Y-%m-%d}）",
                  as_of=as_of, scope=scope_label(user))
