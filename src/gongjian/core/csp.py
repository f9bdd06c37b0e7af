"""A Content-Security-Policy on every response: pages run only the platform's own scripts.

Django 5.2 has no built-in policy (``django.middleware.csp`` arrives in 6.0; switch to it then).
Our templates carry no inline ``<script>`` and no event-handler attributes (``site.js`` submits
``data-autosubmit`` forms); chart options travel as ``application/json`` data, which a policy does
not run. So ``script-src 'self'``: an injected ``<script>`` or ``onload=`` never runs.

Styles allow ``'unsafe-inline'``: ECharts writes ``style`` attributes into its tooltips, htmx adds
its indicator style, and a few cells are coloured by value (the AQI colours); a style cannot run
script, so this keeps the pages working without weakening what the policy is for.

Images come from the platform only, unless ``GONGJIAN_MAP_TILES`` names an intranet tile server:
then that server's origin (scheme, host and port, nothing else) is added to ``img-src``.

A response that sets its own policy keeps it (stored uploads are sent with ``sandbox``,
:func:`gongjian.core.uploads.file_response`). ``CONTENT_SECURITY_POLICY`` in settings replaces
the policy below.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["POLICY", "ContentSecurityPolicyMiddleware"]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",  # the API docs (Redoc) search in a worker
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def header(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


def with_tiles(policy: dict[str, str], tiles: str) -> dict[str, str]:
    """``policy`` allowing images from the origin of the tile URL template ``tiles`` (if any)."""
    if not tiles:
        return policy
    parts = urlsplit(tiles)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"GONGJIAN_MAP_TILES={tiles!r}: an http(s) URL template like https://host/{{z}}/{{x}}/{{y}}.png")
    return policy | {"img-src": f"{policy.get('img-src', '')} {parts.scheme}://{parts.netloc}".strip()}


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = header(with_tiles(getattr(settings, "CONTENT_SECURITY_POLICY", POLICY),
                                       getattr(settings, "GONGJIAN_MAP_TILES", "")))

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.value)
        return response
