from django.urls import path
from django.views.generic import RedirectView

from gongjian.core.registry import urlpatterns_for

from . import forecast_pages, views
from .entries import ENTRIES

app_name = "emergency"

urlpatterns = urlpatterns_for(*ENTRIES) + [
    path("", views.dashboard_view, name="dashboard"),
    path("act/", views.act_view, name="act"),
    path("forecast/", views.forecast_view, name="forecast"),
    path("forecasts/", forecast_pages.runs_view, name="forecast_runs"),
    path("forecasts/issue/", forecast_pages.issue_view, name="forecast_issue"),
    path("forecasts/met/", forecast_pages.met_import_view, name="met_forecast"),
    path("forecasts/verification/", forecast_pages.verification_view, name="forecast_verification"),
    path("forecasts/<int:pk>/", forecast_pages.run_view, name="forecast_run"),
    path("forecasts/<int:pk>/adjust/", forecast_pages.adjust_view, name="forecast_adjust"),
    path("forecasts/<int:pk>/publish/", forecast_pages.publish_view, name="forecast_publish"),
    path("warning/<int:pk>/evaluation/", forecast_pages.evaluation_view, name="warning_evaluation"),
    path("warning/<int:pk>/evaluation/<int:evaluation_pk>/publish/", forecast_pages.evaluation_publish_view,
         name="warning_evaluation_publish"),
    path("list/<int:pk>/", views.list_view, name="list"),
    path("list/<int:pk>/do/<str:action>/", views.list_action_view, name="list_action"),
    path("list/<int:pk>/export/", views.export_view, name="export"),
    path("list/<int:pk>/import/", views.import_view, name="import"),
    path("list/<int:pk>/diff/", views.diff_view, name="diff"),
    path("list/<int:pk>/optimise/<str:level>/", views.optimise_view, name="optimise"),
    path("sheet/<int:pk>/", views.sheet_view, name="sheet"),
    path("notices/", views.notices_view, name="notices"),
    path("warning/<int:pk>/reports/", views.episode_view, name="warning_reports"),
    path("warning/<int:pk>/reports/<str:day>/", views.report_view, name="warning_report"),
    # where these pages were before they took the glossary's word (bookmarks)
    path("episode/<int:pk>/", RedirectView.as_view(pattern_name="emergency:warning_reports", permanent=True)),
    path("episode/<int:pk>/report/<str:day>/",
         RedirectView.as_view(pattern_name="emergency:warning_report", permanent=True)),
    path("warningepisode/", RedirectView.as_view(pattern_name="emergency:warning_list", permanent=True,
                                                 query_string=True)),
    *(path(f"warningepisode/<int:pk>/{tail}", RedirectView.as_view(pattern_name=f"emergency:warning_{name}",
                                                                   permanent=True))
      for tail, name in (("", "detail"), ("history/", "history"))),
]
