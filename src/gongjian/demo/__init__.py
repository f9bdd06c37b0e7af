"""The demo world: Zhengzhou and its peers, built deterministically from the plans' facts.

``gongjian demo`` (and ``make run`` on an empty database) calls :func:`build`. Each domain
adds what it needs as a *step*: a function decorated with :func:`demo_step` in a module
listed in :data:`STEP_MODULES`. Steps run in ``order``, share one :class:`DemoContext`
(seeded random numbers, the regions built so far, a progress reporter) and must be
deterministic: the same seed gives the same world.
"""

from .builder import STEP_MODULES, DemoContext, build, demo_step

__all__ = ["STEP_MODULES", "DemoContext", "build", "demo_step"]
