"""The step registry and the driver of the demo build."""

from __future__ import annotations

import datetime as dt
import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from gongjian import clock
from gongjian.core.apps import domain_apps


def step_modules() -> list[str]:
    """The modules holding demo steps: each installed domain app names its own (``demo_steps`` on its
    AppConfig, :class:`gongjian.core.apps.DomainApp`)."""
    return [module for app in domain_apps() for module in app.demo_steps]

DEFAULT_SEED = 20200101
#: The demo world's own moment (naive: Beijing time): its data are real 2020 data, the air hours end
#: with the hour starting 2020-12-31 23:00, so the demo is built, and served, as of half an hour later
#: (``gongjian demo``/``setup`` record it beside the database: :func:`gongjian.clock.record_as_of`).
AS_OF = dt.datetime(2020, 12, 31, 23, 30)


@dataclass
class DemoContext:
    """State shared by the steps of one build."""

    seed: int = DEFAULT_SEED
    progress: Callable[[str], None] = print
    regions: dict = field(default_factory=dict)  # division code or "county/town" name -> Region
    organisations: dict = field(default_factory=dict)  # name -> Organisation
    people: list = field(default_factory=list)  # demo Person accounts, for `gongjian setup` to print

    def random_for(self, name: str) -> random.Random:
        """A seeded generator of its own for one step, so that adding or changing a step never
        changes another step's data."""
        return random.Random(f"{self.seed}:{name}")


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    run: Callable[[DemoContext], None]
    requires: tuple[str, ...] = ()


_STEPS: dict[str, Step] = {}


def demo_step(order: int, name: str | None = None, requires: tuple[str, ...] = ()):
    """Register ``func(ctx)`` as a step of the demo build, run in ascending ``order``; a step that
    ``requires`` others is left out with them."""

    def decorate(func: Callable[[DemoContext], None]):
        step = Step(order, name or func.__name__, func, requires)
        _STEPS[step.name] = step
        return func

    return decorate


def steps() -> list[Step]:
    for module in step_modules():
        importlib.import_module(module)
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


def build(seed: int = DEFAULT_SEED, progress: Callable[[str], None] = print,
          skip: frozenset[str] = frozenset()) -> DemoContext:
    """Build the demo world in one transaction (all or nothing), as of :data:`AS_OF`; ``skip`` names steps to leave out
    (tests that need no time series skip the year of hours), and the steps that require them go too."""
    ctx = DemoContext(seed=seed, progress=progress)
    unknown = skip - {s.name for s in steps()}
    if unknown:
        raise ValueError(f"unknown demo steps: {sorted(unknown)}")
    plan, left_out = [], set(skip)
    for step in steps():
        if step.name in left_out or left_out.intersection(step.requires):
            left_out.add(step.name)
        else:
            plan.append(step)
    started = time.monotonic()
    with clock.as_of(AS_OF), transaction.atomic():
        for number, step in enumerate(plan, start=1):
            t0 = time.monotonic()
            progress(f"[{number}/{len(plan)}] {step.name} ...")
            step.run(ctx)
            progress(f"[{number}/{len(plan)}] {step.name} done in {time.monotonic() - t0:.1f} s")
    progress(f"demo built in {time.monotonic() - started:.1f} s")
    return ctx
