import pytest

from tests.learning.factories import make_course
from tests.schools.factories import ClassroomFactory, link_guardian, make_school_admin, make_student


@pytest.fixture
def course_and_lessons(db):
    return make_course(lessons=2)


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(teachers=[teacher])


@pytest.fixture
def pupil(classroom):
    return make_student(classroom, display_name="Pupil One")


@pytest.fixture
def head(classroom):
    return make_school_admin(classroom.school)


@pytest.fixture
def parent(pupil):
    return link_guardian(pupil)


@pytest.fixture
def other_classroom(db):
    from tests.accounts.factories import TeacherFactory

    return ClassroomFactory(teachers=[TeacherFactory()])
