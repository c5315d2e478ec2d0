import gc
import os

from django.core.wsgi import get_wsgi_application

from config.celery import app as celery_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()


def _settle():
    """Finish start-up before the first request.

    - A process's first broker message imports the broker's transport module (tens of
      milliseconds, once): a quiz submit should not be the one to pay for it.
    - Django, Wagtail and their imports leave about 260,000 objects that live as long as the
      process. Python's full collection walks every one of them (about 100 ms here) every few
      hundred requests, which came to 0.6 ms per quiz submit (bench/_profile_quiz_submit.py).
      Frozen, they are left out of every collection; what requests allocate is collected as
      before.
    """
    celery_app.connection_for_write().release()  # resolves (imports) the transport; connects to nothing
    gc.collect()
    gc.freeze()


_settle()
