"""One answer for a bad parameter: a date, year, month or period in a query string, a value that is
none of a page's choices (an edition, a level, a ranking, a ledger filter), a date in a URL path.

Views read dates and periods through :mod:`gongjian.periods` (``Period.from_query``, ``query_date``,
``query_year``, ``query_month``), which raise :class:`~gongjian.periods.PeriodQueryError`, and other
values through :func:`choice`, :func:`query_id` and :func:`path_date` here, which raise
:class:`BadParameter`; both name the parameter. :class:`BadParameterMiddleware` turns either error,
wherever a page or an API view raised it, into the same answer: HTTP 400 (RFC 9110 §15.5.1, the
request itself is at fault) whose body names the parameter and what it should be - a page for a
browser, ``{"parameter": ["message"]}`` (the shape of the API's other validation errors) for the
API. No view answers it on its own, so a new page cannot answer 404, silently ignore the value, or
fall back to today instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from django import forms
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.periods import PeriodQueryError, query_date

__all__ = ["BadParameter", "BadParameterMiddleware", "SearchQuery", "bad_parameter", "choice", "path_date", "query_id",
           "search_text"]


class BadParameter(ValueError):
    """A request parameter that is not a value the page or route accepts.

    ``parameter`` is its name, ``value`` what was sent; ``choices`` the values accepted, or
    ``expected`` what it should be in words (a lazy translation) where they cannot be listed;
    ``in_path`` when it is a segment of the URL path rather than of the query string. ``str()`` is
    English, for logs; :meth:`message` is what a person reads, in the active language."""

    def __init__(self, parameter: str, value: str, choices: Collection[str] = (), *, expected=None,
                 in_path: bool = False) -> None:
        self.parameter, self.value, self.in_path = parameter, value, in_path
        self.choices, self.expected = [str(c) for c in choices], expected
        with translation.override("en"):
            super().__init__(self.message())

    def message(self) -> str:
        wanted = str(self.expected) if self.expected is not None else (
            _("one of %(choices)s") % {"choices": ", ".join(self.choices)})
        values = {"parameter": self.parameter, "value": self.value, "expected": wanted}
        if self.in_path:
            return _("path segment '%(parameter)s': '%(value)s' is not %(expected)s") % values
        return _("query parameter '%(parameter)s': '%(value)s' is not %(expected)s") % values


def choice(params: Mapping[str, str], name: str, choices: Collection[str], default: str) -> str:
    """The value of query parameter ``name``, one of ``choices``; ``default`` when it is absent or
    empty (a form's "all" option sends it empty)."""
    value = params.get(name) or ""
    if not value:
        return default
    if value not in choices:
        raise BadParameter(name, value, choices)
    return value


def query_id(params: Mapping[str, str], name: str) -> int | None:
    """The record id in query parameter ``name`` (a filter's plan, unit, region); ``None`` when it is
    absent or empty, that is, no filter."""
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise BadParameter(name, value, expected=gettext_lazy("a record number"))
    return int(value)


def path_date(name: str, value: str) -> dt.date:
    """The date in URL path segment ``name``, read as :func:`gongjian.periods.query_date` reads a
    query parameter (``YYYY-MM-DD``), so a path and a query string accept the same dates."""
    try:
        return query_date({name: value}, name)
    except PeriodQueryError:
        raise BadParameter(name, value, expected=gettext_lazy("a date (YYYY-MM-DD)"), in_path=True) from None


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")


def bad_parameter(request, error: PeriodQueryError | BadParameter) -> HttpResponse:
    """The 400 answer to ``error``, in the person's language."""
    message = error.message()
    if _wants_json(request):
        return JsonResponse({error.parameter: [message]}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "core/bad_parameter.html", {
        "title": _("Bad request"), "message": message, "parameter": error.parameter,
        "in_path": getattr(error, "in_path", False)}, status=400)


class BadParameterMiddleware:
    """Answers every :class:`~gongjian.periods.PeriodQueryError` and :class:`BadParameter` a view
    raises with :func:`bad_parameter`."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PeriodQueryError | BadParameter):
            return bad_parameter(request, exception)
        return None


class SearchQuery(forms.Form):
    """A page's search words (``?q=``): the header's search, a registry list's, the task ledger's.
    Trimmed; a text longer than any name or task (200 characters) searches for nothing."""

    q = forms.CharField(required=False, strip=True, max_length=200)


def search_text(query: Mapping[str, str]) -> str:
    """The search words of a request's ``query`` (:class:`SearchQuery`), ``""`` for none."""
    asked = SearchQuery(query)
    return asked.cleaned_data["q"] if asked.is_valid() else ""
