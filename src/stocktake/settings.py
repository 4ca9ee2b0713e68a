"""Django settings, all read from environment variables (see sample.env)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from stocktake.config import (
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    file_storage,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Background work (docs/adr/0004): the task framework and its database queue.
    "django_tasks",
    "django_tasks_db",
    "stocktake.core",
    "stocktake.reviews",
    "stocktake.collect",
    "stocktake.assess",
    "stocktake.report",
    "stocktake.reflection",
    "stocktake.track",
    "stocktake.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A GET on a POST-only address gets a styled page, not the browser's own error page.
    "stocktake.web.views.errors.MethodNotAllowedPage",
]

ROOT_URLCONF = "stocktake.urls"
WSGI_APPLICATION = "stocktake.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "stocktake.web.jinja.environment"},
    },
    {
        # Django's own pages (and any third-party app) still use Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

# SQLite by default, in the data dir; PostgreSQL (or anything else) via DATABASE_URL.
_default_sqlite = f"sqlite:///{DATA_DIR / 'stocktake.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite) or _default_sqlite,
        # Kept open between requests: opening one (a PostgreSQL backend, SQLite's
        # PRAGMAs) on every request cost more than many pages' queries.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Write transactions take the lock at BEGIN, so two writers queue
        # instead of one failing with "database is locked" on upgrade.
        "transaction_mode": "IMMEDIATE",
        # Wait up to this many seconds for a lock before giving up.
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        # WAL lets readers carry on while one writer writes; NORMAL sync is
        # safe with WAL; foreign keys are enforced.
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "") or None}

# Background tasks are rows in the database, run by `stocktake worker` or the
# worker thread `stocktake serve` starts (docs/adr/0004-background-work.md).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
# An analysis run silent for longer than this (no progress step, seconds) has lost
# its worker: it is marked failed when a worker starts or a new run is queued.
STOCKTAKE_ANALYSIS_STALE_SECONDS = env_int("STOCKTAKE_ANALYSIS_STALE_SECONDS", 15 * 60,
                                           minimum=60)
# A queued background task that no worker has taken after this many seconds (while no
# other task is running) means no worker is running: its page says so and what to do.
STOCKTAKE_WORKER_WAIT_SECONDS = env_int("STOCKTAKE_WORKER_WAIT_SECONDS", 30, minimum=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reviews"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "web" / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Imported originals and staged uploads (stocktake.collect.files).
    "uploads": file_storage(),
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "uploads"

# Largest file accepted by the importers and the upload page, in megabytes.
STOCKTAKE_MAX_UPLOAD_MB = env_int("STOCKTAKE_MAX_UPLOAD_MB", 50)
# An upload with a file larger than this (MB) is imported by the background worker.
STOCKTAKE_BACKGROUND_IMPORT_MB = env_int("STOCKTAKE_BACKGROUND_IMPORT_MB", 2, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = STOCKTAKE_MAX_UPLOAD_MB * 1024 * 1024

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# An expired or missing form token: a styled page that says so, with a way back.
CSRF_FAILURE_VIEW = "stocktake.web.views.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "stocktake@localhost")
# SMTP, used when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)  # seconds; a stuck server must not hang a page

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Expected refusals (403, 404) are not worth a traceback in the log; server
    # errors (500) still are. Security warnings (CSRF, bad hosts) stay on.
    "loggers": {"django.request": {"level": "ERROR"}},
}
