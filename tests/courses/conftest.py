from pathlib import Path

import pytest

from courses.curriculum import HERE
from courses.models import CoursePage


@pytest.fixture
def course(catalogue):
    return CoursePage.objects.get(slug="digital-citizenship")


@pytest.fixture
def lessons(course):
    return list(course.lessons())


@pytest.fixture
def curriculum_path() -> Path:
    return HERE
