"""The demo world: Zhengzhou and its peers, built deterministically from the plans' facts.

``gongjian demo`` (and ``make run`` on an empty database) calls :func:`build`. Each domain
adds what it needs as a *step*: a function decorated with :func:`demo_step` in a module its
AppConfig names in ``demo_steps`` (:func:`~gongjian.demo.builder.step_modules`). Steps run in ``order``, share one :class:`DemoContext`
(seeded random numbers, the regions built so far, a progress reporter) and must be
deterministic: the same seed gives the same world.
"""

from .builder import AS_OF, DemoContext, build, demo_step, step_modules

__all__ = ["AS_OF", "DemoContext", "build", "demo_step", "step_modules"]
