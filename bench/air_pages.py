"""Response times of the air pages and the import time of a year of hourly data.

Builds a throw-away SQLite site (the demo: 40 stations with a year of hours), serves it with gunicorn
on loopback and measures, with a few concurrent clients, the median and 95th percentile of the Now,
Station (one year) and Rankings (one year) pages; then grows the network to 400 stations and measures
again. Side by side, a naive Rankings that evaluates the year from the stored hours on every request
(what the stored daily results avoid) gives the ratio. Also times importing a year of hourly data for
40 stations through the import service (checks, diff, write, quality control).

Goals (issue 4): p95 under 300 ms at 40 stations and under 1 s at 400; import under 30 s. The site
lives in a temporary folder removed when the run ends.

    python -m bench.air_pages [--clients 4] [--requests 40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import polars as pl

from bench import workspace

PORT = 8097
YEAR = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))


def _setup_django(home: Path) -> None:
    """Django on the throw-away site in ``home`` (never the operator's ``GONGJIAN_HOME``)."""
    os.environ.update({"GONGJIAN_HOME": str(home), "DJANGO_SETTINGS_MODULE": "gongjian.site.settings",
                       "LOG_LEVEL": "WARNING",
                       "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"})
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _session_cookie() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    admin = get_user_model().objects.create_superuser("bench", password=None)
    session = SessionStore()
    session.update({"_auth_user_id": str(admin.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                    "_auth_user_hash": admin.get_session_auth_hash()})
    session.create()
    return f"sessionid={session.session_key}"


def _measure(url: str, cookie: str, marker: bytes, cold: list[float], clients: int, requests: int
             ) -> tuple[float, float]:
    latencies: list[float] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for _ in range(n):
            request = urllib.request.Request(f"http://127.0.0.1:{PORT}{url}", headers={"Cookie": cookie})
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
                # a redirect to the sign-in page would also answer 200: check it is the page asked for
                assert response.status == 200 and response.geturl() == f"http://127.0.0.1:{PORT}{url}", response.geturl()
                assert marker in body, f"{url}: {marker!r} not in the page"
            with lock:
                latencies.append(time.perf_counter() - start)

    # the first request of each worker process is cold (imports, template compilation, the first
    # computation before the cache holds it); it is timed and reported apart from the steady state
    warm = [threading.Thread(target=client, args=(2,)) for _ in range(clients)]
    for t in warm:
        t.start()
    for t in warm:
        t.join()
    cold.append(max(latencies))
    latencies.clear()
    threads = [threading.Thread(target=client, args=(requests // clients,)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return statistics.median(latencies), latencies[int(0.95 * (len(latencies) - 1))]


def _pages(cookie: str, label: str, clients: int, requests: int) -> None:
    from gongjian.air.models import Station

    station = Station.objects.filter(assessment=True).first()
    for name, url, marker in (
            ("Now", "/air/now/", b'id="stations-now"'),
            ("Station, one year", f"/air/station/{station.pk}/data/?year=2020", b'data-chart="calendar"'),
            ("Rankings, one year", "/air/rankings/?level=station&period=year&end=2020-12-31", b'id="ranking"')):
        cold: list[float] = []
        median, p95 = _measure(url, cookie, marker, cold, clients, requests)
        print(f"  {label:<12} {name:<20} median {median * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
              f"(slowest cold request {cold[0] * 1000:.0f} ms)")


def _naive_ranking_seconds() -> float:
    """The Rankings page computed the straightforward way: every station's year from its hours."""
    from gongjian.air.models import Station
    from gongjian.air.services import load_hourly
    from gongjian.analytics.airquality import assign_periods, daily_aqi, period_evaluation
    from gongjian.analytics.ranking import rank

    start = time.perf_counter()
    hourly = load_hourly(Station.objects.exclude(kind="met"), *YEAR)
    daily = daily_aqi(hourly, "2012")
    rank(period_evaluation(assign_periods(daily, "year"), "year", edition="2012"), "composite")
    return time.perf_counter() - start


def _time_import(home: Path) -> float:
    from gongjian.air.models import AirHour, SourceLayout, Station
    from gongjian.air.services import import_hourly, load_hourly

    stations = Station.objects.all()
    path = home / "year.csv"
    stored = load_hourly(stations, *YEAR, mask=False).drop([f"{p}_flag" for p in ("so2", "no2", "co", "o3", "pm10", "pm25")])
    stored.with_columns(pl.col("time").dt.strftime("%Y-%m-%dT%H:%M")).write_csv(path)
    AirHour.objects.all().delete()
    start = time.perf_counter()
    result = import_hourly([path], SourceLayout.objects.create(name="bench"))
    seconds = time.perf_counter() - start
    print(f"import: {result.rows:,} station-hours of {stations.count()} stations in {seconds:.1f} s "
          f"({len(result.findings)} quality findings)  [goal: < 30 s]")
    return seconds


def _grow_to(total: int) -> None:
    """Copy the demo's stations (scaled) until the network has ``total`` stations, with daily results."""
    from gongjian.air.evaluation import compute_daily
    from gongjian.air.models import Station
    from gongjian.air.services import load_hourly
    from gongjian.core import series

    base = list(Station.objects.exclude(kind="met"))
    hours = load_hourly(base, *YEAR, mask=False)
    created = []
    n = len(base)
    copy = 0
    while n < total:
        copy += 1
        for station in base:
            if n >= total:
                break
            clone = Station.objects.create(code=f"{station.code}-{copy}", name=f"{station.name}{copy}", kind="micro"
                                           if station.kind == "town" else station.kind, region=station.region,
                                           latitude=station.latitude, longitude=station.longitude)
            factor = 0.8 + 0.05 * (copy % 8)
            created.append(hours.filter(pl.col("station") == station.code).with_columns(
                pl.lit(clone.pk).alias("station_id"),
                *(pl.col(p) * factor for p in ("so2", "no2", "co", "o3", "pm10", "pm25"))).drop("station"))
            n += 1
    series.write("air.hourly", pl.concat(created).select("station_id", "time", "so2", "no2", "co", "o3", "pm10", "pm25"),
                 source="bench")
    compute_daily(*YEAR)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients per page")
    parser.add_argument("--requests", type=int, default=40, help="requests per page, all clients together")
    args = parser.parse_args(argv)
    with workspace() as home:  # the site is ~640 MB: removed however the run ends (issue 16)
        _setup_django(home)
        _bench(home, args.clients, args.requests)


def _bench(home: Path, clients: int, requests: int) -> None:
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from gongjian.demo import build

    build(progress=lambda line: None)
    print(f"site: demo with 40 stations built in {time.perf_counter() - t0:.0f} s under {home}")
    import_seconds = _time_import(home)
    from gongjian.air.evaluation import compute_daily

    compute_daily(*YEAR)
    cookie = _session_cookie()
    server = subprocess.Popen([sys.executable, "-m", "gongjian.cli", "serve", "--bind", f"127.0.0.1:{PORT}",
                               "--no-worker", "--workers", "2", "--threads", "4"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        print(f"pages, {clients} concurrent clients, {requests} requests each  [goals: p95 < 300 ms at 40, < 1 s at 400]")
        _pages(cookie, "40 stations", clients, requests)
        naive = _naive_ranking_seconds()
        print(f"  naive Rankings (the year from the hours on every request): {naive * 1000:.0f} ms per request")
        t1 = time.perf_counter()
        _grow_to(400)
        print(f"  (network grown to 400 stations in {time.perf_counter() - t1:.0f} s)")
        _pages(cookie, "400 stations", clients, requests)
        naive = _naive_ranking_seconds()
        print(f"  naive Rankings at 400 stations: {naive * 1000:.0f} ms per request")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # never leave a server writing into the removed site
            server.kill()
            server.wait()
    print(f"import ratio to goal: {30 / import_seconds:.1f}x under the 30 s goal")

if __name__ == "__main__":
    main()
