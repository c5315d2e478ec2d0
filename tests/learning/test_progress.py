from datetime import timedelta

import pytest
from django.utils import timezone

from courses.services import mark_lesson_done
from learning import services
from learning.models import Progress, ProgressStatus, StudyTime

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


def test_quiz_results_keep_best_last_and_failures(pupil, course_and_lessons):
    course, lessons = course_and_lessons
    # Any page can stand in for a quiz for the arithmetic.
    now = timezone.now()
    p = services.apply_quiz_results(
        student=pupil,
        quiz=lessons[1],
        results=[(40, False, now - timedelta(hours=2)), (90, True, now), (50, False, now - timedelta(hours=1))],
    )
    assert (p.attempts, p.failed_attempts, p.best_score, p.last_score, p.passed) == (3, 2, 90, 90, True)
    assert p.status == ProgressStatus.COMPLETED


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
