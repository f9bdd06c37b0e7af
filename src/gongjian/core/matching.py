"""The one rule of text search: which records a few words find.

A query's words are split at spaces (``城关 扬尘``); a record matches where every word appears,
case-insensitively, in one of the searched fields. The registry lists (``?q=``), the global search
(:mod:`gongjian.core.search`) and the task ledger all filter with :func:`matching`, so a search's
"all N" link opens a list of the same N records.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db.models import Q, QuerySet

__all__ = ["matching", "words"]


def words(query: str) -> list[str]:
    return query.split()


def matching(queryset: QuerySet, fields, query: str) -> QuerySet:
    """The rows of ``queryset`` in which every word of ``query`` appears in one of ``fields``. A field
    across a relation to many (a task's units, an organisation's aliases) would repeat a row per
    match, so the rows are picked by key; an empty query, or no fields, keeps every row."""
    terms = words(query)
    if not terms or not fields:
        return queryset
    condition = reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)) for term in terms))
    return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))
