"""Writes for exports: a request is recorded and handed to the jobs outbox (the worker
builds the file in build.py); files expire after EXPORT_TTL. Requests and downloads are
audited against the classroom, school or student exported, so the school's admin sees them."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jobs.services import enqueue
from schools import audit

from ..models import Export

EXPORT_TTL = timedelta(minutes=15)


@transaction.atomic
def request_export(*, user, kind: str, scope, fmt: str, request=None) -> Export:
    """Record and audit the request and hand it to the outbox; the worker builds the file.

    `scope` is the classroom, school or student exported, already checked against access."""
    export = Export.objects.create(requested_by=user, kind=kind, scope_id=scope.pk, format=fmt)
    _audit(export, "export.requested", scope=scope, request=request)
    enqueue("learning.tasks.build_export", export.pk, requested_by=user)
    return export


def record_download(*, export: Export, scope, request=None) -> None:
    """Audit one download of the export's file (the view serves it)."""
    _audit(export, "export.downloaded", scope=scope, request=request)


def _audit(export: Export, action: str, *, scope, request) -> None:
    # The school is found from the scope (a class's, the school itself, a student's profile).
    audit.record(
        actor=export.requested_by,
        action=action,
        target=scope,
        request=request,
        kind=export.kind,
        format=export.format,
        export=export.pk,
    )


def expire_exports(*, now=None) -> int:
    """Delete files of expired exports (called by the export task and beat)."""
    now = now or timezone.now()
    count = 0
    for export in Export.objects.filter(expires_at__lte=now).exclude(file=""):
        export.file.delete(save=False)
        Export.objects.filter(pk=export.pk).update(file="")
        count += 1
    return count
