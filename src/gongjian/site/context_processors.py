"""The navigation: the areas of the platform, each with the registries and pages it holds so far.

Each installed domain app brings its own area (``menu = (order, label)`` on its AppConfig,
:class:`gongjian.core.apps.DomainApp`); the areas the campaign plans order and no app serves yet
are shown as planned, so users see what is coming. A person is offered only the pages they may
open: a page's own rule (:func:`gongjian.core.pages.may_open`) and, for a registry, whether the
policy shows them any record of its kind (``Entry.open_to``), the answers the pages themselves give.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian import clock
from gongjian.core.apps import domain_apps
from gongjian.core.pages import may_open
from gongjian.core.registry import PAGES, REGISTRY

from . import guide

#: Areas the plans order that no installed app serves yet: (key, label, order).
PLANNED = [
    ("water", _("Water"), 50),
    ("soil", _("Soil"), 60),
    ("assessment", _("Assessment"), 70),
    ("portal", _("Public portal"), 80),
]


def sections() -> list[tuple[str, str]]:
    """(key, label) of every area in menu order: the installed apps' and the planned ones."""
    areas = {app.label: (order, label) for app in domain_apps() if app.menu for order, label in [app.menu]}
    for key, label, order in PLANNED:
        areas.setdefault(key, (order, label))
    return [(key, label) for key, (order, label) in sorted(areas.items(), key=lambda item: item[1][0])]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    menu = []
    for key, label in sections():
        links = [(label, reverse(url_name)) for section, label, url_name in PAGES
                 if section == key and may_open(request.user, url_name)]
        links += [(entry.model._meta.verbose_name_plural, reverse(entry.url_name("list")))
                  for entry in REGISTRY.values() if entry.section == key and entry.open_to(request.user)]
        menu.append({"key": key, "label": label, "links": links})
    return {"navigation": menu}


def demo_clock(request):
    """The moment the clock is held at, for the banner on every page (``core/base.html``): a site
    running as of 2020-12-31 23:30 must not be read as showing the present (``gongjian.clock``)."""
    moment = clock.overridden()
    return {"demo_clock": clock.local(moment)} if moment is not None else {}


def help_link(request):
    """The user-guide section for the page being shown (``core/base.html``'s 帮助 link): the chapter
    of the person's role, at the section of the page's area; a page may name its own instead
    (``{% block help %}``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"help_url": reverse("help")}
    match = getattr(request, "resolver_match", None)
    slug, anchor = guide.section_for(user, match.namespace if match else None)
    return {"help_url": reverse("help", args=[slug]) + (f"#{anchor}" if anchor else "")}
