"""Units of the basic pollutants and conversion to the units the standards use.

GB 3095 and HJ 633 express SO2, NO2, O3, PM10 and PM2.5 in µg/m3 and CO in mg/m3. Input must state
any other unit explicitly; an unknown unit is an error (never a guess).
"""

from __future__ import annotations

__all__ = ["CANONICAL", "factor", "normalise_unit"]

#: The unit each pollutant is evaluated in.
CANONICAL = {"so2": "ug/m3", "no2": "ug/m3", "co": "mg/m3", "o3": "ug/m3", "pm10": "ug/m3", "pm25": "ug/m3"}

_SPELLINGS = {"ug/m3": "ug/m3", "微克/立方米": "ug/m3", "mg/m3": "mg/m3", "毫克/立方米": "mg/m3"}
_TO_UG = {"ug/m3": 1.0, "mg/m3": 1000.0}


def normalise_unit(unit: str) -> str:
    """``ug/m3`` or ``mg/m3`` from the usual spellings (µg/m³, μg/m3, 微克/立方米, ...)."""
    key = unit.strip().replace(" ", "").lower().replace("µ", "u").replace("μ", "u").replace("³", "3")
    if key not in _SPELLINGS:
        raise ValueError(f"unknown unit {unit!r}: use ug/m3 or mg/m3")
    return _SPELLINGS[key]


def factor(pollutant: str, unit: str) -> float:
    """Multiply a value in ``unit`` by this to get the pollutant's canonical unit.

    >>> factor("co", "ug/m3"), factor("pm25", "mg/m3"), factor("so2", "µg/m³")
    (0.001, 1000.0, 1.0)
    """
    if pollutant not in CANONICAL:
        raise ValueError(f"unknown pollutant {pollutant!r}: one of {', '.join(CANONICAL)}")
    return _TO_UG[normalise_unit(unit)] / _TO_UG[CANONICAL[pollutant]]
