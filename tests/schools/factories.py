"""Factories for schools: other apps' tests may import these."""

import factory

from schools.models import (
    Classroom,
    Enrollment,
    GuardianLink,
    School,
    SchoolMembership,
    StudentProfile,
)
from tests.accounts.factories import (
    GuardianFactory,
    SchoolAdminFactory,
    StudentFactory,
    TeacherFactory,
)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolMembership

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(TeacherFactory)
    role = SchoolMembership.Role.TEACHER


class ClassroomFactory(factory.django.DjangoModelFactory):
    """`ClassroomFactory(teachers=[t])` also gives each teacher a membership in the school."""

    class Meta:
        model = Classroom
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    grade = 7

    @factory.post_generation
    def teachers(obj, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for teacher in extracted:
            SchoolMembership.objects.get_or_create(user=teacher, school=obj.school, role=SchoolMembership.Role.TEACHER)
            obj.teachers.add(teacher)


def make_student(classroom=None, *, school=None, grade=7, under_14=False, **kwargs):
    """A student account with a profile and membership, enrolled in `classroom` if given."""
    school = school or (classroom.school if classroom else SchoolFactory())
    student = StudentFactory(**kwargs)
    StudentProfile.objects.create(user=student, school=school, grade=grade, under_14=under_14)
    SchoolMembership.objects.get_or_create(user=student, school=school, role=SchoolMembership.Role.STUDENT)
    if classroom is not None:
        Enrollment.objects.create(student=student, classroom=classroom)
    return student


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.LazyAttribute(lambda o: make_student(school=o.classroom.school, grade=o.classroom.grade))


def make_school_admin(school, **kwargs):
    admin = SchoolAdminFactory(**kwargs)
    SchoolMembership.objects.create(user=admin, school=school, role=SchoolMembership.Role.SCHOOL_ADMIN)
    return admin


def link_guardian(student, guardian=None, *, active=True):
    guardian = guardian or GuardianFactory()
    GuardianLink.objects.create(
        guardian=guardian,
        student=student,
        state=GuardianLink.State.ACTIVE if active else GuardianLink.State.PENDING,
    )
    return guardian
