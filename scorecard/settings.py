"""Settings, read from the environment: the only module that reads environment variables.

Safe production defaults: DEBUG is off unless set, SECRET_KEY is required outside debug,
DATABASE_URL selects PostgreSQL (SQLite is the embedded default for a first run). A value the
helpers below do not understand stops the server with a message (``DEBUG=ture`` is an error,
not False).
"""

import os
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

if TYPE_CHECKING:
    from django.http import HttpRequest

BASE_DIR = Path(__file__).resolve().parent.parent


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] = os.environ) -> bool:
    value = environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not understood: use 1, true, yes or on; or 0, false, no or off."
    )


@overload
def env_number(
    name: str,
    default: int,
    kind: type[int] = ...,
    minimum: int = ...,
    environ: Mapping[str, str] = ...,
) -> int: ...
@overload
def env_number(
    name: str,
    default: float,
    kind: type[float],
    minimum: float = ...,
    environ: Mapping[str, str] = ...,
) -> float: ...
def env_number(
    name: str,
    default: float,
    kind: type[int] | type[float] = int,
    minimum: float = 0,
    environ: Mapping[str, str] = os.environ,
) -> float:
    """A whole number (or, with ``kind=float``, a decimal) of at least ``minimum``."""
    value = environ.get(name)
    if value is None or not value.strip():
        return default
    number: float | None
    try:
        number = kind(value.strip())
    except ValueError:
        number = None
    if number is None or number < minimum:
        what = "a whole number" if kind is int else "a number"
        raise ImproperlyConfigured(f"{name}={value!r} must be {what} of at least {minimum}.")
    return number


def env_text(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_text(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = env_text("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # Fail loudly: a production server must never run with a guessable key.
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tables2",
    "simple_history",
    "axes",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's own files, served as our static files (never from a CDN).
    "drf_spectacular_sidecar",
    "indicators",
    "intake",
    "scorecard",
    # After axes and auth: its admin replaces theirs (accounts/admin.py).
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The council the address is for: every query after this is of that council only.
    "scorecard.tenancy.CouncilMiddleware",
    # Sessions end after the council's idle time, and 14 days after signing in.
    "accounts.idle.IdleSessionMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A database refusing writes answers a 503 page, not a 500 (scorecard/unavailable.py).
    "scorecard.unavailable.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scorecard.urls"
WSGI_APPLICATION = "scorecard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "scorecard.context_processors.council",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_number("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A write transaction takes SQLite's write lock when it begins, not at its first write:
    # the entry grid and the import read a figure, compare it and write it in one
    # transaction, and must not both read before either writes (PostgreSQL locks rows).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (pages, exports and the judged month, kept under the data version; the API's and
# sign-in's counters). With REDIS_URL (redis://host:6379/0), Django's own Redis backend, shared
# by every worker and app server: after a change the first reader works a page out for all.
# Without it, each process keeps its own (the embedded default, for one server). A Redis server
# that cannot be reached is an empty cache, never an error (scorecard/redis_cache.py); the short
# timeouts keep a server that does not answer from holding a page for long.
REDIS_URL = env_text("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "scorecard.redis_cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "scorecard",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def tasks_from_environment(environ: Mapping[str, str], debug: bool) -> dict[str, dict[str, Any]]:
    """Django's TASKS: TASK_BACKEND=database (django-tasks-db: tasks are rows of this database,
    run by ``manage.py task_worker``) or immediate (run at once in the process that enqueues them:
    one-process demo runs). Database by default with DEBUG off, immediate with DEBUG on."""
    name = environ.get("TASK_BACKEND", "").strip().lower() or ("immediate" if debug else "database")
    backends = {
        "database": "django_tasks_db.DatabaseBackend",
        "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    }
    if name not in backends:
        raise ImproperlyConfigured(
            f"TASK_BACKEND={environ['TASK_BACKEND']!r} is not understood: "
            "use database or immediate."
        )
    return {"default": {"BACKEND": backends[name]}}


# Background work (emails; indicators.outbox): see tasks_from_environment.
TASKS = tasks_from_environment(os.environ, DEBUG)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): five failed attempts for one username from one address
# lock that pair out for an hour; other users, and that user elsewhere, are unaffected.
# A successful sign-in before the limit clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with admin permissions by the role held in the council in force.
    "accounts.backends.CouncilRoleBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Every failed sign-in, kept after an unlock: who was being counted, from where.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Wider limits over the same hour (accounts/throttling.py, decision 0010): failures from one
# address across usernames (an office shares its address: well above five), and failures for
# one username across addresses.
AXES_HANDLER = "accounts.throttling.SignInThrottle"
SIGN_IN_LIMIT_PER_ADDRESS = env_number("SIGN_IN_LIMIT_PER_ADDRESS", 30, minimum=AXES_FAILURE_LIMIT)
SIGN_IN_LIMIT_PER_USERNAME = env_number(
    "SIGN_IN_LIMIT_PER_USERNAME", 10, minimum=AXES_FAILURE_LIMIT
)


def client_address_behind_proxy(request: "HttpRequest") -> str | None:
    """The address our reverse proxy saw: the right-most X-Forwarded-For entry (the proxy
    appends it; entries to its left come from the client and cannot be trusted)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    return forwarded or request.META.get("REMOTE_ADDR")


if env_bool("BEHIND_PROXY"):
    AXES_CLIENT_IP_CALLABLE = client_address_behind_proxy


def mailers_from_environment(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Django's MAILERS: an SMTP mailer when EMAIL_HOST is set (EMAIL_PORT, EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or EMAIL_USE_SSL with it). Without EMAIL_HOST: when
    debugging, the console (reminders and digests are printed by the server); otherwise
    Django's old default, SMTP on localhost:25 (the machine's own mail server, if any), which
    ``check --deploy`` accepts: a reminder that cannot go waits in the outbox with its error.
    Password resets are emailed only when EMAIL_HOST is set (PASSWORD_RESET_BY_EMAIL)."""
    host = environ.get("EMAIL_HOST", "").strip()
    if not host and env_bool("DEBUG", False, environ):
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    if not host:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "localhost", "port": 25, "timeout": 20},
            }
        }

    use_ssl = env_bool("EMAIL_USE_SSL", False, environ)
    # STARTTLS on 587 unless SSL is asked for.
    use_tls = env_bool("EMAIL_USE_TLS", not use_ssl, environ)
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": host,
                "port": env_number("EMAIL_PORT", 465 if use_ssl else 587, environ=environ),
                "username": environ.get("EMAIL_HOST_USER", ""),
                "password": environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_ssl": use_ssl,
                "use_tls": use_tls,
                # A slow mail server must not hold the administrator's page for long.
                "timeout": 20,
            },
        }
    }


