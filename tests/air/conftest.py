"""Fixtures of the air tests: three stations with 40 days of plausible hours, imported through the
import service (quality control and the daily-result jobs run as in production)."""

import datetime as dt
import math

import pytest

from gongjian.air.models import AirQualityTarget, SourceLayout, Station
from gongjian.air.services import import_hourly

HEADER = "station,time,so2,no2,co,o3,pm10,pm25\n"
STATIONS = (("ZM01", "county", "county_a"), ("HS01", "town", "town_a1"), ("XY01", "county", "county_b"))


def _hours(code: str, days: int, shift: int) -> list[str]:
    lines = []
    start = dt.datetime(2020, 1, 1)
    for h in range(24 * days):
        t = start + dt.timedelta(hours=h)
        wave = math.sin(h / 9 + shift)
        pm25 = round(45 + shift * 6 + 25 * wave + (h * 7) % 5)
        lines.append(f"{code},{t:%Y-%m-%dT%H:%M},{10 + (h + shift) % 6},{35 + (h * 3) % 11},{0.6 + (h % 7) / 10:.1f},"
                     f"{60 + round(40 * math.sin(h / 4 + shift))},{pm25 * 2 - (h % 9)},{pm25}\n")
    return lines


@pytest.fixture
def data(world, tmp_path, django_capture_on_commit_callbacks):
    for code, kind, region in STATIONS:
        Station.objects.create(code=code, name=code, kind=kind, region=world.regions[region], latitude=34.7,
                               longitude=113.9)
    path = tmp_path / "hours.csv"
    path.write_text(HEADER + "".join(line for i, (code, _, _) in enumerate(STATIONS) for line in _hours(code, 40, i)),
                    encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        import_hourly([path], SourceLayout.objects.create(name="test"))
    AirQualityTarget.objects.create(region=world.regions["county_a"], year=2020, metric="pm25_mean", value=50)
    return path


