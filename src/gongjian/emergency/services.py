"""The list's life cycle (drafts, approval, diff, rules), the standard and list in force, and the
warnings in force and unread notices a person's home page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongjian import clock
from gongjian.periods import Period, month_end
from gongjian.regions import policy
from gongjian.regions.models import Region
from gongjian.sources import services as sources

from .models import (
    MEASURE_LEVELS,
    Level,
    Measure,
    Notice,
    ReductionList,
    WarningEpisode,
    WarningStandard,
)
from .removal import ListAccount

__all__ = ["active_warnings", "approve", "class_rule_problems", "diff", "list_in_force", "new_draft", "notices_unread",
           "revision_due", "standard_for", "standard_of", "submit"]


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
    level. Exempt and A-class enterprises stand outside the class comparison. Strictness is what the
    measures remove: the share of the enterprise's production emissions (:func:`gongjian.analytics.
    removal.strictness`); an enterprise without production emissions in the inventory cannot be
    ranked and is left out of both comparisons."""
    enterprise_ids = {pk for by_source in account.sources.values() for kind, pk in by_source if kind == "enterprise"}
    enterprises = {e.pk: e for e in sources.enterprises(enterprise_ids)}
    problems = []
    for level in MEASURE_LEVELS:
        strictness: dict[tuple[str, str], list[tuple[int, object]]] = {}  # (industry, class) -> enterprises
        for (kind, pk), entry in account.sources[level].items():
            e = enterprises.get(pk) if kind == "enterprise" else None
            if e is not None and entry.strictness is not None and not e.exemption and e.performance_class in ("B", "C", "D"):
                strictness.setdefault((e.industry, e.performance_class), []).append((entry.strictness, e))
        for industry in {k[0] for k in strictness}:
            for lighter, stricter in (("B", "C"), ("C", "D"), ("B", "D")):
                light, strict = strictness.get((industry, lighter)), strictness.get((industry, stricter))
                if not (light and strict):
                    continue
                (light_share, light_one), (strict_share, strict_one) = (max(light, key=lambda t: t[0]),
                                                                        min(strict, key=lambda t: t[0]))
                if light_share > strict_share:
                    problems.append(_("%(level)s: %(light)s (class %(lc)s, %(ls)s%% of its production emissions "
                                      "removed) has stricter measures than %(strict)s (class %(sc)s, %(ss)s%%) in the "
                                      "same industry") % {
                        "level": Level(level).label, "light": light_one, "lc": lighter, "ls": light_share,
                        "strict": strict_one, "sc": stricter, "ss": strict_share})
    for lower, higher in zip(MEASURE_LEVELS, MEASURE_LEVELS[1:], strict=False):
        for key, entry in account.sources[lower].items():
            above = account.sources[higher].get(key)
            if key[0] != "enterprise" or entry.strictness is None:
                continue
            if above is None or (above.strictness is not None and above.strictness < entry.strictness):
                problems.append(_("%(source)s: lighter measures at %(higher)s (%(hs)s%% of its production emissions "
                                  "removed) than at %(lower)s (%(ls)s%%)") % {
                    "source": enterprises.get(key[1]), "higher": Level(higher).label, "lower": Level(lower).label,
                    "hs": above.strictness if above is not None else 0, "ls": entry.strictness})
    return problems


def active_warnings(user):
    """The warnings in force that ``user`` sees (its own regions' and those of the regions above, which
    bind it), the most severe first."""
    order = {level: rank for rank, level in enumerate(reversed(Level.values))}
    found = policy.visible(user, WarningEpisode.objects.filter(status=WarningEpisode.Status.ACTIVE)
                           .select_related("region"))
    return sorted(found, key=lambda w: (order.get(w.level, 99), w.region.path))


def notices_unread(user):
    """The warning notices to ``user``'s organisation nobody of it has read yet, newest first."""
    if not getattr(user, "organisation_id", None):
        return Notice.objects.none()
    return policy.visible(user, Notice.objects.filter(recipient_id=user.organisation_id, read_at__isnull=True)
                          .select_related("action__warning__region"))
