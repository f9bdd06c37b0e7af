"""What the sources app offers the other apps: registering enterprises, the inventory's totals, and
the reads the emergency list, the gateway and the supervision cases make of enterprises, units,
sites, meters, devices, alarms and notices.

Other apps read this app only through this module (docs/architecture.md, "Apps talk through
services"): the functions return querysets, values or small dataclasses, so that the tables behind
them can change without the callers knowing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Q, QuerySet, Sum

from gongjian import clock
from gongjian.regions import policy
from gongjian.regions.models import Organisation, OrganisationKind, Region, RegionLevel

from .checks import Subject, load_cems, load_power, record_alarms, thresholds_for
from .models import (
    POLLUTANT_LABELS,
    POLLUTANTS,
    ConstructionSite,
    DailyEmission,
    EmissionUnit,
    Enterprise,
    InventoryItem,
    MonitoringDevice,
    ReceivedPacket,
)
from .monitoring import Alarm, Meter, VerificationNotice

__all__ = ["PACKET_REJECTED", "POLLUTANTS", "POLLUTANT_LABELS", "ActiveDevice", "Subject", "active_devices",
           "alarms_waiting", "notices_waiting",
           "daily_emissions", "enterprises", "enterprises_in", "ingest_lag", "inventory_by_category", "inventory_by_county", "inventory_of_sources",
           "load_cems", "load_power", "meters_of", "packet_field", "packet_table", "production_meters",
           "record_alarms", "register_enterprise", "sites_in", "stacks_of", "thresholds_for", "units",
           "units_of", "visible_alarms", "visible_enterprises", "visible_notices", "whole_society_totals"]


@transaction.atomic
def register_enterprise(name: str, region: Region, industry: str, credit_code: str = "", **fields) -> Enterprise:
    """An enterprise with its organisation (the name, credit code and region users sign in for)."""
    organisation = Organisation(name=name, kind=OrganisationKind.ENTERPRISE, region=region, credit_code=credit_code)
    organisation.full_clean()
    organisation.save()
    enterprise = Enterprise(organisation=organisation, industry=industry, **fields)
    enterprise.full_clean()
    enterprise.save()
    return enterprise


def _items(region: Region, year: int):
    return InventoryItem.objects.filter(year=year, region__path__startswith=region.path)


def whole_society_totals(region: Region, year: int) -> dict[str, Decimal]:
    """The whole-society (全社会) annual emissions of each pollutant in ``region`` and below: the base
    of the reduction ratios (环办大气函〔2018〕875号, shared/standards/air-quality.md §5.2)."""
    sums = _items(region, year).aggregate(**{p: Sum(p) for p in POLLUTANTS})
    return {p: sums[p] or Decimal("0") for p in POLLUTANTS}


def inventory_by_category(items: QuerySet[InventoryItem]) -> dict[str, dict[str, Decimal]]:
    """Totals of ``items`` (inventory items the caller has scoped, e.g. by the policy and a year) per
    category (point, site, mobile, area) and pollutant, in the categories' order."""
    rows = items.values("category").annotate(**{p: Sum(p) for p in POLLUTANTS}).order_by("category")
    return {row["category"]: {p: row[p] or Decimal("0") for p in POLLUTANTS} for row in rows}


def inventory_by_county(items: QuerySet[InventoryItem]) -> list[tuple[Region, dict[str, Decimal]]]:
    """Totals of ``items`` per county-level region (:attr:`RegionLevel.COUNTY`) and pollutant, in the
    tree's order: an item counts for the county above its region, or for its own region when that
    lies above the county level."""
    rows = list(items.values("region_id").annotate(**{p: Sum(p) for p in POLLUTANTS}))
    regions = Region.objects.in_bulk({row["region_id"] for row in rows})
    county_of: dict[int, Region] = {}
    out: dict[Region, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(POLLUTANTS, Decimal("0")))
    for row in rows:
        region = regions[row["region_id"]]
        if region.pk not in county_of:
            county_of[region.pk] = next((r for r in region.ancestors_and_self() if r.level == RegionLevel.COUNTY),
                                        region)
        for p in POLLUTANTS:
            out[county_of[region.pk]][p] += row[p] or Decimal("0")
    return sorted(out.items(), key=lambda kv: kv[0].path)


def enterprises_in(region: Region) -> QuerySet[Enterprise]:
    """The enterprises registered in ``region`` and below, with their organisations."""
    return Enterprise.objects.filter(organisation__region__path__startswith=region.path).select_related("organisation")


def enterprises(ids: Iterable[int]) -> QuerySet[Enterprise]:
    """The enterprises with these ids, with their organisations."""
    return Enterprise.objects.filter(pk__in=list(ids)).select_related("organisation")


def visible_enterprises(user) -> QuerySet[Enterprise]:
    """The enterprises ``user`` may see (the access policy decides)."""
    return policy.visible(user, Enterprise.objects.all())


def sites_in(region: Region) -> QuerySet[ConstructionSite]:
    """The construction sites in ``region`` and below."""
    return ConstructionSite.objects.filter(region__path__startswith=region.path)


def units(ids: Iterable[int]) -> QuerySet[EmissionUnit]:
    """The emission units with these ids."""
    return EmissionUnit.objects.filter(pk__in=list(ids))


def units_of(enterprise_ids: Iterable[int]) -> QuerySet[EmissionUnit]:
    """The emission units of these enterprises, with the enterprise and its organisation."""
    return EmissionUnit.objects.filter(enterprise_id__in=list(enterprise_ids)).select_related("enterprise__organisation")


