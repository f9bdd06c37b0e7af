"""HJ 633: the air quality index (AQI), 2012 and 2026 editions.

Breakpoints: HJ 633-2012 Table 1 and HJ 633-2026 Table 3 (identical except the PM10 and PM2.5
IAQI-100 breakpoints, 150 -> 120 and 75 -> 60). Formula (both editions, §5.1 / §4.2.5):

.. math::

    IAQI_P = \\frac{IAQI_{Hi} - IAQI_{Lo}}{BP_{Hi} - BP_{Lo}} (C_P - BP_{Lo}) + IAQI_{Lo},
    \\qquad AQI = \\max_P IAQI_P

Concentrations are first rounded per GB/T 8170 to integers (µg/m3) and to one decimal for CO
(mg/m3) (HJ 633-2026 §4.2.2-4.2.3; applied to both editions), so that every concentration is an
integer number of its last digit. IAQI is then computed in **exact integer arithmetic** and rounded
up (2012 §6.2, 2026 §4.2.6): no floating-point artefact can turn an exact breakpoint into the next
integer. A concentration on a breakpoint belongs to the lower segment (PM2.5 75 -> 100 in 2012).

Indicators (the columns these functions read):

========= ====================== =========================================== =================
column    breakpoints            2012 edition                                2026 edition
========= ====================== =========================================== =================
so2       SO2 24-hour            daily report                                daily report
no2       NO2 24-hour            daily report                                daily report
co        CO 24-hour (mg/m3)     daily report                                daily report
pm10      PM10 24-hour           daily; real-time as the 24-h moving mean    daily; real-time 1-h value
pm25      PM2.5 24-hour          daily; real-time as the 24-h moving mean    daily; real-time 1-h value
o3_8h     O3 8-hour              daily max; real-time 8-h moving mean        daily max only
o3_1h     O3 1-hour              daily max and real-time                     real-time only
so2_1h    SO2 1-hour             real-time                                   real-time
no2_1h    NO2 1-hour             real-time                                   real-time
co_1h     CO 1-hour (mg/m3)      real-time                                   real-time
========= ====================== =========================================== =================
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .editions import check_edition
from .rounding import scaled_half_even_expr

__all__ = [
    "BREAKPOINTS", "CATEGORIES", "DAILY_INDICATORS", "HOURLY_INDICATORS", "IAQI_STEPS", "POLLUTANT_OF",
    "AQI_TOP", "Category", "aqi_columns", "category", "iaqi", "iaqi_expr", "level_expr",
]

#: The IAQI values of the breakpoint rows.
IAQI_STEPS = (0, 50, 100, 150, 200, 300, 400, 500)
#: The top of the AQI scale (2012 Table 1 / 2026 Table 3: IAQI 500); no index is above it.
AQI_TOP = IAQI_STEPS[-1]

_COMMON = {
    "so2": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "so2_1h": (0, 150, 500, 650, 800),  # above 800: see _ABOVE_TABLE
    "no2": (0, 40, 80, 180, 280, 565, 750, 940),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "co": (0, 2, 4, 14, 24, 36, 48, 60),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 160, 215, 265, 800),  # above 800: see _ABOVE_TABLE
}
#: Breakpoints per edition and indicator, in the indicator's unit (µg/m3; CO mg/m3).
BREAKPOINTS: dict[str, dict[str, tuple[float, ...]]] = {
    "2012": {**_COMMON, "pm10": (0, 50, 150, 250, 350, 420, 500, 600),
             "pm25": (0, 35, 75, 115, 150, 250, 350, 500)},
    "2026": {**_COMMON, "pm10": (0, 50, 120, 250, 350, 420, 500, 600),
             "pm25": (0, 35, 60, 115, 150, 250, 350, 500)},
}

#: Decimal places a concentration is rounded to before indexing (HJ 633-2026 §4.2.2-4.2.3).
DECIMALS = {"co": 1, "co_1h": 1}

#: What the table gives above its last breakpoint for the two truncated columns.
#: 2012: no IAQI (the caller substitutes: SO2 from the 24-hour value, O3 from the 1-hour value);
#: 2026 (Table 3 notes b, c): SO2 1-hour above 800 -> 200, O3 8-hour above 800 -> 300.
_ABOVE_TABLE = {"2012": {"so2_1h": None, "o3_8h": None}, "2026": {"so2_1h": 200, "o3_8h": 300}}

#: Pollutant reported for each indicator (primary and exceeding pollutants).
POLLUTANT_OF = {"so2": "SO2", "so2_1h": "SO2", "no2": "NO2", "no2_1h": "NO2", "co": "CO", "co_1h": "CO",
                "pm10": "PM10", "pm25": "PM2.5", "o3_8h": "O3_8h", "o3_1h": "O3_1h"}

#: Indicators of the daily report: 2012 §5.2 (7, with the daily max O3 1-hour), 2026 §4.1 (6).
DAILY_INDICATORS = {
    "2012": ("so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25"),
    "2026": ("so2", "no2", "co", "o3_8h", "pm10", "pm25"),
}
#: Indicators of the real-time report. 2012: 1-hour SO2, NO2, CO, O3, the O3 8-hour moving mean and
#: the PM 24-hour moving means (PM 1-hour values are reported but have no breakpoints). 2026: the six
#: 1-hour values, PM on the daily breakpoints (§4.2.5).
HOURLY_INDICATORS = {
    "2012": ("so2_1h", "no2_1h", "co_1h", "o3_1h", "o3_8h", "pm10", "pm25"),
    "2026": ("so2_1h", "no2_1h", "co_1h", "o3_1h", "pm10", "pm25"),
}


@dataclass(frozen=True)
class Category:
    """An AQI level with its category and the national colour (HJ 633 Table 2 / 2026 Table 1)."""

    level: int
    upper: int
    name_zh: str
    name_en: str
    colour: str
    rgb: tuple[int, int, int]

    @property
    def hex(self) -> str:
        """The national colour as #rrggbb."""
        return "#{:02x}{:02x}{:02x}".format(*self.rgb)


