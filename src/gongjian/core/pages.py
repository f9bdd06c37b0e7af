"""Who may open a page: declared once, on the view, and read by the menu from there.

A page that only some people may use (an import, the scorecards that compare units) declares the
policy's rule for it with :func:`opens`; a request by a person the rule does not admit is refused
(403, the refusal page saying who may) before the view runs, whatever its method. The navigation
asks :func:`may_open` for each page it would list, which finds the view through the URL resolver
and asks the same rule, so a menu never offers a page that then refuses: the rule has one home, on
the view that answers (as a write rule does, :mod:`gongjian.core.writes`).

The rules are the policy's (``gongjian.regions.policy``): a :class:`PageRule` for what is only
read, or the :class:`~gongjian.core.writes.WriteRule` of the page's own action (an import page
opens under the rule it imports under). A page without a rule is open to everyone signed in.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, resolve, reverse

from gongjian.core.writes import WriteRule

__all__ = ["PageRule", "may_open", "opens", "page_rule_of"]


class PageRule(WriteRule):
    """Who may open a kind of page at all (the records on it are still the policy's ``visible``): a
    rule of the same form as a write rule (``name``, ``admits``, ``summary``; administrators always
    pass), read before the view runs rather than before it writes. ``summary`` says who may, in
    words, for the refusal page and ``docs/security.md``."""


def opens(rule):
    """Declare who may open a view (``rule.allows(user)``); anyone else is refused with
    ``rule.summary`` before the view runs. Put it under ``@login_required``, so that a person not
    signed in is sent to sign in rather than refused."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not rule.allows(request.user):
                raise PermissionDenied(rule.summary)
            return view(request, *args, **kwargs)

        guarded.page_rule = rule
        return guarded

    return decorate


def page_rule_of(view):
    return getattr(view, "page_rule", None)


def may_open(user, url_name: str, *args) -> bool:
    """May ``user`` open the page ``url_name`` names? Its view's :func:`opens` rule decides (a
    registry's pages, their entry's ``open_to``); a view without one is open to everyone signed in.
    The menu and every page's own links (the ``page_link`` tag) ask this, so no link leads to a
    refusal."""
    try:
        match = resolve(reverse(url_name, args=args))
    except NoReverseMatch:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    entry = match.kwargs.get("entry")  # a registry's page: its entry says who it is worth offering
    if entry is not None and hasattr(entry, "open_to"):
        return entry.open_to(user)
    rule = page_rule_of(match.func)
    return rule is None or rule.allows(user)
