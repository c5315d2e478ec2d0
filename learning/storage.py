"""Private files of learning: certificates and exports.

They live in STORAGES["private"]: by default PrivateMediaStorage below, under
settings.PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, so no `/media/` URL ever reaches them (not
even `make run`'s DEBUG media route). They are served only by the access-checked views in
learning/views.py. The folder is read from settings on every use, so tests can point it at
a temporary directory (tests/conftest.py).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateMediaStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        # There is no public address for these files: link to the download views instead.
        raise ValueError("Private files have no public URL; use the access-checked download view.")

    def deconstruct(self):
        return ("learning.storage.PrivateMediaStorage", (), {})


def private_media():
    """The storage of certificates and exports: STORAGES["private"] (a PrivateMediaStorage
    locally; a private object-storage prefix in production when media are on S3)."""
    return storages["private"]
