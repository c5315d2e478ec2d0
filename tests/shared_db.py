"""Rows several tests of one module read, written once for the module.

`module_transaction(django_db_blocker, media_root)` opens a transaction (and points
MEDIA_ROOT at media_root) for a module-scoped fixture; the fixture writes its rows inside it
and yields; the transaction is rolled back after the module's last test. Each test still runs
in its own savepoint inside it (pytest-django's `db`), so what one test changes the next never
sees. Only for modules whose tests are not transactional (`transaction=True` would flush the
shared rows). Use it where building the rows costs seconds of CPU per test."""

from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import override_settings

# The marks of a PostgreSQL race test (row locks, concurrent connections). Skipped at collection,
# before the database fixture runs: a serialized-rollback test set up and then skipped would
# reload the serialized rows into a database an earlier transactional test's flush has refilled
# (content types under new ids), and fail on SQLite.
POSTGRES_RACE = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (row locks, concurrent connections): run with DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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
