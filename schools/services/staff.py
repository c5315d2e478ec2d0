"""School staff: inviting a teacher (a first-time password shown once) and deactivating one."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role

from .. import audit
from ..models import SchoolMembership
from ..signals import teacher_deactivated
from .common import first_time_password

User = get_user_model()


@transaction.atomic
def invite_teacher(*, admin, school, username, display_name, email="", request=None):
    """Create a teacher account with a first-time password (shown once to the admin)."""
    password = first_time_password()
    teacher = User(
        username=username,
        display_name=display_name,
        email=email,
        role=Role.TEACHER,
        must_change_password=True,
    )
    teacher.set_password(password)
    teacher.save()
    SchoolMembership.objects.create(user=teacher, school=school, role=SchoolMembership.Role.TEACHER)
    audit.record(actor=admin, action="teacher.invited", target=teacher, school=school, request=request)
    return teacher, password


@transaction.atomic
def deactivate_teacher(*, admin, school, teacher, request=None):
    now = timezone.now()
    SchoolMembership.objects.filter(user=teacher, school=school, role=SchoolMembership.Role.TEACHER).update(
        is_active=False, deactivated_at=now
    )
    if not SchoolMembership.objects.filter(user=teacher, is_active=True).exists():
        teacher.is_active = False
        teacher.save(update_fields=["is_active"])
    audit.record(
        actor=admin,
        action="teacher.deactivated",
        target=teacher,
        school=school,
        request=request,
    )
    teacher_deactivated.send(sender=SchoolMembership, school=school, teacher=teacher, admin=admin, request=request)
