"""ECharts options for the water pages (plain dicts, JSON-ready), drawn by the shared
``charts.js`` from our static files.

Colours: the status colours of 环办〔2011〕22号 (``gongjian.standards.gb3838.STATUSES``: Ⅰ–Ⅱ blue,
Ⅲ green, Ⅳ yellow, Ⅴ orange, 劣Ⅴ red), as the national water-quality maps draw them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongjian.standards import gb3838

__all__ = ["CLASS_COLOURS", "CLASS_INKS", "STATUS_COLOURS", "class_grid", "class_line", "item_series", "share_line"]

#: The status colours (gb3838.Status.colour) as drawn.
STATUS_COLOURS = {"blue": "#1f77d0", "green": "#2ca02c", "yellow": "#f2d40c", "orange": "#f08c00", "red": "#d62728"}
#: Class (1..6) -> its status colour.
CLASS_COLOURS = {cls: STATUS_COLOURS[status.colour] for cls, status in gb3838.STATUSES.items()}
#: Text colour readable on each class's colour.
CLASS_INKS = {cls: "#1f2933" if status.colour in ("yellow", "orange") else "#fff"
              for cls, status in gb3838.STATUSES.items()}


def _pieces() -> list[dict]:
    return [{"value": cls, "label": f"{name}类" if cls < gb3838.WORSE_THAN_V else name,
             "color": CLASS_COLOURS[cls]} for cls, name in gb3838.CLASS_NAMES.items()]


def class_grid(sections: list[str], months: list[str], cells: list[tuple[int, int, int]]) -> dict:
    """Each section's class in each month as a heat grid: ``cells`` are (month index, section
    index, class); a month without data is an empty cell."""
    return {
        "tooltip": {"position": "top"},
        "grid": {"left": 150, "right": 20, "top": 10, "bottom": 70},
        "xAxis": {"type": "category", "data": months, "splitArea": {"show": True}},
        "yAxis": {"type": "category", "data": sections, "inverse": True, "splitArea": {"show": True}},
        "visualMap": {"type": "piecewise", "pieces": _pieces(), "orient": "horizontal", "left": "center",
                      "bottom": 0, "dimension": 2},
        "series": [{"type": "heatmap", "name": _("water class"), "data": [list(c) for c in cells],
                    "label": {"show": False}}],
    }


def class_line(months: list[str], classes: list[int | None], target: list[int | None]) -> dict:
    """A section's class per month (lower is better: the axis runs Ⅰ at the top to 劣Ⅴ at the
    bottom) with its target class."""
    names = [gb3838.CLASS_NAMES[c] for c in sorted(gb3838.CLASS_NAMES)]
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": {"left": 50, "right": 20, "top": 30, "bottom": 40},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "category", "data": names, "inverse": True},
        "series": [
            {"type": "bar", "name": _("water class"), "data": [
                None if c is None else {"value": c - 1, "itemStyle": {"color": CLASS_COLOURS[c]}} for c in classes]},
            {"type": "line", "name": _("target class"), "step": "middle", "showSymbol": False,
             "data": [None if t is None else t - 1 for t in target], "lineStyle": {"color": "#333", "type": "dashed"}},
        ],
    }


def item_series(times: list[str], values: list[float | None], name: str, unit: str,
                limit: float | None) -> dict:
    """One item's results over time, with the target class's limit as a line where it has one."""
    line = {"type": "line", "name": name, "data": values, "connectNulls": False, "showSymbol": True}
    if limit is not None:
        line["markLine"] = {"silent": True, "symbol": "none", "data": [{"yAxis": limit, "name": _("limit")}],
                            "lineStyle": {"color": "#d62728"}}
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": {"left": 60, "right": 20, "top": 30, "bottom": 60},
        "xAxis": {"type": "category", "data": times}, "dataZoom": [{"type": "slider"}, {"type": "inside"}],
        "yAxis": {"type": "value", "name": unit},
        "series": [line],
    }


def share_line(months: list[str], shares: list[float | None], worse: list[float | None]) -> dict:
    """The share of sections at Ⅲ or better and the share worse than Ⅴ per month (%)."""
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": {"left": 50, "right": 20, "top": 30, "bottom": 40},
        "xAxis": {"type": "category", "data": months}, "yAxis": {"type": "value", "max": 100, "name": "%"},
        "series": [{"type": "line", "name": _("share at class III or better"), "data": shares,
                    "itemStyle": {"color": CLASS_COLOURS[3]}},
                   {"type": "line", "name": _("share worse than class V"), "data": worse,
                    "itemStyle": {"color": CLASS_COLOURS[gb3838.WORSE_THAN_V]}}],
    }
