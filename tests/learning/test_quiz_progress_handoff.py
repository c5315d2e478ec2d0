"""A submit only scores and stores; quiz progress is refreshed by a worker, and a beat task
finds whatever a lost message (dead broker, killed worker) left undone."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from config.celery import app
from learning.models import Progress, ProgressStatus
from learning.progress import services
from quizzes import services as quiz_services
from quizzes.models import Attempt
from tests.quizzes.factories import form_data, make_question, make_quiz, perfect_answers
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return make_quiz(questions=[make_question("single"), make_question("multiple")], pass_mark=60)


@pytest.fixture
def broker_down(celery_not_eager):
    """Celery not eager, and every publish fails as it does when Redis is unreachable."""
    with mock.patch.object(app, "send_task", side_effect=BrokerDown("Connection refused")) as send:
        yield send


def _submit_over_http(client, student, quiz):
    attempt = quiz_services.start_attempt(student=student, quiz=quiz)
    client.force_login(student)
    data = {**form_data(attempt, perfect_answers(attempt)), "action": "submit"}
    client.get(reverse("quizzes:take", args=[attempt.pk]))  # a page view first, as a learner does
    return attempt, data


def test_submit_request_does_no_progress_work_and_hands_the_pair_off(
    client, classroom, quiz, django_capture_on_commit_callbacks, django_assert_num_queries
):
    student = make_student(classroom)
    attempt, data = _submit_over_http(client, student, quiz)
    url = reverse("quizzes:submit", args=[attempt.pk])
    with mock.patch("jobs.handoff.hand_off") as hand_off:
        # session, user; the attempt (its drawn keys with it: the bank is not read); the close.
        # On PostgreSQL the close is one statement (the attempt update and the responses'
        # upsert), with no transaction around it; on SQLite it is SAVEPOINT, the update, the
        # upsert, RELEASE. Nothing of learning's, nothing for the item statistics (the minute
        # sweep finds the quiz).
        expected = 4 if connection.vendor == "postgresql" else 7
        with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(expected) as queries:
            response = client.post(url, data)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "quizzes_choice" not in sql and "FOR UPDATE" not in sql  # no key read, no row lock
    assert response.status_code == 302 and response["Location"].endswith(f"/attempts/{attempt.pk}/review/")
    hand_off.assert_called_once_with("learning.sync_quiz_progress", student.pk, quiz.pk)
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED
    assert not Progress.objects.filter(student=student, page=quiz).exists()  # the worker's job


def test_eager_mode_runs_the_progress_task_at_once(classroom, quiz, django_capture_on_commit_callbacks):
    student = make_student(classroom)
    attempt = quiz_services.start_attempt(student=student, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    p = Progress.objects.get(student=student, page=quiz)
    assert (p.attempts, p.passed, p.status) == (1, True, ProgressStatus.COMPLETED)


def test_dead_broker_loses_no_progress(classroom, quiz, broker_down, django_capture_on_commit_callbacks):
    students = [make_student(classroom) for _ in range(3)]
    for student in students:
        attempt = quiz_services.start_attempt(student=student, quiz=quiz)
        with django_capture_on_commit_callbacks(execute=True):
            done = quiz_services.submit_attempt(
                attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt)
            )
        assert done.passed  # the learner's result is stored and shown whatever the broker does
    assert broker_down.call_count >= 3
    assert not Progress.objects.filter(page=quiz).exists()
    assert services.quiz_progress_behind() == sorted((s.pk, quiz.pk) for s in students)

    assert services.reconcile_quiz_progress() == 3  # what beat runs every two minutes
    rows = Progress.objects.filter(page=quiz).order_by("student_id")
    assert [(p.student_id, p.attempts, p.passed) for p in rows] == [(s.pk, 1, True) for s in students]
    assert services.quiz_progress_behind() == []
    assert services.reconcile_quiz_progress() == 0


def test_behind_is_found_when_a_later_attempt_was_missed(classroom, quiz, django_capture_on_commit_callbacks):
    student = make_student(classroom)
    first = quiz_services.start_attempt(student=student, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.submit_attempt(attempt_id=first.pk, student=student, answers={})
    assert Progress.objects.get(student=student, page=quiz).attempts == 1
    second = quiz_services.start_attempt(student=student, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=False):  # the message never went out
        quiz_services.submit_attempt(attempt_id=second.pk, student=student, answers=perfect_answers(second))
    assert services.quiz_progress_behind() == [(student.pk, quiz.pk)]
    services.reconcile_quiz_progress()
    p = Progress.objects.get(student=student, page=quiz)
    assert (p.attempts, p.failed_attempts, p.passed) == (2, 1, True)


def test_the_sweep_reads_a_fixed_number_of_rows_and_ignores_old_attempts(
    classroom, quiz, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for _ in range(4):
        student = make_student(classroom)
        attempt = quiz_services.start_attempt(student=student, quiz=quiz)
        with django_capture_on_commit_callbacks(execute=True):
            quiz_services.submit_attempt(attempt_id=attempt.pk, student=student, answers={})
    old = make_student(classroom)
    attempt = quiz_services.start_attempt(student=old, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=False):
        quiz_services.submit_attempt(attempt_id=attempt.pk, student=old, answers={})
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    with django_assert_num_queries(3):  # recent pairs, their totals, their progress rows
        assert services.quiz_progress_behind() == []
    assert services.quiz_progress_behind(since=timezone.now() - timedelta(days=4)) == [(old.pk, quiz.pk)]


def test_progress_task_for_a_deleted_student_does_nothing(classroom, quiz):
    from learning.tasks import sync_quiz_progress

    assert sync_quiz_progress.apply(args=(10**9, quiz.pk)).successful()
    assert not Progress.objects.exists()


def test_suppressed_publishing_sends_nothing_and_the_sweep_still_finds_the_gap(
    classroom, quiz, django_capture_on_commit_callbacks
):
    from jobs.services import publishing_suppressed

    student = make_student(classroom)
    attempt = quiz_services.start_attempt(student=student, quiz=quiz)
    with publishing_suppressed(), django_capture_on_commit_callbacks(execute=True):
        quiz_services.submit_attempt(attempt_id=attempt.pk, student=student, answers={})
    assert not Progress.objects.filter(student=student, page=quiz).exists()
    assert services.quiz_progress_behind() == [(student.pk, quiz.pk)]
