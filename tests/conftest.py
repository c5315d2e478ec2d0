"""Shared fixtures: one account of each kind, and a small seeded catalogue. Fixtures only one
app's tests use live in tests/<app>/conftest.py; a fixture two apps need lives here, once."""

import shutil

import pytest
from django.utils import translation

from config.celery import app
from courses import seed
from courses.curriculum import HERE
from courses.models import CourseIndexPage
from tests.accounts.factories import (
    EditorFactory,
    GuardianFactory,
    SchoolAdminFactory,
    StudentFactory,
    TeacherFactory,
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`make test`, .ci/run: -n 2 --dist loadgroup) the tests that start
    real Celery workers all run on one xdist worker, one after another: their Celery workers
    consume CI's one Redis queue, and one must never take another test's task."""
    for item in items:
        if item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.xdist_group("celery-worker"))
    # Serialized-rollback tests first (pytest-django then sorts the transactional tests after
    # the others, keeping this order): each reloads the rows migrations made, by primary key,
    # which only works before any other transactional test's flush has made them again under
    # new ids (UNIQUE constraint failed: django_content_type...).
    items.sort(key=lambda item: not _serialized_rollback(item))


def _serialized_rollback(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("serialized_rollback"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A serialized-rollback test's teardown flushes every table and, unlike any other
    transactional test's, sends no post_migrate (Django expects the next such test to reload
    the rows itself). The transactional test after it would then find no content types, no
    permissions and none of the rows data migrations made. Put them back here, as they were
    after migrating, with the sequences moved past them."""
    result = yield
    # Last test of the session (nextitem None): its teardown has dropped the test database.
    if nextitem is None:
        return result
    if _serialized_rollback(item) and "_django_db_helper" in (getattr(item, "funcargs", None) or {}):
        _reload_migrated_rows(item.config)
    return result


def _reload_migrated_rows(config):
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


@pytest.fixture
def celery_not_eager():
    """Celery publishes instead of running tasks in-process (the test settings make it eager)."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = eager


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


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language: a request through the test client
    activates the user's language in this thread (accounts.middleware, LocaleMiddleware) and
    Django leaves it active after the response, so one Chinese walk would otherwise change
    what the next test reads."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def curriculum_dir(tmp_path):
    """A copy of two curriculum files (and their teacher guides), so most tests seed in a
    fraction of the time."""
    target = tmp_path / "curriculum"
    (target / "guides").mkdir(parents=True)
    for name in ("m01-digital-citizenship.yaml", "m07-cyberbullying.yaml"):
        shutil.copy(HERE / name, target / name)
        shutil.copy(HERE / "guides" / name, target / "guides" / name)
    return target


@pytest.fixture
def catalogue(db, curriculum_dir):
    """Two courses seeded under the site's catalogue root; returns the CourseIndexPage."""
    seed.run(directory=curriculum_dir)
    return CourseIndexPage.objects.get(slug=seed.INDEX_SLUG)


@pytest.fixture
def versions_dir(tmp_path):
    """M1 with its Chinese file, teacher guides and age versions (versions/, issue 17)."""
    name = "m01-digital-citizenship.yaml"
    target = tmp_path / "versioned-curriculum"
    for folder in ("guides", "zh-hans", "versions"):
        (target / folder).mkdir(parents=True)
        shutil.copy(HERE / folder / name, target / folder / name)
    shutil.copy(HERE / name, target / name)
    return target


@pytest.fixture
def versioned_lessons(db, versions_dir):
    """M1 seeded in both languages with its age versions: {slug: English LessonPage}."""
    from courses.models import LessonPage

    seed.run(directory=versions_dir)
    return {lesson.slug: lesson for lesson in LessonPage.objects.filter(locale__language_code="en")}
