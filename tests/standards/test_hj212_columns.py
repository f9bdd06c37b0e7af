"""The column reading of CP texts agrees with parse_cp wherever it reads a CP, and hands it the rest."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjian.gateway.simulator import SimDevice, packets_for
from gongjian.standards.hj212 import PacketError, parse, parse_cp
from gongjian.standards.hj212_columns import read_cp_column


def _as_parse_cp(values: pl.DataFrame, row: int) -> tuple[dt.datetime | None, dict]:
    mine = values.filter(pl.col("row") == row)
    found: dict[str, dict] = {}
    for r in mine.iter_rows(named=True):
        found.setdefault(r["code"], {})[r["suffix"]] = r["text"] if r["number"] is None else r["number"]
    return (mine["data_time"][0] if mine.height else None), found


def _agrees(cps: list[str]) -> list[int]:
    values, irregular = read_cp_column(pl.Series(cps))
    for row, cp in enumerate(cps):
        if row in set(irregular.to_list()):
            continue
        data = parse_cp(cp)
        data_time, found = _as_parse_cp(values, row)
        assert found == data.values, cp
        if found:
            assert data_time == data.data_time, cp
    return irregular.to_list()


def test_the_simulators_traffic_is_read_as_parse_cp_reads_it():
    cps = [parse(raw).cp for kind in ("stack", "dust", "air_station", "meter")
           for _qn, raws in packets_for(SimDevice("M" * 24, "123456", kind), dt.datetime(2026, 11, 1, 23), 90,
                                        split_hours=False)  # the parts of a split CP are read joined
           for raw in raws]
    assert _agrees(cps) == [] and len(cps) > 300


@pytest.mark.parametrize("cp", [
    "DataTime=20240115090000;a21026-Avg= 18.5,a21026-Flag=N",   # a space parse_cp strips
    "DataTime=20240115090000;;a21026-Avg=18.5",                 # an empty group (a warning there)
    "DataTime=20240115090000;a21026-Avg=1e3",                   # a number written another way
    "DataTime=20240115090000;a21026-Avg=inf",                   # not a measurement: dropped there
    "DataTime=20240115090000;a21026-Avg=" + "9" * 400,          # beyond a float: dropped there
    "DataTime=20240115090000;a21026-Avg=1,a21026-Avg=2",        # twice: parse_cp keeps the last
    "DataTime=20240115090000;DataTime=20240115100000;a21026-Avg=1",
    "DataTime=20241315090000;a21026-Avg=1",                     # month 13: parse_cp raises
    "DataTime=2024011509;a21026-Avg=1",
    "a21026-Avg=1",                                              # no DataTime
    "DataTime=20240115090000;a21026-Avg",                       # not KEY=value
    "DataTime=20240115090000;-Avg=1",                           # no code
    "DataTime=20240115090000;x-y-Avg=1",                        # a code with a dash
    "DataTime=20240115090000;a21026-Avg=1;a21026-Avg=2",        # twice, in two groups
])
def test_irregular_cps_are_left_to_parse_cp(cp):
    values, irregular = read_cp_column(pl.Series(["DataTime=20240115090000;a21026-Avg=3", cp]))
    assert irregular.to_list() == [1] and values["row"].unique().to_list() == [0]


def test_parameters_text_suffixes_and_codes_with_dashes():
    cps = ["QnRtn=1;DataTime=20240115090000;a21026-Avg=-0.5,a21026-Flag=D,xy-Rtd=+.5,a01-SampleTime=20240115",
           "DataTime=20240115090000;RtdInterval=30"]
    assert _agrees(cps) == []
    values, _ = read_cp_column(pl.Series(cps))
    assert values.select("code", "suffix", "number", "text").rows() == [
        ("a21026", "Avg", -0.5, None), ("a21026", "Flag", None, "D"), ("xy", "Rtd", 0.5, None),
        ("a01", "SampleTime", None, "20240115")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="Da21026-AvgFlRtN=;,.+ 0123456789eTim", max_size=60), min_size=1, max_size=8))
def test_any_text_is_read_as_parse_cp_reads_it_or_left_to_it(bodies):
    cps = [f"DataTime=20240115090000;{body}" for body in bodies]
    try:
        _agrees(cps)
    except PacketError:  # parse_cp refused a CP this reading took for regular: the test fails
        raise AssertionError(f"read as regular, refused by parse_cp: {cps}") from None
