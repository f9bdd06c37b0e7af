from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "gongjian.sources"
    label = "sources"
    verbose_name = _("Pollution sources")

    def ready(self) -> None:
        from . import entries  # noqa: F401  (registers the registry pages)
