"""The access matrix: the one place that decides who may see which student, class or school.

Each role contributes a `Q`; the filters are joined with `|` and applied with
`.distinct()` (as Kolibri's readable_by_user_filter). Views load objects only through these
querysets, so anything out of reach is a 404 and never shows in lists, counts or exports.
The matrix as it really is: docs/access.md.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.roles import Role

from .models import Classroom, DeletionRequest, GuardianLink, School, SchoolMembership, StudentProfile

NOTHING = Q(pk__in=[])


def _school_ids(user, role):
    """Schools where `user` holds an active membership with `role` (a subquery)."""
    return SchoolMembership.objects.filter(user=user, role=role, is_active=True).values("school_id")


STAFF_MEMBERSHIP_ROLES = (SchoolMembership.Role.TEACHER, SchoolMembership.Role.SCHOOL_ADMIN)


def staff_school_ids(user):
    """Schools where `user` is active staff (teacher or school admin), as a subquery; none
    unless the account itself is a staff account."""
    if not user.is_authenticated or user.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        return SchoolMembership.objects.none().values("school_id")
    return SchoolMembership.objects.filter(user=user, role__in=STAFF_MEMBERSHIP_ROLES, is_active=True).values(
        "school_id"
    )


def administered_school_ids(user):
    return _school_ids(user, SchoolMembership.Role.SCHOOL_ADMIN)


def teaching_school_ids(user):
    return _school_ids(user, SchoolMembership.Role.TEACHER)


# --- students ---------------------------------------------------------------


def student_filter(user) -> Q:
    """Student accounts `user` may read."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    q = NOTHING
    if user.role == Role.STUDENT:
        q |= Q(pk=user.pk)
    if user.role == Role.TEACHER:
        q |= Q(enrollments__classroom__in=Classroom.objects.filter(teachers=user, school__in=teaching_school_ids(user)))
    if user.role == Role.GUARDIAN:
        # ACTIVE is reached only after consent for an under-14 child (services.py).
        q |= Q(pk__in=GuardianLink.objects.filter(guardian=user, state=GuardianLink.State.ACTIVE).values("student_id"))
    if user.role == Role.SCHOOL_ADMIN:
        q |= Q(student_profile__school__in=administered_school_ids(user))
    return q


def students_visible_to(user):
    """Queryset of the student accounts `user` may see (self, own classes, linked, school)."""
    User = get_user_model()
    return User.objects.filter(role=Role.STUDENT, is_active=True).filter(student_filter(user)).distinct()


# --- classes ----------------------------------------------------------------


