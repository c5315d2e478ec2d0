"""After a bulk change that moves district figures (a module assigned to or withdrawn from a
class), rebuild that school's figures in the worker instead of waiting for the hourly beat.

Only schools in a district are refreshed; one job per school and minute (the outbox's
dedupe key), so a teacher assigning several modules at once costs one rebuild.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from jobs.services import enqueue
from learning.models import Assignment

from .models import DistrictSchool


def _enqueue(school_id: int, bucket: str) -> None:
    enqueue("districts.tasks.refresh_figures", [school_id], dedupe_key=f"districts.refresh:{school_id}:{bucket}")


@receiver(post_save, sender=Assignment, dispatch_uid="districts.assignment_saved")
def assignment_saved(sender, instance, **kwargs):
    in_district = DistrictSchool.objects.filter(school__classrooms=instance.classroom_id)
    school_id = in_district.values_list("school_id", flat=True).first()
    if school_id is not None:
        transaction.on_commit(partial(_enqueue, school_id, timezone.now().strftime("%Y%m%d%H%M")))
