"""Django settings, all derived from one ``Environment`` read at start-up."""

from __future__ import annotations

from typing import Any

import dj_database_url

from fairpivot.config.environment import ConfigurationError, Environment

ENV = Environment.read()

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = list(ENV.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # For its templates and static files: the API docs' Swagger UI, served from here at
    # the version the lock file pins, never from a CDN.
    "ninja",
    "fairpivot.records",
    "fairpivot.web",
]

MIDDLEWARE = [
    "fairpivot.web.middleware.SecurityHeaders",
    "django.middleware.security.SecurityMiddleware",
    "fairpivot.web.middleware.StaticFiles",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fairpivot.web.sessions.IdleSessions",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fairpivot.web.middleware.BodyLimit",
    "fairpivot.web.middleware.ApiMethodNotAllowed",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fairpivot.config.urls"
WSGI_APPLICATION = "fairpivot.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fairpivot.web.nav.nav_items",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    if ENV.database_url:
        try:
            config: dict[str, Any] = dict(dj_database_url.parse(ENV.database_url, conn_max_age=60))
        except ValueError as exc:  # UnknownSchemeError is one
            raise ConfigurationError(f"DATABASE_URL: not a database URL ({exc})") from None
        if config.get("ENGINE") != "django.db.backends.postgresql":
            raise ConfigurationError(
                "DATABASE_URL: fairpivot runs on PostgreSQL (postgres://user:pass@host/db); "
                "leave it unset for the embedded SQLite database"
            )
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(ENV.sqlite_path),
        # Each server thread keeps its connection (as on PostgreSQL above) instead of
        # opening one per request: a new SQLite connection runs the PRAGMAs below and reads
        # and parses the whole schema again on its first query, about a third of a kept
        # case page's CPU under gunicorn. Autocommit: every statement still sees the latest
        # committed state, and no read transaction stays open between requests.
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
            # instead of one failing half-way; WAL lets readers go on meanwhile.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in throttling (web/throttle.py), over a sliding window: an account is locked after
# a few failures from anywhere; an address only after many across accounts, so one office
# behind one proxy is not locked out by one person's typos; unknown API tokens per address.
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
LOGIN_ACCOUNT_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 50
API_TOKEN_FAILURE_LIMIT = 20
# How long an API token from ``fairpivot token`` works unless ``--days`` says otherwise.
API_TOKEN_DAYS = 90

LANGUAGE_CODE = "en-us"
TIME_ZONE = ENV.time_zone
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise serves the apps' static files straight from their folders: no collectstatic
# step between a fresh checkout and a running demo.
WHITENOISE_USE_FINDERS = True

# A session ends after 8 hours without a request: a request that uses it saves it again
# (web/sessions.py) when 5 minutes have passed since it was last saved, which pushes its
# expiry, cookie and database row, 8 hours on. Django's database sessions and model backend,
# each with its per-request read prepared once (web/sessions.py).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_ENGINE = "fairpivot.web.sessions"
AUTHENTICATION_BACKENDS = ["fairpivot.web.sessions.UserBackend"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = ENV.production
# In production the __Host- prefix makes browsers refuse these cookies unless they are
# Secure, for this host only and for every path: a neighbouring subdomain cannot plant one.
SESSION_COOKIE_NAME = "__Host-sessionid" if ENV.production else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if ENV.production else "csrftoken"
# No script of ours reads the CSRF cookie (forms carry the token), so scripts may not.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = ENV.production
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# No form or API call needs more: the longest text field holds 10,000 characters
# (web/limits.py). A larger body is a 413 (web/middleware.py), never read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
