"""Production settings: the base settings behind HTTPS, with a key that must come from outside.

Use with ``DJANGO_SETTINGS_MODULE=gongjian.site.settings_production``. ``gongjian check --deploy``
is clean with these settings (tests/site/test_settings.py proves it).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production")

# A site that began as the demo keeps the demo's recorded moment (gongjian.clock) until told
# otherwise; in production that would judge every feed's freshness against 2020 and hide a real
# outage, so production refuses to start on a recorded moment it was not explicitly given.
if GONGJIAN_AS_OF and not os.environ.get("GONGJIAN_AS_OF"):  # noqa: F405
    raise ImproperlyConfigured(
        f"{GONGJIAN_AS_OF_FILE} holds the demo's clock ({GONGJIAN_AS_OF}); production runs in real time: "  # noqa: F405
        "run `gongjian demo --clock off` (or delete the file), or set GONGJIAN_AS_OF explicitly")

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") != "0"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
