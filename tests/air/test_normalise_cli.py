"""`gongjian air normalise`: one station's normalised series, breaks and trend from hourly files."""

import datetime as dt
from io import StringIO

import numpy as np
import polars as pl
import pytest
from django.core.management import CommandError, call_command

from gongjian.air.beijing_io import read_beijing

AIR = "station,time,so2,no2,co,o3,pm10,pm25\n"
MET = "station,time,wind_speed,wind_direction,temperature,humidity,pressure,rain\n"


def files(tmp_path, days=200, bad_met_row=None):
    rng = np.random.default_rng(3)
    air, met = [AIR], [MET]
    wind_of_day = rng.gamma(2.0, 1.2, size=days)
    for i in range(days * 24):
        t = dt.datetime(2021, 1, 1) + dt.timedelta(hours=i)
        wind = max(0.0, wind_of_day[i // 24] + rng.normal(0, 0.3))
        pm25 = 30 + 80 * np.exp(-wind / 2) - (15 if t >= dt.datetime(2021, 3, 15) else 0) + rng.normal(0, 3)
        for station, factor in (("A", 1.0), ("B", 0.5)):
            air.append(f"{station},{t:%Y-%m-%dT%H:%M},8,30,0.7,60,{pm25 * 1.5 * factor:.1f},{pm25 * factor:.1f}\n")
            humidity = "abc" if bad_met_row == i and station == "A" else f"{50 + rng.normal(0, 5):.0f}"
            met.append(f"{station},{t:%Y-%m-%dT%H:%M},{wind:.2f},{rng.uniform(0, 360):.0f},{5 + rng.normal(0, 3):.1f},"
                       f"{humidity},1015,0\n")
    (tmp_path / "air.csv").write_text("".join(air), encoding="utf-8")
    (tmp_path / "met.csv").write_text("".join(met), encoding="utf-8")
    return tmp_path / "air.csv", tmp_path / "met.csv"


def run(*args):
    out = StringIO()
    call_command("air", "normalise", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_writes_the_series_and_prints_skill_breaks_and_trend(tmp_path):
    air, met = files(tmp_path)
    out = tmp_path / "normalised.csv"
    # 200 days: the day of year would stand for the trend (the step would be taken for a season)
    printed = run(air, "--met", met, "--station", "A", "--pollutant", "pm25", "--out", out, "--samples", "100",
                  "--time-features", "trend,weekday,hour")
    written = pl.read_csv(out, try_parse_dates=True)
    assert written.columns == ["time", "observed", "normalised", "lower", "upper"]
    assert written.height == 200 * 24
    assert (written["lower"] <= written["normalised"]).all() and (written["normalised"] <= written["upper"]).all()
    assert "A pm25: model R² 0." in printed and "out of sample" in printed
    assert "break points (daily normalised means, BIC, 95% intervals):" in printed
    breaks = [line for line in printed.splitlines() if line.startswith("  after ")]
    step = max(breaks, key=lambda line: abs(float(line.split("change ")[1].split()[0])))
    dated = dt.date.fromisoformat(step.split()[1])
    assert abs((dated - dt.date(2021, 3, 14)).days) <= 7  # the step of 15 March
    assert float(step.split("change ")[1].split()[0]) == pytest.approx(-15, abs=4)
    assert "trend (Theil-Sen, monthly, block bootstrap): " in printed  # 7 months: not deseasonalised
    days = written.group_by(pl.col("time").dt.date()).agg(pl.col("normalised").mean()).sort("time")
    before = days.filter(pl.col("time") < dt.date(2021, 3, 1))["normalised"].mean()
    after = days.filter(pl.col("time") > dt.date(2021, 4, 1))["normalised"].mean()
    assert after - before == pytest.approx(-15, abs=4)


def test_bad_weather_is_named_and_nothing_is_written(tmp_path):
    air, met = files(tmp_path, days=20, bad_met_row=5)
    out = tmp_path / "normalised.csv"
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("air", "normalise", str(air), "--met", str(met), "--station", "A", "--pollutant", "pm25",
                     "--out", str(out), stdout=StringIO(), stderr=err)
    assert "met.csv" in err.getvalue() and "row 12" in err.getvalue() and "humidity" in err.getvalue()
    assert not out.exists()


@pytest.mark.parametrize("extra, message", [
    (["--station", "Z"], "station 'Z' is not in the files"),
    (["--station", "A", "--layout", "beijing"], "leave out --met"),
])
def test_usage_errors(tmp_path, extra, message):
    air, met = files(tmp_path, days=3)
    with pytest.raises(CommandError, match=message):
        run(air, "--met", met, "--pollutant", "pm25", "--out", tmp_path / "o.csv", *extra)
    assert not (tmp_path / "o.csv").exists()


def test_the_weather_is_needed(tmp_path):
    air, _ = files(tmp_path, days=3)
    with pytest.raises(CommandError, match="--met FILE is needed"):
        run(air, "--station", "A", "--pollutant", "pm25", "--out", tmp_path / "o.csv")


BEIJING_HEADER = '"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","PRES","DEWP","RAIN","wd","WSPM","station"\n'


def test_the_beijing_layout_reads_compass_and_dew_point(tmp_path):
    path = tmp_path / "PRSA_Data_X.csv"
    path.write_text(BEIJING_HEADER
                    + '1,2013,3,1,0,9,9,3,17,300,89,-0.5,1024.5,-21.4,0,"NNW",5.7,"X"\n'
                    + '2,2013,3,1,1,4,4,3,16,300,88,20,1010,20,0.2,"cv",0.4,"X"\n'
                    + '3,2013,3,1,2,NA,4,3,16,300,88,NA,1010,NA,NA,NA,NA,"X"\n', encoding="utf-8")
    frame = read_beijing([path])
    assert frame["wind_direction"].to_list() == [337.5, None, None]
    rh = 100 * np.exp(17.625 * -21.4 / (243.04 - 21.4)) / np.exp(17.625 * -0.5 / (243.04 - 0.5))
    assert frame["humidity"][0] == pytest.approx(rh) and frame["humidity"][1] == pytest.approx(100)
    assert frame["co"][0] == pytest.approx(0.3) and frame["temperature"][2] is None


def test_the_beijing_layout_names_a_bad_compass_point(tmp_path):
    from gongjian.core.problems import InvalidInput

    path = tmp_path / "PRSA_Data_X.csv"
    path.write_text(BEIJING_HEADER + '1,2013,3,1,0,9,9,3,17,300,89,-0.5,1024.5,-21.4,0,"NX",5.7,"X"\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_beijing([path])
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "wd")]


@pytest.mark.shared
def test_dongsi_on_the_real_beijing_file(tmp_path):
    from tests.conftest import SHARED, SHARED_REASON

    folder = SHARED / "data" / "beijing-multisite"
    if not folder.is_dir():
        pytest.skip(SHARED_REASON)
    out = tmp_path / "dongsi.csv"
    printed = run(*sorted(folder.glob("*Dongsi*.csv")), "--layout", "beijing", "--station", "Dongsi",
                  "--pollutant", "pm25", "--out", out)
    written = pl.read_csv(out)
    assert written.height == 35064
    r2 = float(printed.split("model R² ")[1].split()[0])
    assert r2 > 0.8  # rmweather's forest: 0.79 (issue 18), ours on the bench: see docs/performance.md
    assert "trend (Theil-Sen, monthly, deseasonalised" in printed
