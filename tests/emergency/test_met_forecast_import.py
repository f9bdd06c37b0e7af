"""The meteorological forecast an office imports: all or nothing, each bad cell named by its row
and column; a good file is stored and is what the next run reads."""

import datetime as dt

import pytest

from gongjian import clock
from gongjian.air.models import Station
from gongjian.core.problems import InvalidInput
from gongjian.emergency import runs
from gongjian.emergency.models import MetForecast

HEADER = "站点,发布时间,预报时间,气温(°C),相对湿度(%),风速(m/s),风向,边界层高度(m),降水量(mm)\n"


def _file(tmp_path, body: str, name="met.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


GOOD = ("".join(f",2020-12-08 06:00,2020-12-{d:02d} {h:02d}:00,2.5,70,1.2,45,{300 + h},0\n"
                for d in (8, 9) for h in (0, 12))
        + "ZZ01,2020-12-08 06:00,2020-12-08 12:00,3.0,65,1.5,90,,0.2\n")


def test_a_good_file_is_stored_and_read_back_by_the_runs(world, tmp_path):
    city = world.regions["city"]
    Station.objects.create(code="ZZ01", name="市站", kind="national", region=city, assessment=True)
    assert runs.read_met_forecast(city, _file(tmp_path, GOOD), user=world.people["city_office"]) == 5
    assert MetForecast.objects.filter(station__isnull=True).count() == 4
    issued, hours = runs.met_forecast(city, clock.parse_as_of("2020-12-08T08:00"))
    assert issued == clock.parse_as_of("2020-12-08T06:00") and hours.height == 4
    assert hours["boundary_layer_height"].to_list() == [300.0, 312.0, 300.0, 312.0]
    assert hours["time"].min() == dt.datetime(2020, 12, 8)
    # the same issue again replaces it, it does not add to it
    runs.read_met_forecast(city, _file(tmp_path, GOOD))
    assert MetForecast.objects.count() == 5
    # a forecast issued after the run's moment is not read
    assert runs.met_forecast(city, clock.parse_as_of("2020-12-08T05:59"))[0] is None


@pytest.mark.parametrize("row, column, words", [
    (",2020-12-08 06:00,2020-13-01 00:00,2,70,1,45,300,0", "预报时间", "not a time"),
    (",2020-12-08 06:00,2020-12-09 00:00,warm,70,1,45,300,0", "气温", "not a number"),
    (",2020-12-08 06:00,2020-12-09 00:00,2,170,1,45,300,0", "相对湿度", "100"),
    (",2020-12-08 06:00,2020-12-09 00:00,2,70,-1,45,300,0", "风速", "0"),
    ("XX99,2020-12-08 06:00,2020-12-09 00:00,2,70,1,45,300,0", "站点", "not a station"),
    (",,2020-12-09 00:00,2,70,1,45,300,0", "发布时间", ""),
    (",2020-12-08 06:00,2020-12-08 00:00,2,70,1,45,300,0", "预报时间", "same hour"),
])
def test_a_bad_cell_is_named_and_nothing_is_saved(world, tmp_path, row, column, words):
    body = GOOD.splitlines()[0] + "\n" + row + "\n"
    with pytest.raises(InvalidInput) as refused:
        runs.read_met_forecast(world.regions["city"], _file(tmp_path, body))
    problem = refused.value.problems[0]
    assert problem.row == 3 and column in problem.field and words in problem.message, problem
    assert not MetForecast.objects.exists()


def test_a_missing_column_is_named(world, tmp_path):
    path = tmp_path / "met.csv"
    path.write_text("站点,预报时间,气温\n,2020-12-09 00:00,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        runs.read_met_forecast(world.regions["city"], path)
    assert "发布时间" in str(refused.value.problems[0])
    assert not MetForecast.objects.exists()
