"""A Content-Security-Policy on every response: pages run only the platform's own scripts.

Django 5.2 has no built-in policy (``django.middleware.csp`` arrives in 6.0; switch to it then).
Our templates carry no inline ``<script>`` and no event-handler attributes (``site.js`` submits
``data-autosubmit`` forms); chart options travel as ``application/json`` data, which a policy does
not run. So ``script-src 'self'``: an injected ``<script>`` or ``onload=`` never runs.

Styles allow ``'unsafe-inline'``: ECharts writes ``style`` attributes into its tooltips, htmx adds
its indicator style, and a few cells are coloured by value (the AQI colours); a style cannot run
script, so this keeps the pages working without weakening what the policy is for.

A response that sets its own policy keeps it (stored uploads are sent with ``sandbox``,
:func:`gongjian.core.uploads.file_response`). ``CONTENT_SECURITY_POLICY`` in settings replaces
the policy below.
"""

from __future__ import annotations

from django.conf import settings

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


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = header(getattr(settings, "CONTENT_SECURITY_POLICY", POLICY))

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.value)
        return response
