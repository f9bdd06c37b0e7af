"""Settings for the test suite: the base settings with a throwaway key, plain static storage
(no collectstatic needed) and a fast password hasher (argon2 itself is checked in
tests/site/test_settings.py). The database is the one ``DATABASE_URL`` names, as in production,
so the same suite runs on SQLite and on PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-outside-the-test-suite-0123456789")

from .settings import *  # noqa: E402,F403
from .settings import PASSWORD_HASHERS as PRODUCTION_PASSWORD_HASHERS  # noqa: E402,F401

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The demo's moment recorded beside a developer's database is not the suite's clock.
GONGJIAN_AS_OF = os.environ.get("GONGJIAN_AS_OF") or None
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# Jobs run inline in tests: the same task code, without a worker process.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
