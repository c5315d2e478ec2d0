import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Django, Wagtail and their imports leave about 260,000 objects that live as long as the process.
# Python's full collection walks every one of them (about 100 ms here) every few hundred
# requests, which came to 0.6 ms per quiz submit (bench/_profile_quiz_submit.py). Frozen, they
# are left out of every collection; what requests allocate is collected as before.
gc.collect()
gc.freeze()
