"""`gongjian water classify`: per section and period the class, target and items above it, and the
rates of the file beside it; bad rows on stderr and nothing written."""

import os
import subprocess
import sys

import polars as pl
import pytest
from django.core.management import CommandError, call_command

# Two rivers and a lake, January and February 2024 (hand-checked):
#   A Jan: NH3-N (1.1 + 1.3) / 2 = 1.2 (Ⅳ), TP 0.25 (Ⅳ); target Ⅲ: 总磷 0.25倍, 氨氮 0.20倍
#   A Feb: NH3-N 0.8 (Ⅲ), TP 0.1L → 0.05 (Ⅱ): Ⅲ, meets
#   B Jan: NH3-N 2.4 (劣Ⅴ, 1.40 over Ⅲ), DO 4 (Ⅳ); target Ⅲ
#   L Jan: TP 0.06 (lake Ⅳ, 0.20 over Ⅲ 0.05), TN 3 (not in the class); target Ⅲ
# January: 3 sections, none at Ⅲ or better, 1 劣Ⅴ (33.3 %), 0 of 3 meet; February: 1 of 1.
# All: 4 section-months, 1 at Ⅲ or better (25.0 %), 1 劣Ⅴ (25.0 %), 1 of 4 meet (25.0 %).
GOOD = """section,date,item,value,kind,target
A,2024-01-03,氨氮,1.1,river,III
A,2024-01-17,氨氮,1.3,river,III
A,2024-01-03,总磷,0.25,river,III
A,2024-02-05,氨氮,0.8,river,III
A,2024-02-05,总磷,0.1L,river,III
B,2024-01-04,w21003,2.4,river,III
B,2024-01-04,溶解氧,4,river,III
L,2024-01-08,总磷,0.06,lake,III
L,2024-01-08,总氮,3,lake,III
"""


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "samples.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


def test_classify_by_month(good, tmp_path):
    out = tmp_path / "out.csv"
    call_command("water", "classify", str(good), "--out", str(out))
    table = pl.read_csv(out, infer_schema=False)
    assert table.columns == ["section", "kind", "period", "class", "status", "target", "meets_target",
                             "items_above_target"]
    assert table.select("section", "period", "class", "target", "meets_target", "items_above_target").rows() == [
        ("A", "2024-M01", "IV", "III", "false", "总磷 0.25倍; 氨氮 0.20倍"),
        ("A", "2024-M02", "III", "III", "true", ""),
        ("B", "2024-M01", "劣V", "III", "false", "氨氮 1.40倍; 溶解氧"),
        ("L", "2024-M01", "IV", "III", "false", "总磷 0.20倍"),
    ]
    rates = pl.read_csv(tmp_path / "out.rates.csv", infer_schema=False)
    assert rates.rows() == [
        ("2024-M01", "3", "0", "0.0", "1", "33.3", "3", "0", "0.0"),
        ("2024-M02", "1", "1", "100.0", "0", "0.0", "1", "1", "100.0"),
        ("all", "4", "1", "25.0", "1", "25.0", "4", "1", "25.0"),
    ]


def test_classify_by_year_to_excel(good, tmp_path):
    out = tmp_path / "out.xlsx"
    call_command("water", "classify", str(good), "--out", str(out), "--period", "year")
    table = pl.read_excel(out)
    # A over 2024: NH3-N (1.1 + 1.3 + 0.8) / 3 = 1.0666… (Ⅳ), TP (0.25 + 0.05) / 2 = 0.15 (Ⅲ)
    assert table.filter(pl.col("section") == "A").select("period", "class").rows() == [("2024", "IV")]
    assert (tmp_path / "out.rates.xlsx").exists()


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("section,date,item,value\nA,2024-01-03,氨氮,-1\nA,2024-01-03,pH,15\nA,2024-01-03,foo,1\n"
                    "A,2024-01-04,氨氮,1\nA,2024-01-04,NH3-N,1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="4 problem"):
        call_command("water", "classify", str(path), "--out", str(out))
    err = capsys.readouterr().err
    assert "bad.csv, row 2, column value: negative concentration -1" in err
    assert "bad.csv, row 3, column value: pH 15 is outside 0–14" in err
    assert "bad.csv, row 4, column item:" in err
    assert "bad.csv, row 6, column date:" in err and "repeats bad.csv row 5" in err
    assert not out.exists() and not (tmp_path / "out.rates.csv").exists()


def test_refused_options(good, tmp_path):
    with pytest.raises(CommandError, match=r"\.csv or \.xlsx"):
        call_command("water", "classify", str(good), "--out", str(tmp_path / "out.txt"))
    with pytest.raises(CommandError, match="no such file"):
        call_command("water", "classify", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out.csv"))


def test_through_the_gongjian_entry_point(good, tmp_path):
    out = tmp_path / "cli.csv"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongjian.site.settings_test"}
    done = subprocess.run([sys.executable, "-m", "gongjian.cli", "water", "classify", str(good), "--out", str(out),
                           "--period", "quarter"], capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    assert pl.read_csv(out).select("section", "period", "class").rows() == [
        ("A", "2024-Q1", "IV"), ("B", "2024-Q1", "劣V"), ("L", "2024-Q1", "IV")]
    bad = tmp_path / "bad.csv"
    bad.write_text("section,date,item,value\nA,2024-01-03,氨氮,-1\n", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "gongjian.cli", "water", "classify", str(bad), "--out",
                              str(tmp_path / "bad-out.csv")], capture_output=True, text=True, timeout=180, env=env)
    assert refused.returncode != 0 and "bad.csv" in refused.stderr and "2" in refused.stderr and not (tmp_path / "bad-out.csv").exists()
