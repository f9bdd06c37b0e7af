"""The emission inventory page: whole-society totals per category and per county, scoped by the policy."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.periods import query_year
from gongjian.regions import policy

from .models import POLLUTANT_LABELS, POLLUTANTS, InventoryItem
from .services import inventory_by_category, inventory_by_county


@login_required
def inventory_view(request):
    items = policy.visible(request.user, InventoryItem.objects.all())
    latest = items.aggregate(year=Max("year"))["year"] or clock.today().year
    year = query_year(request.GET, "year", latest)
    items = items.filter(year=year)
    labels = dict(InventoryItem.Category.choices)
    by_category = [{"label": labels[category], "values": [sums[p] for p in POLLUTANTS]}
                   for category, sums in inventory_by_category(items).items()]
    totals = [sum((r["values"][i] for r in by_category), Decimal("0")) for i in range(len(POLLUTANTS))]
    per_county = [(county, [sums[p] for p in POLLUTANTS]) for county, sums in inventory_by_county(items)]
    chart = {"tooltip": {"trigger": "axis"}, "legend": {"top": 0},
             "xAxis": {"type": "category", "data": [str(POLLUTANT_LABELS[p]) for p in POLLUTANTS]},
             "yAxis": {"type": "value", "name": "t/a"},
             "series": [{"name": str(r["label"]), "type": "bar", "stack": "all",
                         "data": [float(v) for v in r["values"]]} for r in by_category]}
    return render(request, "sources/inventory.html", {
        "title": _("Emission inventory %(year)s") % {"year": year}, "year": year, "by_category": by_category,
        "totals": totals, "per_county": per_county, "chart": chart,
        "pollutants": [POLLUTANT_LABELS[p] for p in POLLUTANTS], "count": items.count()})
