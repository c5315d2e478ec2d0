"""The URLconf `make run` serves (DEBUG adds the public /media/ route over MEDIA_ROOT), for
tests that run with DEBUG off: the same static-serve view ahead of the project's URLs."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns


def media(request, path):
    # MEDIA_ROOT read per request: tests/conftest.py gives every test its own folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *project_urlpatterns]
