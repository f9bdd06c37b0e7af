from django.urls import path

from gongjian.core.registry import urlpatterns_for

from . import case_views, views
from .entries import ENTRIES

app_name = "tasks"

urlpatterns = urlpatterns_for(*ENTRIES) + [
    path("", views.ledger_view, name="ledger"),
    path("task/<int:pk>/", views.task_view, name="task"),
    path("due/", views.due_view, name="due"),
    path("bulletin/", views.bulletin_view, name="bulletin"),
    path("scorecard/", views.scorecard_view, name="scorecard"),
    path("import/", views.import_view, name="import"),
    path("import/<int:pk>/", views.review_view, name="review"),
    path("cases/", case_views.cases_view, name="cases"),
    path("cases/new/", case_views.new_case_view, name="new_case"),
    path("cases/<int:pk>/", case_views.case_view, name="case"),
]
