"""Django settings for gongjian.

Everything a deployment changes comes from the environment (see docs/configuration.md):

``DATABASE_URL``      default ``sqlite:///<GONGJIAN_HOME>/gongjian.sqlite3`` (WAL mode)
``SECRET_KEY``        default: a random key kept in ``<GONGJIAN_HOME>/secret_key`` (never in the repo)
``ALLOWED_HOSTS``     comma-separated, default ``127.0.0.1,localhost``
``TIME_ZONE``         default ``Asia/Shanghai`` (Beijing standard time, the time of the data)
``GONGJIAN_HOME``     folder for the SQLite file, the secret key and collected static files; default ``./var``
``GONGJIAN_AS_OF``    run as if it were this ISO date-time (demo, episode replay; ``off``: real time even where the
                      demo recorded its moment in ``<GONGJIAN_HOME>/demo-as-of``); see ``gongjian.clock``
``GONGJIAN_STALE_AFTER_<KIND>`` how old data of a kind may be before pages flag them (``3h``, ``90m``, ``2d``)
``GONGJIAN_MAP_TILES`` an intranet tile server drawn under the maps, ``https://host/{z}/{x}/{y}.png``; default none
``DEBUG``             ``1`` for development only

``gongjian.site.settings_production`` adds the HTTPS-only settings for a real deployment.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url

from gongjian import clock

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("GONGJIAN_HOME", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept beside the database."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    HOME.mkdir(parents=True, exist_ok=True)
    path = HOME / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


DEBUG = _env_bool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "treebeard",
    "axes",
    "django_htmx",
    "django_q",
    "gongjian.core.apps.CoreConfig",
    "gongjian.site",
    "gongjian.regions",
    "gongjian.air",
    "gongjian.sources",
    "gongjian.emergency",
    "gongjian.tasks",
    "gongjian.water",
    "gongjian.gateway",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A Content-Security-Policy on every response (gongjian.core.csp); before WhiteNoise, so static too.
    "gongjian.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses every state-changing request to a view that declares no write rule (gongjian.core.writes).
    "gongjian.core.writes.WriteGuardMiddleware",
    # A bad parameter (a date, period or choice in the query string, a date in the path) answers 400
    # naming it (gongjian.core.params).
    "gongjian.core.params.BadParameterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongjian.site.urls"
#: Views that govern their own writes (signing in and out, the language, one's own password, the back
#: office with its own permissions); every other state-changing view declares a write rule.
WRITE_GUARD_EXEMPT = ("login", "logout", "set_language", "password_change", "admin")
WSGI_APPLICATION = "gongjian.site.wsgi.application"
ASGI_APPLICATION = "gongjian.site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongjian.site.context_processors.navigation",
                "gongjian.site.context_processors.demo_clock",
                "gongjian.site.context_processors.help_link",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{HOME / 'gongjian.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    HOME.mkdir(parents=True, exist_ok=True)
    # WAL lets the web workers read while a writer commits; IMMEDIATE avoids
    # the "database is locked" upgrade deadlock between two writers.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # FULL syncs the WAL at every commit, so what the gateway acknowledged survives a power cut;
    # NORMAL is faster but may lose the last commits then (docs/configuration.md).
    SQLITE_SYNCHRONOUS = os.environ.get("GONGJIAN_SQLITE_SYNCHRONOUS", "FULL").strip().upper()
    if SQLITE_SYNCHRONOUS not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"GONGJIAN_SQLITE_SYNCHRONOUS={SQLITE_SYNCHRONOUS!r}: OFF, NORMAL, FULL or EXTRA")
    DATABASES["default"]["OPTIONS"] = {
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={SQLITE_SYNCHRONOUS}; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- people and authentication ---------------------------------------------------
AUTH_USER_MODEL = "regions.Person"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 failures for one username from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "site/lockout.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600  # a working day
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- language and time ----------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- static files: all served from our own files (no CDN) -------------------------
STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": HOME / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = HOME / "media"


def _megabytes(name: str, defaults: dict[str, float]) -> dict[str, int]:
    """Limits in bytes per kind, from defaults in MB and ``NAME_KIND`` variables (``UPLOAD_MAX_MB_HOURLY=80``)."""
    return {kind: int(float(os.environ.get(f"{name}_{kind.upper()}", mb)) * 1024 * 1024) for kind, mb in defaults.items()}


# --- uploads (gongjian.core.uploads: one limit per kind of upload, stated on its page) ------------
# Form fields without files (the API's JSON bodies too); files above the memory size go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(float(os.environ.get("DATA_UPLOAD_MAX_MB", "10")) * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = int(float(os.environ.get("FILE_UPLOAD_MAX_MEMORY_MB", "2.5")) * 1024 * 1024)
#: The largest file of each kind (a year of hourly data of a city's stations is about 30 MB of CSV).
UPLOAD_MAX_BYTES = _megabytes("UPLOAD_MAX_MB", {"hourly": 50, "table": 10, "plan": 10, "boundaries": 20,
                                                "photo": 10, "attachment": 20})
#: The most an archive (.xlsx, .docx) may expand to when opened: what the reader holds in memory.
UPLOAD_MAX_EXPANDED_BYTES = _megabytes("UPLOAD_MAX_EXPANDED_MB", {"hourly": 300, "table": 100, "plan": 100,
                                                                  "boundaries": 0, "photo": 0, "attachment": 200})
#: A part of an archive compressed more than this many times is refused as a zip bomb (sheets compress ~10x).
UPLOAD_MAX_COMPRESSION_RATIO = int(os.environ.get("UPLOAD_MAX_COMPRESSION_RATIO", "100"))

# --- API ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gongjian.regions.tokens.HashedTokenAuthentication",  # a person's own tokens, stored hashed
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["gongjian.regions.policy.IsScopedUser"],
    "EXCEPTION_HANDLER": "gongjian.core.api.exception_handler",  # not found in the caller's language
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("API_RATE", "6000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gongjian API",
    "DESCRIPTION": "Campaign-office data, scoped by the caller's role and jurisdiction.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its pages describe every record the platform keeps and how to write it: for the
    # people who use the API (signed in), not for anyone on the network (docs/security.md).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- jobs: django-q2 with the database as broker (no extra server), run by `gongjian worker` ---------
Q_CLUSTER = {
    "name": "gongjian",
    "orm": "default",
    "workers": int(os.environ.get("WORKER_PROCESSES", "1")),
    "timeout": 1800,
    "retry": 3600,
    "max_attempts": 2,
    "catch_up": False,
    "label": "Jobs",
}

# --- the clock ------------------------------------------------------------------------
#: The moment the whole process runs at: ``GONGJIAN_AS_OF`` (``off``: real time), else the demo's
#: own moment that ``gongjian demo``/``setup`` recorded beside the database, else real time.
GONGJIAN_AS_OF_FILE = HOME / clock.AS_OF_FILE
GONGJIAN_AS_OF = clock.configured_as_of(os.environ.get("GONGJIAN_AS_OF"), GONGJIAN_AS_OF_FILE)


def _durations(name: str, defaults: dict[str, str]) -> dict[str, str]:
    """Durations per kind of data, from defaults and ``NAME_KIND`` variables (``GONGJIAN_STALE_AFTER_AIR_HOURLY=3h``;
    the kind's dots as underscores)."""
    return {kind: os.environ.get(f"{name}_{kind.upper().replace('.', '_')}", value).strip()
            for kind, value in defaults.items()}


#: How old the newest data of each kind may be before a page flags them stale and, for the stations'
#: hours, the hourly check reports the feed missing (gongjian.core.freshness; docs/configuration.md).
GONGJIAN_STALE_AFTER = _durations("GONGJIAN_STALE_AFTER", {
    "air.hourly": "2h",  # stations publish every hour
    "sources.sample": "2h",  # CEMS and dust monitors send hourly data at least
    "forecast": "48h",  # issued daily; counted from the start of its issue day
    "water.sample": "45d",  # sections are sampled monthly: a month and a half without a result is late
})
#: The automatic water stations' quality-control parameters (gongjian.analytics.waterqc.Thresholds
#: fields as JSON, e.g. {"flat_default": 12, "spike_ratio": 4}; docs/water.md "Data path").
GONGJIAN_WATER_QC = json.loads(os.environ.get("GONGJIAN_WATER_QC", "") or "{}")
#: The module that decides who sees and changes what (gongjian.core.access reaches it by this name).
GONGJIAN_ACCESS_POLICY = "gongjian.regions.policy"

# --- maps ---------------------------------------------------------------------------------
#: An XYZ tile server (URL template) under the station map; empty: no tiles, nothing fetched. Its
#: origin is added to the pages' img-src (gongjian.core.csp) only when it is set.
GONGJIAN_MAP_TILES = os.environ.get("GONGJIAN_MAP_TILES", "").strip()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