# Email, for the password-reset links an administrator issues. Without EMAIL_HOST the
# administrator is shown the one-time link to pass on instead (accounts/reset.py).
MAILERS = mailers_from_environment(os.environ)
PASSWORD_RESET_BY_EMAIL = bool(env_text("EMAIL_HOST").strip())
DEFAULT_FROM_EMAIL = env_text("DEFAULT_FROM_EMAIL", "scorecard@localhost")


def site_url_from_environment(environ: Mapping[str, str]) -> str:
    """The site's public address, for the links in emails (which have no request to take it
    from): ``https://scorecard.example.gov.uk``, without a trailing slash."""
    value = environ.get("SITE_URL", "").strip() or "http://127.0.0.1:8000"
    if not value.startswith(("http://", "https://")) or " " in value:
        raise ImproperlyConfigured(
            f"SITE_URL={value!r} must be the site's address with its scheme, "
            "e.g. https://scorecard.example.gov.uk."
        )
    return value.rstrip("/")


def dates_from_environment(name: str, environ: Mapping[str, str] = os.environ) -> list[date]:
    """A comma-separated list of ISO dates (``2023-12-25,2023-12-26``)."""
    found = []
    for item in environ.get(name, "").split(","):
        if item.strip():
            try:
                found.append(date.fromisoformat(item.strip()))
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name}: {item.strip()!r} is not a date written as 2023-12-25."
                ) from None
    return sorted(found)


# Links in emails (reminders, digests) start with this address.
SITE_URL = site_url_from_environment(os.environ)
# Days that are not working days besides weekends, for the month-end deadline (reminders).
SCORECARD_BANK_HOLIDAYS = dates_from_environment("SCORECARD_BANK_HOLIDAYS")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js is the partial bundle in static/plotly/ (frontend/build.sh), at the version the
# pinned plotly.py writes figures for (tests/test_static_bundle.py), never from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static"]


