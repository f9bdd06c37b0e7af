"""An independent, deliberately plain implementation of HJ 633 / HJ 663 for the tests.

Written per row in pure Python with exact fractions and decimal strings, sharing no code with
``gongjian.standards``, so that agreement between the two is evidence, not tautology. It is slow and
meant only for checking.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

STEPS = [0, 50, 100, 150, 200, 300, 400, 500]
TABLE_2012 = {
    "so2": [0, 50, 150, 475, 800, 1600, 2100, 2620], "no2": [0, 40, 80, 180, 280, 565, 750, 940],
    "pm10": [0, 50, 150, 250, 350, 420, 500, 600], "co": ["0", "2", "4", "14", "24", "36", "48", "60"],
    "o3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200], "o3_8h": [0, 100, 160, 215, 265, 800],
    "pm25": [0, 35, 75, 115, 150, 250, 350, 500],
    "so2_1h": [0, 150, 500, 650, 800], "no2_1h": [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    "co_1h": ["0", "5", "10", "35", "60", "90", "120", "150"],
}
TABLE_2026 = dict(TABLE_2012, pm10=[0, 50, 120, 250, 350, 420, 500, 600], pm25=[0, 35, 60, 115, 150, 250, 350, 500])
NAMES = {"so2": "SO2", "no2": "NO2", "co": "CO", "pm10": "PM10", "pm25": "PM2.5", "o3_1h": "O3_1h", "o3_8h": "O3_8h"}


def round_conc(value, pollutant):
    places = Decimal("0.1") if pollutant.startswith("co") else Decimal("1")
    return Decimal(repr(float(value))).quantize(places, rounding=ROUND_HALF_EVEN)


def iaqi(indicator, value, edition):
    if value is None:
        return None
    c = Fraction(round_conc(value, indicator))
    table = [Fraction(str(b)) for b in (TABLE_2012 if edition == "2012" else TABLE_2026)[indicator]]
    for i in range(1, len(table)):
        if c <= table[i]:
            exact = Fraction(STEPS[i] - STEPS[i - 1]) / (table[i] - table[i - 1]) * (c - table[i - 1]) + STEPS[i - 1]
            return math.ceil(exact)
    if indicator == "o3_8h":
        return None if edition == "2012" else 300
    if indicator == "so2_1h":
        return None if edition == "2012" else 200
    return 500


def daily(hours):
    """hours: dict hour(0..23) -> dict pollutant -> value or None, for one station-day and the
    preceding context is not needed (all windows lie inside the day)."""
    out = {}
    for p in ("so2", "no2", "co", "pm10", "pm25"):
        vals = [hours[h][p] for h in range(24) if h in hours and hours[h][p] is not None]
        out[p] = float(round_conc(sum(Fraction(repr(v)) for v in vals) / len(vals), p)) if len(vals) >= 20 else None
    o3 = [hours[h]["o3"] if h in hours else None for h in range(24)]
    valid = [v for v in o3 if v is not None]
    max1 = float(round_conc(max(valid), "o3")) if valid else None
    out["o3_1h"] = max1 if valid and (len(valid) >= 20 or max1 > 200) else None
    windows = []
    for last in range(7, 24):
        vals = [o3[h] for h in range(last - 7, last + 1) if o3[h] is not None]
        if len(vals) >= 6:
            windows.append(sum(Fraction(repr(v)) for v in vals) / len(vals))
    mda8 = float(round_conc(float(max(windows)), "o3")) if windows else None
    out["o3_8h"] = mda8 if windows and (len(windows) >= 14 or mda8 > 160) else None
    return out


def daily_aqi(values, edition):
    indicators = ["so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25"] if edition == "2012" else \
        ["so2", "no2", "co", "o3_8h", "pm10", "pm25"]
    sub = {i: iaqi(i, values[i], edition) for i in indicators}
    if edition == "2012" and sub.get("o3_8h") is None and values["o3_8h"] is not None and values["o3_8h"] > 800:
        sub["o3_8h"] = sub["o3_1h"]
    present = [v for v in sub.values() if v is not None]
    if not present:
        return None, []
    top = max(present)
    if len(present) < len(indicators) and top <= 100:
        return None, []
    primary = [NAMES[i] for i, v in sub.items() if v == top] if top > 50 else []
    return top, primary


def evaluate(rows, edition):
    """rows: iterable of (station, datetime, {pollutant: value}) -> {(station, date): (values, aqi, primary)}"""
    by_day = defaultdict(dict)
    for station, time, values in rows:
        by_day[(station, time.date())][time.hour] = values
    result = {}
    for key, hours in by_day.items():
        values = daily(hours)
        aqi, primary = daily_aqi(values, edition)
        result[key] = (values, aqi, primary)
    return result


def percentile(values, p):
    xs = sorted(Fraction(repr(v)) for v in values)
    k = 1 + (len(xs) - 1) * Fraction(p, 100)
    s = math.floor(k)
    if s >= len(xs):
        return xs[-1]
    return xs[s - 1] + (xs[s] - xs[s - 1]) * (k - s)
