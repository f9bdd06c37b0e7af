"""One answer for a bad date, year, month or period in a query string.

Views read those parameters through :mod:`gongjian.periods` (``Period.from_query``, ``query_date``,
``query_year``, ``query_month``), which raise :class:`~gongjian.periods.PeriodQueryError` naming the
parameter. :class:`BadParameterMiddleware` turns that error, wherever a page or an API view raised
it, into the same answer: HTTP 400 (RFC 9110 §15.5.1, the request itself is at fault) whose body
names the parameter and what it should be - a page for a browser, ``{"parameter": ["message"]}``
(the shape of the API's other validation errors) for the API. No view answers it on its own, so a
new page cannot answer 404, or silently today, instead.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjian.periods import PeriodQueryError

__all__ = ["BadParameterMiddleware", "bad_parameter"]


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")


def bad_parameter(request, error: PeriodQueryError) -> HttpResponse:
    """The 400 answer to ``error``, in the person's language."""
    message = error.message()
    if _wants_json(request):
        return JsonResponse({error.parameter: [message]}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "core/bad_parameter.html", {"title": _("Bad request"), "message": message,
                                                        "parameter": error.parameter}, status=400)


class BadParameterMiddleware:
    """Answers every :class:`~gongjian.periods.PeriodQueryError` a view raises with :func:`bad_parameter`."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PeriodQueryError):
            return bad_parameter(request, exception)
        return None
