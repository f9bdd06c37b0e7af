"""The one "as-of" time source of the application layer.

Every service that needs "now" (today's ranking, this year's target progress, what is
overdue, the current warning) calls :func:`now` or :func:`today`, never
``datetime.now()``. That lets a demo or an episode replay run as if it were another
moment: set ``GONGJIAN_AS_OF`` (e.g. ``2020-12-15T09:00``) for a whole process, pass
``gongjian --as-of ...`` on the command line, or wrap code in :func:`as_of`.

The pure layers (``standards``, ``analytics``) take times as arguments and never read a clock.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("gongjian_as_of", default=None)


def _zone() -> ZoneInfo:
    from django.conf import settings

    return ZoneInfo(settings.TIME_ZONE)


def parse_as_of(value: str | dt.datetime | dt.date) -> dt.datetime:
    """An aware datetime from an ISO date or date-time; naive values are in the project's time zone.

    A bare date means the start of that day. Raises ``ValueError`` naming the value when it
    cannot be read.
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"as-of time {value!r} is not an ISO 8601 date or date-time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone())
    return moment


def now() -> dt.datetime:
    """The current moment (aware), or the configured as-of moment."""
    if (moment := _override.get()) is not None:
        return moment
    from django.conf import settings

    if settings.GONGJIAN_AS_OF:
        return parse_as_of(settings.GONGJIAN_AS_OF)
    return dt.datetime.now(tz=_zone())


def today() -> dt.date:
    """The current date in the project's time zone (Beijing time by default)."""
    return now().astimezone(_zone()).date()


@contextmanager
def as_of(moment: str | dt.datetime | dt.date) -> Iterator[dt.datetime]:
    """Run the enclosed code as if it were ``moment``; nests and is safe across threads and tasks."""
    token = _override.set(parse_as_of(moment))
    try:
        yield _override.get()
    finally:
        _override.reset(token)
