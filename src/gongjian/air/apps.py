from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AirConfig(AppConfig):
    name = "gongjian.air"
    label = "air"
    verbose_name = _("Air quality")

    def ready(self) -> None:
        from . import entries  # noqa: F401  (registers the registry pages)
