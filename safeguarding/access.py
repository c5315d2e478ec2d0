"""Who may read "Get help" reports: the one place that decides it.

- a student: their own reports, except those hidden after staff reset their password
  (`Report.hidden_from_student_at`: the person who reset it could log in as them);
- a teacher or school admin: the reports of a school where they are *designated*
  safeguarding staff and still an active staff member;
- everyone else (guardians, editors, other staff, other schools): nothing.

Views load reports only through `reports_visible_to`, so out of scope is a 404.
"""

from django.db.models import Q

from accounts.roles import Role
from schools import access as school_access

from .models import Report, SafeguardingDesignation

# Who is a school's staff is decided in schools.access; safeguarding only adds designation.
STAFF_MEMBERSHIP_ROLES = school_access.STAFF_MEMBERSHIP_ROLES
staff_of = school_access.staff_of  # active teachers and school admins: who may be designated
admins_of = school_access.admins_of


def designated_school_ids(user):
    """Schools where `user` is designated safeguarding staff and still active staff."""
    if not user.is_authenticated or user.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        return SafeguardingDesignation.objects.none().values("school_id")
    return SafeguardingDesignation.objects.filter(
        staff=user, school_id__in=school_access.staff_school_ids(user)
    ).values("school_id")


def report_filter(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.role == Role.STUDENT:
        return Q(student=user, hidden_from_student_at__isnull=True)
    if user.role in (Role.TEACHER, Role.SCHOOL_ADMIN):
        return Q(school_id__in=designated_school_ids(user))
    return Q(pk__in=[])


def reports_visible_to(user):
    return Report.objects.filter(report_filter(user))


def is_designated_staff(user) -> bool:
    return designated_school_ids(user).exists()


def schools_user_can_designate_for(user):
    """Schools whose safeguarding staff `user` may name: active school admins only."""
    return school_access.schools_administered_by(user)


def student_schools(user):
    """Schools a student may send a report to: their own (schools.access.schools_of_student)."""
    return school_access.schools_of_student(user)
