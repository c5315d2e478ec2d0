"""Exactly once under real concurrency: many threads, each with its own PostgreSQL
connection, race to submit (or start) the same attempt."""

import threading

from django.db import connection
from django.test import Client
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt, Response
from quizzes.signals import attempt_submitted
from tests.quizzes.factories import form_data, perfect_answers
from tests.shared_db import POSTGRES_RACE

pytestmark = POSTGRES_RACE
THREADS = 50


def _race(target, n=THREADS):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results.append(target(i))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def test_fifty_threads_submitting_one_attempt_grade_it_once(quiz, student):
    attempt = services.start_attempt(student=student, quiz=quiz)
    answers = perfect_answers(attempt)
    sent = []
    attempt_submitted.connect(lambda sender, attempt, **kw: sent.append(attempt.pk), weak=False, dispatch_uid="race")
    try:

        def submit(i):
            done = services.submit_attempt(attempt_id=attempt.pk, student=student, answers=answers if i % 2 else {})
            return (done.pk, done.score, done.percent, done.submitted_at)

        results, errors = _race(submit)
    finally:
        attempt_submitted.disconnect(dispatch_uid="race")
    assert errors == []
    assert len(results) == THREADS and len(set(results)) == 1
    assert Attempt.objects.filter(status=Attempt.Status.SUBMITTED).count() == 1
    assert Attempt.objects.count() == 1
    assert Response.objects.filter(attempt=attempt).count() == len(attempt.layout)
    assert sent == [attempt.pk]


def test_fifty_threads_starting_one_quiz_share_one_open_attempt(quiz, student):
    results, errors = _race(lambda i: services.start_attempt(student=student, quiz=quiz).pk)
    assert errors == []
    assert len(set(results)) == 1
    assert Attempt.objects.filter(student=student, quiz=quiz).count() == 1


def test_tabs_posting_submit_at_once_through_http_see_the_same_result(quiz, student):
    attempt = services.start_attempt(student=student, quiz=quiz)
    data = {**form_data(attempt, perfect_answers(attempt)), "action": "submit"}
    url = reverse("quizzes:submit", args=[attempt.pk])

    def post(i):
        client = Client()
        client.force_login(student)
        response = client.post(url, data)
        return response.status_code, response.get("Location")

    results, errors = _race(post, n=12)
    assert errors == []
    assert set(results) == {(302, reverse("quizzes:review", args=[attempt.pk]))}
    assert Attempt.objects.get().percent == 100
