"""The global search: every app's records that a person may see, found by a few words.

What is searched is declared, not listed here: every registry :class:`~gongjian.core.registry.Entry`
with ``search_fields`` is searched on those fields and links to its detail page, and an app declares
the records that have their own pages (a task, a case) with :func:`declare` in its ``entries``
module. The search page asks all of them, each through the access policy's ``visible``, so a county
user never finds another county's records, exactly as its lists never show them.

A query of several words finds the records where every word appears in one of the fields
(:mod:`gongjian.core.matching`, the rule the registry lists and the task ledger filter by too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Model
from django.urls import reverse

from gongjian.core.access import policy
from gongjian.core.matching import matching, words
from gongjian.core.registry import REGISTRY

__all__ = ["SEARCHABLES", "Found", "Searchable", "declare", "search", "searchables"]


@dataclass(frozen=True)
class Searchable:
    """A kind of record the search finds: on which fields, and the page of each record found."""

    model: type[Model]
    fields: tuple[str, ...]
    #: The page of one record found.
    url: Callable[[Model], str]
    #: The page that lists every record matching a query (a registry's list, the task ledger), if any.
    more: Callable[[str], str] | None = None
    select_related: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


@dataclass(frozen=True)
class Found:
    """The records of one kind matching a query: how many, the first few, and where the rest are."""

    searchable: Searchable
    count: int
    hits: list[tuple[str, str]] = field(default_factory=list)  # (what the record is called, its page)
    more_url: str | None = None


#: Records with their own pages that the apps declared (registry entries are searched without it).
SEARCHABLES: list[Searchable] = []


def declare(searchable: Searchable) -> Searchable:
    """Make the search find ``searchable``'s records (called from an app's ``entries`` module)."""
    if searchable not in SEARCHABLES:
        SEARCHABLES.append(searchable)
    return searchable


def _of_entry(entry) -> Searchable:
    detail, listed = entry.url_name("detail"), entry.url_name("list")
    return Searchable(entry.model, tuple(entry.search_fields),
                      url=lambda obj: reverse(detail, args=[obj.pk]),
                      more=lambda query: f"{reverse(listed)}?q={quote(query)}",
                      select_related=tuple(entry.select_related))


def searchables() -> list[Searchable]:
    """Everything the search asks: the registries that declare search fields, then the apps' own."""
    return [_of_entry(e) for e in REGISTRY.values() if e.search_fields] + list(SEARCHABLES)


def search(user, query: str, *, limit: int = 10) -> list[Found]:
    """Every kind of record ``user`` may see that matches ``query``, with its first ``limit`` records;
    kinds with no match are left out."""
    if not words(query):
        return []
    found = []
    for searchable in searchables():
        queryset = searchable.model._default_manager.all()
        if searchable.select_related:
            queryset = queryset.select_related(*searchable.select_related)
        rows = matching(policy.visible(user, queryset), searchable.fields, query)
        if not rows.ordered:
            rows = rows.order_by("pk")
        count = rows.count()
        if count:
            found.append(Found(searchable, count, [(str(obj), searchable.url(obj)) for obj in rows[:limit]],
                               searchable.more(query) if searchable.more and count > limit else None))
    return found
