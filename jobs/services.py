"""Writes for the outbox: enqueue, publish, sweep, and the state changes tasks report."""

import contextvars
import logging
import traceback
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

from celery import current_app as app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Job

logger = logging.getLogger("netwise.jobs")

# Publishing must fail fast when the broker is down: the request that asked is waiting.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
SWEEP_BATCH = 500


def enqueue(task_name: str, *args, dedupe_key=None, requested_by=None) -> Job:
    """Record a job and publish it when the surrounding transaction commits.

    A rolled-back transaction leaves neither row nor message. With `dedupe_key`, asking
    twice returns the first job instead of making a second one.
    """
    if dedupe_key:
        existing = Job.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                task_name=task_name,
                args=list(args),
                dedupe_key=dedupe_key or None,
                requested_by=requested_by,
            )
    except IntegrityError:
        if not dedupe_key:
            raise
        return Job.objects.get(dedupe_key=dedupe_key)
    transaction.on_commit(partial(dispatch, job.pk))
    return job


_publishing_suppressed = contextvars.ContextVar("publishing_suppressed", default=False)


@contextmanager
def publishing_suppressed():
    """For callers that do the work themselves (the demo seed syncs progress as it goes):
    best-effort messages sent inside are dropped rather than queued for nothing."""
    token = _publishing_suppressed.set(True)
    try:
        yield
    finally:
        _publishing_suppressed.reset(token)


def publishing_allowed() -> bool:
    return not _publishing_suppressed.get()


def publish_best_effort(task_name: str, *args) -> bool:
    """Send a task with no outbox row, for work a periodic sweep reconciles anyway.

    Cheaper than `enqueue` (no writes): for the hot path, where the data the task works
    from (e.g. a submitted attempt) is itself the durable record, and a beat task finds
    whatever a lost message left undone. Fails fast and never raises; returns whether
    the message reached the broker (or ran, in eager mode).
    """
    if not publishing_allowed():
        return False
    try:
        if app.conf.task_always_eager:
            app.tasks[task_name].apply(args=args, throw=False)
            return True
        app.send_task(task_name, args=list(args), retry=True, retry_policy=PUBLISH_RETRY_POLICY)
        return True
    except Exception as exc:  # noqa: BLE001 - the sweep catches up; the request must not fail
        logger.warning("could not publish %s, the sweep will catch up: %s", task_name, exc)
        return False


