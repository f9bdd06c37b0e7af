"""The home page's blocks: what needs this person today, each from the owning app's services.

Every block is scoped by the policy (the services read through ``policy.visible``), says how old its
data are and links to the page where the person acts. What a role has no business with is left out:
an enterprise sees its own alarms and the notices sent to it; a public reviewer the public air quality
(with the published ranking) and the warnings in force. A block without data says so ("no data"), never 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.air import services as air
from gongjian.emergency import services as emergency
from gongjian.regions import policy
from gongjian.regions.models import Region, Role
from gongjian.sources import services as sources
from gongjian.tasks import services as tasks

__all__ = ["Block", "blocks"]

#: How many records a block lists before its link to the whole list.
SHOWN = 5


@dataclass
class Block:
    """One question of the home page, answered: how many records wait (``None``: no data), the first
    few of them (text, page), as of when, and the page to act on them."""

    key: str
    title: str
    count: int | None
    url: str
    as_of: dt.datetime | dt.date | None
    items: list[tuple[str, str | None]] = field(default_factory=list)
    #: A sentence in place of the count (the AQI, a rank).
    headline: str = ""

    @property
    def as_of_text(self) -> str:
        """When the data are from, as a person reads it: the hour of a measurement, the day of a
        daily result (Beijing time)."""
        if isinstance(self.as_of, dt.datetime):
            return f"{clock.local(self.as_of):%Y-%m-%d %H:%M}"
        return f"{self.as_of:%Y-%m-%d}" if self.as_of else ""


def _place(user) -> Region | None:
    """Whose air the person is shown: their jurisdiction; an administrator's, the top of the tree."""
    return user.jurisdiction if user.jurisdiction_id else Region.get_first_root_node()


def _air(user, now: dt.datetime) -> list[Block]:
    place = _place(user)
    if place is None:
        return []
    current = air.region_now(user, place)
    block = Block("aqi", _("Air quality in %(region)s now") % {"region": place.name}, None, reverse("air:now"),
                  current.at)
    if current.aqi is not None:
        block.count = current.aqi
        block.headline = f"AQI {current.aqi} · {current.category}"
        if current.primary:
            block.headline += " · " + _("primary pollutant %(p)s") % {"p": current.primary}
    found = [block]
    if policy.SEE_RANKINGS.allows(user):  # rankings are published to those who may see them
        found.append(_rank(user, place))
    return found


def _rank(user, place: Region) -> Block:
    ranked = air.peer_rank(user, place)
    block = Block("rank", _("Ranking of %(region)s") % {"region": place.name}, None, reverse("air:rankings"),
                  ranked.as_of if ranked else None)
    if ranked is not None and ranked.rank is not None:
        block.count = ranked.rank
        block.headline = _("%(rank)s of %(of)s by composite index, %(period)s") % {
            "rank": ranked.rank, "of": ranked.of, "period": ranked.period.label()}
    return block


def _warnings(user, now: dt.datetime) -> Block:
    found = emergency.active_warnings(user)
    return Block("warnings", _("Warnings in force"), len(found), reverse("emergency:warning_list"), now,
                 [(f"{w.region.name} · {w.get_level_display()}", reverse("emergency:warning_reports", args=[w.pk]))
                  for w in found[:SHOWN]])


def _queryset_block(key: str, title: str, rows, url: str, now, text) -> Block:
    count = rows.count()
    return Block(key, title, count, url, now, [text(r) for r in rows[:SHOWN]])


def _alarms(user, now) -> Block:
    return _queryset_block("alarms", _("Open alarms"), sources.alarms_waiting(user), reverse("sources:alarms"), now,
                           lambda a: (str(a), reverse("sources:alarm", args=[a.pk])))


def _verification(user, now) -> Block:
    return _queryset_block("verification", _("Verification notices waiting"), sources.notices_waiting(user),
                           reverse("sources:notices"), now,
                           lambda n: (f"{n} · {n.get_status_display()}", reverse("sources:notice", args=[n.pk])))


def _notice_text(notice) -> str:
    """A notice in a line: whose warning, what was done to it and to which level, when."""
    action = notice.action
    parts = [action.warning.region.name, action.get_kind_display(), action.get_level_to_display(),
             f"{clock.local(action.at):%Y-%m-%d %H:%M}"]
    return " · ".join(str(part) for part in parts if part)


def _notices(user, now) -> Block:
    return _queryset_block("notices", _("Warning notices not read"), emergency.notices_unread(user),
                           reverse("emergency:notices"), now, lambda n: (_notice_text(n), reverse("emergency:notices")))


def _deadlines(user, now) -> list[Block]:
    overdue, soon = tasks.deadlines(user, today=clock.day_of(now))

    def text(milestone):
        return (f"{milestone.due:%Y-%m-%d} · {milestone.task}", reverse("tasks:task", args=[milestone.task_id]))

    return [Block("overdue", _("Deadlines passed"), len(overdue), reverse("tasks:due"), now,
                  [text(m) for m in overdue[:SHOWN]]),
            Block("due", _("Due in the next %(days)s days") % {"days": tasks.HORIZON_DAYS}, len(soon),
                  reverse("tasks:due"), now, [text(m) for m in soon[:SHOWN]])]


def _cases(user, now) -> Block:
    return _queryset_block("cases", _("Cases waiting on you"), tasks.cases_waiting(user), reverse("tasks:cases"), now,
                           lambda c: (f"{c} · {c.get_status_display()}", reverse("tasks:case", args=[c.pk])))


def blocks(user) -> list[Block]:
    """The blocks of ``user``'s home page, in the order they are read."""
    now = clock.now()
    found = _air(user, now) + [_warnings(user, now)]
    if user.role == Role.PUBLIC_REVIEWER and not user.is_superuser:
        return found
    if user.role == Role.ENTERPRISE and not user.is_superuser:
        return found + [_notices(user, now), _alarms(user, now)]
    found += [_notices(user, now)] if user.organisation_id else []
    return found + [_alarms(user, now), _verification(user, now), *_deadlines(user, now), _cases(user, now)]
