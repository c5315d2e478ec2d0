import shutil
from pathlib import Path

import pytest

from courses import seed
from courses.curriculum import HERE
from courses.models import CourseIndexPage


@pytest.fixture
def curriculum_dir(tmp_path):
    """A copy of two curriculum files, so most tests seed in a fraction of the time."""
    target = tmp_path / "curriculum"
    target.mkdir()
    for name in ("m01-digital-citizenship.yaml", "m07-cyberbullying.yaml"):
        shutil.copy(HERE / name, target / name)
    return target


@pytest.fixture
def catalogue(db, curriculum_dir) -> CourseIndexPage:
    """Two courses seeded under the site's catalogue root."""
    seed.run(directory=curriculum_dir)
    return CourseIndexPage.objects.get(slug=seed.INDEX_SLUG)


@pytest.fixture
def course(catalogue):
    from courses.models import CoursePage

    return CoursePage.objects.get(slug="digital-citizenship")


@pytest.fixture
def lessons(course):
    return list(course.lessons())


@pytest.fixture
def curriculum_path() -> Path:
    return HERE
