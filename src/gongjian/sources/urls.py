from django.urls import path

from gongjian.site.registry import urlpatterns_for

from . import views
from .entries import ENTRIES

app_name = "sources"

urlpatterns = urlpatterns_for(*ENTRIES) + [
    path("inventory/", views.inventory_view, name="inventory"),
]
