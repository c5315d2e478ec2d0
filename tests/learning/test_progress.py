from datetime import timedelta

import pytest
from django.utils import timezone

from courses.services import mark_lesson_done
from learning.models import Progress, ProgressStatus, StudyTime
from learning.progress import services

pytestmark = pytest.mark.django_db


def test_visit_starts_lesson_and_course(pupil, course_and_lessons):
    course, lessons = course_and_lessons
    services.record_visit(student=pupil, page=lessons[0])
    lesson_p = Progress.objects.get(student=pupil, page=lessons[0])
    course_p = Progress.objects.get(student=pupil, page=course)
    assert lesson_p.status == ProgressStatus.IN_PROGRESS
    assert lesson_p.course_id == course.pk
    assert course_p.status == ProgressStatus.IN_PROGRESS


def test_time_between_visits_is_capped_and_long_pauses_not_counted(pupil, course_and_lessons):
    _, lessons = course_and_lessons
    t0 = timezone.now()
    services.record_visit(student=pupil, page=lessons[0], now=t0)
    services.record_visit(student=pupil, page=lessons[1], now=t0 + timedelta(minutes=25))
    assert Progress.objects.get(student=pupil, page=lessons[0]).seconds_spent == services.VISIT_CAP_SECONDS
    services.record_visit(student=pupil, page=lessons[0], now=t0 + timedelta(hours=5))
    assert Progress.objects.get(student=pupil, page=lessons[1]).seconds_spent == 0
    assert StudyTime.objects.get(student=pupil).seconds == services.VISIT_CAP_SECONDS


def test_lesson_completion_signal_from_courses_updates_progress(pupil, course_and_lessons):
    course, lessons = course_and_lessons
    mark_lesson_done(user=pupil, lesson=lessons[0])
    assert Progress.objects.get(student=pupil, page=lessons[0]).status == ProgressStatus.COMPLETED
    course_p = Progress.objects.get(student=pupil, page=course)
    assert course_p.percent == 50
    assert course_p.status == ProgressStatus.IN_PROGRESS


def test_a_backdated_lesson_completion_dates_the_progress_too(pupil, course_and_lessons):
    """`at` (the demo seed's history) dates the completion and, through the signal, the progress."""
    _, lessons = course_and_lessons
    at = timezone.now() - timedelta(days=20)
    completion, created = mark_lesson_done(user=pupil, lesson=lessons[0], at=at)
    completion.refresh_from_db()
    assert created and completion.completed_at == at
    assert Progress.objects.get(student=pupil, page=lessons[0]).completed_at == at
    assert mark_lesson_done(user=pupil, lesson=lessons[0], at=timezone.now())[0].completed_at == at


def test_course_completes_when_every_lesson_done_and_signals_once(
    pupil, course_and_lessons, django_capture_on_commit_callbacks
):
    course, lessons = course_and_lessons
    seen = []

    def listener(sender, student, course, **kwargs):
        seen.append((student.pk, course.pk))

    services.course_completed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for lesson in lessons:
                services.complete_lesson(student=pupil, lesson=lesson)
            services.complete_lesson(student=pupil, lesson=lessons[0])
    finally:
        services.course_completed.disconnect(listener)
    course_p = Progress.objects.get(student=pupil, page=course)
    assert course_p.status == ProgressStatus.COMPLETED and course_p.percent == 100
    assert seen == [(pupil.pk, course.pk)]


@pytest.mark.parametrize("grading,grade", [("highest", 100), ("last", 0), ("average", 33.33)])
def test_quiz_results_keep_best_last_failures_and_the_quizs_grade(pupil, grading, grade):
    from quizzes import services as quiz_services
    from tests.quizzes.factories import make_question, make_quiz

    q = make_question("single")
    quiz = make_quiz(questions=[q], pass_mark=60, grading=grading)
    wrong, right = q.choices.get(text="Wrong").pk, q.choices.get(correct=True).pk
    now = timezone.now()
    for hours, choice in ((3, wrong), (2, right), (1, wrong)):
        quiz_services.record_attempt(
            student=pupil, quiz=quiz, answers={q.pk: choice}, submitted_at=now - timedelta(hours=hours)
        )
    p = services.sync_quiz(student=pupil, quiz=quiz)
    assert (p.attempts, p.failed_attempts, p.best_score, p.last_score, p.passed) == (3, 2, 100, 0, True)
    assert float(p.grade_score) == grade  # the engine's grading rule, applied by quizzes.selectors
    assert p.status == ProgressStatus.COMPLETED and p.completed_at == now - timedelta(hours=2)


def test_only_students_get_progress(teacher, course_and_lessons):
    _, lessons = course_and_lessons
    assert services.record_visit(student=teacher, page=lessons[0]) is None
    assert not Progress.objects.exists()


def test_completing_a_course_issues_a_certificate(pupil, course_and_lessons, django_capture_on_commit_callbacks):
    from learning.models import Certificate

    course, lessons = course_and_lessons
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons:
            services.complete_lesson(student=pupil, lesson=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        pass
    assert Certificate.objects.filter(student=pupil, course=course).exists()