CATEGORIES = (
    Category(1, 50, "优", "good", "green", (0, 228, 0)),
    Category(2, 100, "良", "moderate", "yellow", (255, 255, 0)),
    Category(3, 150, "轻度污染", "lightly polluted", "orange", (255, 126, 0)),
    Category(4, 200, "中度污染", "moderately polluted", "red", (255, 0, 0)),
    Category(5, 300, "重度污染", "heavily polluted", "purple", (153, 0, 76)),
    Category(6, 10**9, "严重污染", "severely polluted", "maroon", (126, 0, 35)),
)


def category(aqi: int) -> Category:
    """The level of an AQI value (AQI 0, all concentrations zero, counts as level 1)."""
    for cat in CATEGORIES:
        if aqi <= cat.upper:
            return cat
    raise AssertionError("unreachable")


def level_expr(aqi: pl.Expr) -> pl.Expr:
    """The AQI level (Int8, 1 优 … 6 严重污染) of an AQI column (2012 Table 2 / 2026 Table 1,
    :data:`CATEGORIES`); null stays null. The one expression of the level chain: :func:`aqi_columns`
    and the forecast and verification code read it.

    >>> pl.DataFrame({"aqi": [50, 51, 301, None]}).select(level_expr(pl.col("aqi")).alias("level"))["level"].to_list()
    [1, 2, 6, None]
    """
    chain = pl.when(aqi.is_null()).then(pl.lit(None, dtype=pl.Int8))
    for cat in CATEGORIES:
        chain = chain.when(aqi <= cat.upper).then(pl.lit(cat.level, dtype=pl.Int8))
    return chain.otherwise(pl.lit(None, dtype=pl.Int8))


