from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from gongjian.core.apps import domain_apps

from . import views

# Every installed domain app brings its pages (its ``urls`` module, under its prefix) and its API
# (``ROUTES`` of viewsets and ``PATHS`` of plain views in its ``api`` module): gongjian.core.apps.
router = DefaultRouter()
app_pages, api_paths = [], []
for app in domain_apps():
    if app.has_module("urls"):
        app_pages.append(path(f"{app.prefix}/", include(f"{app.name}.urls")))
    if (api := app.submodule("api")) is not None:
        for prefix, viewset in getattr(api, "ROUTES", ()):
            router.register(prefix, viewset, basename=prefix.replace("/", "-"))
        api_paths += [path(f"api/{route}", view.as_view(), name=name) for route, view, name in getattr(api, "PATHS", ())]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search_view, name="search"),
    # chapters without a trailing slash: a chapter's "screenshots/NAME.png" resolves under /help/
    path("help/", views.help_view, name="help"),
    path("help/screenshots/<slug:name>.png", views.screenshot_view, name="help_screenshot"),
    path("help/<slug:section>", views.help_view, name="help"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One's own password (Django's views; the templates are ours, in Chinese by default).
    path("password_change/", auth_views.PasswordChangeView.as_view(template_name="site/password_change_form.html"),
         name="password_change"),
    path("password_change/done/",
         auth_views.PasswordChangeDoneView.as_view(template_name="site/password_change_done.html"),
         name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    *app_pages,
    path("admin/", admin.site.urls),
    *api_paths,
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves its script as a file, so the page runs under the Content-Security-Policy
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
