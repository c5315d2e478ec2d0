import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.models import Job
from tests.accounts.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def test_enqueue_runs_the_task_after_commit(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue("tests.jobs.record", 7)
        assert calls == []  # nothing before commit
    assert calls == [7]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 1
    assert job.finished_at is not None


def test_a_rolled_back_request_enqueues_nothing(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.enqueue("tests.jobs.record", 1)
                raise RuntimeError("the request failed")
    assert callbacks == []
    assert calls == []
    assert not Job.objects.exists()


def test_dedupe_key_gives_back_the_first_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.enqueue("tests.jobs.record", 1, dedupe_key="week-48")
        second = services.enqueue("tests.jobs.record", 1, dedupe_key="week-48")
    assert first.pk == second.pk
    assert Job.objects.count() == 1


def test_broker_down_keeps_the_job_queued_and_fails_fast(calls, dead_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue("tests.jobs.record", 3)
    assert dead_broker() < 10, "publishing to a dead broker must give up quickly"
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING
    assert "not published" in job.last_error
    assert calls == []


def test_a_queued_job_is_dispatched_when_the_broker_is_back(calls, dead_broker, django_capture_on_commit_callbacks):
    from config.celery import app

    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue("tests.jobs.record", 5)
    assert Job.objects.get(pk=job.pk).status == Job.Status.PENDING
    app.conf.task_always_eager = True  # "the broker is back" (eager = in-process broker)
    assert services.dispatch_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert calls == [5]
    assert services.dispatch_pending() == 0  # nothing left over, nothing run twice
    assert calls == [5]


def test_a_request_still_succeeds_when_the_broker_is_down(client, dead_broker, django_capture_on_commit_callbacks):
    operator = TeacherFactory(is_staff=True, is_superuser=True)
    job = Job.objects.create(task_name="tests.jobs.record", args=[1], status="failed")
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING


def test_try_again_twice_queues_a_failed_job_once(client, calls, django_capture_on_commit_callbacks):
    # A double click on "Try again", or two operators at once: the job runs once, and the
    # second press says why nothing more happened.
    operator = TeacherFactory(is_staff=True, is_superuser=True)
    job = Job.objects.create(task_name="tests.jobs.record", args=[7], status="failed")
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("jobs:retry", args=[job.pk]), follow=True)
        second = client.post(reverse("jobs:retry", args=[job.pk]), follow=True)
    assert "The job is queued again." in first.content.decode()
    assert "This job is not failed any more" in second.content.decode()
    assert calls == [7]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.dispatches == 1


def test_admin_try_again_leaves_jobs_that_are_not_failed(client, calls, django_capture_on_commit_callbacks):
    failed = Job.objects.create(task_name="tests.jobs.record", args=["failed"], status="failed")
    done = Job.objects.create(task_name="tests.jobs.record", args=["done"], status="done")
    running = Job.objects.create(task_name="tests.jobs.record", args=["running"], status="running")
    client.force_login(TeacherFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:jobs_job_changelist"),
            {"action": "retry_jobs", "_selected_action": [failed.pk, done.pk, running.pk]},
            follow=True,
        )
    html = response.content.decode()
    assert "1 failed job queued again." in html and "2 jobs were not failed and were left as they are." in html
    assert calls == ["failed"]
    done.refresh_from_db()
    running.refresh_from_db()
    assert done.status == Job.Status.DONE and running.status == Job.Status.RUNNING


def test_sweep_republishes_a_job_whose_worker_went_silent(calls):
    stale = timezone.now() - timedelta(minutes=30)
    lost = Job.objects.create(task_name="tests.jobs.record", args=["lost"], status="running", heartbeat_at=stale)
    alive = Job.objects.create(
        task_name="tests.jobs.record",
        args=["alive"],
        status="running",
        heartbeat_at=timezone.now(),
    )
    waiting = Job.objects.create(
        task_name="tests.jobs.record",
        args=["waiting"],
        status="sent",
        dispatched_at=timezone.now(),
    )
    assert services.dispatch_pending(lease_seconds=60) == 1
    assert calls == ["lost"]
    lost.refresh_from_db()
    alive.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.status == Job.Status.DONE and lost.dispatches == 1
    assert alive.status == Job.Status.RUNNING
    assert waiting.status == Job.Status.SENT


def test_transient_errors_are_retried_with_backoff(calls, django_capture_on_commit_callbacks):
    from tests.jobs.conftest import flaky

    assert flaky.retry_backoff and flaky.max_retries == 3
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue("tests.jobs.flaky", 2)
    assert calls == [0, 1, 2]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_permanent_failure_is_recorded_and_shown_to_operators(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue("tests.jobs.broken")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "this task can never work" in job.last_error
    client.force_login(TeacherFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("jobs:failed")).content.decode()
    assert "tests.jobs.broken" in html and "this task can never work" in html
    admin_page = client.get(reverse("admin:jobs_job_changelist") + "?status=failed")
    assert admin_page.status_code == 200
    assert "tests.jobs.broken" in admin_page.content.decode()


def test_failed_jobs_page_and_retry_are_operators_only(client, teacher):
    job = Job.objects.create(task_name="tests.jobs.record", args=[1], status="failed")
    client.force_login(teacher)
    # 404 like every other out-of-scope URL, not a redirect to the admin log-in.
    assert client.get(reverse("jobs:failed")).status_code == 404
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == "failed"
    client.logout()
    response = client.get(reverse("jobs:failed"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_requester_sees_queued_others_get_404(client, teacher):
    job = Job.objects.create(task_name="tests.jobs.record", args=[], requested_by=teacher)
    client.force_login(teacher)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Queued" in html
    client.force_login(TeacherFactory())
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_heartbeat_records_progress():
    job = Job.objects.create(task_name="x", status="running", heartbeat_at=timezone.now())
    before = job.heartbeat_at
    time.sleep(0.01)
    services.heartbeat(job.task_id, progress=40)
    job.refresh_from_db()
    assert job.progress == 40 and job.heartbeat_at > before


def test_a_job_waiting_for_its_backoff_is_not_published_twice():
    from celery.exceptions import Retry

    job = Job.objects.create(task_name="tests.jobs.record", args=["x"], status="running")
    services.job_retrying(job.task_id, Retry("smtp busy", when=600))
    job.refresh_from_db()
    assert job.status == Job.Status.SENT and "smtp busy" in job.last_error
    assert services.dispatch_pending(resend_after_seconds=300) == 0


@pytest.mark.django_db(transaction=True)  # the keeper thread has its own connection
def test_a_running_task_keeps_its_lease_alive(settings):
    from jobs import signals

    settings.JOBS_LEASE_SECONDS = 5  # renewed every second
    stale = timezone.now() - timedelta(minutes=10)
    job = Job.objects.create(task_name="x", status="running", heartbeat_at=stale)
    keeper = signals._LeaseKeeper(job.task_id, 0.05)
    keeper.start()
    try:
        deadline = time.time() + 5
        while time.time() < deadline:
            job.refresh_from_db()
            if job.heartbeat_at > stale:
                break
            time.sleep(0.05)
    finally:
        keeper.stopped.set()
        keeper.join(5)
    assert job.heartbeat_at > stale
    assert services.dispatch_pending(lease_seconds=60) == 0
