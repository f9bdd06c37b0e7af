"""Drinking-water sources: their intake results evaluated against GB 3838-2002, the compliance rate,
and the quarterly disclosure an office publishes (the Yibin plan: city- and county-level sources at
least every quarter; Zhengzhou 2020 and Yibin 2020: 100 % of intakes compliant).

A source is judged on the mean of each item's valid intake samples in the period (环办〔2011〕22号:
several samples are averaged; below the detection limit, half the limit, 82号 point 7:
:data:`gongjian.standards.gb3838.ND_FACTOR`), with :func:`gongjian.standards.gb3838.source_compliant`
(Table 1 basic items at class Ⅲ, Table 2 supplementary items against their limits). A source with no
valid sample in the period is not evaluated: "no data", never compliant and never failing, and
not counted in the rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.analytics import waterquality
from gongjian.core.ledger import next_number, require_ended
from gongjian.periods import Period, PeriodKind
from gongjian.regions import policy
from gongjian.standards import gb3838

from .ledgers import DrinkingDisclosure, DrinkingWaterSource
from .models import SampleFlag
from .results import samples_frame

__all__ = ["Rate", "SourceEvaluation", "class_name", "compliance_rate", "failing_text", "percent_text", "disclosure_content", "evaluate", "evaluate_all", "intake_means",
           "publish_disclosure"]


@dataclass(frozen=True)
class SourceEvaluation:
    """One source in one period: the items' means, its class (the worst evaluated item, for the
    disclosure), whether it complies (``None``: no data) and the failing items with their multiples."""

    source: DrinkingWaterSource
    period: Period
    means: dict[str, float]
    water_class: int | None
    compliant: bool | None
    failing: dict[str, float | None]
    samples: int


def intake_means(source: DrinkingWaterSource, period: Period) -> tuple[dict[str, float], int]:
    """The period mean of every item measured at the source's intake (valid samples only, read from
    the samples store and averaged as every section's are: :func:`analytics.waterquality.period_means`),
    and how many samples they come from; ``({}, 0)`` without an intake or samples."""
    if source.intake_id is None:
        return {}, 0
    start, end = clock.day_bounds(period.start, period.end)
    samples = samples_frame([source.intake_id], start, end).filter(pl.col("flag") == SampleFlag.VALID)
    if samples.is_empty():
        return {}, 0
    means = waterquality.period_means(samples.rename({"section_id": "section"}), period)
    return dict(zip(means["item"].to_list(), means["value"].to_list(), strict=True)), samples.height


def evaluate(source: DrinkingWaterSource, period: Period) -> SourceEvaluation:
    means, count = intake_means(source, period)
    kind = source.water_kind
    result = gb3838.source_compliant(means, kind)
    basic = {k: v for k, v in means.items() if k in gb3838.ITEMS}
    water_class = gb3838.section_class(basic, kind).cls if basic else None
    return SourceEvaluation(source, period, means, water_class, result.compliant, dict(result.failing), count)


def evaluate_all(sources, period: Period) -> list[SourceEvaluation]:
    return [evaluate(s, period) for s in sources.select_related("region", "intake")]


@dataclass(frozen=True)
class Rate:
    compliant: int
    evaluated: int
    not_evaluated: int

    @property
    def share(self) -> Fraction | None:
        """Sources compliant / sources evaluated; ``None`` (no data) when none was evaluated."""
        return Fraction(self.compliant, self.evaluated) if self.evaluated else None

    @property
    def percent(self):
        return gb3838.percent(self.share)


def compliance_rate(evaluations: list[SourceEvaluation]) -> Rate:
    """The compliance rate of the plans' indicator (集中式饮用水水源地取水水质达标率): sources that
    comply over sources evaluated; sources without data are counted apart, not as failing."""
    judged = [e for e in evaluations if e.compliant is not None]
    return Rate(sum(1 for e in judged if e.compliant), len(judged), len(evaluations) - len(judged))


def class_name(cls: int | None) -> str | None:
    """Ⅰ..Ⅴ or 劣Ⅴ; ``None`` for no data."""
    return gb3838.class_name(cls, None)


def failing_text(failing: dict[str, float | None]) -> str:
    """Failing items as bulletins print them, ``锰/0.5、pH``: the name and the multiple over the limit."""
    names = {k: i.name_zh for k, i in gb3838.ALL_ITEMS.items()}
    return "、".join(f"{names.get(k, k)}/{round(m, 2):g}" if m is not None else names.get(k, k) for k, m in failing.items())


def percent_text(value) -> str:
    return _("no data") if value is None else f"{value}%"


def disclosure_content(region, period: Period) -> dict:
    """What a disclosure of ``region``'s sources for ``period`` says: each source, its class, whether
    it complies and the items that fail, and the rate. Stored as published (plain values)."""
    sources = DrinkingWaterSource.objects.filter(region__path__startswith=region.path).order_by("region__path", "code")
    evaluations = evaluate_all(sources, period)
    rate = compliance_rate(evaluations)
    return {
        "period": period.key, "period_label": period.label("zh-hans"),
        "sources": [{"code": e.source.code, "name": e.source.name, "region": e.source.region.name,
                     "kind": e.source.get_kind_display(), "thousand_ton": e.source.thousand_ton,
                     "class": class_name(e.water_class), "compliant": e.compliant, "samples": e.samples,
                     "failing": dict(e.failing)} for e in evaluations],
        "compliant": rate.compliant, "evaluated": rate.evaluated, "not_evaluated": rate.not_evaluated,
        "rate_percent": None if rate.percent is None else str(rate.percent),
    }


@transaction.atomic
def publish_disclosure(region, period: Period, person) -> DrinkingDisclosure:
    """Publish the quarterly disclosure of ``region``'s sources for a quarter that has ended, as its
    office (``policy.can_place``). A quarter published before gets a new edition; the earlier one
    stays as it was published."""
    if not policy.can_place(person, region):
        raise PermissionDenied
    if period.kind != PeriodKind.QUARTER:
        raise ValidationError({"period": _("A disclosure covers a quarter (e.g. 2020-Q4).")})
    require_ended(period)
    return DrinkingDisclosure.objects.create(region=region, period=period.key,
                                             number=next_number(DrinkingDisclosure, region, period.key),
                                             published=clock.now(), published_by=person,
                                             content=disclosure_content(region, period))
