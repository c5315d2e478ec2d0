"""Production: everything from the environment; a missing variable stops start-up with one line."""

import os
import sys

import dj_database_url

from config.cache import redis_caches

from .base import *  # noqa: F401,F403
from .base import CONTENT_SECURITY_POLICY

REQUIRED = ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS")


def _require(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(
            f"NetWise production settings: the environment variable {name} is required "
            f"(see docs/deploy.md). Required: {', '.join(REQUIRED)}."
        )
    return value


SECRET_KEY = _require("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    sys.exit("NetWise production settings: SECRET_KEY must be a random string of 50+ characters.")
DATABASES = {"default": dj_database_url.parse(_require("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    sys.exit("NetWise production settings: DATABASE_URL must point at PostgreSQL (postgres://...).")


def _prepare_threshold() -> int | None:
    """The quiz submit's few statements (quizzes/statements.py) bind their parameters on the
    server, and PostgreSQL keeps each one prepared after this many runs on a connection (the
    ORM's own queries are never prepared). 0, the default: from the first run. A connection
    lives a minute (conn_max_age), and each run before the statement is prepared is parsed and
    planned again: at psycopg's own default, 5, a new connection's first submits cost up to
    twice the database CPU of later ones, and bench/quiz_submit.py's submits about 0.3 ms more
    database CPU each (about 1.3 against 0.96 ms). "off" behind a pooler that cannot carry
    prepared statements: pgbouncer in transaction mode before 1.21, or without
    max_prepared_statements."""
    value = os.environ.get("DATABASE_PREPARE_THRESHOLD", "0").strip().lower()
    if value in ("off", "none"):
        return None
    if not value.isdigit():
        sys.exit("NetWise production settings: DATABASE_PREPARE_THRESHOLD must be a whole number or 'off'.")
    return int(value)


DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = _prepare_threshold()
CELERY_BROKER_URL = _require("CELERY_BROKER_URL")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
ALLOWED_HOSTS = [h.strip() for h in _require("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

DEBUG = False
CACHES = redis_caches(os.environ.get("CACHE_URL", CELERY_BROKER_URL))
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Certificates and exports: PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT (a volume shared by web
    # and worker), served only by access-checked views.
    "private": {"BACKEND": "learning.storage.PrivateMediaStorage"},
}
if os.environ.get("MEDIA_S3_BUCKET"):
    # Media on object storage, so app servers stay stateless (docs/deploy.md).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    # Certificates and exports under a private prefix of the same bucket: private ACL, never
    # linked (the views stream them after checking access), so web and worker share them.
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**STORAGES["default"]["OPTIONS"], "location": "private"},
    }

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
SERVER_EMAIL = DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "NetWise <no-reply@example.org>")
