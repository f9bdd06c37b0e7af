"""`gongjian air forecast verify`: scores per lead day from a forecast file and observed hourly files."""

import datetime as dt
from io import StringIO

import polars as pl
import pytest
from django.core.management import CommandError, call_command

HEADER = "station,time,so2,no2,co,o3,pm10,pm25\n"
#: Daily PM2.5 of days 1..5; under HJ 633-2026 the daily AQI is 80, 43, 137, 110 and 40 (day 5: PM10 40
#: gives 40 > PM2.5 20's 29). SO2 10, NO2 30, CO 0.8, O3 8-hour 60, PM10 40 index 10, 38, 20, 30, 40.
PM25 = (50, 30, 100, 70, 20)


def observed(path):
    lines = [HEADER]
    for d, pm25 in enumerate(PM25):
        for h in range(24):
            t = dt.datetime(2020, 1, 1 + d, h)
            lines.append(f"A,{t:%Y-%m-%dT%H:%M},10,30,0.8,{40 + h},40,{pm25}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def run(tmp_path, forecast_text, *extra):
    forecasts = tmp_path / "forecasts.csv"
    forecasts.write_text(forecast_text, encoding="utf-8")
    out = tmp_path / "scores.csv"
    call_command("air", "forecast", "verify", "--forecasts", str(forecasts), "--observed",
                 str(observed(tmp_path / "hourly.csv")), "--edition", "2026", "--out", str(out), *extra,
                 stderr=StringIO())
    return {r["lead"]: r for r in pl.read_csv(out).iter_rows(named=True)}


POINTS = """station,issued,day,aqi,primary
A,2020-01-01,2020-01-02,45,PM2.5
A,2020-01-01,2020-01-03,120,PM2.5
A,2020-01-02,2020-01-03,90,O3
A,2020-01-02,2020-01-04,105,PM2.5
"""


def test_scores_per_lead_day_with_persistence_beside(tmp_path):
    scores = run(tmp_path, POINTS)
    one, two = scores[1], scores[2]
    # lead 1: 45/43 right (优, half-level 2; no primary pollutant on a day of AQI <= 50),
    #         90/137 wrong (良 vs 轻度污染, half-levels 4/6, O3 vs PM2.5)
    assert (one["days"], one["level_accuracy"], one["half_level_accuracy"]) == (2, 0.5, 0.5)
    assert (one["primary_days"], one["primary_accuracy"], one["mae"]) == (1, 0.0, 24.5)
    # persistence: 80 for 43 and 43 for 137, both wrong
    assert (one["persistence_level_accuracy"], one["persistence_mae"]) == (0.0, 65.5)
    assert one["skill_level_accuracy"] == 0.5 and one["skill_mae"] == pytest.approx(1 - 24.5 / 65.5)
    # lead 2: 120/137 (轻度污染, half-levels 5/6) and 105/110 (轻度污染, 5/5), PM2.5 both times
    assert (two["level_accuracy"], two["half_level_accuracy"], two["primary_accuracy"], two["mae"]) == (1.0, 1.0, 1.0, 11.0)
    assert two["range_accuracy"] is None


def test_range_forecasts_and_the_half_level_settings(tmp_path):
    ranges = "station,issued,day,aqi_low,aqi_high\nA,2020-01-01,2020-01-02,30,55\nA,2020-01-01,2020-01-03,90,120\n"
    scores = run(tmp_path, ranges)
    # 43 in 30-55 (优至良); 137 outside 90-120 (良至轻度污染) but its level 轻度污染 is spanned
    assert (scores[1]["range_accuracy"], scores[1]["level_accuracy"]) == (1.0, 1.0)
    assert (scores[2]["range_accuracy"], scores[2]["level_accuracy"], scores[2]["half_level_accuracy"]) == (0.0, 1.0, 0.0)
    wider = run(tmp_path, ranges, "--range-tolerance", "1")
    assert wider[2]["half_level_accuracy"] == 1.0  # half-levels 4..5, one more either side holds 6


def test_a_bad_forecast_file_is_listed_cell_by_cell_and_nothing_is_written(tmp_path):
    bad = ("station,issued,day,aqi,primary\nA,2020-01-01,2020-01-02,45,PM2.5\nA,2020-13-01,2020-01-02,45,\n"
           "A,2020-01-03,2020-01-02,x,PM1\n")
    forecasts = tmp_path / "bad.csv"
    forecasts.write_text(bad, encoding="utf-8")
    out, err = tmp_path / "scores.csv", StringIO()
    with pytest.raises(CommandError, match="problem"):
        call_command("air", "forecast", "verify", "--forecasts", str(forecasts), "--observed",
                     str(observed(tmp_path / "hourly.csv")), "--out", str(out), stderr=err)
    text = err.getvalue()
    assert "bad.csv, row 3, column issued: '2020-13-01' is not a date (YYYY-MM-DD)" in text
    assert "bad.csv, row 4, column aqi: AQI 'x' is not a whole number from 0" in text
    assert "bad.csv, row 4, column day: 2020-01-02 is before the issue date 2020-01-03" in text
    assert "bad.csv, row 4, column primary: 'PM1' names an unknown pollutant" in text
    assert not out.exists()


def test_a_forecast_file_without_an_aqi_column_is_refused(tmp_path):
    forecasts = tmp_path / "f.csv"
    forecasts.write_text("station,issued,day\nA,2020-01-01,2020-01-02\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("air", "forecast", "verify", "--forecasts", str(forecasts), "--observed",
                     str(observed(tmp_path / "hourly.csv")), "--out", str(tmp_path / "o.csv"), stderr=err)
    assert "aqi" in err.getvalue()


def test_bad_half_levels_are_refused(tmp_path):
    with pytest.raises(CommandError, match="increasing"):
        run(tmp_path, POINTS, "--half-levels", "50,25")


def test_region_forecasts_are_scored_on_the_regions_hourly_values(tmp_path):
    a = observed(tmp_path / "a.csv")
    b = tmp_path / "b.csv"
    b.write_text(a.read_text(encoding="utf-8").replace("\nA,", "\nB,"), encoding="utf-8")
    membership = tmp_path / "regions.csv"
    membership.write_text("station,region\nA,R\nB,R\n", encoding="utf-8")
    forecasts = tmp_path / "f.csv"
    forecasts.write_text("region,issued,day,aqi\nR,2020-01-01,2020-01-02,45\nR,2020-01-01,2020-01-03,90\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    args = ["air", "forecast", "verify", "--forecasts", str(forecasts), "--observed", str(a), str(b),
            "--edition", "2026", "--out", str(out)]
    with pytest.raises(CommandError, match="--regions"):
        call_command(*args, stderr=StringIO())
    call_command(*args, "--regions", str(membership), stderr=StringIO())
    scores = {r["lead"]: r for r in pl.read_csv(out).iter_rows(named=True)}
    # the region's hours are the mean of two identical stations: AQI 43 on day 2, 137 on day 3
    assert scores[1]["level_accuracy"] == 1.0 and scores[2]["level_accuracy"] == 0.0
    assert scores[1]["mae"] == 2.0 and scores[2]["mae"] == 47.0
