"""How the shared machinery reaches the access policy without importing a domain app.

The policy decides who sees and changes what from the user's role and jurisdiction, which are the
regions app's models; the machinery (registry pages, API base, admin base, write check) only asks
it. The project names the policy module in ``settings.GONGJIAN_ACCESS_POLICY`` (the regions app's
``gongjian.regions.policy``), as Django names its authentication backends, so ``core`` stays below
every app. ``policy`` is that module, loaded on first use (after the apps are ready).
"""

from __future__ import annotations

import functools
from importlib import import_module
from types import ModuleType

from django.conf import settings

__all__ = ["policy"]


@functools.cache
def _module() -> ModuleType:
    return import_module(settings.GONGJIAN_ACCESS_POLICY)


class _Policy:
    """Attribute access on the configured policy module (``visible``, ``can_see``, ``can_change``,
    ``can_place``, ``region_of``, ``EDIT``)."""

    def __getattr__(self, name: str):
        return getattr(_module(), name)


policy = _Policy()