def dispatch(job_id: int) -> bool:
    """Publish one job now if it still needs publishing. Never raises."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return False
    return _publish_jobs([job]) == 1


def _claim(job: Job) -> bool:
    """Mark `job` sent unless someone else changed it since we read it (compare and set)."""
    claimed = Job.objects.filter(pk=job.pk, status=job.status, dispatched_at=job.dispatched_at).update(
        status=Job.Status.SENT,
        dispatched_at=timezone.now(),
        dispatches=F("dispatches") + 1,
    )
    return claimed == 1


def _publish_jobs(jobs) -> int:
    if not jobs:
        return 0
    if app.conf.task_always_eager:
        return _run_eager(jobs)
    published = 0
    try:
        conn = app.connection_for_write()
    except Exception as exc:  # noqa: BLE001 - a bad broker URL must not break a request
        _unpublished(jobs, exc)
        return 0
    with conn:
        for i, job in enumerate(jobs):
            if not _claim(job):
                continue
            try:
                app.send_task(
                    job.task_name,
                    args=job.args,
                    task_id=str(job.task_id),
                    connection=conn,
                    retry=True,
                    retry_policy=PUBLISH_RETRY_POLICY,
                )
            except Exception as exc:  # noqa: BLE001 - broker down: keep the rows, sweep later
                _unpublished(jobs[i:], exc)
                return published
            published += 1
    return published


def _run_eager(jobs) -> int:
    """Tests and eager settings: run each registered task here, recording its outcome."""
    ran = 0
    for job in jobs:
        if not _claim(job):
            continue
        ran += 1
        propagates = app.conf.task_eager_propagates
        try:
            # Not propagating lets eager retries run inline (Celery re-applies the retry
            # signature itself); the outcome is recorded on the row by the signals.
            app.conf.task_eager_propagates = False
            result = app.tasks[job.task_name].apply(args=job.args, task_id=str(job.task_id), throw=False)
            if result.failed():
                logger.warning("eager job %s failed: %r", job.pk, result.result)
        except Exception as exc:  # noqa: BLE001 - e.g. an unknown task name
            logger.warning("eager job %s raised %r", job.pk, exc)
            Job.objects.filter(pk=job.pk).exclude(status=Job.Status.FAILED).update(
                status=Job.Status.FAILED, last_error=repr(exc)[:2000]
            )
        finally:
            app.conf.task_eager_propagates = propagates
    return ran


def _unpublished(jobs, exc):
    logger.warning("broker unavailable, %d job(s) stay queued: %s", len(jobs), exc)
    message = f"not published: {exc.__class__.__name__}: {exc}"[:2000]
    Job.objects.filter(
        pk__in=[j.pk for j in jobs],
        status__in=[Job.Status.SENT, Job.Status.PENDING],
        started_at__isnull=True,
    ).update(status=Job.Status.PENDING, last_error=message)
    Job.objects.filter(
        pk__in=[j.pk for j in jobs],
        status=Job.Status.SENT,
        started_at__isnull=False,
    ).update(status=Job.Status.RUNNING, last_error=message)


def jobs_to_sweep(*, lease_seconds=None, resend_after_seconds=None):
    """Pending jobs, jobs published long ago that never started, running jobs whose worker
    has gone silent (killed, machine lost)."""
    now = timezone.now()
    lease = timedelta(seconds=settings.JOBS_LEASE_SECONDS if lease_seconds is None else lease_seconds)
    resend = timedelta(
        seconds=settings.JOBS_RESEND_AFTER_SECONDS if resend_after_seconds is None else resend_after_seconds
    )
    return Job.objects.filter(
        Q(status=Job.Status.PENDING)
        | Q(status=Job.Status.SENT, dispatched_at__lt=now - resend)
        | Q(status=Job.Status.RUNNING, heartbeat_at__lt=now - lease)
    ).order_by("created_at", "pk")


def dispatch_pending(*, lease_seconds=None, resend_after_seconds=None) -> int:
    """Publish everything the sweep finds; returns how many went to the broker."""
    jobs = list(jobs_to_sweep(lease_seconds=lease_seconds, resend_after_seconds=resend_after_seconds)[:SWEEP_BATCH])
    return _publish_jobs(jobs)


def retry(job: Job) -> bool:
    """Staff asked to try a failed job again: queue it afresh after commit. Only a job that is
    still failed is queued, so two people pressing "Try again" at once (or a job picked again
    from an old list) run it once; returns whether this call queued it."""
    queued = Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
        status=Job.Status.PENDING, dispatched_at=None, finished_at=None
    )
    if queued:
        transaction.on_commit(partial(dispatch, job.pk))
    return bool(queued)


# --- state changes reported by Celery signals and by tasks themselves ---


def job_started(task_id) -> int:
    """Mark the job running; returns 1 if `task_id` is an outbox job, else 0."""
    now = timezone.now()
    return (
        Job.objects.filter(task_id=task_id)
        .exclude(status=Job.Status.DONE)
        .update(
            status=Job.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
        )
    )


def heartbeat(task_id, *, progress=None) -> None:
    """Long tasks call this as they go: the job is alive (and how far it has got)."""
    if not task_id:
        return
    values = {"heartbeat_at": timezone.now()}
    if progress is not None:
        values["progress"] = max(0, min(100, int(progress)))
    Job.objects.filter(task_id=task_id, status=Job.Status.RUNNING).update(**values)


def job_succeeded(task_id) -> None:
    Job.objects.filter(task_id=task_id).update(
        status=Job.Status.DONE, progress=100, finished_at=timezone.now(), last_error=""
    )


def job_retrying(task_id, reason) -> None:
    """A retry is scheduled; count it as published at its due time so the sweeper does not
    publish a second copy while the backoff runs."""
    when = getattr(reason, "when", None)
    due = timezone.now()
    if isinstance(when, int | float):
        due += timedelta(seconds=when)
    elif hasattr(when, "tzinfo"):
        due = when if timezone.is_aware(when) else timezone.make_aware(when)
    Job.objects.filter(task_id=task_id).update(
        status=Job.Status.SENT,
        dispatched_at=due,
        last_error=f"retrying: {reason}"[:2000],
    )


def job_failed(task_id, exc, tb=None) -> None:
    text = "".join(traceback.format_exception(type(exc), exc, tb)) if tb else repr(exc)
    Job.objects.filter(task_id=task_id).update(
        status=Job.Status.FAILED, finished_at=timezone.now(), last_error=text[-4000:]
    )
    logger.error("background job %s failed permanently: %r", task_id, exc)
