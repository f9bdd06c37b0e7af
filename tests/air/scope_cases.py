"""The scope-matrix cases of the air app's registry models (see tests/scope_cases.py)."""

import datetime as dt
from decimal import Decimal

from gongjian.air.models import AirQualityTarget, ExceptionalEvent, Station
from tests.regions import scope_cases as regions_cases


def targets(w):
    return {p: AirQualityTarget.objects.create(region=r, year=2020, metric="pm25_mean", value=Decimal("50"))
            for p, r in regions_cases.regions(w).items()}


def stations(w):
    return {p: Station.objects.create(code=f"ST-{p}", name=f"站{p}", kind="town", region=r)
            for p, r in regions_cases.regions(w).items()}


def events(w):
    moment = dt.datetime(2020, 3, 28, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return {p: ExceptionalEvent.objects.create(kind="dust", region=r, start=moment, end=moment, description="沙尘")
            for p, r in regions_cases.regions(w).items()}


#: model -> (factory(world) -> {place: record}, has an owner, public)
CASES = {
    AirQualityTarget: (targets, False, True),
    Station: (stations, False, True),
    ExceptionalEvent: (events, False, False),
}
