"""Celery signals keep each Job row in step with its task; a worker start sweeps the outbox."""

import logging

from celery import signals
from django.db import close_old_connections, connections

from . import services

logger = logging.getLogger("netwise.jobs")


def _task_id(task=None, request=None, task_id=None):
    if task_id:
        return task_id
    req = request or getattr(task, "request", None)
    return getattr(req, "id", None)


@signals.task_prerun.connect
def _on_prerun(sender=None, task_id=None, **kwargs):
    if task_id:
        services.job_started(task_id)


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
