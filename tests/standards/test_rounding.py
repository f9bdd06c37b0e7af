from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjian.standards.rounding import round_half_even, round_half_even_expr, scaled_half_even_expr


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (35.5, 0, "36"), (36.5, 0, "36"), (37.5, 0, "38"), (35.49, 0, "35"), (35.51, 0, "36"),
    (0.15, 1, "0.2"), (0.25, 1, "0.2"), (0.35, 1, "0.4"), (2.675, 2, "2.68"), (1.05, 1, "1.0"),
])
def test_gb_t_8170_half_even(value, decimals, expected):
    assert round_half_even(value, decimals) == Decimal(expected)
    vectorised = pl.select(round_half_even_expr(pl.lit(value), decimals)).item()
    assert Decimal(repr(vectorised)) == Decimal(expected)


@given(st.decimals(min_value=0, max_value=20000, places=3, allow_nan=False, allow_infinity=False),
       st.sampled_from([0, 1]))
def test_vectorised_matches_decimal_reading(value, decimals):
    """For inputs with up to three decimals (monitoring data), the float path equals Decimal."""
    expected = round_half_even(str(value), decimals)
    got = pl.select(scaled_half_even_expr(pl.lit(float(value)), decimals)).item()
    assert Decimal(got).scaleb(-decimals) == expected


def test_nulls_stay_null():
    assert pl.select(round_half_even_expr(pl.lit(None, dtype=pl.Float64), 0)).item() is None
