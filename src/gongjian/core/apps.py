"""The declaration a domain app makes so the project can find everything it brings.

Adding a domain app is one line in ``INSTALLED_APPS`` plus its own package: the project
(:mod:`gongjian.site`) discovers, from each installed :class:`DomainApp`, its pages' URLs, its API
routes, its menu section, its demo steps and its periodic jobs. Nothing in the project or in the
shared machinery names a domain app.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

__all__ = ["CoreConfig", "DomainApp", "domain_apps"]


class CoreConfig(AppConfig):
    name = "gongjian.core"
    label = "core"
    verbose_name = _("Shared machinery")


class DomainApp(AppConfig):
    """Base of every domain app's AppConfig.

    * ``url_prefix``: where its pages live (``<prefix>/``, from its ``urls`` module); default: its label;
    * ``menu``: ``(order, label)`` of its section in the navigation, or ``None`` for none;
    * ``demo_steps``: modules holding its ``@demo_step`` functions (:mod:`gongjian.demo`);
    * ``schedules``: its periodic jobs (:class:`gongjian.core.schedules.Job`), kept by ``gongjian setup``;
    * its ``api`` module, if any, exports ``ROUTES`` (viewsets) and optionally ``PATHS`` (plain views);
    * its ``entries``, ``kinds`` and ``handlers`` modules, if any, are imported when the app is ready
      (registry declarations, series stores, new-data handlers).
    """

    url_prefix: str | None = None
    menu: tuple[int, str] | None = None
    demo_steps: tuple[str, ...] = ()
    schedules: tuple = ()

    #: Modules imported when the app is ready, if it has them: its registry declarations, its series
    #: stores (:mod:`gongjian.core.series`) and their new-data handlers (imported by nothing else).
    READY_MODULES = ("entries", "kinds", "handlers")

    def ready(self) -> None:
        for name in self.READY_MODULES:
            if self.has_module(name):
                import_module(f"{self.name}.{name}")

    def has_module(self, name: str) -> bool:
        return find_spec(f"{self.name}.{name}") is not None

    def submodule(self, name: str):
        return import_module(f"{self.name}.{name}") if self.has_module(name) else None

    @property
    def prefix(self) -> str:
        return self.url_prefix if self.url_prefix is not None else self.label


def domain_apps() -> Iterator[DomainApp]:
    """The installed domain apps, in ``INSTALLED_APPS`` order."""
    for config in apps.get_app_configs():
        if isinstance(config, DomainApp):
            yield config
