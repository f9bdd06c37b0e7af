from django.urls import path

from gongjian.core.registry import urlpatterns_for

from . import monitoring_views, views
from .entries import ENTRIES

app_name = "sources"

urlpatterns = urlpatterns_for(*ENTRIES) + [
    path("inventory/", views.inventory_view, name="inventory"),
    path("alarms/", monitoring_views.alarms_view, name="alarms"),
    path("alarms/<int:pk>/", monitoring_views.alarm_view, name="alarm"),
    path("notices/", monitoring_views.notices_view, name="notices"),
    path("notices/<int:pk>/", monitoring_views.notice_view, name="notice"),
    path("notices/<int:pk>/photos/<int:photo>/", monitoring_views.notice_photo_view, name="notice_photo"),
    path("meters/readings/import/", monitoring_views.readings_import_view, name="readings_import"),
]
