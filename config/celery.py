"""The Celery app: settings come from Django's CELERY_* names; tasks from each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("netwise")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="netwise.ping")
def ping():
    """Round trip used by /healthz-style checks and the worker tests."""
    return "pong"
