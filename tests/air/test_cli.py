"""`gongjian air daily|annual|rank` on files: outputs, and bad input named by file, row and column."""

import datetime as dt

import polars as pl
import pytest
from django.core.management import CommandError, call_command

HEADER = "station,time,so2,no2,co,o3,pm10,pm25\n"


def _csv(path, days=2, station="A", pm25=50, start=dt.datetime(2020, 1, 1)):
    lines = [HEADER]
    for h in range(24 * days):
        t = start + dt.timedelta(hours=h)
        lines.append(f"{station},{t:%Y-%m-%dT%H:%M},10,30,0.8,{40 + h % 24},70,{pm25}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_daily(tmp_path):
    out = tmp_path / "daily.csv"
    call_command("air", "daily", str(_csv(tmp_path / "a.csv")), "--out", str(out))
    frame = pl.read_csv(out)
    assert frame.height == 2
    row = frame.row(0, named=True)
    assert row["pm25"] == 50 and row["iaqi_pm25"] == 69 and row["aqi"] == 69 and row["category"] == "良"
    assert row["edition"] == 2012 and row["primary_pollutants"] == "PM2.5"
    assert row["o3_1h_max"] == 63 and row["o3_8h_max"] == 60  # hours 16..23: mean of 56..63 = 59.5 -> 60 (even)


def test_daily_under_the_other_edition_and_excel(tmp_path):
    out = tmp_path / "daily.xlsx"
    call_command("air", "daily", str(_csv(tmp_path / "a.csv")), "--edition", "2026", "--out", str(out))
    frame = pl.read_excel(out)
    assert frame["iaqi_pm25"].to_list() == [80, 80]  # 50 + 50 (50 - 35) / (60 - 35)
    assert frame["edition"].cast(pl.String).to_list() == ["2026", "2026"]


def test_hour_ending_labels_and_24_00(tmp_path):
    path = tmp_path / "end.csv"
    lines = [HEADER] + [f"A,2020-01-01 {h:02d}:00,10,30,0.8,40,70,50\n" for h in range(1, 25)]
    path.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "d.csv"
    call_command("air", "daily", str(path), "--hour-label", "end", "--out", str(out))
    frame = pl.read_csv(out)
    assert frame.height == 1 and frame["hours_pm25"].item() == 24  # 01:00..24:00 are the 24 hours of 1 January


def test_mapping_and_units(tmp_path):
    path = tmp_path / "m.csv"
    lines = ["站点,时间,SO2,NO2,CO,O3,PM10,PM2.5\n"] + [
        f"甲,2020-01-01T{h:02d}:00,10,30,800,40,70,50\n" for h in range(24)]
    path.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "d.csv"
    call_command("air", "daily", str(path), "--out", str(out), "--map", "station=站点", "--map", "time=时间",
                 "--map", "so2=SO2", "--map", "no2=NO2", "--map", "co=CO", "--map", "o3=O3", "--map", "pm10=PM10",
                 "--map", "pm25=PM2.5", "--unit", "co=ug/m3")
    row = pl.read_csv(out).row(0, named=True)
    assert row["station"] == "甲" and row["co"] == 0.8


def test_annual_and_rank(tmp_path):
    a = _csv(tmp_path / "a.csv", days=31, station="A", pm25=30)
    b = _csv(tmp_path / "b.csv", days=31, station="B", pm25=60)
    c = _csv(tmp_path / "c.csv", days=31, station="C", pm25=30)
    out = tmp_path / "annual.csv"
    call_command("air", "annual", str(a), str(b), "--year", "2020", "--out", str(out))
    annual = pl.read_csv(out)
    assert annual["pm25"].to_list() == [30, 60] and annual["valid_days"].to_list() == [31, 31]
    assert annual["valid_pm25"].to_list() == [False, False]  # 31 days are not a valid year
    assert annual["capture_pm25"].to_list() == [8.5, 8.5]  # 31 / 366
    ranked = tmp_path / "rank.csv"
    call_command("air", "rank", str(a), str(b), str(c), "--from", "2020-01-01", "--to", "2020-01-31",
                 "--by", "pm25", "--out", str(ranked))
    assert pl.read_csv(ranked).select("rank", "station").rows() == [(1, "A"), (1, "C"), (3, "B")]


def test_rank_regions_from_station_hours(tmp_path):
    a = _csv(tmp_path / "a.csv", days=3, station="A", pm25=30)
    b = _csv(tmp_path / "b.csv", days=3, station="B", pm25=60)
    c = _csv(tmp_path / "c.csv", days=3, station="C", pm25=90)
    regions = tmp_path / "regions.csv"
    regions.write_text("station,region\nA,东县\nB,东县\nC,西县\n", encoding="utf-8")
    out = tmp_path / "rank.csv"
    call_command("air", "rank", str(a), str(b), str(c), "--from", "2020-01-01", "--to", "2020-01-03",
                 "--by", "pm25", "--regions", str(regions), "--out", str(out))
    assert pl.read_csv(out).select("rank", "region", "pm25").rows() == [(1, "东县", 45), (2, "西县", 90)]


def _bad(tmp_path, body: str, name="bad.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "expected"), [
    ("A,2020-01-01T00:00,10,30,0.8,40,70,abc\n", "bad.csv, row 2, column pm25: 'abc' is not a number"),
    ("A,2020-01-01T00:00,10,30,0.8,40,-5,50\n", "bad.csv, row 2, column pm10: negative concentration -5.0"),
    ("A,01/02/2020 00:00,10,30,0.8,40,70,50\n", "bad.csv, row 2, column time: time '01/02/2020 00:00' is not a local date and time"),
    ("A,2020-01-01T00:30,10,30,0.8,40,70,50\n", "bad.csv, row 2, column time: time 2020-01-01 00:30:00 is not on the hour"),
    ("A,2020-01-01T00:00,10,30,0.8,40,70,50\nA,2020-01-01T00:00,10,30,0.8,40,70,51\n",
     "bad.csv, row 3, column time: station A hour 2020-01-01 00:00 repeats bad.csv row 2"),
    (",2020-01-01T00:00,10,30,0.8,40,70,50\n", "bad.csv, row 2, column station: station is empty"),
])
def test_bad_input_is_named_and_nothing_is_written(tmp_path, capsys, body, expected):
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("air", "daily", str(_bad(tmp_path, body)), "--out", str(out))
    assert expected in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "bad.csv"]


