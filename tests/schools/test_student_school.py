"""A student's school is recorded in one place: their StudentProfile. Memberships are staff roles."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.roles import Role
from safeguarding import access as safeguarding_access
from schools import access
from schools.models import SchoolMembership, StudentProfile
from schools.roster import parse
from schools.services import classrooms, rosters
from tests.accounts.factories import StudentFactory, TeacherFactory
from tests.schools.factories import ClassroomFactory, SchoolFactory, make_school_admin, make_student


def test_school_admin_sees_a_student_of_their_school_with_no_membership_row(client, db):
    school = SchoolFactory()
    admin = make_school_admin(school)
    student = make_student(school=school)
    assert not SchoolMembership.objects.filter(user=student).exists()

    assert access.students_visible_to(admin).filter(pk=student.pk).exists()
    assert list(access.schools_visible_to(student)) == [school]
    assert list(safeguarding_access.student_schools(student)) == [school]
    client.force_login(admin)
    assert client.get(reverse("schools:student_detail", args=[student.pk])).status_code == 200


def test_the_admin_of_another_school_does_not_see_the_student(client, db):
    student = make_student(school=SchoolFactory())
    stranger = make_school_admin(SchoolFactory())
    assert not access.students_visible_to(stranger).filter(pk=student.pk).exists()
    client.force_login(stranger)
    assert client.get(reverse("schools:student_detail", args=[student.pk])).status_code == 404


def test_a_membership_row_for_a_student_is_refused_by_the_database(db):
    student = StudentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolMembership.objects.create(user=student, school=SchoolFactory(), role=Role.STUDENT)


def test_joining_a_class_and_a_roster_import_record_the_school_in_the_profile_only(db):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    student = StudentFactory()
    classrooms.join_class(student=student, code=classroom.join_code)
    rosters.import_roster(actor=teacher, classroom=classroom, result=parse(b"name\nWang Yu\n"))

    imported = StudentProfile.objects.exclude(user=student).get().user
    for account in (student, imported):
        assert StudentProfile.objects.get(user=account).school == classroom.school
        assert not SchoolMembership.objects.filter(user=account).exists()
        assert access.students_visible_to(teacher).filter(pk=account.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_migration_turns_student_memberships_into_profiles():
    before = [("schools", "0004_deletion_request")]
    after = [("schools", "0005_student_school_in_profile")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        state = executor.loader.project_state(before).apps
        User = state.get_model("accounts", "User")
        School = state.get_model("schools", "School")
        Membership = state.get_model("schools", "SchoolMembership")
        Profile = state.get_model("schools", "StudentProfile")
        riverside = School.objects.create(name="Riverside", slug="riverside-m")
        hillside = School.objects.create(name="Hillside", slug="hillside-m")
        with_profile = User.objects.create(username="s.profile", role="student")
        Profile.objects.create(user=with_profile, school=hillside, grade=7)
        Membership.objects.create(user=with_profile, school=riverside, role="student")
        without = User.objects.create(username="s.member", role="student")
        Membership.objects.create(user=without, school=riverside, role="student", is_active=False)
        Membership.objects.create(user=without, school=hillside, role="student")
        teacher = User.objects.create(username="t.member", role="teacher")
        Membership.objects.create(user=teacher, school=riverside, role="teacher")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert StudentProfile.objects.get(user__username="s.profile").school.slug == "hillside-m"  # kept as it was
    assert StudentProfile.objects.get(user__username="s.member").school.slug == "hillside-m"  # the active one
    assert list(SchoolMembership.objects.values_list("user__username", "role")) == [("t.member", "teacher")]
