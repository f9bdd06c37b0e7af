"""URLs of the water ledgers' own pages (their registries' come from gongjian.core.registry)."""

from django.urls import path

from gongjian.core.ledger import ledger_urls

from . import ledger_views as views
from .ledgers import BlackOdorousWaterBody, Outfall, SourceProblem

LEDGER_URLS = [
    *ledger_urls(SourceProblem, "source_problem"),
    *ledger_urls(BlackOdorousWaterBody, "black_odorous"),
    *ledger_urls(Outfall, "outfall"),
    path("drinking/", views.drinking_view, name="drinking"),
    path("disclosures/", views.disclosures_view, name="disclosures"),
    path("disclosures/<int:pk>/", views.disclosure_view, name="disclosure"),
    path("black-odorous-lists/", views.bo_lists_view, name="bo_lists"),
    path("black-odorous-lists/<int:pk>/", views.bo_list_view, name="bo_list"),
    path("outfall/<int:pk>/results/", views.outfall_results_view, name="outfall_results"),
    path("published-months/", views.published_months_view, name="published_months"),
    path("published-months/<int:pk>/", views.published_month_view, name="published_month"),
]
