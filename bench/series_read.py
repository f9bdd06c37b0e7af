"""Peak memory and time of the daily computation of a network's year, before and after issue 16.

Builds a throw-away SQLite site (WAL file) with ``--stations`` assessment stations in cities of 12
stations and a synthetic year of hours (8,784 per station in 2020, with gaps), then runs
``gongjian.air.evaluation.compute_daily`` over the year in a fresh process per variant, so that the
peak RSS (``resource.getrusage``) is that variant's alone:

* before: every station's year read at once through Django's cursor (rows as Python tuples) and
  evaluated at once (``ARROW_READS = False``, one chunk of the whole network);
* after: the hours read as Arrow columns through ADBC (``adbc-driver-sqlite``) and computed per
  group of whole cities of ``--chunk`` stations (the production path).

Both store the same daily results (the bench checks their count and their AQI sum). The site
lives in a temporary folder removed when the run ends.

``reads`` (a variant) times the read alone: one group's year through each path.

    python -m bench.series_read [--stations 500] [--days 366] [--chunk 100] [--variants before,after,reads]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

from bench import workspace

STATIONS_PER_CITY = 12


def _setup_django(home: Path) -> None:
    os.environ.update({"GONGJIAN_HOME": str(home), "DJANGO_SETTINGS_MODULE": "gongjian.site.settings",
                       "LOG_LEVEL": "WARNING", "GONGJIAN_SQLITE_SYNCHRONOUS": "NORMAL",
                       "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"})
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _hours(station_ids: list[int], days: int) -> pl.DataFrame:
    """A year of plausible hours per station (UTC text as Django stores it on SQLite), with a gap of
    a few hours every 9 days and one station in 50 without SO2."""
    times = pl.datetime_range(pl.datetime(2019, 12, 31, 16), pl.datetime(2019, 12, 31, 16) + pl.duration(hours=24 * days - 1),
                              "1h", eager=True).alias("time")
    frames = []
    for sid in station_ids:
        h = pl.int_range(0, times.len(), eager=True)
        wave = ((h + sid * 7) % 48 - 24).abs().cast(pl.Float64)
        frame = pl.DataFrame({"station_id": pl.repeat(sid, times.len(), eager=True, dtype=pl.Int64), "time": times,
                              "h": h}).with_columns(
            so2=None if sid % 50 == 0 else (5.0 + (h + sid) % 9).cast(pl.Float64),
            no2=(20.0 + wave + sid % 11), co=(0.4 + (h % 10) / 20), o3=(30.0 + 4 * wave),
            pm10=(60.0 + 3 * wave + sid % 23), pm25=(30.0 + 2 * wave + sid % 17))
        frames.append(frame.filter((pl.col("h") % 216) >= 3).drop("h"))
    frame = pl.concat(frames).with_columns(pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S"))
    flags = {f"{p}_flag": pl.lit("N") for p in ("so2", "no2", "co", "o3", "pm10", "pm25")}
    return frame.with_columns(pl.col("so2").cast(pl.Float64), **flags)


def build(stations: int, days: int) -> None:
    """The regions, stations and hours of the site (the hours written by ADBC bulk ingestion: the
    bench's setup, not the path measured)."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import adbc_driver_sqlite.dbapi as adbc

    from gongjian.air.models import AirHour, Station
    from gongjian.regions.models import RegionLevel
    from gongjian.regions.services import add_region

    province = add_region(None, name="省", level=RegionLevel.PROVINCE, kind="province")
    made = []
    for c in range((stations + STATIONS_PER_CITY - 1) // STATIONS_PER_CITY):
        city = add_region(province, name=f"市{c:03d}", level=RegionLevel.CITY, kind="prefecture_city")
        for i in range(min(STATIONS_PER_CITY, stations - c * STATIONS_PER_CITY)):
            made.append(Station(code=f"S{c * STATIONS_PER_CITY + i:05d}", name=f"站{c}-{i}", kind="city",
                                assessment=True, region=city))
    Station.objects.bulk_create(made)
    ids = list(Station.objects.order_by("pk").values_list("pk", flat=True))
    with adbc.connect(str(settings.DATABASES["default"]["NAME"])) as con, con.cursor() as cursor:
        for i in range(0, len(ids), 200):
            cursor.adbc_ingest(AirHour._meta.db_table, _hours(ids[i:i + 200], days), mode="append")
        con.commit()


def child(mode: str, days: int, chunk: int) -> None:
    """One variant in this fresh process; prints a JSON line with its time and peak RSS."""
    import datetime as dt

    from django.conf import settings
    from django.db.models import Sum

    from gongjian.air.evaluation import compute_daily
    from gongjian.air.models import DailyResult, Station
    from gongjian.core import series

    settings.ARROW_READS = mode == "after"
    arrow = []
    read = series.ArrowReader.frame

    def counted(self, sql, params):
        frame = read(self, sql, params)
        arrow.append(frame is not None)  # whether the Arrow path ran; never the frame (it would stay in memory)
        return frame

    series.ArrowReader.frame = counted
    everything = Station.objects.count() + 1
    start = time.perf_counter()
    stored = compute_daily(dt.date(2020, 1, 1), dt.date(2020, 1, 1) + dt.timedelta(days=days - 1),
                           chunk=chunk if mode == "after" else everything)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    aqi = DailyResult.objects.aggregate(s=Sum("aqi"))["s"]
    print(json.dumps({"mode": mode, "seconds": seconds, "peak_mb": peak, "stored": stored, "aqi_sum": aqi,
                      "arrow_reads": sum(arrow), "reads": len(arrow)}))


def reads(chunk: int) -> None:
    """The read alone: one group's year (the first ``chunk`` stations) through each path, best of 3."""
    import datetime as dt

    from django.conf import settings

    from gongjian.air.hours import load_hourly
    from gongjian.air.models import Station

    stations = list(Station.objects.order_by("code")[:chunk])
    best = {}
    for arrow in (False, True, False, True, False, True):
        settings.ARROW_READS = arrow
        start = time.perf_counter()
        frame = load_hourly(stations, dt.date(2020, 1, 1), dt.date(2020, 12, 31))
        best[arrow] = min(best.get(arrow, 1e9), time.perf_counter() - start)
    print(json.dumps({"mode": "reads", "rows": frame.height, "cursor_s": best[False], "arrow_s": best[True]}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=500)
    parser.add_argument("--days", type=int, default=366, help="days of 2020 with hours")
    parser.add_argument("--chunk", type=int, default=100, help="stations per group (after)")
    parser.add_argument("--variants", default="before,after")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _setup_django(Path(args.home))
        if args.child == "reads":
            reads(args.chunk)
        else:
            child(args.child, args.days, args.chunk)
        return
    with workspace() as home:
        _setup_django(home)
        t0 = time.perf_counter()
        build(args.stations, args.days)
        size = sum(p.stat().st_size for p in home.glob("gongjian.sqlite3*")) / 2**20
        print(f"site: {args.stations} stations x {args.days} days of hours built in {time.perf_counter() - t0:.0f} s "
              f"({size:,.0f} MB of SQLite); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        seen = {}
        for mode in args.variants.split(","):
            out = subprocess.run([sys.executable, "-m", "bench.series_read", "--child", mode, "--home", str(home),
                                  "--days", str(args.days), "--chunk", str(args.chunk)],
                                 capture_output=True, text=True, env=os.environ.copy())
            if out.returncode:
                print(f"{mode}: failed ({out.returncode}): {out.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            if mode == "reads":
                print(f"reads : one group's year ({r['rows']:,} station-hours, load_hourly) through Django's cursor "
                      f"{r['cursor_s']:.2f} s, as Arrow (ADBC) {r['arrow_s']:.2f} s: {r['cursor_s'] / r['arrow_s']:.1f}x")
                continue
            seen[mode] = r
            print(f"{mode:6s}: compute_daily of the year {r['seconds']:7.1f} s, peak RSS {r['peak_mb']:7,.0f} MB, "
                  f"{r['stored']:,} daily results (AQI sum {r['aqi_sum']:,}); Arrow reads {r['arrow_reads']}/{r['reads']}")
        if len(seen) == 2:
            a, b = seen["before"], seen["after"]
            same = a["stored"] == b["stored"] and a["aqi_sum"] == b["aqi_sum"]
            print(f"after/before: time {b['seconds'] / a['seconds']:.2f}x, peak memory {b['peak_mb'] / a['peak_mb']:.2f}x; "
                  f"same results: {same}")
        print(f"load average after the run {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
