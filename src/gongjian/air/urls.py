from django.urls import path

from gongjian.core.registry import urlpatterns_for

from . import upload, views
from .entries import ENTRIES

app_name = "air"

urlpatterns = urlpatterns_for(*ENTRIES) + [
    path("now/", views.now_view, name="now"),
    path("import/", upload.upload_view, name="import"),
    path("station/<int:pk>/data/", views.station_view, name="station"),
    path("region/<int:pk>/", views.region_view, name="region"),
    path("rankings/", views.rankings_view, name="rankings"),
    path("targets/", views.targets_view, name="targets"),
    path("quality/", views.quality_view, name="quality"),
    path("quality/finding/<int:pk>/review/", views.review_view, name="review"),
    path("exceptionalevent/<int:pk>/decide/", views.event_decide_view, name="event_decide"),
]
