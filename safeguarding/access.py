"""Who may read "Get help" reports: the one place that decides it.

- a student: their own reports;
- a teacher or school admin: the reports of a school where they are *designated*
  safeguarding staff and still an active staff member;
- everyone else (guardians, editors, other staff, other schools): nothing.

Views load reports only through `reports_visible_to`, so out of scope is a 404.
"""

from django.db.models import Q

from accounts.roles import Role
from schools.models import School, SchoolMembership

from .models import Report, SafeguardingDesignation

STAFF_MEMBERSHIP_ROLES = (SchoolMembership.Role.TEACHER, SchoolMembership.Role.SCHOOL_ADMIN)


def designated_school_ids(user):
    """Schools where `user` is designated safeguarding staff and still active staff."""
    if not user.is_authenticated or user.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        return SafeguardingDesignation.objects.none().values("school_id")
    return SafeguardingDesignation.objects.filter(
        staff=user,
        school__memberships__user=user,
        school__memberships__is_active=True,
        school__memberships__role__in=STAFF_MEMBERSHIP_ROLES,
    ).values("school_id")


def report_filter(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.role == Role.STUDENT:
        return Q(student=user)
    if user.role in (Role.TEACHER, Role.SCHOOL_ADMIN):
        return Q(school_id__in=designated_school_ids(user))
    return Q(pk__in=[])


def reports_visible_to(user):
    return Report.objects.filter(report_filter(user))


def is_designated_staff(user) -> bool:
    return designated_school_ids(user).exists()


def schools_user_can_designate_for(user):
    """Schools whose safeguarding staff `user` may name: active school admins only."""
    if not user.is_authenticated or user.role != Role.SCHOOL_ADMIN:
        return School.objects.none()
    return School.objects.filter(
        memberships__user=user,
        memberships__role=SchoolMembership.Role.SCHOOL_ADMIN,
        memberships__is_active=True,
    ).distinct()


def staff_of(school):
    """Active teachers and school admins of `school`: the people who may be designated."""
    from accounts.models import User

    return (
        User.objects.filter(
            school_memberships__school=school,
            school_memberships__is_active=True,
            school_memberships__role__in=STAFF_MEMBERSHIP_ROLES,
            role__in=(Role.TEACHER, Role.SCHOOL_ADMIN),
        )
        .distinct()
        .order_by("display_name", "username")
    )


def admins_of(school):
    return staff_of(school).filter(
        role=Role.SCHOOL_ADMIN,
        school_memberships__school=school,
        school_memberships__role=SchoolMembership.Role.SCHOOL_ADMIN,
        school_memberships__is_active=True,
    )


def student_schools(user):
    """Schools a student may send a report to: their own (profile or active membership)."""
    if not user.is_authenticated or user.role != Role.STUDENT:
        return School.objects.none()
    return School.objects.filter(
        Q(student_profiles__user=user)
        | Q(
            memberships__user=user,
            memberships__role=SchoolMembership.Role.STUDENT,
            memberships__is_active=True,
        )
    ).distinct()
