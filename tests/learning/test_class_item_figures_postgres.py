"""The per-class figures under real concurrency (PostgreSQL): many students of one class
write progress at once, and one student finishes a course from two sides at once (a lesson
read while the worker records a passed quiz). No deadlock, no lost update: the figures equal
the aggregate over every progress row afterwards."""

import threading

from django.db import connection

from learning.models import ClassItemFigures
from schools.models import Enrollment
from tests.learning.factories import add_quiz, answer_quiz, assign, make_course, read
from tests.learning.test_class_item_figures import check
from tests.schools.factories import ClassroomFactory, make_student
from tests.shared_db import POSTGRES_RACE

pytestmark = POSTGRES_RACE
STUDENTS = 12


def _race(jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_concurrent_writers_in_one_class_lose_nothing(teacher):
    classroom = ClassroomFactory(teachers=[teacher])
    other = ClassroomFactory(school=classroom.school, teachers=[teacher])
    course, lessons = make_course(lessons=2)
    quiz = add_quiz(course)
    for c in (classroom, other):
        for item in (course, *lessons, quiz):
            assign(c, item, teacher=teacher)
    students = [make_student(classroom) for _ in range(STUDENTS)]
    for s in students[::3]:  # some are in both classes (overlapping class locks)
        Enrollment.objects.create(student=s, classroom=other)
    for s in students:
        read(s, lessons[0])
    jobs = []
    for s in students:
        jobs.append(lambda s=s: read(s, lessons[1]))
        jobs.append(lambda s=s: answer_quiz(s, quiz, right=True))
    errors = _race(jobs)
    assert errors == []
    check()
    assert ClassItemFigures.objects.get(classroom=classroom, page=course).completed == STUDENTS
