"""API of the air app: registries (targets, stations) and the engine's results as JSON."""

import datetime as dt

import polars as pl
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from gongjian import clock
from gongjian.core.api import CleanModelSerializer, ScopedModelViewSet, date_range
from gongjian.core.params import choice
from gongjian.periods import Period, PeriodQueryError, query_date, query_year
from gongjian.regions import policy
from gongjian.standards.editions import EDITIONS

from .models import AirQualityTarget, DailyResult, Station


class AirQualityTargetSerializer(CleanModelSerializer):
    class Meta:
        model = AirQualityTarget
        fields = ["id", "region", "year", "metric", "value", "source", "note"]


class AirQualityTargetViewSet(ScopedModelViewSet):
    queryset = AirQualityTarget.objects.select_related("region").order_by("region__path", "year", "metric")
    serializer_class = AirQualityTargetSerializer


class StationSerializer(CleanModelSerializer):
    class Meta:
        model = Station
        fields = ["id", "code", "name", "kind", "region", "latitude", "longitude", "operator", "status", "assessment"]


class StationViewSet(ScopedModelViewSet):
    queryset = Station.objects.select_related("region").order_by("region__path", "code")
    serializer_class = StationSerializer


ROUTES = [("air/targets", AirQualityTargetViewSet), ("air/stations", StationViewSet)]

MAX_DAYS = 400


def _edition(request) -> str:
    return choice(request.query_params, "edition", ("auto", *EDITIONS), "auto")


def _frame_json(frame: pl.DataFrame) -> list[dict]:
    return [{k: (v.isoformat() if isinstance(v, dt.date | dt.datetime) else v) for k, v in row.items()}
            for row in frame.iter_rows(named=True)]


def _param(name: str, kind=OpenApiTypes.STR, required: bool = False, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=required, description=description)


RANGE = [_param("from", OpenApiTypes.DATE, True, "first day (YYYY-MM-DD)"),
         _param("to", OpenApiTypes.DATE, True, f"last day, at most {MAX_DAYS} days after from")]
EDITION = _param("edition", description="auto (default), 2012 or 2026")
ROWS = {200: OpenApiTypes.OBJECT}


@extend_schema(parameters=[_param("station", required=True, description="station code"), *RANGE], responses=ROWS)
class HourlyView(APIView):
    """Hourly values of one station (``station`` code, ``from``, ``to``), with their data flags."""

    def get(self, request):
        from .services import load_hourly

        code = request.query_params.get("station")
        if not code:
            raise ValidationError({"station": "required (station code)"})
        station = policy.visible(request.user, Station.objects.filter(code=code)).first()
        if station is None:
            raise NotFound(f"no station {code!r} in your jurisdiction")
        start, end = date_range(request, MAX_DAYS)
        return Response(_frame_json(load_hourly([station], start, end, mask=False)))


@extend_schema(parameters=[_param("station", description="station code"),
                           _param("region", OpenApiTypes.INT, description="region id"), *RANGE, EDITION,
                           _param("events", description="exclude: without accepted exceptional events")],
               responses=ROWS)
class DailyView(APIView):
    """Daily values and AQI of a station (``station``) or a region (``region`` id) from ``from`` to ``to``."""

    def get(self, request):
        from .evaluation import read_daily
        from .results import stored_edition

        start, end = date_range(request, MAX_DAYS)
        results = policy.visible(request.user, DailyResult.objects.all())
        if code := request.query_params.get("station"):
            results = results.filter(subject="station", station__code=code)
        elif region := request.query_params.get("region"):
            if not region.isdigit():
                raise ValidationError({"region": "a region id"})
            results = results.filter(subject="region", place_id=int(region))
        else:
            raise ValidationError({"station": "give station (code) or region (id)"})
        frame = read_daily(results, stored_edition(_edition(request), end), start, end,
                           request.query_params.get("events") == "exclude").sort("date")
        return Response(_frame_json(frame.drop("subject", "code", "station_name", "place", "place_name")))


@extend_schema(parameters=[_param("level", description="county (default), town, station or city"), *RANGE,
                           _param("period", description="a period key instead of from/to: 2026-M03, 2026-D07, "
                                                         "2026-Q1, 2026-H1, 2026, 2026-YTD-03-05"),
                           _param("by", description="composite (default), pm25, pm10, good_ratio or improvement"), EDITION,
                           _param("events", description="exclude: without accepted exceptional events")],
               responses=ROWS)
class StatisticsView(APIView):
    """Period statistics and ranking of a level (``level``: county, town, station, city) from ``from`` to
    ``to``, or for ``period`` (a period key: ``2026-M03``, ``2026-D07``, ``2026-Q1``, ``2026``...),
    judged by the validity rule of its kind (``from``/``to`` spanning exactly a month or a year are
    that month or year: :meth:`~gongjian.periods.Period.spanning`), ranked ``by`` composite
    (default), pm25, pm10, good_ratio or improvement."""

    def get(self, request):
        from gongjian.analytics.ranking import RANKINGS

        from .results import LEVELS, ranking_table

        level = choice(request.query_params, "level", LEVELS, "county")
        by = choice(request.query_params, "by", RANKINGS, "composite")
        if key := request.query_params.get("period"):
            try:
                period = Period.parse(key)
            except ValueError:
                raise PeriodQueryError("period", key, "kind", ["2026-M03", "2026-D07", "2026-Q1", "2026", "..."]) from None
        else:
            period = Period.spanning(*date_range(request, MAX_DAYS))
        table = ranking_table(request.user, level, period, by, _edition(request),
                              request.query_params.get("events") == "exclude")
        return Response(_frame_json(table) if table.height else [])


@extend_schema(parameters=[_param("year", OpenApiTypes.INT), _param("as_of", OpenApiTypes.DATE), EDITION],
               responses=ROWS)
class TargetProgressView(APIView):
    """Progress of every target of ``year`` in your jurisdiction as of ``as_of`` (default: the last day with data)."""

    def get(self, request):
        from .results import data_bounds, target_progress

        bounds = data_bounds(request.user)
        as_of = query_date(request.query_params, "as_of", bounds[1] if bounds else clock.today())
        year = query_year(request.query_params, "year", as_of.year)
        return Response(target_progress(request.user, year, as_of, _edition(request)))


PATHS = [("air/hourly/", HourlyView, "air-hourly"), ("air/daily/", DailyView, "air-daily"),
         ("air/statistics/", StatisticsView, "air-statistics"), ("air/target-progress/", TargetProgressView,
                                                                   "air-target-progress")]
