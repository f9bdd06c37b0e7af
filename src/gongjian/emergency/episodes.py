"""Warnings: the level the forecast triggers, and issuing, upgrading, downgrading and lifting them with
notices to every organisation that must act."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongjian import clock
from gongjian.analytics.warnings import LEVELS, Decision, decide
from gongjian.core.freshness import Freshness, freshness
from gongjian.regions import policy
from gongjian.regions.models import Organisation, OrganisationKind, Region

from .models import Forecast, Level, Notice, WarningAction, WarningEpisode
from .services import list_in_force, standard_for

__all__ = ["FORECAST", "GOVERNMENT_KINDS", "act", "forecast_freshness", "latest_forecast", "may_act", "notice_text", "proposed_level", "recipients"]

#: The kind of data whose threshold (``GONGJIAN_STALE_AFTER``) says when a forecast is no longer current.
FORECAST = "forecast"

#: Who is told besides the listed enterprises and site builders: the governments and offices of the
#: regions the sources lie in (towns and counties) and of the warning's region.
GOVERNMENT_KINDS = (OrganisationKind.CAMPAIGN_OFFICE, OrganisationKind.ENVIRONMENT_BUREAU,
                    OrganisationKind.TOWN_OFFICE, OrganisationKind.GOVERNMENT, OrganisationKind.ZONE_COMMITTEE)


def latest_forecast(region: Region, on: dt.date) -> tuple[dt.date | None, list[tuple[dt.date, int]]]:
    """The most recent forecast issued on or before ``on``: (issued on, [(day, AQI)])."""
    issued = Forecast.objects.filter(region=region, issued_on__lte=on).order_by("-issued_on").values_list(
        "issued_on", flat=True).first()
    if issued is None:
        return None, []
    days = Forecast.objects.filter(region=region, issued_on=issued).order_by("day").values_list("day", "aqi")
    return issued, list(days)


def forecast_freshness(issued: dt.date | None, at: dt.datetime) -> Freshness:
    """How old a forecast issued on ``issued`` is at ``at``, judged against
    ``GONGJIAN_STALE_AFTER["forecast"]`` from the start of its issue day: a stale forecast proposes
    no warning (the page says there is no current one and shows when the old one was issued)."""
    return freshness(FORECAST, issued, at)


def proposed_level(region: Region, at: dt.datetime) -> Decision | None:
    """The level the current forecast triggers at ``at`` under the standard in force; ``None``
    without a standard or without a current forecast (none issued, or the latest one stale)."""
    day = clock.day_of(at)
    standard = standard_for(region, day)
    if standard is None:
        return None
    issued, days = latest_forecast(region, day)
    if forecast_freshness(issued, at).stale:
        return None
    return decide(days, standard.analytic())


def may_act(user, region: Region, on: dt.date) -> bool:
    """Whether ``user`` decides ``region``'s warnings: a warning is issued under a standard, by the
    region that holds it, so a region without a standard of its own (a county under the city's)
    follows the warnings of the region above and issues none, and only the holder's editors act."""
    standard = standard_for(region, on)
    return standard is not None and standard.region_id == region.pk and policy.can_change(user, standard)


def recipients(region: Region, level: str) -> list[Organisation]:
    """Every organisation that must act at ``level``: enterprises and site builders with measures at
    that level in the list in force *inside the warning's region* (a county's warning binds its own
    sources, not the rest of the city's list it inherits), and the governments and offices of the
    places they lie in and of the warning's region."""
    version = list_in_force(region)
    places = {region.pk}
    out: dict[int, Organisation] = {}
    if version is not None:
        inside = Q(enterprise__organisation__region__path__startswith=region.path) | Q(
            site__region__path__startswith=region.path)
        for m in version.measures.filter(inside, level=level).select_related(
                "enterprise__organisation__region", "site__builder", "site__region"):
            if m.enterprise_id:
                out[m.enterprise.organisation.pk] = m.enterprise.organisation
                region_of_source = m.enterprise.organisation.region
            else:
                if m.site.builder_id:
                    out[m.site.builder.pk] = m.site.builder
                region_of_source = m.site.region
            places.update(r.pk for r in region_of_source.ancestors_and_self() if r.path.startswith(region.path))
    for org in Organisation.objects.filter(region_id__in=places, kind__in=GOVERNMENT_KINDS):
        out[org.pk] = org
    return sorted(out.values(), key=lambda o: (o.region.path, o.name))


def notice_text(region: Region, kind: str, level: str, at: dt.datetime, reason: str) -> str:
    """The text every recipient of a decision reads: what the confirmation page shows before the
    decision is recorded is what the notices then carry."""
    if kind == WarningAction.Kind.LIFT:
        return _("%(region)s lifts the heavy-pollution warning from %(at)s. Measures end then.") % {
            "region": region, "at": f"{at:%Y-%m-%d %H:%M}"}
    return _("%(region)s: %(level)s warning (%(action)s) from %(at)s. Apply your measures for this level as your "
             "measure sheet lists them. Reason: %(reason)s") % {
        "region": region, "level": Level(level).label, "action": WarningAction.Kind(kind).label,
        "at": f"{at:%Y-%m-%d %H:%M}", "reason": reason}


@transaction.atomic
def act(region: Region, kind: str, level: str, at: dt.datetime, user, reason: str) -> WarningAction:
    """Issue, upgrade, downgrade or lift the region's warning; notices go to every recipient.

    Refused with a reason: issuing while a warning is in force, upgrading to a level not higher,
    downgrading to one not lower, acting on a warning that is not in force, a time before the
    episode's last action, no standard for the region, or no reason given.
    """
    if kind not in WarningAction.Kind.values:
        raise ValidationError(_("Unknown action %(kind)s.") % {"kind": kind})
    if not reason.strip():
        raise ValidationError(_("Give the reason for the decision."))
    active = WarningEpisode.objects.select_for_update().filter(region=region, status=WarningEpisode.Status.ACTIVE).first()
    day = clock.day_of(at)
    standard = standard_for(region, day)
    if standard is None:
        raise ValidationError(_("No warning standard applies to %(region)s.") % {"region": region})
    if standard.region_id != region.pk:
        raise ValidationError(_("%(region)s has no warning standard of its own: it follows the warnings of "
                                "%(holder)s.") % {"region": region, "holder": standard.region})
    if not policy.can_change(user, standard):
        raise PermissionDenied
    issued, forecast = latest_forecast(region, day)
    # the level the triggers proposed, as recorded with the decision: none from a stale forecast
    decision = decide([] if forecast_freshness(issued, at).stale else forecast, standard.analytic())
    if kind == WarningAction.Kind.ISSUE:
        if active is not None:
            raise ValidationError(_("A warning is already in force; upgrade, downgrade or lift it."))
        if level not in LEVELS:
            raise ValidationError(_("Unknown level %(level)s.") % {"level": level})
        active = WarningEpisode.objects.create(region=region, level=level, started_at=at, standard=standard,
                                               standard_snapshot=standard.snapshot(), reduction_list=list_in_force(region))
        level_from = ""
    else:
        if active is None:
            raise ValidationError(_("No warning is in force."))
        last = active.actions.order_by("-at").first()
        if last is not None and at < last.at:
            raise ValidationError(_("The time is before the warning's last action (%(at)s).") % {"at": last.at})
        level_from = active.level
        if kind == WarningAction.Kind.LIFT:
            level = ""
            active.status, active.lifted_at = WarningEpisode.Status.LIFTED, at
        elif level not in LEVELS:
            raise ValidationError(_("Unknown level %(level)s.") % {"level": level})
        elif kind == WarningAction.Kind.UPGRADE and LEVELS.index(level) <= LEVELS.index(active.level):
            raise ValidationError(_("An upgrade goes to a higher level."))
        elif kind == WarningAction.Kind.DOWNGRADE and LEVELS.index(level) >= LEVELS.index(active.level):
            raise ValidationError(_("A downgrade goes to a lower level."))
        if level:
            active.level = level
        active.save()
    action = WarningAction.objects.create(
        warning=active, kind=kind, level_from=level_from, level_to=level, at=at, decided_by=user, reason=reason,
        proposed_level=decision.level or "",
        forecast=[[d.isoformat(), aqi] for d, aqi in forecast])
    text = notice_text(active.region, kind, level, at, reason)
    bulk_create_with_history([Notice(action=action, recipient=organisation, text=text)
                              for organisation in recipients(region, level or level_from)], Notice,
                             default_user=user)
    return action
