import os

from django.core.wsgi import get_wsgi_application

from config import celery_app
from config.runtime import settle_garbage_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()


def _settle():
    """Finish start-up before the first request. A process's first broker message imports the
    broker's transport module (tens of milliseconds, once): a quiz submit should not be the one
    to pay for it. Then the start-up objects leave garbage collection (config/runtime.py)."""
    celery_app.connection_for_write().release()  # resolves (imports) the transport; connects to nothing
    settle_garbage_collector()


_settle()
