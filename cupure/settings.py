"""The one settings module. Every value comes from the environment (see docs/configuration.md).

With no environment at all cupure runs on SQLite in ``./data`` with the queue in a SQLite file beside
it: no Redis, no PostgreSQL. Setting ``DATABASE_URL`` / ``REDIS_URL`` moves to the scaled deployment
without a code change.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from cupure.lib.env import (
    database_from_url,
    env_bool,
    env_cidrs,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules or os.environ.get("CUPURE_TESTING") == "1"

DATA_DIR = Path(env_str("CUPURE_DATA_DIR", str(BASE_DIR / "data"))).expanduser().resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("CUPURE_DEBUG", False)
SITE_NAME = env_str("CUPURE_SITE_NAME", "cupure")
SITE_URL = env_str("CUPURE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _secret_key() -> str:
    """An explicit key wins; otherwise one is generated once and kept in the data folder."""
    configured = env_str("CUPURE_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("CUPURE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CUPURE_CSRF_TRUSTED_ORIGINS", [])
USE_X_FORWARDED_HOST = False
# The client address for throttles: only taken from X-Forwarded-For when the request came from one of
# these proxy addresses (a spoofed header from anyone else is ignored).
TRUSTED_PROXIES = env_cidrs("CUPURE_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "ninja",  # serves the API docs' Swagger UI from its own package: no CDN, works offline
    "cupure.sources",
    "cupure.articles",
    "cupure.stories",
    "cupure.trending",
    "cupure.sectioning",
    "cupure.accounts",
    "cupure.comments",
    "cupure.search",
    "cupure.web",
    "cupure.api",
    "cupure.worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "cupure.web.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cupure.urls"
WSGI_APPLICATION = "cupure.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cupure" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cupure.web.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL"), sqlite_default=DATA_DIR / "cupure.sqlite3"),
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Each test run gets its own database so parallel runs on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_cupure_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
HUEY_IMMEDIATE = env_bool("CUPURE_QUEUE_IMMEDIATE", TESTING)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("CUPURE_QUEUE_NAME", "cupure"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "results": False,
        "consumer": {"workers": env_int("CUPURE_WORKERS", 2, minimum=1), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "cupure",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "results": False,
        "consumer": {"workers": env_int("CUPURE_WORKERS", 2, minimum=1), "worker_type": "thread"},
    }

# The page cache must be shared by the web processes and the worker (which invalidates it): Redis
# when configured, else files in the data folder; tests use process memory.
if TESTING:
    _cache: dict[str, object] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cupure",
    }
elif REDIS_URL:
    _cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
else:
    _cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
CACHES = {"default": _cache}
PAGE_CACHE_SECONDS = env_int("CUPURE_PAGE_CACHE_SECONDS", 60, minimum=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed
    if TESTING
    else [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
)
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

_EMAIL_BACKEND = env_str("CUPURE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_EMAIL_OPTIONS: dict[str, object] = {}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": env_str("CUPURE_EMAIL_HOST", "localhost"),
        "port": env_int("CUPURE_EMAIL_PORT", 25, minimum=1, maximum=65535),
        "username": env_str("CUPURE_EMAIL_HOST_USER"),
        "password": env_str("CUPURE_EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("CUPURE_EMAIL_USE_TLS", False),
    }
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("CUPURE_DEFAULT_FROM_EMAIL", "cupure <noreply@localhost>")

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("CUPURE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing root before the first collectstatic
STATICFILES_DIRS = [BASE_DIR / "cupure" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000

# Security headers. Pages carry no inline script or style, so the policy needs no nonce and cached
# pages stay cacheable.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "https:", "data:"],
    "media-src": ["https:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CSP["upgrade-insecure-requests"] = True  # http:// images in articles load over https
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (only set this when one always does).
if env_bool("CUPURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
NINJA_PAGINATION_MAX_LIMIT = 100
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("CUPURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("CUPURE_SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = env_int("CUPURE_HSTS_SECONDS", 0, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Fetching (SECURITY.md 3.6). Private destinations are refused unless listed here.
FETCH_ALLOW_CIDRS = env_cidrs("CUPURE_FETCH_ALLOW_CIDRS")
FETCH_USER_AGENT = env_str("CUPURE_FETCH_USER_AGENT", f"cupure/0.1 (+{SITE_URL}/about/; news aggregator)")
FETCH_DEADLINE_SECONDS = env_int("CUPURE_FETCH_DEADLINE_SECONDS", 20, minimum=1, maximum=300)
FETCH_MAX_FEED_BYTES = env_int(
    "CUPURE_FETCH_MAX_FEED_BYTES", 10 * 1024 * 1024, minimum=1024, maximum=15 << 20
)
FETCH_MAX_PAGE_BYTES = env_int("CUPURE_FETCH_MAX_PAGE_BYTES", 5 * 1024 * 1024, minimum=1024, maximum=15 << 20)
FETCH_PER_HOST = env_int("CUPURE_FETCH_PER_HOST", 2, minimum=1, maximum=16)
FETCH_CONCURRENCY = env_int("CUPURE_FETCH_CONCURRENCY", 20, minimum=1, maximum=500)
FETCH_RESPECT_ROBOTS = env_bool("CUPURE_FETCH_RESPECT_ROBOTS", True)
POLL_MIN_SECONDS = env_int("CUPURE_POLL_MIN_SECONDS", 300, minimum=1)
POLL_MAX_SECONDS = env_int("CUPURE_POLL_MAX_SECONDS", 86400, minimum=60)
POLL_DEFAULT_SECONDS = env_int("CUPURE_POLL_DEFAULT_SECONDS", 900, minimum=1)
if POLL_MIN_SECONDS > POLL_MAX_SECONDS:
    raise ImproperlyConfigured("CUPURE_POLL_MIN_SECONDS must not exceed CUPURE_POLL_MAX_SECONDS")

TRENDING_MIN_SOURCES = env_int("CUPURE_TRENDING_MIN_SOURCES", 2, minimum=1)
TRENDING_SIZE = env_int("CUPURE_TRENDING_SIZE", 10, minimum=1, maximum=30)
COMMENTS_CLOSE_AFTER_DAYS = env_int("CUPURE_COMMENTS_CLOSE_AFTER_DAYS", 30, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "kv": {
            "class": "cupure.lib.logfmt.KeyValueFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": env_str("CUPURE_LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    # Huey's consumer adds a handler of its own to "huey" unless one is configured, and the record then
    # reaches the root handler too: every worker line was printed twice, in two formats.
    "loggers": {"huey": {"handlers": ["console"], "propagate": False}},
}

# accounts & comments (cupure/accounts, cupure/comments; numbers from SECURITY.md section 6)
COMMENTS_MAX_LENGTH = env_int("CUPURE_COMMENTS_MAX_LENGTH", 5000, minimum=100, maximum=20000)
COMMENTS_MAX_DEPTH = env_int("CUPURE_COMMENTS_MAX_DEPTH", 6, minimum=1, maximum=20)
COMMENTS_EDIT_MINUTES = env_int("CUPURE_COMMENTS_EDIT_MINUTES", 15, minimum=0)
COMMENTS_FORM_MIN_SECONDS = env_int("CUPURE_COMMENTS_FORM_MIN_SECONDS", 3, minimum=0)
COMMENTS_FORM_MAX_SECONDS = env_int("CUPURE_COMMENTS_FORM_MAX_SECONDS", 7200, minimum=60)
COMMENTS_DUPLICATE_SECONDS = env_int("CUPURE_COMMENTS_DUPLICATE_SECONDS", 300, minimum=0)
COMMENTS_NEW_ACCOUNT_HOURS = env_int("CUPURE_COMMENTS_NEW_ACCOUNT_HOURS", 24, minimum=0)
COMMENTS_TRUSTED_APPROVED = env_int("CUPURE_COMMENTS_TRUSTED_APPROVED", 3, minimum=0)
COMMENTS_NEW_ACCOUNT_MAX_LINKS = env_int("CUPURE_COMMENTS_NEW_ACCOUNT_MAX_LINKS", 2, minimum=0)
COMMENTS_FLAGS_TO_HIDE = env_int("CUPURE_COMMENTS_FLAGS_TO_HIDE", 3, minimum=1)
COMMENTS_HELD_PURGE_DAYS = env_int("CUPURE_COMMENTS_HELD_PURGE_DAYS", 30, minimum=1)
ACCOUNTS_VERIFY_EMAIL_DAYS = env_int("CUPURE_ACCOUNTS_VERIFY_EMAIL_DAYS", 3, minimum=1)
