from django.urls import path

from gongjian.core.registry import urlpatterns_for

from . import views
from .entries import ENTRIES

app_name = "water"
urlpatterns = urlpatterns_for(*ENTRIES) + [
    path("quality/", views.overview_view, name="overview"),
    path("section/<int:pk>/data/", views.section_view, name="section"),
    path("ranking/", views.ranking_view, name="ranking"),
    path("targets/", views.targets_view, name="targets"),
    path("alarms/", views.alarms_view, name="alarms"),
    path("alarms/<int:pk>/case/", views.open_case_view, name="open_case"),
    path("import/", views.import_view, name="import"),
    path("public/", views.public_view, name="public"),
]

from .ledger_urls import LEDGER_URLS  # noqa: E402  the water ledgers' own pages

urlpatterns += LEDGER_URLS
