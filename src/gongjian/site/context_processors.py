"""The navigation: the areas of the platform, each with the registries it holds so far."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.core.registry import PAGES, REGISTRY

#: The areas of the platform in menu order. An area with no pages yet shows as planned.
SECTIONS = [
    ("air", _("Air quality")),
    ("emergency", _("Emergency")),
    ("sources", _("Sources")),
    ("tasks", _("Tasks")),
    ("water", _("Water")),
    ("soil", _("Soil")),
    ("assessment", _("Assessment")),
    ("portal", _("Public portal")),
    ("regions", _("Regions and people")),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    menu = []
    for key, label in SECTIONS:
        links = [(label, reverse(url_name)) for section, label, url_name in PAGES if section == key]
        links += [(entry.model._meta.verbose_name_plural, reverse(entry.url_name("list")))
                  for entry in REGISTRY.values() if entry.section == key]
        menu.append({"key": key, "label": label, "links": links})
    return {"navigation": menu}
