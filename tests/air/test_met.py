"""Importing meteorology: checked like air data, stored per station, replacing the same hours."""

import pytest
from django.core.management import CommandError, call_command

from gongjian.air.models import MetHour, Station

HEADER = "station,time,wind_speed,wind_direction,temperature,humidity,pressure,rain\n"


@pytest.fixture
def site(world):
    return Station.objects.create(code="MET1", name="中牟气象站", kind="met", region=world.regions["county_a"])


def _file(tmp_path, body, name="met.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_and_replace(site, tmp_path, capsys):
    body = "".join(f"MET1,2020-01-01T{h:02d}:00,{1 + h % 4},{(h * 30) % 360},{-2 + h / 4},{60 + h % 9},1021,0\n"
                   for h in range(24))
    call_command("importdata", "met", str(_file(tmp_path, body)))
    assert "24 meteorological hours stored" in capsys.readouterr().out
    assert MetHour.objects.filter(station=site).count() == 24
    call_command("importdata", "met", str(_file(tmp_path, body.replace(",1021,", ",1019,"), "again.csv")))
    assert MetHour.objects.count() == 24 and set(MetHour.objects.values_list("pressure", flat=True)) == {1019.0}


def test_every_problem_named_and_nothing_stored(site, tmp_path, capsys):
    body = ("MET1,2020-01-01T00:00,2,370,5,60,1021,0\n"       # direction beyond 360
            "MET1,2020-01-01T01:00,fast,90,5,60,1021,0\n"     # not a number
            "XX99,2020-01-01T00:00,2,90,5,60,1021,0\n")       # unknown station
    with pytest.raises(CommandError, match="3 problem"):
        call_command("importdata", "met", str(_file(tmp_path, body)))
    err = capsys.readouterr().err
    assert "met.csv, row 2, column wind_direction: 370.0 is outside 0..360" in err
    assert "met.csv, row 3, column wind_speed: 'fast' is not a number" in err
    assert "met.csv, row 4, column station: unknown station 'XX99'" in err
    assert not MetHour.objects.exists()
