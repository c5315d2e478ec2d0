"""The hot paths stay lean: the page-serve hook and the quiz-submit receiver."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learning.models import Progress, ProgressStatus, StudyTime
from learning.progress import services
from quizzes import services as quiz_services
from quizzes.signals import attempt_submitted
from tests.learning.factories import make_course
from tests.quizzes.factories import make_question, make_quiz
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


def test_visit_is_one_read_and_one_upsert(classroom, django_assert_max_num_queries):
    student = make_student(classroom)
    course, lessons = make_course(lessons=2)
    [services.course_id_of(lesson) for lesson in lessons]  # warm the course-of cache, as a running server has it
    with django_assert_max_num_queries(2):  # previous-visit read + upsert of lesson and course
        services.record_visit(student=student, page=lessons[0])
    rows = {p.page_id: p for p in Progress.objects.filter(student=student)}
    assert rows[lessons[0].pk].status == ProgressStatus.IN_PROGRESS and rows[lessons[0].pk].last_seen_at
    assert rows[course.pk].status == ProgressStatus.IN_PROGRESS and rows[course.pk].last_seen_at is None
    assert rows[lessons[0].pk].course_id == course.pk
    # A later view credits the time to the previous page: 2 more small writes at most.
    later = timezone.now() + timedelta(minutes=3)
    with django_assert_max_num_queries(4):
        services.record_visit(student=student, page=lessons[1], now=later)
    assert 170 <= Progress.objects.get(student=student, page=lessons[0]).seconds_spent <= 190
    assert StudyTime.objects.get(student=student).seconds == Progress.objects.get(page=lessons[0]).seconds_spent


def test_visit_keeps_a_completed_page_completed(classroom):
    student = make_student(classroom)
    course, lessons = make_course(lessons=1)
    services.complete_lesson(student=student, lesson=lessons[0])
    started = Progress.objects.get(student=student, page=lessons[0]).started_at
    services.record_visit(student=student, page=lessons[0])
    p = Progress.objects.get(student=student, page=lessons[0])
    assert p.status == ProgressStatus.COMPLETED and p.started_at == started


def test_submit_receiver_is_five_queries_and_repeat_changes_nothing(
    classroom, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    q = make_question("single")
    quiz = make_quiz(questions=[q], pass_mark=60)
    student = make_student(classroom)
    wrong = q.choices.get(text="Wrong").pk
    attempt = quiz_services.start_attempt(student=student, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=False):
        attempt = quiz_services.submit_attempt(attempt_id=attempt.pk, student=student, answers={q.pk: wrong})
    services.course_id_of(quiz)  # warm the course-of cache, as a running server has it
    # Read the attempts, upsert the quiz row; then the school overview's figures of the
    # student's classes, in the same transaction: lock the classes, aggregate, one upsert.
    with django_assert_max_num_queries(5):
        services.sync_quiz(student=student, quiz=quiz, attempt=attempt)
    p = Progress.objects.get(student=student, page=quiz)
    assert (p.attempts, p.failed_attempts, p.passed, p.status) == (1, 1, False, ProgressStatus.IN_PROGRESS)
    before = list(Progress.objects.values_list("attempts", "failed_attempts", "best_score", "grade_score", "status"))
    attempt_submitted.send(sender=type(attempt), attempt=attempt, student=student, quiz_id=quiz.pk)
    after = list(Progress.objects.values_list("attempts", "failed_attempts", "best_score", "grade_score", "status"))
    assert before == after
