"""The home page (what needs the signed-in person today), the global search, the user guide and the
health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjian import __version__, clock
from gongjian.core import search
from gongjian.core.params import search_text

from . import guide
from . import home as home_blocks


@login_required
def home(request):
    return render(request, "site/home.html", {"blocks": home_blocks.blocks(request.user), "as_of": clock.now()})


@login_required
def search_view(request):
    """Everything the person may see that matches the words, grouped by kind of record."""
    query = search_text(request.GET)
    return render(request, "site/search.html", {"title": _("Search"), "query": query,
                                                "found": search.search(request.user, query)})


def help_view(request, section: str = "index"):
    """A chapter of the user guide, with the guide's table of contents (no sign-in needed: the guide
    is what one reads before signing in)."""
    return render(request, "site/help.html", {"chapter": guide.chapter(section), "chapters": guide.chapters(),
                                              "title": guide.chapter(section).title})


def screenshot_view(request, name: str):
    response = FileResponse(guide.screenshot(name).open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz(request):
    """Liveness and database reachability, for monitoring; no personal data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "version": __version__, "database": connection.vendor})
