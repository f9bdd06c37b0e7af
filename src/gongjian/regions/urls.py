from django.urls import path

from gongjian.core.registry import urlpatterns_for

from . import views
from .entries import ENTRIES

app_name = "regions"

urlpatterns = urlpatterns_for(*ENTRIES) + [
    path("region/boundaries/", views.import_boundaries_view, name="import_boundaries"),
    path("resolve/", views.resolve_view, name="resolve"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/revoke/", views.token_revoke_view, name="token_revoke"),
]
