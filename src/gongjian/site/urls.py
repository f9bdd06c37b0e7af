from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from gongjian.air.api import PATHS as AIR_PATHS
from gongjian.air.api import ROUTES as AIR_ROUTES
from gongjian.emergency.api import ROUTES as EMERGENCY_ROUTES
from gongjian.regions.api import ROUTES as REGION_ROUTES
from gongjian.sources.api import ROUTES as SOURCE_ROUTES
from gongjian.tasks.api import ROUTES as TASK_ROUTES

from . import views

router = DefaultRouter()
for prefix, viewset in REGION_ROUTES + AIR_ROUTES + SOURCE_ROUTES + EMERGENCY_ROUTES + TASK_ROUTES:
    router.register(prefix, viewset, basename=prefix.replace("/", "-"))

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One's own password (Django's views; the templates are ours, in Chinese by default).
    path("password_change/", auth_views.PasswordChangeView.as_view(template_name="site/password_change_form.html"),
         name="password_change"),
    path("password_change/done/",
         auth_views.PasswordChangeDoneView.as_view(template_name="site/password_change_done.html"),
         name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("gongjian.regions.urls")),
    path("air/", include("gongjian.air.urls")),
    path("sources/", include("gongjian.sources.urls")),
    path("emergency/", include("gongjian.emergency.urls")),
    path("tasks/", include("gongjian.tasks.urls")),
    path("admin/", admin.site.urls),
    *(path(f"api/{route}", view.as_view(), name=name) for route, view, name in AIR_PATHS),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves its script as a file, so the page runs under the Content-Security-Policy
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