def default_storage_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Where printed PDFs are kept (scorecard.stored_prints): files under MEDIA_ROOT; or, with
    SCORECARD_S3_BUCKET set, an S3-compatible bucket through django-storages, at
    SCORECARD_S3_ENDPOINT_URL (none for AWS itself), with SCORECARD_S3_ACCESS_KEY_ID and
    SCORECARD_S3_SECRET_ACCESS_KEY (or boto3's own credentials: its environment variables,
    an instance's role), SCORECARD_S3_REGION and SCORECARD_S3_PREFIX (a folder in the bucket).
    Objects are private and never given an address: the views serve them."""
    bucket = environ.get("SCORECARD_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = environ.get("SCORECARD_S3_ENDPOINT_URL", "").strip()
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"SCORECARD_S3_ENDPOINT_URL={endpoint!r} must be the address with its scheme, "
            "e.g. https://s3.example.net."
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "access_key": environ.get("SCORECARD_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("SCORECARD_S3_SECRET_ACCESS_KEY") or None,
        "region_name": environ.get("SCORECARD_S3_REGION") or None,
        "location": environ.get("SCORECARD_S3_PREFIX", "").strip("/"),
        # Private objects; a name taken is never overwritten (a new name is chosen).
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# Printed packs and quarterly PDFs (scorecard.stored_prints) are kept in the default storage:
# files under MEDIA_ROOT, or an S3 bucket (above); never given a public address (no MEDIA_URL
# is served; the views serve them).
MEDIA_ROOT = Path(env_text("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": default_storage_from_environment(os.environ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("SCORECARD_SIMPLE_STATIC")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("SCORECARD_SIMPLE_STATIC")

# Security headers. The CSP keeps scripts to our own files and nonce-tagged blocks;
# plotly.js sets inline styles on the SVG it draws, hence 'unsafe-inline' for styles only.
# A month's entry grid posts 9 fields per indicator: Django's default of 1,000 fields held
# 110 indicators. This holds a council's most, 500 (indicators.models.MAX_INDICATORS), on one
# page; a larger grid is entered a priority at a time (intake.grid.fits_one_form). Text is
# bounded by the forms (2,000 characters a commentary), so the request stays small.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5_000

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# A session ends after this many idle minutes (accounts/idle.py) and, however busy, 14 days
# after signing in.
SCORECARD_SESSION_IDLE_MINUTES = env_number("SCORECARD_SESSION_IDLE_MINUTES", 60, minimum=1)
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_number("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DJANGO_TABLES2_TEMPLATE = "partials/govuk_table.html"

# The read-only API (scorecard/api): personal tokens (``Authorization: Bearer``) or a signed-in
# session; JSON, or CSV with ``?format=csv``; errors as RFC 9457 problem details; each token
# throttled on its own (Django's cache: a shared cache across workers keeps one count).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "scorecard.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["scorecard.api.authentication.HasReaderRole"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "scorecard.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["scorecard.api.authentication.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": env_text("SCORECARD_API_RATE", "120/minute")},
    "EXCEPTION_HANDLER": "scorecard.api.problems.problem_response",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Children's services performance scorecard API",
    "DESCRIPTION": (
        "Read-only. Send a personal token as `Authorization: Bearer <token>` (make one on "
        "your account page). Every list is also CSV with `?format=csv`. A viewer's token "
        "sees published months only; counts below five are null with `suppressed: true`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its page are for readers, as every page is.
    "SERVE_PERMISSIONS": ["scorecard.api.authentication.HasReaderRole"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# The council's names are kept in the database (indicators.models.Council, set by an
# administrator or the set-up workbook); these are only the first values of a new council,
# before its row is saved. No council is assumed.
COUNCIL_NAME = env_text("COUNCIL_NAME", "")
SERVICE_NAME = env_text("SERVICE_NAME", "Children's services performance scorecard")
COMMITTEE_NAME = env_text("COMMITTEE_NAME", "")

# The committee pack: the browser that prints it and how long a pack may take.
SCORECARD_CHROMIUM = env_text("SCORECARD_CHROMIUM", "/usr/bin/chromium")
# Chromium's own sandbox around the pages it prints (scorecard.pdf.launch_plans): "auto" uses
# it unless the server runs as root or the machine cannot sandbox (then it warns once), "on"
# always (a machine that cannot sandbox then cannot print), "off" never.
SCORECARD_CHROMIUM_SANDBOX = env_text("SCORECARD_CHROMIUM_SANDBOX", "auto").strip().lower()
if SCORECARD_CHROMIUM_SANDBOX not in ("auto", "on", "off"):
    raise ImproperlyConfigured(
        f"SCORECARD_CHROMIUM_SANDBOX={SCORECARD_CHROMIUM_SANDBOX!r} is not understood: "
        "use auto, on or off."
    )
SCORECARD_PDF_TIMEOUT = env_number("SCORECARD_PDF_TIMEOUT", 60, kind=float, minimum=1)
# How long a pack may wait for its turn at the printer before it is dropped.
SCORECARD_PDF_QUEUE_TIMEOUT = env_number("SCORECARD_PDF_QUEUE_TIMEOUT", 60, kind=float, minimum=1)
# PDFs printing or waiting at once (scorecard.print_slots): per person, across every worker and
# server; and per app server (host name), across its workers. A request over either is told to
# try again (429) rather than queued behind the others.
SCORECARD_PDF_PER_USER = env_number("SCORECARD_PDF_PER_USER", 1, minimum=1)
SCORECARD_PDF_TOTAL = env_number("SCORECARD_PDF_TOTAL", 2, minimum=1)
# A confirmed figures import of more figures and comments than this is applied by the task
# worker, the page showing its progress (intake.import_task); smaller ones in the request.
SCORECARD_IMPORT_TASK_ROWS = env_number("SCORECARD_IMPORT_TASK_ROWS", 2_000, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_text("LOG_LEVEL", "INFO")},
    # django-axes announces itself at every start (each command); its lockouts are warnings.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}
