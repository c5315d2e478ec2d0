"""Writes for exports: a request is recorded and handed to the jobs outbox (the worker
builds the file in build.py); files expire after EXPORT_TTL."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jobs.services import enqueue

from ..models import Export

EXPORT_TTL = timedelta(minutes=15)


@transaction.atomic
def request_export(*, user, kind: str, scope_id: int, fmt: str) -> Export:
    """Record the request and hand it to the outbox; the worker builds the file."""
    export = Export.objects.create(requested_by=user, kind=kind, scope_id=scope_id, format=fmt)
    enqueue("learning.tasks.build_export", export.pk, requested_by=user)
    return export


def expire_exports(*, now=None) -> int:
    """Delete files of expired exports (called by the export task and beat)."""
    now = now or timezone.now()
    count = 0
    for export in Export.objects.filter(expires_at__lte=now).exclude(file=""):
        export.file.delete(save=False)
        Export.objects.filter(pk=export.pk).update(file="")
        count += 1
    return count