def test_missing_column_and_every_problem_listed(tmp_path, capsys):
    path = tmp_path / "cols.csv"
    path.write_text("station,time,so2,no2,co,o3,pm10\nA,2020-01-01T00:00,1,2,3,4,5\n", encoding="utf-8")
    other = _bad(tmp_path, "A,2020-01-01T00:00,x,30,0.8,40,70,y\n", name="two.csv")
    with pytest.raises(CommandError, match="3 problem"):
        call_command("air", "daily", str(path), str(other), "--out", str(tmp_path / "o.csv"))
    err = capsys.readouterr().err
    assert "cols.csv, row 1, column pm25: missing column" in err
    assert "two.csv, row 2, column so2" in err and "two.csv, row 2, column pm25" in err


def test_duplicates_across_files(tmp_path, capsys):
    a = _csv(tmp_path / "a.csv", days=1)
    b = _csv(tmp_path / "b.csv", days=1)
    with pytest.raises(CommandError):
        call_command("air", "daily", str(a), str(b), "--out", str(tmp_path / "o.csv"))
    assert "b.csv, row 2, column time: station A hour 2020-01-01 00:00 repeats a.csv row 2" in capsys.readouterr().err


def test_unknown_unit_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="unknown unit 'ppm'"):
        call_command("air", "daily", str(_csv(tmp_path / "a.csv")), "--unit", "co=ppm", "--out", str(tmp_path / "o.csv"))


def test_improvement_needs_a_baseline(tmp_path):
    with pytest.raises(CommandError, match="needs --baseline-from"):
        call_command("air", "rank", str(_csv(tmp_path / "a.csv")), "--from", "2020-01-01", "--to", "2020-01-02",
                     "--by", "improvement", "--out", str(tmp_path / "o.csv"))


@pytest.mark.shared
def test_documented_beijing_example(shared, tmp_path):
    """The worked example of docs/air-quality-engine.md runs as written."""
    files = sorted(str(p) for p in (shared / "data" / "beijing-multisite").glob("*.csv"))
    out = tmp_path / "beijing-2016.csv"
    call_command("air", "annual", *files, "--year", "2016", "--time-columns", "year,month,day,hour",
                 "--map", "pm25=PM2.5", "--map", "pm10=PM10", "--map", "so2=SO2", "--map", "no2=NO2",
                 "--map", "co=CO", "--map", "o3=O3", "--unit", "co=ug/m3", "--out", str(out))
    annual = pl.read_csv(out)
    assert annual.height == 12 and annual["valid_days"].min() > 300
    assert annual.filter(pl.col("station") == "Dongsi")["pm25"].item() == 81


def test_flagged_values_are_excluded(tmp_path):
    path = tmp_path / "flags.csv"
    lines = ["station,time,so2,no2,co,o3,pm10,pm25,pm25_flag\n"]
    for h in range(24):
        flag = "C" if h < 5 else ("N" if h % 2 else "")
        lines.append(f"A,2020-01-01T{h:02d}:00,10,30,0.8,40,70,{500 if h < 5 else 50},{flag}\n")
    path.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "d.csv"
    call_command("air", "daily", str(path), "--out", str(out))
    row = pl.read_csv(out).row(0, named=True)
    assert row["hours_pm25"] == 19 and row["pm25"] is None  # 5 calibration hours out: 19 < 20
    assert "pm25: 19 valid hours < 20" in row["invalid"]
