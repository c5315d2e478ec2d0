"""Settings for bench/quiz_submit.py: production-like (no debug, persistent connections),
fast test hashing, in-memory broker, plus a bare view to compare against."""

import os

from config.settings.base import *  # noqa: F401,F403
from config.settings.base import DATABASES

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = 60
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
ROOT_URLCONF = "bench._quiz_urls"
AXES_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
