"""The composite index of the city ranking (城市环境空气质量排名技术规定, 环办监测〔2018〕19号 §3).

.. math::

    I_i = \\frac{C_i}{S_i}, \\qquad I_{sum} = \\sum_i w_i I_i

over SO2, NO2, PM10, PM2.5 (period means), CO (95th percentile of daily means) and O3 (90th
percentile of daily maximum 8-hour values), each rounded per GB/T 8170 before division; ``S_i`` the
Grade II annual limits (SO2, NO2, PM10, PM2.5) and the daily / 8-hour limits (CO, O3) of
GB 3095-2012. The default has no weights. Divisors and weights are arguments because a 2026
revision (weights PM2.5 x3, NO2 x2, O3 x2; GB 3095-2026 divisors) is rumoured but not confirmed
(shared/standards/air-quality-2026.md §5). The index is reported to two decimals (half-even), and
rankings compare that reported value, so equal published indices are tied.
"""

from __future__ import annotations

import polars as pl

from .gb3095 import LIMITS
from .rounding import round_half_even_expr

__all__ = ["DIVISORS_2018", "DIVISOR_PERIODS", "ITEMS", "composite_index", "limit_divisors"]

#: Statistic column of each item.
ITEMS = {"so2": "so2", "no2": "no2", "pm10": "pm10", "pm25": "pm25", "co": "co_p95", "o3": "o3_8h_p90"}
#: The averaging period of the GB 3095 limit each item is divided by (环办监测〔2018〕19号 §3):
#: annual limits for the four means, the daily limit for CO and the 8-hour limit for O3.
DIVISOR_PERIODS = {"so2": "annual", "no2": "annual", "pm10": "annual", "pm25": "annual", "co": "daily", "o3": "8h"}


def limit_divisors(phase: str) -> dict[str, float]:
    """``S_i`` of each item: the Grade II limits of GB 3095 ``phase`` (``"2012"``, ``"2026-1"``,
    ``"2026-2"``: :func:`gongjian.standards.editions.limits_phase`), read from
    :data:`gongjian.standards.gb3095.LIMITS`, so the limits have one home.

    >>> limit_divisors("2012")
    {'so2': 60, 'no2': 40, 'pm10': 70, 'pm25': 35, 'co': 4, 'o3': 160}
    """
    if phase not in LIMITS:
        raise ValueError(f"unknown GB 3095 phase {phase!r}; known: {sorted(LIMITS)}")
    return {item: LIMITS[phase][item][period] for item, period in DIVISOR_PERIODS.items()}


#: 环办监测〔2018〕19号: GB 3095-2012 Grade II annual limits, CO daily and O3 8-hour limits.
DIVISORS_2018 = limit_divisors("2012")

_NAMES = {"so2": "SO2", "no2": "NO2", "pm10": "PM10", "pm25": "PM2.5", "co": "CO", "o3": "O3"}


def composite_index(frame: pl.DataFrame | pl.LazyFrame, divisors: dict[str, float] | None = None,
                    weights: dict[str, float] | None = None):
    """Add ``index_<item>`` (single-item indices, 3 decimals), ``share_<item>`` (% of the sum, 1 decimal),
    ``composite_index`` (2 decimals) and ``index_primary`` (the item with the largest index).

    Null when any of the six statistics is null. Unknown item names in ``divisors`` or ``weights``
    are an error.

    >>> import polars as pl
    >>> row = pl.DataFrame({"pm25": [21.0], "pm10": [39.0], "so2": [9.0], "no2": [15.0], "o3_8h_p90": [192.0], "co_p95": [0.7]})
    >>> composite_index(row)["composite_index"].item()
    3.06
    """
    divisors = {**DIVISORS_2018, **(divisors or {})}
    weights = {item: 1.0 for item in ITEMS} | (weights or {})
    unknown = (set(divisors) | set(weights)) - set(ITEMS)
    if unknown:
        raise ValueError(f"unknown composite-index items: {sorted(unknown)}; known: {sorted(ITEMS)}")
    raw = {item: pl.col(column) / divisors[item] * weights[item] for item, column in ITEMS.items()}
    total = pl.sum_horizontal(raw.values())
    complete = pl.all_horizontal(pl.col(c).is_not_null() for c in ITEMS.values())
    lf = frame.lazy().with_columns(
        *(pl.when(complete).then(round_half_even_expr(e, 3)).alias(f"index_{i}") for i, e in raw.items()),
        *(pl.when(complete).then(round_half_even_expr(e / total * 100, 1)).alias(f"share_{i}") for i, e in raw.items()),
        pl.when(complete).then(round_half_even_expr(total, 2)).alias("composite_index"),
        pl.when(complete).then(
            pl.concat_list(pl.when(e == pl.max_horizontal(raw.values())).then(pl.lit(_NAMES[i])) for i, e in raw.items())
            .list.drop_nulls().list.join(",")).alias("index_primary"),
    )
    return lf if isinstance(frame, pl.LazyFrame) else lf.collect()
