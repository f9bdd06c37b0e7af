from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "gongjian.regions"
    label = "regions"
    verbose_name = _("Regions and people")

    def ready(self) -> None:
        from . import entries  # noqa: F401  (registers the registry pages)
