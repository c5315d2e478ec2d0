"""A small district: two schools, a class of 6 and a class of 3 in one, a class of 8 in the
other, one module (dimensions M and S, a lesson and a quiz) assigned to all three classes."""

from dataclasses import dataclass, field

import pytest

from courses.models import CoursePage
from districts import aggregates
from learning.models import ItemKind, ProgressStatus
from safeguarding.models import Report
from tests.accounts.factories import TeacherFactory
from tests.districts.factories import make_district, make_officer
from tests.learning.factories import assign, make_course, progress
from tests.quizzes.factories import make_question, make_quiz
from tests.schools.factories import ClassroomFactory, SchoolFactory, make_school_admin, make_student


@dataclass
class DistrictWorld:
    people: list = field(default_factory=list)  # every student and teacher


def _class(w, school, grade, name, size, teacher_name):
    teacher = TeacherFactory(username=f"t.{name.lower()}.kid", display_name=teacher_name)
    w.people.append(teacher)
    classroom = ClassroomFactory(school=school, grade=grade, teachers=[teacher], name=name)
    students = [
        make_student(
            classroom,
            grade=grade,
            username=f"kid.{name.lower()}.{i}",
            display_name=f"Quinn Kidname {name}{i}",
        )
        for i in range(size)
    ]
    w.people.extend(students)
    return classroom, students


def _done(student, course, quiz, *, passed=True, score=80.0):
    progress(student, course, kind=ItemKind.COURSE)
    progress(
        student,
        quiz,
        kind=ItemKind.QUIZ,
        attempts=1,
        passed=passed,
        grade_score=score,
        best_score=score,
        last_score=score,
    )


@pytest.fixture
def district_world(db):
    w = DistrictWorld()
    w.course, lessons = make_course(lessons=1, title="Privacy basics")
    CoursePage.objects.filter(pk=w.course.pk).update(dimensions="MS")
    w.quiz = make_quiz(course=w.course, slug="district-quiz", questions=[make_question()])
    w.unassigned, _ = make_course(lessons=1, title="Passwords")
    w.school = SchoolFactory(name="North Middle School", slug="north-ms")
    w.other_school = SchoolFactory(name="South Primary School", slug="south-ps")
    w.big, big = _class(w, w.school, 7, "A7", 6, "Teacher Alvarez")
    w.small, small = _class(w, w.school, 8, "B8", 3, "Teacher Brightwater")
    w.south, south = _class(w, w.other_school, 5, "C5", 8, "Teacher Castellano")
    for classroom in (w.big, w.small, w.south):
        assign(classroom, w.course)
    for s in big[:4]:
        _done(s, w.course, w.quiz, score=90.0)
    progress(big[4], lessons[0])
    for s in small:
        _done(s, w.course, w.quiz, score=40.0, passed=False)
    for s in south[:6]:
        _done(s, w.course, w.quiz, passed=True, score=70.0)
    for s in south[:2]:
        progress(s, w.course, kind=ItemKind.COURSE, status=ProgressStatus.IN_PROGRESS)
    for s in big[:2]:
        Report.objects.create(student=s, school=w.school, kind="other", description="Something happened.")
    for s in south[:6]:
        Report.objects.create(student=s, school=w.other_school, kind="other", description="Something happened.")
    w.officer = make_officer(username="officer.one", display_name="Officer One")
    w.district = make_district(w.school, w.other_school, officer=w.officer, name="Lakeside District Bureau")
    w.far_school = SchoolFactory(name="Far School", slug="far-s")
    w.other_officer = make_officer(username="officer.two", display_name="Officer Two")
    w.other_district = make_district(w.far_school, officer=w.other_officer, name="Far District")
    w.school_admin = make_school_admin(w.school, username="head.north")
    aggregates.refresh()
    return w