def classroom_filter(user) -> Q:
    """Classes whose roster and dashboard `user` may read: staff only."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    q = NOTHING
    if user.role == Role.TEACHER:
        q |= Q(teachers=user, school__in=teaching_school_ids(user))
    if user.role == Role.SCHOOL_ADMIN:
        q |= Q(school__in=administered_school_ids(user))
    return q


def classrooms_visible_to(user):
    """Classes (archived ones included) `user` may open. Students and guardians: none."""
    return Classroom.objects.filter(classroom_filter(user)).distinct()


def classrooms_taught_by(user):
    """Classes `user` teaches (a school admin gets none here): for 'My classes'."""
    if not user.is_authenticated or user.role != Role.TEACHER:
        return Classroom.objects.none()
    return Classroom.objects.filter(teachers=user, school__in=teaching_school_ids(user)).distinct()


def classrooms_of_student(student):
    """The classes a student is enrolled in (for the student's own pages)."""
    return Classroom.objects.filter(enrollments__student=student).distinct()


# --- schools ----------------------------------------------------------------


def school_filter(user) -> Q:
    """Staff: the schools of their active memberships; a student: the school of their profile."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role == Role.STUDENT:
        return Q(pk__in=StudentProfile.objects.filter(user=user).values("school_id"))
    return Q(pk__in=SchoolMembership.objects.filter(user=user, is_active=True).values("school_id"))


def schools_visible_to(user):
    """Schools `user` belongs to (staff: any active role; a student: their profile's school)."""
    return School.objects.filter(school_filter(user)).distinct()


def schools_administered_by(user):
    if not user.is_authenticated or user.role != Role.SCHOOL_ADMIN:
        return School.objects.none()
    return School.objects.filter(pk__in=administered_school_ids(user))


def school_of(user):
    """The user's (first) school, or None. Students: from their profile."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "student_profile", None) if user.role == Role.STUDENT else None
    if profile is not None:
        return profile.school
    return schools_visible_to(user).order_by("pk").first()


# --- password resets ------------------------------------------------------------
# Who may reset a student's password: the admin of the student's school and that school's
# designated safeguarding staff. Schools must not import safeguarding (import-linter), so
# safeguarding registers its designated schools here at ready() (safeguarding/apps.py).
_password_reset_school_sources = []


def register_password_reset_schools(source):
    """`source(user)` -> a queryset of school ids where `user` may reset students' passwords."""
    if source not in _password_reset_school_sources:
        _password_reset_school_sources.append(source)


def password_reset_school_ids(user):
    """School ids where `user` may reset a student's password (a list of subqueries)."""
    if not user.is_authenticated or not user.is_active or user.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        return []
    sources = [administered_school_ids(user)]
    sources += [source(user) for source in _password_reset_school_sources]
    return sources


def students_resettable_by(user):
    """Students whose password `user` may reset: those of the schools above."""
    sources = password_reset_school_ids(user)
    if not sources:
        return get_user_model().objects.none()
    q = NOTHING
    for school_ids in sources:
        q |= Q(student_profile__school__in=school_ids)
    return get_user_model().objects.filter(role=Role.STUDENT, is_active=True).filter(q).distinct()


def can_reset_password(user, student) -> bool:
    return students_resettable_by(user).filter(pk=student.pk).exists()


def schools_of_student(student):
    """The student's school as a queryset (at most one): the school of their StudentProfile,
    the one record of a student's school (memberships are for staff). None for anyone but a
    signed-in student account."""
    if not student.is_authenticated or student.role != Role.STUDENT:
        return School.objects.none()
    return School.objects.filter(student_profiles__user=student)


def school_of_student(student):
    """The school that records the student (their StudentProfile), or None."""
    profile = StudentProfile.objects.filter(user=student).select_related("school").first()
    return profile.school if profile else None


def staff_of(school):
    """Active teachers and school admins of `school` (staff accounts only)."""
    User = get_user_model()
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
    """Active school admins of `school`."""
    return staff_of(school).filter(
        role=Role.SCHOOL_ADMIN,
        school_memberships__school=school,
        school_memberships__role=SchoolMembership.Role.SCHOOL_ADMIN,
        school_memberships__is_active=True,
    )


# --- small predicates ---------------------------------------------------------


def can_see_student(user, student) -> bool:
    return students_visible_to(user).filter(pk=student.pk).exists()


def can_manage_student(user, student) -> bool:
    """Staff who may issue link codes: the class teacher or school admin."""
    if user.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        return False
    return can_see_student(user, student)


def can_export_or_delete_student(user, student) -> bool:
    """Privacy requests: an actively linked guardian, or the school's admin."""
    if user.role not in (Role.GUARDIAN, Role.SCHOOL_ADMIN):
        return False
    return can_see_student(user, student)


# --- deletion requests ----------------------------------------------------------


def deletion_request_filter(user) -> Q:
    """The requester, the child's actively linked guardians, and the school's admins."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role == Role.GUARDIAN:
        linked = GuardianLink.objects.filter(guardian=user, state=GuardianLink.State.ACTIVE).values("student_id")
        return Q(requested_by=user) | Q(student__in=linked)
    if user.role == Role.SCHOOL_ADMIN:
        return Q(school__in=administered_school_ids(user))
    return NOTHING


def deletion_requests_visible_to(user):
    return DeletionRequest.objects.filter(deletion_request_filter(user)).distinct()
