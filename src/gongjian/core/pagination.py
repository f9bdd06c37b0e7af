"""One page of a long list, with links to its neighbours that keep the rest of the query.

A page that shows a summary and a long table (an episode's notices) pages the table alone: its
page number has a name of its own (``?notices=2``) and the links keep every other parameter, so a
filter or a second paged table on the same page is not lost. The registry lists page the same way
(``?page=``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.http import QueryDict

__all__ = ["Pager", "paginate"]


class _PageNumber(forms.Form):
    number = forms.IntegerField(required=False, min_value=1)


@dataclass(frozen=True)
class Pager:
    page: Page
    previous_url: str | None
    next_url: str | None
    anchor: str

    @property
    def total(self) -> int:
        return self.page.paginator.count


def _url(query: QueryDict, param: str, number: int, anchor: str) -> str:
    query = query.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")


def paginate(query: QueryDict, items, per_page: int, param: str = "page", anchor: str = "") -> Pager:
    """Page ``query[param]`` of ``items`` (a page number that is not one reads as the first page,
    one past the end as the last, as Django's paginator does); ``anchor`` is the id the links jump to."""
    asked = _PageNumber({"number": query.get(param)})
    page = Paginator(items, per_page).get_page(asked.cleaned_data["number"] if asked.is_valid() else None)
    return Pager(
        page,
        _url(query, param, page.previous_page_number(), anchor) if page.has_previous() else None,
        _url(query, param, page.next_page_number(), anchor) if page.has_next() else None,
        anchor,
    )
