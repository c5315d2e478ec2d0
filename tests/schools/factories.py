"""Factories for schools: other apps' tests may import these."""

import factory
from django.utils import timezone

from schools.models import (
    Classroom,
    ConsentRecord,
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
    """A student account with a profile (their school), enrolled in `classroom` if given."""
    school = school or (classroom.school if classroom else SchoolFactory())
    student = StudentFactory(**kwargs)
    StudentProfile.objects.create(user=student, school=school, grade=grade, under_14=under_14)
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


class World:
    """Named people and objects for access tests (see build_world)."""


def build_world():
    """Two schools; in school A two classes with one teacher each; guardians linked."""
    w = World()
    w.school = SchoolFactory(name="Riverside", slug="riverside-t")
    w.other_school = SchoolFactory(name="Hillside", slug="hillside-t")
    w.teacher = TeacherFactory(username="t.one")
    w.other_teacher = TeacherFactory(username="t.two")
    w.classroom = ClassroomFactory(school=w.school, teachers=[w.teacher], name="7A")
    w.other_classroom = ClassroomFactory(school=w.school, teachers=[w.other_teacher], name="7B")
    w.student = make_student(w.classroom, username="s.one", under_14=True)
    w.other_student = make_student(w.other_classroom, username="s.two")
    w.guardian = link_guardian(w.student, GuardianFactory(username="g.one"))
    w.other_guardian = link_guardian(w.other_student, GuardianFactory(username="g.two"))
    ConsentRecord.objects.create(student=w.student, guardian=w.guardian, notice_version="test")
    StudentProfile.objects.filter(user=w.student).update(consent_given_at=timezone.now())
    w.school_admin = make_school_admin(w.school, username="a.one")
    w.other_admin = make_school_admin(w.other_school, username="a.two")
    w.far_teacher = TeacherFactory(username="t.far")
    w.far_classroom = ClassroomFactory(school=w.other_school, teachers=[w.far_teacher], name="H1")
    w.far_student = make_student(w.far_classroom, username="s.far")
    w.loose_student = StudentFactory(username="s.loose")
    return w
