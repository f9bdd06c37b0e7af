"""Reading water sample files: spellings, codes, units, below-detection results, and every refusal
named by file, row and column with nothing returned."""

import datetime as dt

import polars as pl
import pytest

from gongjian.core.problems import InvalidInput
from gongjian.water.samples_io import read_samples

HEADER = "section,date,item,value,kind,target,unit\n"


def write(tmp_path, body, name="samples.csv", header=HEADER, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(header + body, encoding=encoding)
    return path


def problems(paths, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        read_samples(paths, **kwargs)
    return [(p.source, p.row, p.field, p.message) for p in caught.value.problems]


def test_names_codes_units_and_below_limit(tmp_path):
    path = write(tmp_path, "\n".join([
        "花园口,2024-01-05,氨氮,1.2,river,III,",
        "花园口,2024-01-05,w20111,0.2,river,Ⅲ,",  # HJ 212 mercury: µg/L
        "花园口,2024/01/20,总磷（以P计）,0.02L,河流,3,",
        "花园口,2024-01-20,高锰酸盐指数,<0.5,river,III,mg/L",
        "西流湖,20240105,pH值,6.5,湖泊,II,无量纲",
        "西流湖,2024-01-05 10:00,汞,0.3,lake,II,µg/L",
        "西流湖,2024-01-06,溶解氧,,lake,II,",  # empty: no data
        "西流湖,2024-01-07,锰,0.05,lake,,",
    ]) + "\n")
    got = read_samples([path])
    assert got.schema["time"] == pl.Datetime("us") and got.schema["target"] == pl.Int8
    rows = {(r["section"], r["item"], r["time"]): r for r in got.iter_rows(named=True)}
    hg = rows[("花园口", "hg", dt.datetime(2024, 1, 5))]
    assert (hg["value"], hg["below_limit"], hg["target"]) == (0.0002, False, 3)
    tp = rows[("花园口", "tp", dt.datetime(2024, 1, 20))]
    assert (tp["value"], tp["below_limit"], tp["kind"]) == (0.02, True, "river")
    assert rows[("花园口", "codmn", dt.datetime(2024, 1, 20))]["below_limit"] is True
    lake_hg = rows[("西流湖", "hg", dt.datetime(2024, 1, 5, 10))]
    assert (lake_hg["value"], lake_hg["kind"], lake_hg["date"]) == (0.0003, "lake", dt.date(2024, 1, 5))
    assert rows[("西流湖", "do", dt.datetime(2024, 1, 6))]["value"] is None
    assert rows[("西流湖", "mn", dt.datetime(2024, 1, 7))]["target"] is None
    assert got.height == 8


def test_chinese_headers_gbk_and_excel(tmp_path):
    header = "断面,采样日期,监测项目,监测值,水体类型,目标类别\n"
    path = write(tmp_path, "尖岗水库,2024-02-01,总磷,0.04,水库,II\n", "gbk.csv", header, "gb18030")
    assert read_samples([path]).row(0, named=True)["kind"] == "reservoir"
    xlsx = tmp_path / "s.xlsx"
    pl.DataFrame({"section": ["A"], "date": [dt.date(2024, 3, 1)], "item": ["NH3-N"], "value": [0.8]}).write_excel(xlsx)
    got = read_samples([xlsx]).row(0, named=True)
    assert (got["item"], got["date"], got["value"], got["kind"]) == ("nh3n", dt.date(2024, 3, 1), 0.8, "river")


@pytest.mark.parametrize(("line", "field", "message"), [
    ("A,2024-01-05,叶绿素a,1,river,III,", "item", "not a GB 3838 item"),
    ("A,2024-01-05,氨氮,-0.1,river,III,", "value", "negative concentration"),
    ("A,2024-01-05,pH,14.5,river,III,", "value", "outside 0–14"),
    ("A,2024-01-05,pH,7,river,III,mg/L", "unit", "does not fit pH值"),
    ("A,2024-01-05,氨氮,1,river,III,个/L", "unit", "does not fit 氨氮"),
    ("A,2024-01-05,氨氮,1,river,III,ppm", "unit", "does not fit"),
    ("A,2024-02-30,氨氮,1,river,III,", "date", "not a date"),
    ("A,yesterday,氨氮,1,river,III,", "date", "not a date"),
    ("A,2024-01-05,氨氮,1,sea,III,", "kind", "not river, lake or reservoir"),
    ("A,2024-01-05,氨氮,1,river,VI,", "target", "not a class I..V"),
    ("A,2024-01-05,氨氮,1,river,劣V,", "target", "not a class I..V"),
    ("A,2024-01-05,氨氮,abc,river,III,", "value", "not a number"),
    ("A,2024-01-05,氨氮,ND,river,III,", "value", "gives no detection limit"),
    (",2024-01-05,氨氮,1,river,III,", "section", "section is empty"),
])
def test_each_bad_row_is_named(tmp_path, line, field, message):
    path = write(tmp_path, "A,2024-01-04,氨氮,0.5,river,III,\n" + line + "\n")
    got = problems([path])
    assert len(got) == 1
    source, row, column, text = got[0]
    assert (source, row, column) == ("samples.csv", 3, field) and message in text


def test_duplicates_across_files_name_the_first(tmp_path):
    a = write(tmp_path, "A,2024-01-05,氨氮,0.5,river,III,\n", "a.csv")
    b = write(tmp_path, "B,2024-01-05,氨氮,0.5,river,III,\nA,2024-01-05,NH3-N,0.6,river,III,\n", "b.csv")
    [(source, row, column, text)] = problems([a, b])
    assert (source, row, column) == ("b.csv", 3, "date") and "repeats a.csv row 2" in text


def test_one_kind_per_section(tmp_path):
    path = write(tmp_path, "A,2024-01-05,氨氮,0.5,river,III,\nA,2024-01-06,氨氮,0.5,lake,III,\n")
    [(_, row, column, text)] = problems([path])
    assert (row, column) == (3, "kind") and "is a river" in text


def test_every_problem_at_once_and_missing_columns(tmp_path):
    path = write(tmp_path, "A,2024-01-05,foo,-1,sea,IX,\n")
    assert {p[2] for p in problems([path])} == {"item", "value", "kind", "target"}
    bare = write(tmp_path, "A,2024-01-05\n", "bare.csv", header="section,date\n")
    assert problems([bare]) == [("bare.csv", 1, "item", "missing column (one of item, 项目, 监测项目, 指标)"),
                                ("bare.csv", 1, "value", "missing column (one of value, 监测值, 浓度, 结果, 监测结果)")]


def test_check_section_is_asked_once_and_named_at_the_first_row(tmp_path):
    asked = []

    def check(name):
        asked.append(name)
        return None if name == "A" else f"unknown section {name!r}"

    path = write(tmp_path, "A,2024-01-05,氨氮,0.5,river,III,\nZ,2024-01-05,氨氮,0.5,river,III,\n"
                           "Z,2024-01-06,氨氮,0.5,river,III,\n")
    assert problems([path], check_section=check) == [("samples.csv", 3, "section", "unknown section 'Z'")]
    assert asked == ["A", "Z"]


def test_not_a_table(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    [(source, _, _, text)] = problems([path])
    assert source == "x.xlsx" and "cannot read" in text
