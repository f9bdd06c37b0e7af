"""ECharts options for the air-quality pages, built from engine results (plain dicts, JSON-ready).

Colours are the national AQI colours of HJ 633 (``gongjian.standards.hj633.CATEGORIES``).
"""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from gongjian.standards.hj633 import CATEGORIES

__all__ = ["aqi_bands", "calendar", "capture", "daily_series", "diurnal", "pollution_rose", "progress_bars",
           "ranking_bars"]


def aqi_bands() -> list:
    """Horizontal bands of the six AQI levels, for a markArea."""
    lower = 0
    bands = []
    for cat in CATEGORIES:
        upper = min(cat.upper, 500)
        bands.append([{"yAxis": lower, "itemStyle": {"color": cat.hex, "opacity": 0.12}, "name": cat.name_zh},
                      {"yAxis": upper}])
        lower = upper
    return bands


def _pieces() -> list:
    lower = 0
    pieces = []
    for cat in CATEGORIES:
        pieces.append({"min": lower + (1 if lower else 0), "max": min(cat.upper, 500) if cat.upper < 10**9 else 10**6,
                       "color": cat.hex, "label": cat.name_zh})
        lower = cat.upper
    return pieces


def daily_series(daily: pl.DataFrame) -> dict:
    """Daily AQI over the AQI bands, with the daily PM2.5, PM10 and O3 8-hour values."""
    dates = [d.isoformat() for d in daily["date"]]

    def line(col, name, axis=0):
        return {"type": "line", "name": name, "data": daily[col].to_list(), "yAxisIndex": axis, "showSymbol": False,
                "connectNulls": False}

    aqi = line("aqi", "AQI")
    aqi["markArea"] = {"silent": True, "data": aqi_bands()}
    aqi["lineStyle"] = {"color": "#333", "width": 1.5}
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 50, "right": 60, "top": 30, "bottom": 60},
        "xAxis": {"type": "category", "data": dates}, "dataZoom": [{"type": "slider"}, {"type": "inside"}],
        "yAxis": [{"type": "value", "name": "AQI", "max": 500}, {"type": "value", "name": "µg/m³", "position": "right"}],
        "series": [aqi, line("pm25", "PM2.5", 1), line("pm10", "PM10", 1), line("o3_8h", "O3-8h", 1)],
    }


def calendar(daily: pl.DataFrame, year: int) -> dict:
    """A calendar of daily AQI coloured by level."""
    data = [[d.isoformat(), a] for d, a in daily.select("date", "aqi").iter_rows() if a is not None]
    return {
        "tooltip": {}, "visualMap": {"type": "piecewise", "pieces": _pieces(), "orient": "horizontal", "left": "center",
                                     "bottom": 0},
        "calendar": {"range": str(year), "cellSize": ["auto", 26], "top": 40, "left": 40, "right": 20,
                     "dayLabel": {"nameMap": "ZH"}, "monthLabel": {"nameMap": "ZH"}, "yearLabel": {"show": False}},
        "series": [{"type": "heatmap", "coordinateSystem": "calendar", "data": data}],
    }


def diurnal(hourly: pl.DataFrame) -> dict:
    """Mean diurnal and weekly cycles of PM2.5, NO2 and O3 (openair's timeVariation)."""
    by_hour = hourly.group_by(pl.col("time").dt.hour().alias("h")).agg(
        *(pl.col(p).mean().round(1) for p in ("pm25", "no2", "o3"))).sort("h")
    by_day = hourly.group_by(pl.col("time").dt.weekday().alias("d")).agg(
        *(pl.col(p).mean().round(1) for p in ("pm25", "no2", "o3"))).sort("d")
    names = {"pm25": "PM2.5", "no2": "NO2", "o3": "O3"}
    weekdays = ["一", "二", "三", "四", "五", "六", "日"]
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": [{"left": 45, "right": "55%", "top": 40, "bottom": 30}, {"left": "55%", "right": 20, "top": 40, "bottom": 30}],
        "xAxis": [{"type": "category", "data": [f"{h}时" for h in by_hour["h"]], "gridIndex": 0, "name": _("hour")},
                  {"type": "category", "data": [f"周{weekdays[d - 1]}" for d in by_day["d"]], "gridIndex": 1}],
        "yAxis": [{"type": "value", "gridIndex": 0, "name": "µg/m³"}, {"type": "value", "gridIndex": 1}],
        "series": [{"type": "line", "name": names[p], "data": by_hour[p].to_list(), "xAxisIndex": 0, "yAxisIndex": 0}
                   for p in names] + [{"type": "line", "name": names[p], "data": by_day[p].to_list(), "xAxisIndex": 1,
                                       "yAxisIndex": 1} for p in names],
    }


