"""The hourly beat entry deletes expired export files through learning.tasks.expire_exports."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from config.celery import app
from learning import tasks
from learning.models import Export

pytestmark = pytest.mark.django_db


def test_beat_runs_expire_exports_hourly():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "learning.tasks.expire_exports"]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert len(schedule.minute) == 1 and len(schedule.hour) == 24  # once an hour
    assert "learning.tasks.expire_exports" in app.tasks


def _export(user, expires_in):
    export = Export.objects.create(
        requested_by=user,
        kind="class",
        scope_id=1,
        format="csv",
        status="done",
        expires_at=timezone.now() + expires_in,
    )
    export.file.save("x.csv", ContentFile(b"a\n"))
    return export


def test_task_deletes_only_expired_files(teacher):
    old = _export(teacher, timedelta(minutes=-1))
    fresh = _export(teacher, timedelta(minutes=10))
    path = old.file.path
    assert tasks.expire_exports.apply().get() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert not old.file and fresh.file
    import os

    assert not os.path.exists(path)
    assert tasks.expire_exports.apply().get() == 0  # idempotent
