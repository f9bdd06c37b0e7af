"""The one "as-of" time source of the application layer.

Every service that needs "now" (today's ranking, this year's target progress, what is
overdue, the current warning) calls :func:`now` or :func:`today`, never
``datetime.now()``. That lets a demo or an episode replay run as if it were another
moment: set ``GONGJIAN_AS_OF`` (e.g. ``2020-12-15T09:00``) for a whole process, pass
``gongjian --as-of ...`` on the command line, or wrap code in :func:`as_of`. The demo records its
own moment beside the database (:func:`record_as_of`), which the settings read when no variable is
set (:func:`configured_as_of`); while the clock is held every page says so (:func:`overridden`).

The pure layers (``standards``, ``analytics``) take times as arguments and never read a clock.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import polars as pl

_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("gongjian_as_of", default=None)


def zone() -> ZoneInfo:
    """The project's time zone (``TIME_ZONE``, Beijing time by default): the one every calendar
    day of the application layer is counted in. Polars code takes ``zone().key`` as an argument."""
    from django.conf import settings

    return ZoneInfo(settings.TIME_ZONE)


def zone_name() -> str:
    """The project's time zone by its IANA name (``Asia/Shanghai``), for code that names zones by
    string, such as Polars' ``dt.replace_time_zone``; the column helpers below use it."""
    return zone().key


def attach(naive: dt.datetime) -> dt.datetime:
    """A naive Beijing wall-clock time (the form of frames and of HJ 212 DataTime) as an aware time
    in the project's time zone; aware values are refused, as :func:`local` refuses naive ones, so
    that a time already placed in a zone is never silently re-labelled."""
    if naive.tzinfo is not None:
        raise ValueError(f"{naive!r} has a time zone already")
    return naive.replace(tzinfo=zone())


def attach_column(times: pl.Expr, zone_key: str | None = None) -> pl.Expr:
    """A Polars column of naive wall-clock times as aware times: Beijing time unless ``zone_key``
    names the zone the naive times were written in (``"UTC"`` for a database's UTC text). A time
    that does not exist in the zone or is ambiguous there is refused, not guessed."""
    return times.dt.replace_time_zone(zone_key or zone_name(), ambiguous="raise", non_existent="raise")


def utc_column(times: pl.Expr) -> pl.Expr:
    """A Polars column of aware times as the same moments in UTC, the form Django stores."""
    return times.dt.convert_time_zone("UTC")


def naive_local_column(times: pl.Expr) -> pl.Expr:
    """A Polars column of aware times as naive Beijing wall-clock times, the column form of
    :func:`naive_local`."""
    return times.dt.convert_time_zone(zone_name()).dt.replace_time_zone(None)


def local(moment: dt.datetime) -> dt.datetime:
    """An aware ``moment`` in the project's time zone (naive values are refused: they hide a zone)."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone")
    return moment.astimezone(zone())


def naive_local(moment: dt.datetime) -> dt.datetime:
    """An aware ``moment`` as a naive Beijing wall-clock time, the form the engine's frames use."""
    return local(moment).replace(tzinfo=None)


def day_of(moment: dt.datetime) -> dt.date:
    """The calendar day (in the project's time zone) that an aware ``moment`` falls on."""
    return local(moment).date()


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the project's time zone (00:00 Beijing time)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone())


def day_bounds(first: dt.date, last: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of the days ``first`` to ``last`` (default: ``first`` alone) in the project's
    time zone: the half-open range to filter stored times by, so that a moment at 00:30 Beijing
    time (16:30 UTC the evening before) counts on its Beijing day."""
    return day_start(first), day_start((last or first) + dt.timedelta(days=1))


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
    return aware(moment)


def aware(moment: dt.datetime) -> dt.datetime:
    """``moment`` as given if aware, else read as a naive Beijing wall-clock time (:func:`attach`):
    for the interfaces that accept either form, such as :func:`gongjian.core.series.read`."""
    return moment if moment.tzinfo is not None else attach(moment)


def now() -> dt.datetime:
    """The current moment (aware), or the configured as-of moment."""
    if (moment := _override.get()) is not None:
        return moment
    from django.conf import settings

    if settings.GONGJIAN_AS_OF:
        return parse_as_of(settings.GONGJIAN_AS_OF)
    return dt.datetime.now(tz=zone())


def overridden() -> dt.datetime | None:
    """The moment the clock is held at (``with as_of(...)``, ``GONGJIAN_AS_OF``, the demo's recorded
    moment), or ``None`` when it runs in real time: what every page's banner says (a demo clock
    read as the current time misleads as old data shown as current would)."""
    from django.conf import settings

    moment = _override.get()
    if moment is None and settings.GONGJIAN_AS_OF:
        moment = parse_as_of(settings.GONGJIAN_AS_OF)
    return moment


#: The file beside the database in which ``gongjian demo``/``setup`` record the demo's own moment.
AS_OF_FILE = "demo-as-of"
#: What ``GONGJIAN_AS_OF`` says to run in real time although a demo moment is recorded.
REAL_TIME = "off"


def configured_as_of(environment: str | None, recorded: Path) -> str | None:
    """The as-of moment a process runs at: ``environment`` (the ``GONGJIAN_AS_OF`` variable) when
    set, ``None`` (real time) when it says ``off``, else the moment recorded in the file ``recorded``
    (``<GONGJIAN_HOME>/demo-as-of``, written by :func:`record_as_of`), else ``None``. Read once by the
    settings, as the generated secret key is, so that ``make run`` serves the demo at its own date."""
    if environment and environment.strip():
        value, source = environment.strip(), "GONGJIAN_AS_OF"
        if value.lower() == REAL_TIME:
            return None
    else:
        try:
            value, source = recorded.read_text(encoding="utf-8").strip(), str(recorded)
        except FileNotFoundError:
            return None
        if not value:
            return None
    try:  # checked once at start-up (before the settings, hence no zone), so that a bad value stops
        dt.datetime.fromisoformat(value)  # the process rather than failing every request
    except ValueError as exc:
        raise ValueError(f"{source}: as-of time {value!r} is not an ISO 8601 date or date-time "
                         "(remove it, or run `gongjian demo --clock off`)") from exc
    return value


def record_as_of(recorded: Path, moment: dt.datetime | None) -> None:
    """Record ``moment`` (aware) as the site's as-of moment in the file ``recorded``, or remove the
    record (``None``: the site runs in real time)."""
    if moment is None:
        recorded.unlink(missing_ok=True)
        return
    recorded.parent.mkdir(parents=True, exist_ok=True)
    recorded.write_text(local(moment).isoformat(timespec="minutes") + "\n", encoding="utf-8")


def today() -> dt.date:
    """The current date in the project's time zone (Beijing time by default)."""
    return day_of(now())


def wall_now() -> dt.datetime:
    """The real current moment (aware UTC), not the as-of time: for what measures real elapsed time
    or stamps when something really happened (how long a split HJ 212 message has waited for its
    parts, when a packet was ingested), which a replay at another as-of moment must not shift."""
    return dt.datetime.now(dt.UTC)


@contextmanager
def as_of(moment: str | dt.datetime | dt.date) -> Iterator[dt.datetime]:
    """Run the enclosed code as if it were ``moment``; nests and is safe across threads and tasks."""
    token = _override.set(parse_as_of(moment))
    try:
        yield _override.get()
    finally:
        _override.reset(token)
