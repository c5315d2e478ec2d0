import pytest

from tests.accounts.factories import GuardianFactory, StudentFactory, TeacherFactory
from tests.schools.factories import (
    ClassroomFactory,
    SchoolFactory,
    link_guardian,
    make_school_admin,
    make_student,
)


class World:
    """Two schools; in school A two classes with one teacher each; guardians linked."""


@pytest.fixture
def world(db):
    w = World()
    w.school = SchoolFactory(name="Riverside", slug="riverside-t")
    w.other_school = SchoolFactory(name="Hillside", slug="hillside-t")
    w.teacher = TeacherFactory(username="t.one")
    w.other_teacher = TeacherFactory(username="t.two")
    w.classroom = ClassroomFactory(school=w.school, teachers=[w.teacher], name="7A")
    w.other_classroom = ClassroomFactory(school=w.school, teachers=[w.other_teacher], name="7B")
    w.student = make_student(w.classroom, username="s.one", under_14=True)
    w.other_student = make_student(w.other_classroom, username="s.two")
    w.guardian = link_guardian(w.student, GuardianFactory(username="g.one"))
    w.other_guardian = link_guardian(w.other_student, GuardianFactory(username="g.two"))
    w.school_admin = make_school_admin(w.school, username="a.one")
    w.other_admin = make_school_admin(w.other_school, username="a.two")
    w.far_teacher = TeacherFactory(username="t.far")
    w.far_classroom = ClassroomFactory(school=w.other_school, teachers=[w.far_teacher], name="H1")
    w.far_student = make_student(w.far_classroom, username="s.far")
    w.loose_student = StudentFactory(username="s.loose")
    return w
