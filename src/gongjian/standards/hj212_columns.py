"""HJ 212 CP text read a column at a time: :func:`gongjian.standards.hj212.parse_cp` for many packets.

The ingestion of stored packets (``gongjian.sources.ingest``) reads tens of thousands of CPs a
second; one :func:`~gongjian.standards.hj212.parse_cp` call per packet costs more than the gateway
spends storing it. :func:`read_cp_column` reads the CP grammar of HJ 212-2017 §6.1 (groups separated
by ``;``, fields by ``,``, ``code-Suffix=value``) with Polars expressions over the whole column, for
the CPs written the regular way, and names the others: those it does not read exactly as
``parse_cp`` would go to ``parse_cp``, one by one. ``parse_cp`` stays the one definition: a CP is
regular only where this reading is provably the same (``tests/standards/test_hj212_columns.py``
compares both on the simulator's traffic and on irregular CPs). Regular means:

* every field is ``KEY=value`` with no space around key or value and no empty group;
* exactly one ``DataTime``, of 14 digits, a real date and time;
* a suffixed value (``code-Suffix``, one ``-``: where ``parse_cp`` splits at the last one) is a plain
  decimal number (``[+-]digits[.digits]``, finite), except ``-Flag``, ``-EFlag`` and ``-SampleTime``,
  which are text;
* no code and suffix twice (``parse_cp`` keeps the last; this reading would have to guess).

Keys without a suffix (``QnRtn``, ``RtdInterval``) are parameters, which the result leaves out.
"""

from __future__ import annotations

import polars as pl

from .hj212 import TEXT_SUFFIXES

__all__ = ["TEXT_SUFFIXES", "read_cp_column"]

_DECIMAL = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"


def read_cp_column(cp: pl.Series) -> tuple[pl.DataFrame, pl.Series]:
    """The values of many CP texts, and the positions of those to read with ``parse_cp`` instead.

    Returns ``(values, irregular)``: ``values`` has one row per suffixed value of a regular CP
    (``row``: the CP's position in ``cp``; ``data_time``: its DataTime, naive, as the device wrote it;
    ``code``, ``suffix``; ``number`` (Float64) for a measured value, ``text`` for a flag or sample
    time), and a regular CP without suffixed values has no row; ``irregular`` (UInt32) holds the
    positions of the CPs not read here, ascending.
    """
    fields = (pl.DataFrame({"cp": cp.cast(pl.String)}).with_row_index("row")
              .with_columns(pl.col("cp").str.split(";")).explode("cp")
              .with_columns(pl.col("cp").str.split(",")).explode("cp")
              .with_columns(pl.col("cp").str.splitn("=", 2).struct.rename_fields(["key", "value"])).unnest("cp")
              .with_columns(dashes=pl.col("key").str.count_matches("-", literal=True),
                            name=pl.col("key").str.splitn("-", 2).struct.rename_fields(["code", "suffix"]))
              .unnest("name"))
    is_time = pl.col("key") == "DataTime"
    fields = fields.with_columns(
        data_time=pl.when(is_time & pl.col("value").str.contains(r"^[0-9]{14}$"))
        .then(pl.col("value").str.strptime(pl.Datetime("us"), "%Y%m%d%H%M%S", strict=False)),
        number=pl.when(pl.col("suffix").is_not_null() & ~pl.col("suffix").is_in(TEXT_SUFFIXES)
                       & pl.col("value").str.contains(_DECIMAL))
        .then(pl.col("value").cast(pl.Float64, strict=False)))
    measured = pl.col("suffix").is_not_null() & ~pl.col("suffix").is_in(TEXT_SUFFIXES)
    bad = (pl.col("value").is_null() | (pl.col("key") == "") | (pl.col("dashes") > 1)
           | (pl.col("key") != pl.col("key").str.strip_chars())
           | (pl.col("value") != pl.col("value").str.strip_chars())
           | (is_time & pl.col("data_time").is_null())
           | (pl.col("suffix").is_not_null() & (pl.col("code") == ""))
           | (measured & (pl.col("number").is_null() | ~pl.col("number").is_finite())))
    suffixed = pl.col("suffix").is_not_null()
    fields = fields.with_columns(twice=suffixed & fields.select("row", "key").is_duplicated())
    per_cp = fields.group_by("row").agg(
        bad=bad.any(), times=is_time.sum(), data_time=pl.col("data_time").drop_nulls().first(),
        twice=pl.col("twice").any())
    irregular_cp = pl.col("bad") | (pl.col("times") != 1) | pl.col("twice")
    irregular = per_cp.filter(irregular_cp)["row"].sort()
    regular = per_cp.filter(~irregular_cp).select("row", "data_time")
    values = (fields.filter(suffixed).select("row", "code", "suffix", "number",
                                             text=pl.when(~measured).then(pl.col("value")))
              .join(regular, on="row", how="inner", maintain_order="left")
              .select("row", "data_time", "code", "suffix", "number", "text"))
    return values, irregular
