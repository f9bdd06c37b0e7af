"""The water API's read-only results: samples, stored monthly results, the evaluation of a period
and the county ranking, all scoped by the policy (mounted from :mod:`gongjian.water.api`'s
``PATHS``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from gongjian import clock
from gongjian.core.api import date_range
from gongjian.periods import Period, PeriodQueryError, query_year
from gongjian.regions import policy
from gongjian.regions.models import Region

from . import monthly, services
from .places import place_of, ranking_region

__all__ = ["PATHS"]

#: The longest span one request for samples or months covers.
MAX_DAYS = 800


def _param(name: str, kind=OpenApiTypes.STR, required: bool = False, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=required, description=description)


RANGE = [_param("from", OpenApiTypes.DATE, True, "first day (YYYY-MM-DD)"),
         _param("to", OpenApiTypes.DATE, True, f"last day, at most {MAX_DAYS} days after from")]
ROWS = {200: OpenApiTypes.OBJECT}


def _require_water(request) -> None:
    """Samples and a period's live evaluation are the water pages' (:data:`policy.SEE_WATER`): the
    sections are public, their raw samples and running figures are not."""
    if not policy.SEE_WATER.allows(request.user):
        raise PermissionDenied(str(policy.SEE_WATER.summary))


def _sections(request, required: bool):
    """The sections the request names (``section``: codes, comma-separated) among those the person
    sees; every visible one when none is named and ``required`` is false."""
    sections = services.sections_visible(request.user)
    codes = [c.strip() for c in request.query_params.get("section", "").split(",") if c.strip()]
    if not codes:
        if required:
            raise ValidationError({"section": ["required (section codes, comma-separated)"]})
        return sections
    found = sections.filter(code__in=codes)
    missing = sorted(set(codes) - set(found.values_list("code", flat=True)))
    if missing:
        raise NotFound(f"no section {', '.join(missing)} in your jurisdiction")
    return found


def _plain(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return float(value) if isinstance(value, Decimal) else value


def _result(r: dict) -> dict:
    section = r["section"]
    return {"section": section.code, "name": section.name, "region": section.region_id, "period": r["period"],
            "water_class": r["water_class"], "class_name": r["class_name"], "deciding": list(r.get("deciding", [])),
            "items_above": r["items_above"], "target_class": r["target_class"], "meets_target": r["meets_target"],
            "means": r.get("means", {}), "samples": r.get("samples")}


@extend_schema(parameters=[_param("section", required=True, description="section codes, comma-separated"), *RANGE,
                           _param("item", description="a GB 3838 item key (nh3n, tp, ...)")], responses=ROWS)
class SamplesView(APIView):
    """Stored samples of sections (``section`` codes) from ``from`` to ``to`` (Beijing days), with their
    flags, detection-limit marks and sources; ``item`` keeps one item."""

    def get(self, request):
        _require_water(request)
        sections = {s.pk: s.code for s in _sections(request, required=True)}
        start, end = date_range(request, MAX_DAYS)
        lo, hi = clock.day_bounds(start, end)
        frame = services.samples_frame(list(sections), lo, hi)
        if item := request.query_params.get("item"):
            frame = frame.filter(frame["item"] == item)
        return Response([{"section": sections[row["section_id"]], **{k: _plain(v) for k, v in row.items()
                                                                    if k != "section_id"}}
                         for row in frame.iter_rows(named=True)])


@extend_schema(parameters=[_param("section", description="section codes, comma-separated (default: all you see)"),
                           *RANGE], responses=ROWS)
class SectionMonthsView(APIView):
    """The stored monthly results (class, items above the target with their multiples, target, met)
    of the months from ``from`` to ``to``; a public reviewer gets the published months only, as
    published (with ``published`` and ``edition``), never a running month's figures."""

    def get(self, request):
        sections = _sections(request, required=False)
        start, end = date_range(request, MAX_DAYS)
        if not policy.SEE_WATER.allows(request.user):  # the public: the published months, as published
            codes = set(sections.values_list("code", flat=True))
            published = monthly.published_months(request.user, start, end)
            return Response([{"section": code, "month": month.isoformat(), "water_class": row["class"],
                              "items_above": row["items_above"], "target_class": row["target_class"],
                              "meets_target": row["meets_target"], "samples": row["samples"],
                              "published": clock.local(row["published"]).isoformat(), "edition": row["edition"]}
                             for (code, month), row in sorted(published.items()) if code in codes])
        months = services.section_months(list(sections.values_list("pk", flat=True)), start, end)
        return Response([{"section": m.section.code, "month": m.month.isoformat(), "water_class": m.water_class,
                          "items_above": m.items_above, "target_class": m.target_class,
                          "meets_target": m.meets_target, "samples": m.samples,
                          "computed_at": clock.local(m.computed_at).isoformat()} for m in months])


