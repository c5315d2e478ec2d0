"""Settings for bench/quiz_submit.py: production-like (no debug, persistent connections and,
when the broker is Redis, production's Redis cache and cached_db sessions), fast test hashing,
plus a bare view to compare against."""

import os

from config.cache import redis_caches
from config.settings.base import *  # noqa: F401,F403
from config.settings.base import DATABASES

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = 60
# As config/settings/production.py (its default): the submit's statements prepared from their
# first run on a connection.
DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("redis://"):
    # As config/settings/production.py: one cache for every worker process, sessions read
    # from it before the database.
    CACHES = redis_caches(CELERY_BROKER_URL)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
ROOT_URLCONF = "bench._quiz_urls"
AXES_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
