"""Every request that changes state passes one check, and an undeclared one is refused.

A view that accepts ``POST`` declares the rule it writes under with :func:`writes`; the rule (a
:class:`WriteRule`, all of them defined in :mod:`gongjian.regions.policy`) says which people may
take that kind of action at all, and the view's service then asks the policy about the record
itself (``policy.can_change``, ``policy.can_place``, the recipient of a notice...). The
:class:`WriteGuardMiddleware` refuses, before any view code runs, every state-changing request to
a view that declares no rule: a new page that forgets the declaration fails closed instead of
open. API views are governed by their permission classes, which must be the policy's (they carry
``write_policy = True``).

The declarations are also what the write half of the scope matrix enumerates
(``tests/site/test_write_matrix.py``): a declared view without a case there fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

__all__ = ["SAFE_METHODS", "WriteGuardMiddleware", "WriteRule", "writes"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class WriteRule:
    """A kind of action and who may take it at all.

    ``admits(user)`` answers for the person (role, organisation); whether they may act on the one
    record or region in hand is the policy's object check, called by the view's service.
    ``summary`` says it in words for ``docs/security.md`` and the refusal page."""

    name: str
    admits: Callable[[object], bool]
    summary: str

    def allows(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return bool(getattr(user, "is_superuser", False) or self.admits(user))


def writes(rule: WriteRule):
    """Declare that a view changes state under ``rule``; a state-changing request by a person the
    rule does not admit is refused (403) before the view runs."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method not in SAFE_METHODS and not rule.allows(request.user):
                raise PermissionDenied(rule.summary)
            return view(request, *args, **kwargs)

        guarded.write_rule = rule
        return guarded

    return decorate


def write_rule_of(view) -> WriteRule | None:
    return getattr(view, "write_rule", None)


def _is_policy_api(view) -> bool:
    """A Django REST framework view whose every permission class is one of the policy's."""
    cls = getattr(view, "cls", None)
    if cls is None:
        return False
    classes = getattr(view, "initkwargs", {}).get("permission_classes") or cls.permission_classes
    return bool(classes) and all(getattr(p, "write_policy", False) for p in classes)


class WriteGuardMiddleware:
    """Refuses state-changing requests to views that declare no write rule (fail closed).

    ``WRITE_GUARD_EXEMPT`` (settings) names the views that govern themselves: signing in and out,
    the language switch, one's own password, and the back office (Django's admin, with its own
    permissions and :class:`gongjian.core.admin.ScopedAdmin`)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt = frozenset(getattr(settings, "WRITE_GUARD_EXEMPT", ()))

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        match = request.resolver_match
        names = {match.view_name, *match.namespaces} if match is not None else set()
        if names & self.exempt or write_rule_of(view_func) is not None or _is_policy_api(view_func):
            return None
        raise PermissionDenied(_("This page accepts no changes."))
