"""How old the data a page shows are, and whether they are too old to be read as current.

An office acts on what a page shows "now": the real-time AQI, the forecast a warning is proposed
from, a device's state. Data that stopped coming look the same as current data unless the page
says how old they are, so every such page states it the same way (``{% freshness kind newest %}``,
:mod:`gongjian.core.templatetags.freshness`): "数据截至 2020-12-31 23:00，30 分钟前", and a warning
banner when the newest data are older than the kind's threshold.

Thresholds are settings, one per kind of data (``GONGJIAN_STALE_AFTER = {"air.hourly": "2h", ...}``,
overridden by ``GONGJIAN_STALE_AFTER_AIR_HOURLY=3h``; docs/configuration.md), written as a number
and a unit: ``90m``, ``2h``, ``3d``. Ages are counted against :func:`gongjian.clock.now`, so that a
demo or an episode replay judges its data at its own moment. A kind whose newest data are a day
(a forecast's issue day) counts from the start of that day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from gongjian import clock

__all__ = ["Freshness", "freshness", "parse_duration", "stale_after"]

_DURATION = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> dt.timedelta:
    """``90m``, ``2h`` or ``3d`` as a duration; anything else raises ``ValueError`` naming it."""
    found = _DURATION.match(str(text))
    if not found or int(found[1]) == 0:
        raise ValueError(f"{text!r} is not a duration such as 90m, 2h or 3d")
    return dt.timedelta(**{_UNITS[found[2]]: int(found[1])})


def stale_after(kind: str) -> dt.timedelta:
    """The age beyond which data of ``kind`` are stale (``GONGJIAN_STALE_AFTER``). A kind without a
    threshold, or a threshold that is no duration, is a configuration error naming it."""
    thresholds = settings.GONGJIAN_STALE_AFTER
    if kind not in thresholds:
        raise ImproperlyConfigured(f"GONGJIAN_STALE_AFTER has no threshold for {kind!r} (it has {sorted(thresholds)})")
    try:
        return parse_duration(thresholds[kind])
    except ValueError as exc:
        raise ImproperlyConfigured(f"GONGJIAN_STALE_AFTER[{kind!r}]: {exc}") from None


@dataclass(frozen=True)
class Freshness:
    """The newest data of ``kind`` (an aware moment, a day, or ``None``: none at all) judged at ``now``
    against ``limit``. No data at all is stale: a feed that never came is as missing as one that stopped."""

    kind: str
    newest: dt.datetime | dt.date | None
    now: dt.datetime
    limit: dt.timedelta

    @property
    def moment(self) -> dt.datetime | None:
        """The newest data as a moment (a day from its start, 00:00 Beijing time)."""
        if self.newest is None or isinstance(self.newest, dt.datetime):
            return self.newest
        return clock.day_start(self.newest)

    @property
    def age(self) -> dt.timedelta | None:
        """How old the newest data are (never negative: data stamped after ``now`` are new)."""
        return None if self.moment is None else max(self.now - self.moment, dt.timedelta(0))

    @property
    def stale(self) -> bool:
        return self.age is None or self.age > self.limit

    def newest_text(self) -> str:
        """The newest data's time as a Beijing wall-clock time (a day as the date alone)."""
        if self.newest is None:
            return ""
        if not isinstance(self.newest, dt.datetime):
            return f"{self.newest:%Y-%m-%d}"
        return f"{clock.local(self.newest):%Y-%m-%d %H:%M}"

    def age_text(self) -> str:
        """"30 分钟前", "6 年前" in the reader's language; "刚刚" under a minute."""
        if self.age is None:
            return ""
        if self.age < dt.timedelta(minutes=1):
            return _("just now")
        return _("%(age)s ago") % {"age": timesince(self.now - self.age, self.now, depth=1)}

    def limit_text(self) -> str:
        """The threshold in words ("2 小时")."""
        return timesince(self.now - self.limit, self.now, depth=2)


def freshness(kind: str, newest: dt.datetime | dt.date | None, now: dt.datetime | None = None) -> Freshness:
    """How fresh ``newest`` (the time of the newest data of ``kind``) is at ``now`` (default: the
    clock's now)."""
    return Freshness(kind, newest, now or clock.now(), stale_after(kind))
