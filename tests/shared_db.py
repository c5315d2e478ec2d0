"""Rows several tests of one module read, written once for the module.

`module_transaction(django_db_blocker, media_root)` opens a transaction (and points
MEDIA_ROOT at media_root) for a module-scoped fixture; the fixture writes its rows inside it
and yields; the transaction is rolled back after the module's last test. Each test still runs
in its own savepoint inside it (pytest-django's `db`), so what one test changes the next never
sees. Only for modules whose tests are not transactional (`transaction=True` would flush the
shared rows). Use it where building the rows costs seconds of CPU per test."""

from contextlib import contextmanager

from django.db import transaction
from django.test.utils import override_settings


@contextmanager
def module_transaction(django_db_blocker, media_root):
    media = override_settings(MEDIA_ROOT=media_root)
    media.enable()
    outer, entered = transaction.atomic(), False
    try:
        with django_db_blocker.unblock():
            outer.__enter__()
            entered = True

        @contextmanager
        def writing():
            with django_db_blocker.unblock():
                yield

        yield writing
    finally:
        with django_db_blocker.unblock():
            if entered:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
        media.disable()
