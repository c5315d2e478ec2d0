from celery import shared_task
from django.db import OperationalError

# --- Exports (learning engineer): the file is built in learning/exports.py -------------


@shared_task(
    name="learning.tasks.build_export",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    ignore_result=True,
)
def build_export(export_id: int):
    """Build one dashboard export; a repeat after success does nothing."""
    from . import exports

    exports.build(export_id)
