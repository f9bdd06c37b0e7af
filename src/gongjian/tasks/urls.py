from django.urls import path

from gongjian.site.registry import urlpatterns_for

from . import views
from .entries import ENTRIES

app_name = "tasks"

urlpatterns = urlpatterns_for(*ENTRIES) + [
    path("", views.ledger_view, name="ledger"),
    path("task/<int:pk>/", views.task_view, name="task"),
    path("due/", views.due_view, name="due"),
    path("import/", views.import_view, name="import"),
    path("import/<int:pk>/", views.review_view, name="review"),
]
