"""The one way a page takes what a person sends: bind a scoped form, run the service, answer.

A state-changing view is declared under its write rule (``@writes(policy.EDIT)``: the check that
refuses, before the view runs, a person the rule does not admit; :mod:`gongjian.core.writes`) and
then does only this:

- :func:`bind` builds the view's form for the person (:class:`gongjian.core.forms.ScopedForm`),
  bound to what they posted, or unbound for a GET;
- :func:`submit` runs the service with the form's cleaned data inside one transaction when the form
  is valid; what the service refuses (``ValidationError``, ``InvalidInput``) becomes errors on the
  form and nothing is written;
- :func:`form_page` puts the two together for a page: the page with the form (status 400 with the
  errors, each naming its field, when a POST was refused), or the service's redirect.

This module and :mod:`gongjian.core.forms` are the only places that read ``request.POST`` and
``request.FILES`` (``tests/site/test_forms.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render

from .forms import problems
from .problems import InvalidInput

__all__ = ["bind", "form_page", "submit"]


def bind(request, form_class, *args, **kwargs):
    """``form_class`` for the person making ``request``: bound to the posted data and files for a
    POST, unbound (with ``kwargs`` such as ``initial``) otherwise."""
    if request.method == "POST":
        kwargs.update(data=request.POST, files=request.FILES)
    return form_class(request.user, *args, **kwargs)


def _refused(form, exc: ValidationError | InvalidInput) -> None:
    if isinstance(exc, InvalidInput):
        form.add_error(None, [str(p) for p in exc.problems])
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def submit(form, action: Callable, *, atomic: bool = True):
    """``action(form.cleaned_data)`` when ``form`` is bound and valid, else ``None``. What the service
    refuses becomes errors on the form (``None`` is returned), with its writes rolled back.

    ``atomic=False`` is for importers, which read and check a whole file before they open their own
    transaction (so that SQLite's write lock is not held while a file is read; docs/architecture.md,
    "Bad input")."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        if not atomic:
            return action(form.cleaned_data)
        with transaction.atomic():
            return action(form.cleaned_data)
    except (ValidationError, InvalidInput) as exc:
        _refused(form, exc)
        return None


def form_page(request, form, template: str, context: dict | Callable[[], dict] | None = None, *,
              on_valid: Callable, atomic: bool = True) -> HttpResponse:
    """A page with ``form``: on a valid POST the response of ``on_valid(cleaned_data)`` (usually a
    redirect to what changed); otherwise ``template`` with ``form``,
    ``problems`` (its errors, each naming its field) and ``context`` (a dict, or a function called
    after the service ran, for pages that show what changed), status 400 when a POST was refused."""
    if request.method == "POST":
        response = submit(form, on_valid, atomic=atomic)
        if response is not None:
            return response
    extra = context() if callable(context) else dict(context or {})
    refused = form.is_bound and bool(form.errors)
    return render(request, template, {**extra, "form": form, "problems": problems(form) if refused else []},
                  status=400 if refused else 200)