SECTORS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]


def pollution_rose(joined: pl.DataFrame, pollutant: str = "pm25") -> dict:
    """Mean concentration by wind direction (16 sectors), from hours with both a value and wind."""
    sector = ((pl.col("wind_direction") + 11.25) % 360 / 22.5).floor().cast(pl.Int32)
    means = joined.filter(pl.col("wind_direction").is_not_null() & pl.col(pollutant).is_not_null()).group_by(
        sector.alias("s")).agg(pl.col(pollutant).mean().round(1).alias("v"), pl.len().alias("n")).sort("s")
    values = dict(zip(means["s"].to_list(), means["v"].to_list(), strict=True))
    return {
        "tooltip": {}, "angleAxis": {"type": "category", "data": SECTORS, "startAngle": 101.25},
        "radiusAxis": {"name": "µg/m³"}, "polar": {"radius": "70%"},
        "series": [{"type": "bar", "coordinateSystem": "polar", "name": pollutant.upper(),
                    "data": [values.get(i) for i in range(16)], "itemStyle": {"color": "#c0392b"}}],
    }


def capture(rows: list[tuple[str, list[float]]], months: list[str]) -> dict:
    """Monthly data capture (%) per pollutant."""
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 45, "right": 20, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": months}, "yAxis": {"type": "value", "max": 100, "name": "%"},
        "series": [{"type": "bar", "name": name, "data": values} for name, values in rows],
    }


def ranking_bars(names: list[str], values: list[float | None], label: str) -> dict:
    return {
        "tooltip": {}, "grid": {"left": 110, "right": 30, "top": 10, "bottom": 30},
        "xAxis": {"type": "value", "name": label}, "yAxis": {"type": "category", "data": names, "inverse": True},
        "series": [{"type": "bar", "data": values, "itemStyle": {"color": "#0b5c8e"}, "label": {"show": True, "position": "right"}}],
    }


def progress_bars(rows: list[dict]) -> dict:
    """Year-to-date value and the schedule value of every target, each as % of its target, so that
    concentrations and day counts share one axis; red where behind."""
    names = [f"{r['region']} {r['metric_label']}" for r in rows]

    def pct(value, r):
        return None if value is None or not r["target_value"] else round(100 * value / r["target_value"], 1)

    bad = ("behind", "cannot_be_met", "missed")
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": {"left": 260, "right": 40, "top": 30, "bottom": 30},
        "xAxis": {"type": "value", "name": _("share of target (%)")}, "yAxis": {"type": "category", "data": names, "inverse": True},
        "series": [
            {"type": "bar", "name": _("year to date"), "data": [
                {"value": pct(r["ytd"], r), "itemStyle": {"color": "#c0392b" if r["status"] in bad else "#0a7d32"}}
                for r in rows], "markLine": {"silent": True, "symbol": "none", "data": [{"xAxis": 100}],
                                             "lineStyle": {"color": "#0b5c8e"}}},
            {"type": "scatter", "name": _("on schedule"), "data": [pct(r["schedule"], r) for r in rows],
             "symbol": "diamond", "symbolSize": 12, "itemStyle": {"color": "#333"}},
        ],
    }
