"""Rounding as the standards require it.

* Concentrations: GB/T 8170-2008 §3.3 "修约" by round-half-to-even (四舍六入五成双), applied to the
  value's decimal reading (HJ 633-2026 §4.2.2/4.2.3; HJ 663 practice before it).
* IAQI and AQI: always **up** to an integer (HJ 633-2012 §6.2 "全部进位取整数";
  HJ 633-2026 §4.2.6 "全部向上进位取整数"), done in exact integer arithmetic in
  :mod:`gongjian.standards.hj633`.

Floats cannot hold most decimal halves exactly (2.675 is 2.67499999999999982...), so a plain
half-even rounding of the binary value rounds some decimal halves the wrong way. The vectorised
version therefore treats a value within :data:`HALF_TOLERANCE` (in units of the last kept digit)
of a half as that half: monitoring data carry at most a few decimals, far coarser than this
tolerance, so every decimal half is recognised and nothing else is. The scalar version works on the
decimal string with :class:`decimal.Decimal` and is the reference the tests compare against.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import polars as pl

__all__ = ["HALF_TOLERANCE", "round_half_even", "round_half_even_expr", "scaled_half_even_expr"]

#: How close (in units of the last kept digit) a float must be to .5 to count as a decimal half.
HALF_TOLERANCE = 1e-7


def round_half_even(value: float | int | str | Decimal, decimals: int = 0) -> Decimal:
    """GB/T 8170 rounding of one value, read as its shortest decimal string.

    >>> round_half_even(2.675, 2), round_half_even(35.5), round_half_even(36.5), round_half_even(0.15, 1)
    (Decimal('2.68'), Decimal('36'), Decimal('36'), Decimal('0.2'))
    """
    exponent = Decimal(1).scaleb(-decimals)
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_EVEN)


def scaled_half_even_expr(expr: pl.Expr, decimals: int = 0) -> pl.Expr:
    """``expr`` rounded half-to-even to ``decimals`` places, as an Int64 count of the last digit
    (CO 2.25 mg/m3 with ``decimals=1`` gives 22). Nulls stay null."""
    scaled = expr.cast(pl.Float64) * (10.0**decimals)
    floor = scaled.floor()
    fraction = scaled - floor
    is_half = (fraction - 0.5).abs() <= HALF_TOLERANCE
    odd_floor = (floor % 2) == 1
    rounded = (
        pl.when(is_half).then(pl.when(odd_floor).then(floor + 1).otherwise(floor))
        .otherwise((scaled + 0.5).floor())
    )
    return rounded.cast(pl.Int64)


def round_half_even_expr(expr: pl.Expr, decimals: int = 0) -> pl.Expr:
    """``expr`` rounded half-to-even to ``decimals`` places, as Float64.

    The division back is exact in decimal terms, but Polars multiplies by the reciprocal
    (494 * 0.1 = 49.400000000000006), so the float is snapped to the nearest double of the decimal
    value with a final ``round``; the value was already rounded in integer arithmetic.
    """
    return (scaled_half_even_expr(expr, decimals).cast(pl.Float64) / (10.0**decimals)).round(decimals)
