"""Celery signals keep each Job row in step with its task; a worker start sweeps the outbox."""

import logging
import threading

from celery import signals
from django.conf import settings
from django.db import close_old_connections, connections

from . import services

logger = logging.getLogger("netwise.jobs")


def _task_id(task=None, request=None, task_id=None):
    if task_id:
        return task_id
    req = request or getattr(task, "request", None)
    return getattr(req, "id", None)


class _LeaseKeeper(threading.Thread):
    """Renews a running job's heartbeat while its task runs, whatever the task does, so
    only a dead worker (kill -9, lost machine) lets the lease lapse."""

    def __init__(self, task_id, interval):
        super().__init__(name=f"job-lease-{task_id}", daemon=True)
        self.task_id = task_id
        self.interval = interval
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(self.interval):
                try:
                    services.heartbeat(self.task_id)
                except Exception:  # noqa: BLE001 - a missed beat only risks a re-run
                    logger.warning("could not renew the lease of job %s", self.task_id)
        finally:
            connections.close_all()  # this thread's connections only


_leases: dict[str, _LeaseKeeper] = {}


@signals.task_prerun.connect
def _on_prerun(sender=None, task_id=None, task=None, **kwargs):
    if not task_id or not services.job_started(task_id):
        return
    if getattr(getattr(task, "request", None), "is_eager", False):
        return
    keeper = _LeaseKeeper(task_id, max(1, settings.JOBS_LEASE_SECONDS // 5))
    _leases[task_id] = keeper
    keeper.start()


@signals.task_postrun.connect
def _on_postrun(sender=None, task_id=None, **kwargs):
    keeper = _leases.pop(task_id, None)
    if keeper is not None:
        keeper.stopped.set()


@signals.task_success.connect
def _on_success(sender=None, **kwargs):
    task_id = _task_id(task=sender)
    if task_id:
        services.job_succeeded(task_id)


@signals.task_retry.connect
def _on_retry(sender=None, request=None, reason=None, **kwargs):
    task_id = _task_id(request=request)
    if task_id:
        services.job_retrying(task_id, reason)


@signals.task_failure.connect
def _on_failure(sender=None, task_id=None, exception=None, traceback=None, **kwargs):
    if task_id:
        services.job_failed(task_id, exception, traceback)


@signals.worker_ready.connect
def _on_worker_ready(sender=None, **kwargs):
    """A worker came up: publish what a dead broker or a dead worker left behind."""
    close_old_connections()
    try:
        count = services.dispatch_pending()
        if count:
            logger.warning("worker start: re-published %d queued job(s)", count)
    except Exception:  # noqa: BLE001 - never stop a worker from starting
        logger.exception("worker start: could not sweep the job outbox")
    finally:
        connections.close_all()
