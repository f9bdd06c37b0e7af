"""The emission inventory page: whole-society totals per category and per county, scoped by the policy."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.regions import policy
from gongjian.regions.models import Region

from .models import POLLUTANT_LABELS, POLLUTANTS, InventoryItem


@login_required
def inventory_view(request):
    items = policy.visible(request.user, InventoryItem.objects.all())
    latest = items.aggregate(year=Max("year"))["year"] or clock.today().year
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else latest
    items = items.filter(year=year)
    labels = dict(InventoryItem.Category.choices)
    by_category = [{"label": labels[row["category"]], "values": [row[p] or Decimal("0") for p in POLLUTANTS]}
                   for row in items.values("category").annotate(**{p: Sum(p) for p in POLLUTANTS}).order_by("category")]
    totals = [sum((r["values"][i] for r in by_category), Decimal("0")) for i in range(len(POLLUTANTS))]
    # per county: each item counts for the county-level region above it (or itself)
    county_of: dict[int, Region] = {}
    per_county: dict[Region, list[Decimal]] = defaultdict(lambda: [Decimal("0")] * len(POLLUTANTS))
    rows = items.values("region_id").annotate(**{p: Sum(p) for p in POLLUTANTS})
    regions = {r.pk: r for r in Region.objects.filter(pk__in=[row["region_id"] for row in rows])}
    for row in rows:
        region = regions[row["region_id"]]
        if region.pk not in county_of:
            chain = list(region.ancestors_and_self())
            county_of[region.pk] = next((r for r in chain if r.level == 3), region)
        county = county_of[region.pk]
        for i, p in enumerate(POLLUTANTS):
            per_county[county][i] += row[p] or Decimal("0")
    chart = {"tooltip": {"trigger": "axis"}, "legend": {"top": 0},
             "xAxis": {"type": "category", "data": [str(POLLUTANT_LABELS[p]) for p in POLLUTANTS]},
             "yAxis": {"type": "value", "name": "t/a"},
             "series": [{"name": str(r["label"]), "type": "bar", "stack": "all",
                         "data": [float(v) for v in r["values"]]} for r in by_category]}
    return render(request, "sources/inventory.html", {
        "title": _("Emission inventory %(year)s") % {"year": year}, "year": year, "by_category": by_category,
        "totals": totals, "per_county": sorted(per_county.items(), key=lambda kv: kv[0].path), "chart": chart,
        "pollutants": [POLLUTANT_LABELS[p] for p in POLLUTANTS], "count": items.count()})
