import datetime as dt

import polars as pl

from gongjian.analytics.airqc import Thresholds, check_hours

T0 = dt.datetime(2020, 1, 1)


def frame(station="A", hours=48, **series):
    data = {"station": [station] * hours, "time": [T0 + dt.timedelta(hours=h) for h in range(hours)]}
    for p in ("so2", "no2", "co", "o3", "pm10", "pm25"):
        default = [0.5 + (h % 5) / 10 for h in range(hours)] if p == "co" else [float(10 + (h * 7) % 13) for h in range(hours)]
        data[p] = series.get(p, default)
    return pl.DataFrame(data)


def checks(findings):
    return {(r["check"], r["pollutant"], r["start"].hour, r["hours"]) for r in findings.iter_rows(named=True)}


def test_clean_data_has_no_findings():
    assert check_hours(frame()).is_empty()


def test_stuck_values():
    pm25 = [float(10 + (h * 7) % 13) for h in range(48)]
    pm25[5:15] = [57.0] * 10
    assert ("stuck", "pm25", 5, 10) in checks(check_hours(frame(pm25=pm25)))
    pm25[5:12] = [57.0] * 7  # 7 < 8 hours
    pm25[12:15] = [1.0, 2.0, 3.0]
    assert not any(c[0] == "stuck" for c in checks(check_hours(frame(pm25=pm25))))


def test_out_of_range_spike_and_pm25_above_pm10():
    pm10 = [float(60 + h % 5) for h in range(48)]
    pm10[20] = 950.0
    pm25 = [float(30 + h % 3) for h in range(48)]
    pm25[30] = 120.0
    so2 = [10.0] * 2 + [float(10 + h % 4) for h in range(46)]
    so2[3] = -2.0
    found = checks(check_hours(frame(pm10=pm10, pm25=pm25, so2=so2)))
    assert ("spike", "pm10", 20, 1) in found
    assert ("pm25_above_pm10", "pm25", 6, 1) in found
    assert ("out_of_range", "so2", 3, 1) in found


def test_gaps():
    no2 = [float(20 + h % 6) for h in range(48)]
    no2[10:36] = [None] * 26
    assert ("gap", "no2", 10, 26) in checks(check_hours(frame(no2=no2)))


def test_neighbours():
    stations = [frame(s, pm25=[float(40 + (h + i) % 7) for h in range(48)]) for i, s in enumerate("ABC")]
    drifting = [float(40 + h % 7) * (2.2 if 10 <= h < 30 else 1) for h in range(48)]
    stations.append(frame("D", pm25=drifting))
    groups = pl.DataFrame({"station": list("ABCD"), "group": ["city"] * 4})
    found = check_hours(pl.concat(stations), groups, Thresholds())
    rows = found.filter(pl.col("check") == "neighbours").rows(named=True)
    assert [(r["station"], r["start"].hour, r["hours"]) for r in rows] == [("D", 10, 20)]
