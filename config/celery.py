"""The Celery app: settings come from Django's CELERY_* names; tasks from each app's tasks.py.

No default settings module here: this module is imported with the `config` package, so a
default set here would win over config/wsgi.py's and config/asgi.py's (production), and a web
process started without DJANGO_SETTINGS_MODULE would run the development settings (DEBUG on).
`make worker`/`make beat` and scripts/run_local.py name the development settings themselves."""

from celery import Celery

app = Celery("netwise")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="netwise.ping")
def ping():
    """Round trip used by /healthz-style checks and the worker tests."""
    return "pong"