def stacks_of(enterprise_ids: Iterable[int]) -> QuerySet[EmissionUnit]:
    """The organised stacks of these enterprises that have a CEMS device."""
    return EmissionUnit.objects.filter(enterprise_id__in=list(enterprise_ids), kind=EmissionUnit.Kind.STACK,
                                       devices__kind=MonitoringDevice.Kind.STACK).distinct()


def inventory_of_sources(region: Region, year: int) -> tuple[list[dict], dict[int, dict]]:
    """The inventory of ``year`` in ``region`` and below that measures can act on (point sources and
    sites, not mobile or area sources): its rows (``unit_id``, ``site_id``, ``activity`` and the
    pollutants), and per emission unit of those rows its ``line_id``, ``enterprise_id`` and whether it
    is ``transport`` (heavy vehicles, which production measures do not touch)."""
    rows = list(InventoryItem.objects.filter(year=year, region__path__startswith=region.path).exclude(
        category__in=[InventoryItem.Category.MOBILE, InventoryItem.Category.AREA]).values(
        "unit_id", "site_id", "activity", *POLLUTANTS))
    facts = {u["pk"]: {"line_id": u["line_id"], "enterprise_id": u["enterprise_id"],
                       "transport": u["kind"] == EmissionUnit.Kind.TRANSPORT}
             for u in units({r["unit_id"] for r in rows if r["unit_id"]}).values("pk", "kind", "line_id",
                                                                                  "enterprise_id")}
    return rows, facts


def daily_emissions(enterprise_ids: Iterable[int], day: dt.date) -> dict[int, DailyEmission]:
    """Each enterprise's emissions and production status on ``day``, by enterprise id (an enterprise
    that reported nothing is missing)."""
    return {d.enterprise_id: d for d in DailyEmission.objects.filter(enterprise_id__in=list(enterprise_ids), date=day)}


def meters_of(enterprise_ids: Iterable[int]) -> QuerySet[Meter]:
    """The electricity meters of these enterprises, with the enterprise and the line."""
    return Meter.objects.filter(enterprise_id__in=list(enterprise_ids)).select_related("enterprise__organisation",
                                                                                      "line")


def production_meters(enterprise_id: int, lines: list[int] | None = None) -> list[int]:
    """The ids of the enterprise's production meters, of the given lines only unless ``lines`` is
    ``None``."""
    meters = Meter.objects.filter(enterprise_id=enterprise_id, purpose=Meter.Purpose.PRODUCTION)
    if lines is not None:
        meters = meters.filter(line_id__in=lines)
    return list(meters.values_list("pk", flat=True))


def visible_alarms(user) -> QuerySet[Alarm]:
    """The alarms ``user`` may see."""
    return policy.visible(user, Alarm.objects.all())


def visible_notices(user) -> QuerySet[VerificationNotice]:
    """The verification notices ``user`` may see."""
    return policy.visible(user, VerificationNotice.objects.all())


def alarms_waiting(user) -> QuerySet[Alarm]:
    """The open alarms ``user`` sees: not yet dismissed nor sent for verification (an office decides
    them; an enterprise sees its own)."""
    return visible_alarms(user).filter(status=Alarm.Status.OPEN).order_by("-start")


def notices_waiting(user) -> QuerySet[VerificationNotice]:
    """The verification notices waiting on ``user``: those sent to their organisation to check on
    site, and, for an office, those whose result is reported and wait to be closed."""
    sent = Q(status=VerificationNotice.Status.SENT, recipient_id=getattr(user, "organisation_id", None))
    if user.role_can_edit:
        sent |= Q(status=VerificationNotice.Status.REPORTED)
    return visible_notices(user).filter(sent).select_related("recipient").order_by("deadline")


@dataclass(frozen=True)
class ActiveDevice:
    """What the HJ 212 gateway needs of a registered device: its id, MN, password and kind."""

    pk: int
    mn: str
    password: str
    kind: str


def active_devices() -> list[ActiveDevice]:
    """The active monitoring devices, by MN."""
    return [ActiveDevice(*row) for row in MonitoringDevice.objects.filter(active=True).order_by("mn").values_list(
        "pk", "mn", "password", "kind")]


#: The status the gateway writes for a packet it refused (kept raw, with the reason).
PACKET_REJECTED = ReceivedPacket.Status.REJECTED.value


def packet_table() -> str:
    """The table every received HJ 212 packet is kept in: the gateway writes it with one INSERT per
    batch (the ORM costs several times more per row)."""
    return ReceivedPacket._meta.db_table


def ingest_lag(now: dt.datetime | None = None) -> dict:
    """How far the reading of stored packets into series (:mod:`gongjian.sources.ingest`) is behind:
    ``waiting``, the stored packets not yet ingested, and ``oldest_waiting_s``, the age of the oldest of
    them (seconds since the gateway received it; ``None`` when none waits). For the gateway's
    ``/metrics``; one query on the index that the ingester reads by."""
    waiting = ReceivedPacket.objects.filter(status=ReceivedPacket.Status.STORED, ingested__isnull=True)
    found = waiting.aggregate(count=models.Count("id"), oldest=models.Min("received"))
    oldest = found["oldest"]
    age = None if oldest is None else round(max(0.0, ((now or clock.wall_now()) - oldest).total_seconds()), 1)
    return {"waiting": found["count"], "oldest_waiting_s": age}


def packet_field(name: str):
    """The definition of a column of the received packets (its type and ``max_length``), so that the
    gateway refuses what the table cannot hold."""
    return ReceivedPacket._meta.get_field(name)
