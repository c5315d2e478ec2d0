"""Writes for districts: export requests (the file is built by the worker)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jobs.services import enqueue

from .models import DistrictExport

EXPORT_TTL = timedelta(minutes=15)


@transaction.atomic
def request_export(*, user, district, fmt: str, language: str) -> DistrictExport:
    """Record the request and hand it to the jobs outbox; the worker builds the file."""
    export = DistrictExport.objects.create(requested_by=user, district=district, format=fmt, language=language)
    enqueue("districts.tasks.build_export", export.pk, requested_by=user)
    return export


def expire_exports(*, now=None) -> int:
    """Delete the files of expired district exports (hourly, with the figures' refresh)."""
    count = 0
    for export in DistrictExport.objects.filter(expires_at__lte=now or timezone.now()).exclude(file=""):
        export.file.delete(save=False)
        DistrictExport.objects.filter(pk=export.pk).update(file="")
        count += 1
    return count
