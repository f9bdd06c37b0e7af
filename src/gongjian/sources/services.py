"""Registering enterprises and reading the inventory's totals."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from gongjian.regions.models import Organisation, OrganisationKind, Region

from .models import POLLUTANTS, Enterprise, InventoryItem

__all__ = ["inventory_by_category", "register_enterprise", "whole_society_totals"]


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


def inventory_by_category(region: Region, year: int) -> dict[str, dict[str, Decimal]]:
    """Totals per category (point, site, mobile, area) and pollutant."""
    out: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(POLLUTANTS, Decimal("0")))
    for row in _items(region, year).values("category").annotate(**{p: Sum(p) for p in POLLUTANTS}):
        out[row["category"]] = {p: row[p] or Decimal("0") for p in POLLUTANTS}
    return dict(out)
