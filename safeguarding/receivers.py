"""How safeguarding hears about schools' events (schools never imports safeguarding)."""

from django.utils.translation import gettext_lazy as _

from schools import audit as schools_audit
from schools import services as schools_services

from . import access, services


def _on_student_deleting(sender, student, actor=None, **kwargs):
    services.keep_reports_of_deleted_student(student=student, actor=actor)


def _on_deletion_requested(sender, student, due_at, **kwargs):
    services.warn_of_deletion_request(student=student, due_at=due_at)


def _designated_for(user, school) -> bool:
    return school is not None and access.designated_school_ids(user).filter(school_id=school.pk).exists()


def connect():
    schools_services.student_deleting.connect(_on_student_deleting, dispatch_uid="safeguarding.keep_reports")
    schools_services.student_deletion_requested.connect(
        _on_deletion_requested, dispatch_uid="safeguarding.deletion_requested"
    )
    schools_audit.restrict("safeguarding.", can_read=_designated_for, summary=_("Get help activity"))
