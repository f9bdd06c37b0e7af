"""Units of the basic pollutants and conversion to the units the standards use.

GB 3095 and HJ 633 express SO2, NO2, O3, PM10 and PM2.5 in µg/m3 and CO in mg/m3. Input must state
any other unit explicitly; an unknown unit is an error (never a guess).

Water (GB 3838-2002): concentrations in mg/L, pH dimensionless, water temperature °C, faecal coliform
个/L; HJ 212-2017 sends some metals in µg/L (:func:`gongjian.standards.gb3838.code_unit`).
:func:`water_factor` converts between the concentration units and refuses a unit of another kind.
"""

from __future__ import annotations

__all__ = ["CANONICAL", "WATER_UNITS", "factor", "normalise_unit", "normalise_water_unit", "water_factor"]

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


#: Water units by their usual spellings (case, spaces and µ/μ/u ignored).
_WATER_SPELLINGS = {
    "mg/l": "mg/L", "毫克/升": "mg/L", "毫克每升": "mg/L", "ug/l": "ug/L", "微克/升": "ug/L", "微克每升": "ug/L",
    "ng/l": "ng/L", "纳克/升": "ng/L", "个/l": "个/L", "个/升": "个/L", "mpn/l": "个/L", "cfu/l": "个/L",
    "无量纲": "", "dimensionless": "", "ph": "", "°c": "°C", "℃": "°C", "c": "°C", "摄氏度": "°C",
}
#: The water units known, each with its factor to mg/L where it is a mass concentration.
WATER_UNITS = {"mg/L": 1.0, "ug/L": 0.001, "ng/L": 0.000001, "个/L": None, "": None, "°C": None}


def normalise_water_unit(unit: str) -> str:
    """``mg/L``, ``ug/L``, ``ng/L``, ``个/L`` (counts), ``°C`` or ``""`` (dimensionless, pH) from the
    usual spellings (µg/L, μg/l, 毫克/升, MPN/L, 无量纲, ℃, ...)."""
    key = unit.strip().replace(" ", "").lower().replace("µ", "u").replace("μ", "u")
    if key in ("", "-", "—"):
        return ""
    if key not in _WATER_SPELLINGS:
        raise ValueError(f"unknown water unit {unit!r}: use mg/L, ug/L, 个/L, °C or 无量纲")
    return _WATER_SPELLINGS[key]


def water_factor(unit: str, canonical: str) -> float:
    """Multiply a value in ``unit`` by this to get it in ``canonical`` (the item's Table 1 unit).
    Mass concentrations convert among themselves; any other unit must be the canonical one.

    >>> water_factor("µg/L", "mg/L"), water_factor("毫克/升", "mg/L"), water_factor("MPN/L", "个/L")
    (0.001, 1.0, 1.0)
    """
    got, want = normalise_water_unit(unit), normalise_water_unit(canonical)
    if got == want:
        return 1.0
    if WATER_UNITS[got] is None or WATER_UNITS[want] is None:
        raise ValueError(f"{unit!r} is not a unit of this item (its unit is {canonical or 'dimensionless'!r})")
    return WATER_UNITS[got] / WATER_UNITS[want]
