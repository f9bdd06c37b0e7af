"""Importing hourly data into the store: preview, atomic, idempotent, corrections with history."""

import datetime as dt

import polars as pl
import pytest

from gongjian.air.models import AirHour, Correction, ImportBatch, SourceLayout, Station
from gongjian.air.services import import_hourly, load_hourly
from gongjian.core.problems import InvalidInput

HEADER = "station,time,so2,no2,co,o3,pm10,pm25,pm25_flag\n"


@pytest.fixture
def stations(world):
    return {code: Station.objects.create(code=code, name=name, kind="county", region=world.regions[region])
            for code, name, region in (("ZM01", "中牟县站", "county_a"), ("XY01", "荥阳市站", "county_b"))}


@pytest.fixture
def source(db):
    return SourceLayout.objects.create(name="county export")


def _file(tmp_path, name="h.csv", station="ZM01", pm25=50, hours=24, flag=""):
    """Plausible varying values (constant ones would rightly be flagged as stuck); PM2.5 = ``pm25``
    at even hours, ``pm25`` + 3 at odd ones."""
    lines = [HEADER] + [f"{station},2020-01-01T{h:02d}:00,{8 + h % 5},{30 + h % 7},0.{5 + h % 4},{40 + h % 9},"
                        f"{90 + h % 11},{pm25 + 3 * (h % 2)},{flag}\n" for h in range(hours)]
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_import_then_read_back(stations, source, tmp_path, world):
    result = import_hourly([_file(tmp_path)], source, user=world.people["county_a_office"])
    assert (result.rows, result.inserted, result.changed, result.saved) == (24, 24, 0, True)
    hourly = load_hourly(Station.objects.all(), dt.date(2020, 1, 1), dt.date(2020, 1, 1))
    assert hourly.height == 24 and hourly["time"].min() == dt.datetime(2020, 1, 1, 0)
    assert hourly["pm25"].to_list() == [50.0, 53.0] * 12
    assert ImportBatch.objects.get().imported_by == world.people["county_a_office"]


def test_preview_saves_nothing(stations, source, tmp_path):
    result = import_hourly([_file(tmp_path)], source, save=False)
    assert result.inserted == 24 and not result.saved
    assert not AirHour.objects.exists() and not ImportBatch.objects.exists()


def test_same_file_twice_changes_nothing(stations, source, tmp_path):
    path = _file(tmp_path)
    import_hourly([path], source)
    before = list(AirHour.objects.order_by("id").values())
    second = import_hourly([path], source)
    assert (second.inserted, second.changed, second.unchanged, second.corrections) == (0, 0, 24, 0)
    assert list(AirHour.objects.order_by("id").values()) == before
    assert not Correction.objects.exists()


def test_reimport_with_other_values_records_corrections(stations, source, tmp_path, world):
    import_hourly([_file(tmp_path)], source)
    fixed = _file(tmp_path, name="fixed.csv", pm25=55, hours=2)
    result = import_hourly([fixed], source, user=world.people["county_a_office"])
    assert (result.changed, result.unchanged, result.corrections) == (2, 0, 2)
    correction = Correction.objects.order_by("time").first()
    assert (correction.pollutant, correction.old_value, correction.new_value) == ("pm25", 50.0, 55.0)
    assert Correction.objects.filter(pollutant="pm25").count() == 2
    assert correction.reason == "re-imported from fixed.csv" and correction.changed_by == world.people["county_a_office"]


def test_flags_are_stored_and_respected(stations, source, tmp_path):
    import_hourly([_file(tmp_path, flag="C")], source)
    assert set(AirHour.objects.values_list("pm25_flag", flat=True)) == {"C"}
    raw = load_hourly(Station.objects.all(), dt.date(2020, 1, 1), dt.date(2020, 1, 1), mask=False)
    assert raw["pm25"].to_list() == [50.0, 53.0] * 12
    masked = load_hourly(Station.objects.all(), dt.date(2020, 1, 1), dt.date(2020, 1, 1))
    assert masked["pm25"].null_count() == 24 and masked["so2"].null_count() == 0


@pytest.mark.parametrize(("body", "message"), [
    ("ZZ99,2020-01-01T00:00,10,30,0.8,40,70,50,\n", "unknown station 'ZZ99'"),
    ("XY01,2020-01-01T00:00,10,30,0.8,40,70,50,\n", "outside your jurisdiction"),
    ("ZM01,2020-01-02T00:00,10,30,0.8,40,70,50,X\n", "flag 'X' is not one of"),
    ("ZM01,2020-01-02T00:00,10,30,0.8,40,70,x,\n", "'x' is not a number"),
])
def test_bad_rows_refuse_the_whole_import(stations, source, tmp_path, world, body, message):
    good = _file(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        import_hourly([good, bad], source, user=world.people["county_a_office"])
    assert message in str(err.value) and "bad.csv, row 2" in str(err.value)
    assert not AirHour.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.shared
def test_beijing_files_import_through_the_same_path(shared, db, world):
    from gongjian.regions.models import RegionLevel
    from gongjian.regions.services import add_region

    beijing = add_region(None, name="北京市", level=RegionLevel.PROVINCE, kind="province", code="110000")
    files = sorted((shared / "data" / "beijing-multisite").glob("*.csv"))
    names = [f.name.split("_")[2] for f in files]
    for name in names:
        Station.objects.create(code=name, name=name, kind="national", region=beijing, assessment=True)
    source = SourceLayout.objects.create(
        name="UCI Beijing multi-site", units={"co": "ug/m3"}, time_columns=["year", "month", "day", "hour"],
        columns={"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"})
    result = import_hourly(files[:2], source)
    assert result.inserted == 2 * 35064
    stored = load_hourly(Station.objects.filter(code__in=names[:2]), dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert stored.height == 2 * 8760 and stored["co"].max() < 15  # CO declared in µg/m3, stored in mg/m3
    assert pl.Series(stored["station"].unique()).sort().to_list() == sorted(names[:2])


def test_command_remembers_the_layout_of_a_source(stations, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    lines = ["站点,时间,SO2,NO2,CO,O3,PM10,PM2.5\n"] + [
        f"ZM01,2020-01-01 {h:02d}:00,{8 + h % 5},{30 + h % 7},{800 + 100 * (h % 3)},{40 + h % 9},{90 + h % 11},{50 + h % 4}\n"
        for h in range(1, 25)]
    path = tmp_path / "export.csv"
    path.write_text("".join(lines), encoding="utf-8")
    options = ["--map", "station=站点", "--map", "time=时间", "--map", "so2=SO2", "--map", "no2=NO2",
               "--map", "co=CO", "--map", "o3=O3", "--map", "pm10=PM10", "--map", "pm25=PM2.5",
               "--unit", "co=ug/m3", "--hour-label", "end"]
    with pytest.raises(CommandError):  # a failed first import remembers nothing
        call_command("importdata", "air", str(tmp_path / "missing.csv"), "--source", "县站导出", *options)
    call_command("importdata", "air", str(path), "--source", "县站导出", "--preview", *options)
    assert not SourceLayout.objects.exists() and not AirHour.objects.exists()
    call_command("importdata", "air", str(path), "--source", "县站导出", *options)
    assert "inserted 24" in capsys.readouterr().out
    call_command("importdata", "air", str(path), "--source", "县站导出")  # no options: the layout is remembered
    assert "unchanged 24" in capsys.readouterr().out
    # the line labelled 01:00 (hour ending) is the hour starting 00:00; 900 µg/m3 of CO is 0.9 mg/m3
    assert AirHour.objects.get(time=dt.datetime(2020, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))).co == 0.9
