"""Moving certificate and export files out of the public media storage (migration 0002)."""

import logging
import os

from .storage import private_media

logger = logging.getLogger("netwise.learning.files")


def move_public_files_to_private(Certificate, Export, *, public, private=None) -> int:
    """Move every certificate and export file still under `public` (MEDIA_ROOT) into the
    private storage, keeping its name; return how many moved. Idempotent."""
    private = private or private_media()
    names = set()
    for png, pdf in Certificate.objects.values_list("png", "pdf"):
        names.update(n for n in (png, pdf) if n)
    names.update(n for n in Export.objects.values_list("file", flat=True) if n)
    moved = 0
    for name in sorted(names):
        if not public.exists(name):
            continue
        if not private.exists(name):
            with public.open(name, "rb") as source:
                private.save(name, source)
        public.delete(name)
        moved += 1
        _remove_empty_parents(public, name)
    if moved:
        logger.info("Moved %s certificate/export files out of MEDIA_ROOT", moved)
    return moved


def _remove_empty_parents(storage, name):
    try:
        folder = os.path.dirname(storage.path(name))
    except NotImplementedError:  # object storage has no folders to tidy
        return
    root = os.path.abspath(storage.location)
    while folder.startswith(root + os.sep):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)
