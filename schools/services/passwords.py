"""A staff member resetting a student's password (who may: schools.access.can_reset_password)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.services import end_all_sessions

from .. import audit, signals
from .common import first_time_password

User = get_user_model()


@transaction.atomic
def reset_student_password(*, actor, student, request=None) -> str:
    """New first-time password, shown once to `actor` (checked by the caller with
    access.can_reset_password). The student must change it before anything else
    (accounts/middleware.py), every session of theirs ends, it is audited, the student is
    told at their next log-in, and `student_password_reset` lets safeguarding tell the
    designated staff when the student has a "Get help" report."""
    password = first_time_password()
    now = timezone.now()
    student.set_password(password)
    student.must_change_password = True
    student.password_reset_by_staff_at = now
    student.save(update_fields=["password", "must_change_password", "password_reset_by_staff_at"])
    end_all_sessions(student)
    audit.record(actor=actor, action="student.password_reset", target=student, request=request)
    signals.student_password_reset.send(sender=User, student=student, actor=actor, reset_at=now)
    return password
