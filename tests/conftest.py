"""Shared fixtures: one account of each kind. App fixtures live in tests/<app>/conftest.py."""

import pytest

from tests.accounts.factories import (
    EditorFactory,
    GuardianFactory,
    SchoolAdminFactory,
    StudentFactory,
    TeacherFactory,
)


@pytest.fixture
def student(db):
    return StudentFactory()


@pytest.fixture
def teacher(db):
    return TeacherFactory()


@pytest.fixture
def guardian(db):
    return GuardianFactory()


@pytest.fixture
def school_admin(db):
    return SchoolAdminFactory()


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Each test writes uploads to its own folder and starts with empty caches (renditions
    too: a rolled-back test's image ids come round again)."""
    from django.core.cache import caches

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SAFEGUARDING_PRIVATE_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    for c in caches.all():
        c.clear()
    yield
    for c in caches.all():
        c.clear()
