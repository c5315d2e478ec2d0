"""Background work survives a dead broker and a killed worker (CI's PostgreSQL + Redis pass).

These start real Celery worker processes (tests/worker.py) and skip elsewhere; the SQLite
pass covers the same state machine eagerly in tests/jobs/test_outbox.py.
"""

import socket
import threading
import time
from collections import Counter

import pytest

from jobs import services
from jobs.models import Job
from notifications.models import DeliveryLog
from tests.worker import celery_worker_process  # noqa: F401 - fixture

pytestmark = pytest.mark.worker


def wait_until(predicate, timeout=60, interval=0.2, message="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


def job_status(job):
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


class SmtpSink:
    """aiosmtpd on loopback, recording every recipient it accepts."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.recipients = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with sink.lock:
                    sink.recipients.extend(envelope.rcpt_tos)
                return "250 OK"

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def test_broker_down_then_back_the_queued_job_runs(celery_worker_process, monkeypatch):  # noqa: F811
    from config.celery import app

    dead = "redis://127.0.0.1:1/0"  # nothing listens there
    with monkeypatch.context() as m:
        # Celery reads CELERY_BROKER_URL from the environment before its own settings.
        m.setattr(app.conf, "broker_url", dead)  # saves the real URL before the env changes
        m.setenv("CELERY_BROKER_URL", dead)
        started = time.monotonic()
        job = services.enqueue("netwise.ping")  # autocommit: published "after commit" now
        assert time.monotonic() - started < 10
        assert job_status(job) == Job.Status.PENDING
    celery_worker_process()  # the broker is back; a starting worker sweeps the outbox
    wait_until(lambda: job_status(job) == Job.Status.DONE, message="the queued job to run")
    assert Job.objects.get(pk=job.pk).attempts == 1  # ran once, nothing lost or doubled


def test_kill_9_mid_digest_then_a_new_worker_finishes_without_duplicates(
    celery_worker_process,  # noqa: F811
    monkeypatch,
):
    from tests.accounts.factories import GuardianFactory
    from tests.schools.factories import ClassroomFactory, link_guardian, make_student

    classroom = ClassroomFactory()
    guardians = []
    for i in range(30):
        g = GuardianFactory(email=f"family{i}@example.org")
        link_guardian(make_student(classroom), g)
        guardians.append(g)
    week = "2026-W40"

    with SmtpSink() as sink:
        monkeypatch.setenv("NETWISE_MAIL_URL", f"smtp://127.0.0.1:{sink.port}")
        first = celery_worker_process()
        job = services.enqueue("learning.send_weekly_digests", week, 0.2)
        sent = DeliveryLog.objects.filter(key__startswith="digest:", key__endswith=week)
        wait_until(lambda: sent.count() >= 5, message="the digest run to get going")
        first.kill9()
        done_before = sent.count()
        assert done_before < len(guardians), "the worker was killed mid-run"
        assert job_status(job) == Job.Status.RUNNING

        celery_worker_process()
        time.sleep(1.2)
        assert services.dispatch_pending(lease_seconds=1) == 1  # the silent job is re-published
        wait_until(lambda: job_status(job) == Job.Status.DONE, timeout=90, message="the digest job")

        with sink.lock:
            counts = Counter(sink.recipients)
    assert set(counts) == {g.email for g in guardians}
    assert max(counts.values()) == 1, f"sent twice: {[a for a, n in counts.items() if n > 1]}"
    assert sent.count() == len(guardians)
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_quiz_submits_handed_off_through_redis_reach_progress_in_a_real_worker(
    celery_worker_process,  # noqa: F811
    settings,
):
    """Twenty submits, batched as production batches them (this process's outbox thread sends
    them), one Redis set and (at most) a few drain messages: every learner's quiz progress
    arrives, and the set and its flag are empty after."""
    import redis

    from jobs import handoff
    from learning.models import Progress
    from quizzes import services as quiz_services
    from tests.quizzes.factories import make_question, make_quiz, perfect_answers
    from tests.schools.factories import ClassroomFactory, make_student

    quiz = make_quiz(questions=[make_question("single")], pass_mark=60)
    classroom = ClassroomFactory()
    students = [make_student(classroom) for _ in range(20)]
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    members, flag = handoff._keys("learning.sync_quiz_progress")
    client.delete(members, flag)
    settings.JOBS_HANDOFF_BATCH_SECONDS = 0.05
    for student in students:  # autocommit: each submit's on_commit hand-off runs at once
        attempt = quiz_services.start_attempt(student=student, quiz=quiz)
        quiz_services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    wait_until(lambda: client.scard(members) == len(students), message="the outbox thread to send the batch")
    assert client.exists(flag)  # a drain is due; no worker yet

    celery_worker_process()
    done = Progress.objects.filter(page=quiz, attempts=1, passed=True)
    wait_until(lambda: done.count() == len(students), message="every learner's quiz progress")
    wait_until(lambda: not client.exists(flag), message="the drain to clear its flag")
    assert client.scard(members) == 0
