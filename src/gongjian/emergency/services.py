"""The list's life cycle (drafts, approval, diff, rules) and the standard and list in force."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongjian import clock
from gongjian.periods import Period, month_end
from gongjian.regions.models import Region
from gongjian.sources import services as sources

from .models import MEASURE_LEVELS, Level, Measure, ReductionList, WarningStandard
from .removal import ListAccount

__all__ = ["approve", "class_rule_problems", "diff", "list_in_force", "new_draft", "revision_due", "standard_for",
           "standard_of", "submit"]


def _ancestors_first(region: Region) -> list[Region]:
    """The region and the regions above it, nearest first (a county without its own standard or list
    follows its city's)."""
    return list(region.ancestors_and_self())[::-1]


def standard_for(region: Region, day: dt.date) -> WarningStandard | None:
    for place in _ancestors_first(region):
        standard = WarningStandard.objects.filter(region=place, valid_from__lte=day).order_by("-valid_from").first()
        if standard:
            return standard
    return None


def standard_of(version: ReductionList) -> WarningStandard | None:
    """The standard a list version is measured against: the one in force at the end of its year."""
    return standard_for(version.region, Period.of_year(version.year).end)


def revision_due(version: ReductionList) -> dt.date:
    """The day the annual revision of a list for ``version.year`` is due: the end of September of
    the year before (每年9月底前, ready before the autumn and winter it serves)."""
    return month_end(version.year - 1, 9)


def list_in_force(region: Region) -> ReductionList | None:
    for place in _ancestors_first(region):
        version = ReductionList.objects.filter(region=place, status=ReductionList.Status.APPROVED).order_by(
            "-year", "-number").first()
        if version:
            return version
    return None


@transaction.atomic
def new_draft(region: Region, year: int, inventory_year: int, based_on: ReductionList | None = None,
              note: str = "") -> ReductionList:
    """A new draft version, a copy of ``based_on``'s measures when given (the annual revision starts
    from the list in force)."""
    last = ReductionList.objects.filter(region=region, year=year).order_by("-number").first()
    draft = ReductionList.objects.create(region=region, year=year, number=(last.number + 1) if last else 1,
                                         inventory_year=inventory_year, based_on=based_on, note=note)
    if based_on is not None:
        originals = list(based_on.measures.order_by("pk").prefetch_related("lines"))
        copies = [Measure(reduction_list=draft, level=m.level, kind=m.kind, enterprise_id=m.enterprise_id, unit_id=m.unit_id,
                          site_id=m.site_id, load_percent=m.load_percent, note=m.note) for m in originals]
        for copy, original in zip(bulk_create_with_history(copies, Measure, batch_size=500), originals, strict=True):
            stopped = list(original.lines.all())
            if stopped:
                copy.lines.set(stopped)
    return draft


@transaction.atomic
def submit(version: ReductionList, user) -> None:
    if version.status != ReductionList.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    version.status, version.submitted_by = ReductionList.Status.SUBMITTED, user
    version.save()


@transaction.atomic
def approve(version: ReductionList, user) -> None:
    """Approve a submitted version (by someone other than who submitted it); the region's previously
    approved version is superseded."""
    if version.status != ReductionList.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted version can be approved."))
    if version.submitted_by_id == user.pk:
        raise ValidationError(_("A version is approved by someone other than who submitted it."))
    for previous in ReductionList.objects.filter(region=version.region, status=ReductionList.Status.APPROVED):
        previous.status = ReductionList.Status.SUPERSEDED
        previous.save()  # one by one, not .update(): the change is in the list's history
    version.status, version.approved_by, version.approved_at = ReductionList.Status.APPROVED, user, clock.now()
    version.save()


@dataclass(frozen=True)
class Change:
    level: str
    source: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        return "added" if not self.before else "removed" if not self.after else "changed"


def _described(version: ReductionList) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], list[str]] = {}
    for m in version.measures.select_related("enterprise__organisation", "site", "unit").prefetch_related("lines"):
        source = str(m.enterprise or m.site)
        text = m.describe()
        if m.unit_id:
            text += f" ({m.unit.name})"
        if m.kind == Measure.Kind.STOP_LINES:
            text += ": " + "、".join(sorted(line.name for line in m.lines.all()))
        out.setdefault((m.level, source), []).append(text)
    return {key: "; ".join(sorted(texts)) for key, texts in out.items()}


def diff(old: ReductionList, new: ReductionList) -> list[Change]:
    """Measures added, removed or changed between two versions, per level and source."""
    before, after = _described(old), _described(new)
    changes = [Change(level, source, before.get((level, source), ""), after.get((level, source), ""))
               for level, source in sorted(set(before) | set(after), key=lambda k: (MEASURE_LEVELS.index(k[0]), k[1]))
               if before.get((level, source)) != after.get((level, source))]
    return changes


def class_rule_problems(account: ListAccount) -> list[str]:
    """Breaches of the key-industry guideline's rules (环办大气函〔2019〕648号): within an industry, B
    measures no stricter than C, C no stricter than D; an enterprise's measures never lighter at a higher
    level. Exempt and A-class enterprises stand outside the class comparison."""
    enterprise_ids = {pk for by_source in account.sources.values() for kind, pk in by_source if kind == "enterprise"}
    enterprises = {e.pk: e for e in sources.enterprises(enterprise_ids)}
    problems = []
    for level in MEASURE_LEVELS:
        strictness: dict[tuple[str, str], list[tuple[int, object]]] = {}  # (industry, class) -> enterprises
        for (kind, pk), entry in account.sources[level].items():
            e = enterprises.get(pk) if kind == "enterprise" else None
            if e is not None and not e.exemption and e.performance_class in ("B", "C", "D"):
                strictness.setdefault((e.industry, e.performance_class), []).append((entry.strictness, e))
        for industry in {k[0] for k in strictness}:
            for lighter, stricter in (("B", "C"), ("C", "D"), ("B", "D")):
                light, strict = strictness.get((industry, lighter)), strictness.get((industry, stricter))
                if light and strict and max(light, key=lambda t: t[0])[0] > min(strict, key=lambda t: t[0])[0]:
                    hi, lo = max(light, key=lambda t: t[0])[1], min(strict, key=lambda t: t[0])[1]
                    problems.append(_("%(level)s: %(light)s (class %(lc)s) has stricter measures than %(strict)s "
                                      "(class %(sc)s) in the same industry") % {
                        "level": Level(level).label, "light": hi, "lc": lighter, "strict": lo, "sc": stricter})
    for lower, higher in zip(MEASURE_LEVELS, MEASURE_LEVELS[1:], strict=False):
        for key, entry in account.sources[lower].items():
            above = account.sources[higher].get(key)
            if key[0] == "enterprise" and (above is None or above.strictness < entry.strictness):
                e = enterprises.get(key[1])
                problems.append(_("%(source)s: lighter measures at %(higher)s than at %(lower)s") % {
                    "source": e, "higher": Level(higher).label, "lower": Level(lower).label})
    return problems
