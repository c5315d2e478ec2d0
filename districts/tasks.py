"""Celery tasks for districts: thin, each calls the module that does the work."""

from celery import shared_task
from django.db import OperationalError

from . import aggregates, exports, pages, services


@shared_task(name="districts.tasks.refresh_figures", ignore_result=True)
def refresh_figures(school_ids=None):
    """Beat, hourly (and after bulk changes): rebuild the district figure tables; hourly,
    also delete expired district export files. Then render the district pages' figures
    into the cache, in every language."""
    if school_ids is None:
        services.expire_exports()
    n = aggregates.refresh(school_ids=school_ids)
    pages.warm(school_ids=school_ids)
    return n


@shared_task(
    name="districts.tasks.build_export",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    ignore_result=True,
)
def build_export(export_id: int):
    """Build one district report file; a repeat after success does nothing."""
    exports.build(export_id)
