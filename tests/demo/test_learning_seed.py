"""The demo's learning history: the course page (lesson completions) and progress agree.

One test, as it runs the whole seed (about a minute): the curriculum, the quiz bank and
eight weeks of history for every demo class."""

from collections import Counter
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from courses.models import CoursePage, LessonCompletion
from demo.seeds import learning as learning_seed
from jobs.services import publishing_suppressed
from learning.models import ItemKind, Progress, ProgressStatus


def _lessons_done_by_progress():
    """{(student id, course id): lessons the progress rows say are completed}."""
    return Counter(
        Progress.objects.filter(kind=ItemKind.LESSON, status=ProgressStatus.COMPLETED).values_list(
            "student_id", "course_id"
        )
    )


def _progress_history():
    return set(
        Progress.objects.values_list("student_id", "page_id", "status", "percent", "completed_at", "last_seen_at")
    )


def _disagreements(students, courses):
    done = _lessons_done_by_progress()
    return [
        (student.username, course.title, course.outline(user=student)["done_count"], done[(student.pk, course.pk)])
        for student in students
        for course in courses
        if course.outline(user=student)["done_count"] != done[(student.pk, course.pk)]
    ]


def _seed_learning_again():
    with publishing_suppressed(), transaction.atomic():  # as seed_demo runs each step
        learning_seed.run()


def test_demo_course_pages_count_the_lessons_progress_counts(client, db):
    """For every demo student and course, "N of M lessons done" on the course page is the
    number of lessons their progress shows completed; a rerun keeps it so, and repairs a demo
    database seeded before completions were recorded."""
    call_command("seed_demo", stdout=StringIO())
    students = list(User.objects.students().order_by("username"))
    courses = list(CoursePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path"))
    done = _lessons_done_by_progress()
    assert len(students) > 60 and len(courses) > 3
    assert sum(done.values()) > 100  # the seed made a real history
    assert not _disagreements(students, courses)

    # The course page itself, for the demo's own student.
    student = User.objects.get(username="student")
    client.force_login(student)
    for course in courses:
        lessons = course.outline(user=student)["lesson_count"]
        text = client.get(course.url).content.decode()
        assert f"{done[(student.pk, course.pk)]} of {lessons} lessons done" in text, course.title

    # Seeding again changes nothing; it also records the completions an older seed left out.
    completions = set(LessonCompletion.objects.values_list("user_id", "lesson_id", "completed_at"))
    history = _progress_history()
    _seed_learning_again()
    assert set(LessonCompletion.objects.values_list("user_id", "lesson_id", "completed_at")) == completions
    LessonCompletion.objects.all().delete()  # a demo database from before: progress rows only
    _seed_learning_again()
    assert set(LessonCompletion.objects.values_list("user_id", "lesson_id", "completed_at")) == completions
    assert _progress_history() == history