def iaqi_expr(concentration: pl.Expr, indicator: str, edition: str) -> pl.Expr:
    """IAQI of ``concentration`` (Float, in the indicator's unit) for one indicator and edition.

    The concentration is rounded (GB/T 8170) and indexed exactly; null stays null; a concentration
    above the top breakpoint gives 500 (neither edition defines this; the AQI scale ends at 500),
    except the 2012/2026 rules for SO2 1-hour and O3 8-hour above 800.
    """
    if check_edition(edition) == "auto":
        raise ValueError("iaqi_expr needs a concrete edition; resolve 'auto' per period first")
    decimals = DECIMALS.get(indicator, 0)
    points = tuple(round(bp * 10**decimals) for bp in BREAKPOINTS[edition][indicator])
    c = scaled_half_even_expr(concentration, decimals)
    chain = pl.when(c.is_null() | (c < 0)).then(pl.lit(None, dtype=pl.Int64))
    for i in range(1, len(points)):
        lo, hi, ilo, ihi = points[i - 1], points[i], IAQI_STEPS[i - 1], IAQI_STEPS[i]
        # ceil(a / b) for a >= 0, b > 0 in integers: (a + b - 1) // b
        numerator = (ihi - ilo) * (c - lo)
        chain = chain.when(c <= hi).then(ilo + (numerator + (hi - lo) - 1) // (hi - lo))
    above = _ABOVE_TABLE[edition].get(indicator, AQI_TOP)
    return chain.otherwise(pl.lit(above, dtype=pl.Int64)).cast(pl.Int64)


def iaqi(indicator: str, concentration: float | None, edition: str) -> int | None:
    """Scalar IAQI, through the same expression as the vectorised path.

    >>> iaqi("pm25", 36, "2012"), iaqi("pm25", 76, "2012"), iaqi("pm25", 61, "2026")
    (52, 102, 101)
    """
    frame = pl.DataFrame({"c": [concentration]}, schema={"c": pl.Float64})
    return frame.select(iaqi_expr(pl.col("c"), indicator, edition)).item()


def aqi_columns(frame: pl.DataFrame | pl.LazyFrame, indicators: tuple[str, ...], edition: str,
                prefix: str = "iaqi_"):
    """Add ``iaqi_<indicator>``, ``aqi``, ``aqi_complete``, ``level``, ``category``, ``colour``,
    ``primary_pollutants`` and (2012) ``exceeding_pollutants`` for one edition.

    Rules applied:

    * 2012 top-of-scale fall-backs: SO2 1-hour above 800 is indexed by the SO2 24-hour value
      (column ``so2``, which the caller provides as the 24-hour mean or moving mean); O3 8-hour
      above 800 is indexed by the O3 1-hour value (2012 Table 1 notes 2 and 3).
    * Missing indicators (HJ 633-2026 §5.3.1, applied to both editions): the AQI of the available
      indicators is published only if it exceeds 100; otherwise AQI, level, category and primary
      pollutants are null ("NA"). ``aqi_complete`` says whether every indicator was present.
    * Primary pollutants: when AQI > 50, every indicator whose IAQI equals the AQI (ties kept).
    * Exceeding pollutants (2012 only; deleted in 2026): IAQI > 100.
    """
    check_edition(edition)
    lf = frame.lazy()
    names = [f"{prefix}{ind}" for ind in indicators]
    lf = lf.with_columns(iaqi_expr(pl.col(ind), ind, edition).alias(name) for ind, name in zip(indicators, names, strict=True))
    if edition == "2012":
        fallbacks = []
        if "so2_1h" in indicators:
            fallbacks.append(
                pl.when((pl.col(f"{prefix}so2_1h").is_null()) & (pl.col("so2_1h") > 800))
                .then(iaqi_expr(pl.col("so2"), "so2", "2012")).otherwise(pl.col(f"{prefix}so2_1h"))
                .alias(f"{prefix}so2_1h"))
        if "o3_8h" in indicators and "o3_1h" in indicators:
            fallbacks.append(
                pl.when((pl.col(f"{prefix}o3_8h").is_null()) & (pl.col("o3_8h") > 800))
                .then(pl.col(f"{prefix}o3_1h")).otherwise(pl.col(f"{prefix}o3_8h")).alias(f"{prefix}o3_8h"))
        if fallbacks:
            lf = lf.with_columns(fallbacks)
    partial = pl.max_horizontal(names)
    complete = pl.all_horizontal(pl.col(n).is_not_null() for n in names)
    aqi = pl.when(complete | (partial > 100)).then(partial).otherwise(None)
    lf = lf.with_columns(aqi.alias("aqi"), complete.alias("aqi_complete"))
    lf = lf.with_columns(level_expr(pl.col("aqi")).alias("level"))
    lf = lf.with_columns(
        pl.col("level").replace_strict({c.level: c.name_zh for c in CATEGORIES}, default=None,
                                       return_dtype=pl.String).alias("category"),
        pl.col("level").replace_strict({c.level: c.colour for c in CATEGORIES}, default=None,
                                       return_dtype=pl.String).alias("colour"),
        _names_where(indicators, names, lambda n: (pl.col("aqi") > 50) & (pl.col(n) == pl.col("aqi")))
        .alias("primary_pollutants"),
    )
    if edition == "2012":
        lf = lf.with_columns(_names_where(indicators, names, lambda n: pl.col(n) > 100).alias("exceeding_pollutants"))
    return lf if isinstance(frame, pl.LazyFrame) else lf.collect()


def _names_where(indicators, names, condition) -> pl.Expr:
    """A List[str] of the pollutants whose indicator satisfies ``condition`` (in table order)."""
    parts = [pl.when(condition(n)).then(pl.lit(POLLUTANT_OF[i])) for i, n in zip(indicators, names, strict=True)]
    return pl.concat_list(parts).list.drop_nulls().list.unique(maintain_order=True)
