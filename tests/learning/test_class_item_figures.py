"""The school overview reads pre-aggregated per-(class, page) figures (learning.progress.figures).
They must always equal what the overview used to compute from every progress row: checked
here after every kind of write, made through the services."""

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count, Q

from learning.assignments.services import withdraw_assignment
from learning.dashboards import selectors
from learning.models import ClassItemFigures, Progress, ProgressStatus
from learning.progress import services as progress_services
from schools.models import Enrollment
from tests.learning.factories import add_quiz, answer_quiz, assign, make_course, open_page, progress, read
from tests.schools.factories import ClassroomFactory, make_student

pytestmark = pytest.mark.django_db


def old_way():
    """(class, page) -> (completed, average grade or None): the overview's former aggregate
    over every progress row of every enrolled student."""
    rows = (
        Progress.objects.filter(student__enrollments__isnull=False)
        .values("student__enrollments__classroom_id", "page_id")
        .annotate(
            done=Count("pk", filter=Q(status=ProgressStatus.COMPLETED)),
            score=Avg("grade_score", filter=Q(attempts__gt=0)),
        )
    )
    return {
        (r["student__enrollments__classroom_id"], r["page_id"]): (r["done"], r["score"])
        for r in rows
        if r["done"] or r["score"] is not None
    }


def stored():
    return {
        (f.classroom_id, f.page_id): (f.completed, f.score_sum / f.scored if f.scored else None)
        for f in ClassItemFigures.objects.all()
        if f.counts
    }


def check():
    expected, got = old_way(), stored()
    assert set(got) == set(expected)
    for key, (done, score) in expected.items():
        assert got[key][0] == done, key
        assert (got[key][1] is None) == (score is None), key
        if score is not None:
            assert got[key][1] == pytest.approx(score, abs=1e-9), key


def _completion(school):
    return {r["class"].name: r["completion"] for r in selectors.school_overview(school=school)["classes"]}


def test_figures_equal_the_old_aggregate_through_every_write(teacher, classroom):
    classroom.name = "A"
    classroom.save()
    other = ClassroomFactory(school=classroom.school, name="B", teachers=[teacher])
    course, lessons = make_course(lessons=2)
    quiz = add_quiz(course)
    assignments = {}
    for c in (classroom, other):
        for item in (course, lessons[0], lessons[1], quiz):
            assignments[(c.pk, item.pk)] = assign(c, item, teacher=teacher)
    s1, s2, s3 = (make_student(classroom) for _ in range(3))
    s4 = make_student(other)
    Enrollment.objects.create(student=s2, classroom=other)  # s2 is in both classes
    check()

    read(s1, lessons[0])
    read(s1, lessons[1])
    answer_quiz(s1, quiz, right=True)  # s1 completes the course too
    answer_quiz(s2, quiz, right=False, times=2)
    read(s2, lessons[0])
    open_page(s3, lessons[1])
    read(s4, lessons[0])
    answer_quiz(s4, quiz, right=True)
    check()
    assert ClassItemFigures.objects.get(classroom=classroom, page=course).completed == 1
    # A: 3 students × 4 items = 12 expected; done: s1 4 (course, 2 lessons, quiz), s2 1 -> 41%.
    # B: 2 students (s2, s4) × 4 = 8; done: s2 1 (lesson), s4 2 (lesson, quiz) -> 37%.
    assert _completion(classroom.school) == {"A": 41, "B": 37}

    # A lesson un-marked: the lesson and the course it had completed go back in progress.
    progress_services.uncomplete_lesson(student=s1, lesson=lessons[1])  # courses' signal's receiver
    check()
    assert ClassItemFigures.objects.get(classroom=classroom, page=course).completed == 0
    assert _completion(classroom.school) == {"A": 25, "B": 37}

    # A withdrawn assignment: the figures stay, the overview leaves the item out.
    withdraw_assignment(assignment=assignments[(other.pk, quiz.pk)])
    check()
    assert _completion(classroom.school)["B"] == 33  # 2 of 6 (the lesson, for s2 and s4)

    # A progress row written directly (as the factories and the admin may).
    progress(s3, lessons[1])
    check()

    # A student leaves a class and joins the other; then a student is deleted.
    Enrollment.objects.filter(student=s1, classroom=classroom).delete()
    check()
    Enrollment.objects.create(student=s1, classroom=other)
    check()
    s4.delete()
    check()

    # The rebuild gives the same rows.
    before = stored()
    ClassItemFigures.objects.all().delete()
    call_command("rebuild_class_item_figures", verbosity=0)
    assert stored() == before


def test_opening_a_page_adds_nothing_and_reading_it_counts(classroom):
    course, lessons = make_course(lessons=1)
    student = make_student(classroom)
    open_page(student, lessons[0])  # raw upsert: nothing in the figures can change
    assert not ClassItemFigures.objects.exists()
    read(student, lessons[0])
    assert ClassItemFigures.objects.get(classroom=classroom, page=lessons[0]).completed == 1
