from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "gongjian.tasks"
    label = "tasks"
    verbose_name = _("Task ledger")

    def ready(self) -> None:
        from . import entries  # noqa: F401  (registers the registry pages)
