"""Pantau settings: one file, fed by typed environment helpers (see .env.example).

SQLite under ``var/`` when ``DATABASE_URL`` is unset; PostgreSQL through ``DATABASE_URL`` in production and CI.
"""

import importlib.util
import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pantau.core.env import env_bool, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PANTAU_VAR_DIR", str(BASE_DIR / "var")))
DATA_DIR = BASE_DIR / "data"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("PANTAU_REQUIRE_SECRET", False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # Development only: a per-checkout key kept under var/ (never committed).
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key())
    SECRET_KEY = _key_file.read_text().strip()
elif not DEBUG and (
    SECRET_KEY.startswith(("change-me", "django-insecure-")) or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    # the placeholder of .env.example, or a key as weak as Django's security.W009 describes: refused, not warned
    raise ImproperlyConfigured(
        "SECRET_KEY is the placeholder of .env.example or too weak (at least 50 characters, 5 different, not "
        "'change-me...'): generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served by Pantau (/api/v1/docs/), no CDN
    "axes",
    "django_tasks",
    "django_tasks_db",
    "pantau.core",
    "pantau.audit",
    "pantau.regions",
    "pantau.organizations",
    "pantau.accounts",
    "pantau.tasks",
    "pantau.notifications",
    "pantau.agreements",
    "pantau.meetings",
    "pantau.workplans",
    "pantau.findings",
    "pantau.standards",
    "pantau.assessments",
    "pantau.surveys",
    "pantau.complaints",
    "pantau.reports",
    "pantau.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and API responses gzip-compressed (issue 11). Safe with CSRF tokens: Django masks the token afresh in
    # every response and GZipMiddleware pads each response at random ("Heal The Breach", Django 4.2+), the
    # documented BREACH mitigations. Static files are compressed ahead of time by whitenoise (STORAGES below).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pantau.core.middleware.IndonesianFirstLocaleMiddleware",
    "pantau.core.middleware.ControlCharacterGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pantau.accounts.scoping.GrantCacheMiddleware",
    "pantau.core.routers.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "pantau.audit.middleware.RequestIdMiddleware",
    "pantau.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "pantau.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pantau" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pantau.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "pantau.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pantau.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many users at once on the laptop default (issue 10): write-ahead log so readers never wait for a writer, a busy
    # timeout of 20 s instead of an immediate "database is locked", and transactions that take the write lock when
    # they begin (IMMEDIATE, Django 5.1+) so two writers queue instead of failing when one upgrades a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
    # Tests use a file too: an in-memory database shares one cache between threads, whose table locks fail at once
    # ("database table is locked") instead of waiting, so concurrency tests could not run honestly on it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# A read replica for dashboards and reports (pantau/core/routers.py, docs/scale.md): DATABASE_REPLICA_URL names it;
# without one the alias "replica" is the default database itself and the router never uses it. In tests the alias
# mirrors the test database (TEST MIRROR), so a test can switch READ_REPLICA on and see where reads go.
READ_REPLICA = bool(env_str("DATABASE_REPLICA_URL", ""))
DATABASES["replica"] = {
    **(dj_database_url.parse(env_str("DATABASE_REPLICA_URL", ""), conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
       if READ_REPLICA else DATABASES["default"]),
    "TEST": {"MIRROR": "default"},
}
DATABASE_ROUTERS = ["pantau.core.routers.ReplicaRouter"]
REPLICA_VIEWS = frozenset({
    "reports:home", "reports:work_plan_dashboard", "surveys:rollup", "surveys:rollup_unit",
    "assessments:region_report_card", "assessments:unit_report_card",
    "public:index", "public:region", "public:national_file", "public:region_file",
})
"""Views (URL names) whose GET requests read domain tables from the replica."""

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling (django-axes): must come first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "reports:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"

# Background tasks (django-tasks): the database backend needs no broker; ``pantau db_worker`` runs the queue (one on a
# laptop, as many as needed on PostgreSQL). PANTAU_TASKS_BACKEND=immediate runs every task inside the request.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_str("PANTAU_TASKS_BACKEND", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    },
}
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pantau" / "locale"]
FORMAT_MODULE_PATH = ["pantau.formats"]  # day-first dates in both languages (pantau/formats/)
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it; collectstatic fills it
# Tom Select (searchable pickers, pantau/picker.js) as packaged on PyPI by django-tomselect: only its static files
# are used (served by Pantau under static/tomselect/), not its app, views or widgets.
_TOMSELECT = Path(importlib.util.find_spec("django_tomselect").origin).parent / "static" / "django_tomselect"
STATICFILES_DIRS = [("tomselect", _TOMSELECT)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # gzip/brotli copies and content-hashed names (served with a one-year cache by whitenoise); needs
    # `pantau collectstatic` (make run does it). Tests use the unhashed storage (pantau/conftest.py).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Evidence is never served from a public URL: MEDIA_URL is deliberately not routed (see workplans.views).
MEDIA_URL = "/_media_not_served/"

# Uploads: evidence files up to this many bytes (default 10 MiB).
PANTAU_MAX_UPLOAD_BYTES = env_int("PANTAU_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# One cache shared by every worker and kept across restarts: rate limits of the public forms, one-time form tokens
# and the public pages' data (pantau.core.ratelimit, pantau.core.once, pantau.reports.public). Its table is created
# by ``migrate`` (pantau/core/migrations/0001_cache_table.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pantau_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# Reverse proxies whose X-Forwarded-For is believed (IP addresses or CIDR blocks, comma-separated); empty: none.
PANTAU_TRUSTED_PROXIES = env_list("PANTAU_TRUSTED_PROXIES", [])
for _proxy in PANTAU_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"PANTAU_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", env_bool("PANTAU_HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("PANTAU_HTTPS", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("PANTAU_BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    # the browsable API's pages need an inline style, which the Content-Security-Policy refuses: JSON only, except
    # on a developer's machine (DEBUG)
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "PAGE_SIZE": 100,
    "DEFAULT_PARSER_CLASSES": [
        "pantau.core.api.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pantau API",
    "DESCRIPTION": "Work plans, actions and progress reports between an Ombudsman office and a regional government.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files from the drf-spectacular-sidecar package, served by Pantau (no CDN): /api/v1/docs/
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# E-mail (Django's mail framework): printed to the console unless an SMTP host is set in the environment.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)  # seconds
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pantau <pantau@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
PANTAU_BASE_URL = env_str("PANTAU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
"""Where Pantau is served, for the links in e-mails sent by commands (no request to take the host from)."""

# Reminders (pantau send_reminders; pantau/workplans/reminders.py). Days are calendar days in the responsible unit's
# own time zone. None of these is set by a regulation: they are Pantau's choices, changeable per installation.
PANTAU_REMINDER_DUE_DAYS = env_int_list("PANTAU_REMINDER_DUE_DAYS", [14, 7, 1])
PANTAU_REMINDER_OVERDUE_REPEAT_DAYS = env_int("PANTAU_REMINDER_OVERDUE_REPEAT_DAYS", 7)
PANTAU_REMINDER_ESCALATION_DAYS = env_int("PANTAU_REMINDER_ESCALATION_DAYS", 14)
PANTAU_REMINDER_VERIFICATION_DAYS = env_int("PANTAU_REMINDER_VERIFICATION_DAYS", 7)
if (
    not PANTAU_REMINDER_DUE_DAYS
    or min(PANTAU_REMINDER_DUE_DAYS) < 1
    or min(PANTAU_REMINDER_OVERDUE_REPEAT_DAYS, PANTAU_REMINDER_ESCALATION_DAYS, PANTAU_REMINDER_VERIFICATION_DAYS) < 1
):
    raise ImproperlyConfigured("reminder days must be whole numbers of at least 1")

# Public transparency pages and open data (pantau/reports/public.py): how long, in seconds, a page's data and a
# downloadable file stay in Django's cache and may be kept by browsers and proxies (Cache-Control: public, max-age).
# Pantau's choice: five minutes; writes do not invalidate it, so a change is public within twice this time at most.
PANTAU_PUBLIC_CACHE_SECONDS = env_int("PANTAU_PUBLIC_CACHE_SECONDS", 300)
if PANTAU_PUBLIC_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("PANTAU_PUBLIC_CACHE_SECONDS must be 0 or more")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # 403/404 are answers, not faults: keep the log for server errors (5xx) and for what Pantau itself reports
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

REST_FRAMEWORK["EXCEPTION_HANDLER"] = "pantau.core.api.exception_handler"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "RegionKindEnum": "pantau.regions.models.RegionKind",
    "UnitKindEnum": "pantau.organizations.models.UnitKind",
    "AgreementKindEnum": "pantau.agreements.models.AgreementKind",
    "AgreementStatusEnum": "pantau.agreements.models.AgreementStatus",
    "ActionStatusEnum": "pantau.workplans.api.STATUS_CHOICES",
    "ReportStatusEnum": "pantau.workplans.models.ReportStatus",
    "ZoneEnum": "pantau.assessments.models.Zone",
    "MeetingKindEnum": "pantau.meetings.models.MeetingKind",
    "MeetingModeEnum": "pantau.meetings.models.MeetingMode",
    "AttendanceModeEnum": "pantau.meetings.models.AttendanceMode",
    "DecisionKindEnum": "pantau.meetings.models.DecisionKind",
    "DocumentKindEnum": "pantau.agreements.models.DocumentKind",
    "ComponentCodeEnum": "pantau.standards.components.ComponentCode",
    "DeadlineRuleCodeEnum": "pantau.complaints.models.RuleCode",
    "ComplaintStageEnum": "pantau.complaints.models.Stage",
}
