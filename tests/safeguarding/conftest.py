import pytest

from tests.safeguarding.factories import designate, make_teacher
from tests.schools.factories import SchoolFactory, make_school_admin, make_student


@pytest.fixture
def school(db):
    return SchoolFactory(name="Riverside Middle School", slug="riverside")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="Hillside School", slug="hillside")


@pytest.fixture
def pupil(school):
    return make_student(school=school, username="pupil-a")


@pytest.fixture
def lead(school):
    teacher = make_teacher(school, username="lead-teacher")
    designate(school, teacher)
    return teacher


@pytest.fixture
def plain_teacher(school):
    return make_teacher(school, username="plain-teacher")


@pytest.fixture
def head(school):
    return make_school_admin(school, username="head-a")
