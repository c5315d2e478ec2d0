"""Classes and join codes: creating, renaming, archiving a class, its join code, and a student
joining with it. A student's school is their StudentProfile; memberships are for staff."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role

from .. import audit
from ..models import Classroom, Enrollment, School, SchoolMembership, StudentProfile, normalise_code
from .common import (
    JOIN_CODE_LENGTH,
    UNDER_14_MAX_GRADE,
    SchoolsError,
    check_guess_rate,
    count_wrong_guess,
    unique_code,
)


@transaction.atomic
def create_classroom(*, teacher, school, name, grade=None, request=None) -> Classroom:
    classroom = Classroom.objects.create(
        school=school,
        name=name.strip(),
        grade=grade,
        join_code=unique_code(Classroom, "join_code", JOIN_CODE_LENGTH),
    )
    if teacher.role == Role.TEACHER:
        classroom.teachers.add(teacher)
    audit.record(actor=teacher, action="class.created", target=classroom, request=request)
    return classroom


@transaction.atomic
def rename_classroom(*, actor, classroom, name, grade=None, request=None):
    old = classroom.name
    classroom.name = name.strip()
    classroom.grade = grade
    classroom.save(update_fields=["name", "grade"])
    audit.record(actor=actor, action="class.renamed", target=classroom, request=request, old=old)
    return classroom


@transaction.atomic
def set_archived(*, actor, classroom, archived: bool, request=None):
    classroom.archived_at = timezone.now() if archived else None
    classroom.save(update_fields=["archived_at"])
    audit.record(
        actor=actor,
        action="class.archived" if archived else "class.restored",
        target=classroom,
        request=request,
    )
    return classroom


@transaction.atomic
def rotate_join_code(*, actor, classroom, expires_in_days=None, request=None):
    classroom.join_code = unique_code(Classroom, "join_code", JOIN_CODE_LENGTH)
    classroom.join_code_enabled = True
    classroom.join_code_expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    classroom.save(update_fields=["join_code", "join_code_enabled", "join_code_expires_at"])
    audit.record(actor=actor, action="class.join_code_rotated", target=classroom, request=request)
    return classroom


@transaction.atomic
def set_join_code_enabled(*, actor, classroom, enabled: bool, request=None):
    classroom.join_code_enabled = enabled
    if enabled and not classroom.join_code:
        classroom.join_code = unique_code(Classroom, "join_code", JOIN_CODE_LENGTH)
    classroom.save(update_fields=["join_code", "join_code_enabled"])
    audit.record(
        actor=actor,
        action="class.join_code_on" if enabled else "class.join_code_off",
        target=classroom,
        request=request,
    )
    return classroom


def _ensure_student_in_school(student, school, grade):
    profile = StudentProfile.objects.filter(user=student).first()
    if profile is None:
        profile = StudentProfile.objects.create(
            user=student,
            school=school,
            grade=grade,
            under_14=grade is not None and grade <= UNDER_14_MAX_GRADE,
        )
    return profile


@transaction.atomic
def join_class(*, student, code, request=None) -> tuple[Classroom, bool]:
    """A student enters a class's join code. Wrong codes count toward the guess limit.
    Returns the class and whether the student joined it now (False: already in it)."""
    ip = audit.client_ip(request)
    check_guess_rate(student, ip)
    if student.role != Role.STUDENT:
        raise SchoolsError(_("Only student accounts can join a class."))
    classroom = Classroom.objects.select_related("school").filter(join_code=normalise_code(code)).first()
    if classroom is None:
        count_wrong_guess(student, ip)
        raise SchoolsError(_("That code is not right. Check it with your teacher."))
    if classroom.is_archived or not classroom.join_code_enabled:
        raise SchoolsError(_("This class is not taking new students with a code. Ask your teacher."))
    if not classroom.join_code_usable():
        raise SchoolsError(_("This code has expired. Ask your teacher for a new one."))
    profile = StudentProfile.objects.filter(user=student).first()
    if profile is not None and profile.school_id != classroom.school_id:
        count_wrong_guess(student, ip)
        raise SchoolsError(_("That code is not right. Check it with your teacher."))
    _ensure_student_in_school(student, classroom.school, classroom.grade)
    _enrollment, created = Enrollment.objects.get_or_create(student=student, classroom=classroom)
    if created:
        audit.record(
            actor=student,
            action="class.joined",
            target=classroom,
            request=request,
            student_id=student.pk,
        )
    return classroom, created


def school_for_new_class(user):
    """The school a teacher creates a class in: their first active teaching school."""
    return (
        School.objects.filter(
            memberships__user=user,
            memberships__is_active=True,
            memberships__role__in=[
                SchoolMembership.Role.TEACHER,
                SchoolMembership.Role.SCHOOL_ADMIN,
            ],
        )
        .order_by("pk")
        .first()
    )
