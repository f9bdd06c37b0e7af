"""Pages of the water ledgers beyond their registries: the drinking-water evaluation of a period and
its compliance rate, the published lists (the quarterly drinking-water disclosure, the half-yearly
black-odorous list) with their publishing form, and an outfall's monthly results.

Every record comes through ``policy.visible``; a public reviewer sees the published lists of their
jurisdiction and nothing of the ledgers themselves. Each POST view declares its write rule, and the
services check the record or region (``policy.can_change``, ``policy.can_place``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian import clock
from gongjian.core import exports
from gongjian.core.pages import opens
from gongjian.core.params import choice
from gongjian.core.views import bind, form_page
from gongjian.core.writes import writes
from gongjian.periods import Period, PeriodKind
from gongjian.regions import policy
from gongjian.standards import blackodorous as guideline
from gongjian.standards import gb3838

from . import blackodorous, drinking, monthly, outfalls
from .ledger_forms import OutfallResultsForm, PublishForm
from .ledgers import (
    BlackOdorousList,
    DrinkingDisclosure,
    DrinkingWaterSource,
    Outfall,
    PublishedMonth,
)

__all__ = ["bo_list_view", "bo_lists_view", "disclosure_view", "disclosures_view", "drinking_view",
           "outfall_results_view", "published_month_view", "published_months_view"]


def drinking_rule_note() -> str:
    """The compliance rule is a reading, not the verified text (``gb3838.source_compliant``)."""
    return _("Provisional: the compliance rule (every Table 1 basic item at class III or better, the Table 2 "
             "items within their limits) is our reading; its text could not be verified.")


def bo_rule_note() -> str:
    """Which reading of the guideline's heavy-share bounds the levels use
    (:data:`gongjian.standards.blackodorous.SHARES_INCLUSIVE`)."""
    if guideline.SHARES_INCLUSIVE:
        return _("Levels: a point is heavy when 60 % or more of one indicator's results, or 30 % or more of two "
                 "indicators' results, are in the heavy band (“以上” read as inclusive; the guideline's text "
                 "could not be verified).")
    return _("Levels: a point is heavy when more than 60 % of one indicator's results, or more than 30 % of two "
             "indicators' results, are in the heavy band (the reading “> 60 %”, “> 30 %”; whether the "
             "guideline's “以上” includes the bound could not be verified).")


def _yes_no(value: bool | None) -> str:
    return _("no data") if value is None else _("compliant") if value else _("not compliant")


def _export(request, report: exports.Report, name: str):
    fmt = choice(request.GET, "format", exports.EXPORT_FORMATS, "")
    return exports.report_response(report, fmt, name) if fmt else None


@login_required
@opens(policy.SEE_WATER)
def drinking_view(request):
    """The visible sources evaluated for a month, quarter or year (default: the quarter of today),
    with the compliance rate; ``?format=xlsx`` exports the table."""
    period = Period.from_query(request.GET, default_kind=PeriodKind.QUARTER, today=clock.today(),
                               kinds=(PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR))
    sources = policy.visible(request.user, DrinkingWaterSource.objects.order_by("region__path", "code"))
    evaluations = drinking.evaluate_all(sources, period)
    rate = drinking.compliance_rate(evaluations)
    report = exports.Report(_("Drinking-water sources evaluated"), [exports.Table(_("Sources"), [
        exports.Column("code", _("code")), exports.Column("name", _("name")), exports.Column("region", _("region")),
        exports.Column("class", _("class")), exports.Column("compliant", _("compliance")),
        exports.Column("failing", _("items failing (multiple)")), exports.Column("samples", _("samples used"))],
        [{"code": e.source.code, "name": e.source.name, "region": e.source.region.name,
          "class": drinking.class_name(e.water_class), "compliant": _yes_no(e.compliant),
          "failing": drinking.failing_text(e.failing), "samples": e.samples} for e in evaluations])],
        period=period.label(), as_of=clock.now(), scope=exports.scope_label(request.user),
        notes=[_("Compliance rate: %(rate)s (%(n)s of %(m)s sources evaluated; %(k)s without data).")
               % {"rate": drinking.percent_text(rate.percent), "n": rate.compliant, "m": rate.evaluated,
                  "k": rate.not_evaluated},
               _("Judged by GB 3838-2002: Table 1 basic items at class III, Table 2 items against their limits."),
               drinking_rule_note()])
    return _export(request, report, f"drinking-{period.key}") or render(request, "water/ledger_drinking.html", {
        "title": _("Drinking-water sources"), "period": period, "evaluations": evaluations, "rate": rate,
        "rate_text": drinking.percent_text(rate.percent), "rule_note": drinking_rule_note()})


class _Kind:
    """A kind of published list: its model, service, period kind and pages."""

    def __init__(self, model, publish, period_kind, title, detail, template):
        self.model, self.publish, self.period_kind = model, publish, period_kind
        self.title, self.detail, self.template = title, detail, template


DISCLOSURE = _Kind(DrinkingDisclosure, drinking.publish_disclosure, PeriodKind.QUARTER,
                   gettext_lazy("Drinking-water quality disclosures"), "water:disclosure", "water/ledger_disclosure.html")
BO_LIST = _Kind(BlackOdorousList, blackodorous.publish_list, PeriodKind.HALF_YEAR,
                gettext_lazy("Black-odorous water bodies: published lists"), "water:bo_list", "water/ledger_bo_list.html")

MONTHS = _Kind(PublishedMonth, monthly.publish_month, PeriodKind.MONTH,
               gettext_lazy("Monthly section classes: published"), "water:published_month",
               "water/ledger_published_month.html")


def _publications(request, kind: _Kind):
    published = policy.visible(request.user, kind.model.objects.select_related("region", "published_by"))
    previous = Period.containing(kind.period_kind, clock.today()).previous()
    form = bind(request, PublishForm, initial={"region": request.user.jurisdiction_id, "period": previous.key})

    def publish(data):
        record = kind.publish(data["region"], data["period"], request.user)
        return redirect(kind.detail, record.pk)

    return form_page(request, form, "water/ledger_publications.html", {
        "title": kind.title, "published": published[:200], "detail": kind.detail,
        "may_publish": request.user.role_can_edit}, on_valid=publish)


@login_required
@writes(policy.EDIT)
def disclosures_view(request):
    return _publications(request, DISCLOSURE)


@login_required
@writes(policy.EDIT)
def bo_lists_view(request):
    return _publications(request, BO_LIST)


def _publication(request, kind: _Kind, pk: int, report):
    record = get_object_or_404(policy.visible(request.user, kind.model.objects.select_related("region")), pk=pk)
    later = kind.model.objects.filter(region=record.region, period=record.period, number__gt=record.number).exists()
    return _export(request, report(record), f"{record.period}-{record.number}") or render(request, kind.template, {
        "title": str(record), "record": record, "content": record.content, "corrected": later,
        "rule_note": drinking_rule_note() if kind is DISCLOSURE else bo_rule_note() if kind is BO_LIST else ""})


@login_required
def disclosure_view(request, pk: int):
    def report(record):
        c = record.content
        return exports.Report(_("Drinking-water quality disclosure"), [exports.Table(_("Sources"), [
            exports.Column("code", _("code")), exports.Column("name", _("name")), exports.Column("region", _("region")),
            exports.Column("class", _("class")), exports.Column("compliant", _("compliance")),
            exports.Column("failing", _("items failing (multiple)"))],
            [{**s, "compliant": _yes_no(s["compliant"]), "failing": drinking.failing_text(s["failing"])}
             for s in c["sources"]])], period=c["period_label"], as_of=record.published,
            scope=str(record.region), notes=[_("Compliance rate: %(rate)s.") % {"rate": c["rate_percent"] or _("no data")},
                                             drinking_rule_note()])

    return _publication(request, DISCLOSURE, pk, report)


@login_required
def bo_list_view(request, pk: int):
    def report(record):
        c = record.content
        keys = [("code", _("code")), ("name", _("name")), ("region", _("region")), ("location", _("location")),
                ("start_point", _("start point")), ("end_point", _("end point")), ("length_km", _("length (km)")),
                ("area_km2", _("area (km²)")), ("responsible_units", _("responsible units")), ("level", _("level")),
                ("target_year", _("eliminated by (year)")), ("status", _("status"))]
        return exports.Report(_("Black-odorous water bodies"), [exports.Table(_("Water bodies"), [
            exports.Column(k, label) for k, label in keys], c["bodies"])], period=c["period_label"],
            as_of=record.published, scope=str(record.region), notes=[bo_rule_note()])

    return _publication(request, BO_LIST, pk, report)


@login_required
@writes(policy.EDIT)
def published_months_view(request):
    """The published monthly classes and, for an office, the form to publish a month that has ended."""
    return _publications(request, MONTHS)


@login_required
def published_month_view(request, pk: int):
    """One edition of a month's classes as published; ``?format=xlsx`` exports it."""
    def report(record):
        c = record.content
        keys = [("code", _("code")), ("name", _("name")), ("water_body", _("water body")), ("region", _("region")),
                ("class_name", _("class")), ("target", _("target class")), ("meets", _("meets its target")),
                ("samples", _("samples used"))]
        rows = [{**r, "target": gb3838.class_name(r["target_class"]),
                 "meets": "" if r["meets_target"] is None else _("yes") if r["meets_target"] else _("no")}
                for r in c["sections"]]
        return exports.Report(_("Monthly section classes"), [exports.Table(_("Sections"), [
            exports.Column(k, label) for k, label in keys], rows)], period=c["period_label"],
            as_of=record.published, scope=str(record.region))

    return _publication(request, MONTHS, pk, report)


@login_required
@writes(policy.EDIT)
def outfall_results_view(request, pk: int):
    """An outfall's monthly results and, for its editors, the form to record a sampling."""
    outfall = get_object_or_404(policy.visible(request.user, Outfall.objects.select_related("region")), pk=pk)
    form = bind(request, OutfallResultsForm)

    def record(data):
        outfalls.record_results(outfall, data["sampled"], form.values(), request.user)
        return redirect("water:outfall_results", outfall.pk)

    return form_page(request, form, "water/ledger_outfall_results.html", lambda: {
        "title": _("Monthly results of %(outfall)s") % {"outfall": outfall}, "outfall": outfall,
        "results": outfall.results.select_related("recorded_by"), "limits": outfall.limits.all(),
        "may_record": policy.can_change(request.user, outfall) and outfall.status in outfalls.OPEN_TO_RESULTS},
        on_valid=record)
