"""Tests: fast hashing, eager Celery, in-memory SQLite unless DATABASE_URL says otherwise."""

import os

from .base import *  # noqa: F401,F403
from .base import DATABASES, VAR_DIR

DEBUG = False
if not os.environ.get("DATABASE_URL"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run in-process unless a test starts a real worker (tests/worker.py).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("NETWISE_CELERY_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
# Hand-offs are sent during the request, so a test sees them at once (tests/jobs/test_handoff.py
# and the real-worker test batch them).
JOBS_HANDOFF_BATCH_SECONDS = 0
# Wagtail's own background tasks run immediately (as in bakerydemo's test settings).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
AXES_ENABLED = True
WAGTAILADMIN_BASE_URL = "http://testserver"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