@extend_schema(parameters=[_param("period", required=True, description="a month, quarter or year: 2020-M12, "
                                                                       "2020-Q4, 2020"),
                           _param("region", OpenApiTypes.INT, description="region id (default: your jurisdiction)")],
               responses=ROWS)
class EvaluationView(APIView):
    """The sections' results over a month, quarter or year and the rates of the region: the share at
    class Ⅲ or better, worse than Ⅴ, the target attainment (percentages) and the state."""

    def get(self, request):
        _require_water(request)
        key = request.query_params.get("period", "")
        try:
            period = Period.parse(key)
        except ValueError:
            raise PeriodQueryError("period", key, "kind", ["2020-M12", "2020-Q4", "2020"]) from None
        if str(period.kind) not in ("month", "quarter", "year"):
            raise PeriodQueryError("period", key, "kind", ["month", "quarter", "year"])
        region = self._region(request)
        summary = services.region_summary(region, period, request.user)
        state = summary["state"]
        return Response({"region": region.pk, "period": period.key, "sections": summary["sections"],
                         "evaluated": summary["evaluated"],
                         **{k: _plain(summary[k]) for k in ("share_iii_or_better", "share_worse_than_v", "attainment")},
                         "state": state.name_zh if state else None, "method": summary["method"],
                         "results": [_result(r) for r in summary["results"]]})

    @staticmethod
    def _region(request) -> Region:
        text = request.query_params.get("region", "")
        if not text:
            region = place_of(request.user)
            if region is None:
                raise NotFound("no region")
            return region
        if not text.isdigit():
            raise ValidationError({"region": ["a region id"]})
        region = policy.visible(request.user, Region.objects.filter(pk=int(text))).first()
        if region is None:
            raise NotFound(f"no region {text} in your jurisdiction")
        return region


@extend_schema(parameters=[_param("year", OpenApiTypes.INT, description="default: this year")], responses=ROWS)
class RankingView(APIView):
    """The counties ranked by their sections over ``year`` (target attainment, then the share at class
    Ⅲ or better), as published among the counties ranked."""

    def get(self, request):
        if not policy.SEE_RANKINGS.allows(request.user):
            raise PermissionDenied(str(policy.SEE_RANKINGS.summary))
        year = query_year(request.query_params, "year", clock.today().year)
        region = ranking_region(request.user)
        rows = services.county_ranking(region, year, request.user) if region else []
        return Response([{"rank": r["rank"], "region": r["region"].pk, "name": r["region"].name,
                          **{k: _plain(r[k]) for k in ("sections", "evaluated", "attainment", "share_iii_or_better",
                                                       "share_worse_than_v")}} for r in rows])


PATHS = [("water/samples/", SamplesView, "water-samples"), ("water/section-months/", SectionMonthsView,
                                                              "water-section-months"),
         ("water/evaluation/", EvaluationView, "water-evaluation"), ("water/ranking/", RankingView, "water-ranking")]
