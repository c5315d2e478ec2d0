"""Background work for "Get help": the end of the retention period."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(name="safeguarding.purge_expired_reports", autoretry_for=(OperationalError,), retry_backoff=True)
def purge_expired_reports():
    """Daily (CELERY_BEAT_SCHEDULE). Idempotent: a purged report is gone, a rerun finds nothing."""
    return services.purge_expired_reports()
