from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "gongjian.emergency"
    label = "emergency"
    verbose_name = _("Emergency management")

    def ready(self) -> None:
        from . import entries  # noqa: F401  (registers the registry pages)
