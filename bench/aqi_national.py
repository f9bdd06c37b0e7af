"""Daily + annual evaluation of a national network year: 2,000 stations x 8,760 hours.

The network is synthesised reproducibly from the Beijing multi-site data (../shared/data): station
i takes the 2015 hours of Beijing station i mod 12, scaled by a seeded factor in [0.6, 1.4], with
that station's real gaps. Our pipeline (daily values, daily AQI, annual statistics, composite index,
attainment) runs on all of it; two straightforward per-row implementations run on a subset, side by
side in the same process, and the ratio of station-hours per second is printed:

* pandas: group by station-day with a Python function per day, then ``DataFrame.apply`` per row
  for the AQI, then a pandas annual aggregation;
* aqi-hub: the same day grouping with aqi-hub's per-value ``cal_iaqi_cn`` for every IAQI.

Goal (issue 3): the national year in under 10 s on the 2-core machine and >= 100x the per-row rate.
Everything stays in memory: nothing is written to disk.

    python -m bench.aqi_national [--stations 2000] [--baseline-stations 4]
"""

from __future__ import annotations

import argparse
import math
import random
import time
from pathlib import Path

import polars as pl

from gongjian.air.hourly_io import Layout, read_hourly
from gongjian.analytics.airquality import assign_periods, daily_aqi, period_evaluation
from gongjian.standards.hj663 import POLLUTANTS

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "beijing-multisite"
BEIJING = Layout(columns={"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"},
                 units={"co": "ug/m3"}, time_columns=("year", "month", "day", "hour"))


def network(stations: int) -> pl.DataFrame:
    source = read_hourly(sorted(SHARED.glob("*.csv")), BEIJING).filter(pl.col("time").dt.year() == 2015)
    names = sorted(source["station"].unique().to_list())
    rng = random.Random(2015)
    parts = []
    for i in range(stations):
        scale = rng.uniform(0.6, 1.4)
        parts.append(source.filter(pl.col("station") == names[i % len(names)]).with_columns(
            pl.lit(f"S{i:04d}").alias("station"), *(pl.col(p) * scale for p in POLLUTANTS)))
    return pl.concat(parts)


def ours(hourly: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    daily = daily_aqi(hourly, "2012")
    return daily, period_evaluation(assign_periods(daily, "year"), "year", edition="2012")


# --- baselines: what a straightforward implementation looks like -----------------------------

_STEPS = [0, 50, 100, 150, 200, 300, 400, 500]
_TABLE = {"so2": [0, 50, 150, 475, 800, 1600, 2100, 2620], "no2": [0, 40, 80, 180, 280, 565, 750, 940],
          "co": [0, 2, 4, 14, 24, 36, 48, 60], "o3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
          "o3_8h": [0, 100, 160, 215, 265, 800], "pm10": [0, 50, 150, 250, 350, 420, 500, 600],
          "pm25": [0, 35, 75, 115, 150, 250, 350, 500]}


def _iaqi_plain(name, value):
    if value is None or math.isnan(value):
        return None
    bps = _TABLE[name]
    for i in range(1, len(bps)):
        if value <= bps[i]:
            return math.ceil((_STEPS[i] - _STEPS[i - 1]) / (bps[i] - bps[i - 1]) * (value - bps[i - 1]) + _STEPS[i - 1])
    return 500


def _day(group):
    import pandas as pd

    out = {}
    for p in ("so2", "no2", "co", "pm10", "pm25"):
        vals = group[p].dropna()
        out[p] = round(vals.mean(), 1 if p == "co" else 0) if len(vals) >= 20 else float("nan")
    o3 = group.set_index(group["time"].dt.hour)["o3"].reindex(range(24))
    windows = [o3.loc[h - 7:h].dropna() for h in range(7, 24)]
    means = [w.mean() for w in windows if len(w) >= 6]
    out["o3_8h"] = round(max(means)) if len(means) >= 14 else float("nan")
    out["o3_1h"] = o3.max() if o3.count() >= 20 else float("nan")
    return pd.Series(out)


def _pandas_pipeline(hourly: pl.DataFrame, iaqi):
    import pandas as pd

    frame = pd.DataFrame(hourly.to_dict(as_series=False))
    frame["date"] = frame["time"].dt.date
    daily = frame.groupby(["station", "date"]).apply(_day, include_groups=False).reset_index()

    def row_aqi(row):
        values = [iaqi(name, row[name]) for name in _TABLE]
        values = [v for v in values if v is not None]
        return max(values) if len(values) == len(_TABLE) else None

    daily["aqi"] = daily.apply(row_aqi, axis=1)
    daily["good"] = daily["aqi"] <= 100
    return daily.groupby("station").agg(pm25=("pm25", "mean"), good=("good", "sum"),
                                        co_p95=("co", lambda s: s.quantile(0.95)))


def _aqi_hub_iaqi(name, value):
    from aqi_hub.aqi_cn.aqi import cal_iaqi_cn

    item = {"so2": "SO2_24H", "no2": "NO2_24H", "co": "CO_24H", "o3_1h": "O3_1H", "o3_8h": "O3_8H",
            "pm10": "PM10_24H", "pm25": "PM25_24H"}[name]
    if value is None or math.isnan(value):
        return None
    return cal_iaqi_cn(item, value)


def _timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=2000, help="stations in the synthetic network")
    parser.add_argument("--baseline-stations", type=int, default=4, help="stations of the baselines' subset")
    args = parser.parse_args(argv)
    stations, baseline_stations = args.stations, args.baseline_stations
    if not SHARED.is_dir():
        print(f"skipped: needs {SHARED}")
        return
    t0 = time.perf_counter()
    hourly = network(stations)
    print(f"network: {stations} stations x {hourly.height // stations} hours = {hourly.height:,} station-hours "
          f"(synthesised in {time.perf_counter() - t0:.1f} s)")
    seconds, (daily, annual) = _timed(ours, hourly)
    rate = hourly.height / seconds
    print(f"gongjian (Polars): daily {daily.height:,} rows + annual {annual.height:,} rows in {seconds:.2f} s "
          f"= {rate:,.0f} station-hours/s  [goal: < 10 s]")
    subset = hourly.filter(pl.col("station").is_in([f"S{i:04d}" for i in range(baseline_stations)]))
    small_seconds, _ = _timed(ours, subset)
    print(f"gongjian on the {baseline_stations}-station subset ({subset.height:,} station-hours): {small_seconds:.2f} s")
    for name, iaqi in (("pandas row-wise apply", _iaqi_plain), ("aqi-hub per-value", _aqi_hub_iaqi)):
        base_seconds, _ = _timed(_pandas_pipeline, subset, iaqi)
        base_rate = subset.height / base_seconds
        print(f"{name}: {base_seconds:.2f} s on the subset = {base_rate:,.0f} station-hours/s; "
              f"gongjian national rate is {rate / base_rate:,.0f}x  [goal: >= 100x]")


if __name__ == "__main__":
    main()
