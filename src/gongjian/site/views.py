"""The home page (what the signed-in person is responsible for) and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from gongjian import __version__, clock
from gongjian.core.registry import REGISTRY


@login_required
def home(request):
    counts = [(entry.model._meta.verbose_name_plural, entry.queryset(request.user).count(),
               reverse(entry.url_name("list"))) for entry in REGISTRY.values()]
    return render(request, "site/home.html", {"counts": counts, "as_of": clock.now()})


def healthz(request):
    """Liveness and database reachability, for monitoring; no personal data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "version": __version__, "database": connection.vendor})
