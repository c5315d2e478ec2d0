"""The access module: who sees which student, class and school."""

import pytest
from django.contrib.auth.models import AnonymousUser

from schools import access
from schools.models import GuardianLink
from schools.services import staff
from tests.accounts.factories import EditorFactory


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_student_sees_only_themself(world):
    assert ids(access.students_visible_to(world.student)) == {world.student.pk}


def test_teacher_sees_students_of_own_classes_only(world):
    assert ids(access.students_visible_to(world.teacher)) == {world.student.pk}
    assert ids(access.students_visible_to(world.other_teacher)) == {world.other_student.pk}


def test_guardian_sees_only_actively_linked_children(world):
    assert ids(access.students_visible_to(world.guardian)) == {world.student.pk}
    GuardianLink.objects.filter(guardian=world.guardian).update(state=GuardianLink.State.PENDING)
    assert ids(access.students_visible_to(world.guardian)) == set()


def test_school_admin_sees_own_school_students_only(world):
    assert ids(access.students_visible_to(world.school_admin)) == {
        world.student.pk,
        world.other_student.pk,
    }
    assert ids(access.students_visible_to(world.other_admin)) == {world.far_student.pk}


def test_editor_and_anonymous_see_no_one(world):
    assert not access.students_visible_to(EditorFactory()).exists()
    assert not access.students_visible_to(AnonymousUser()).exists()


def test_deactivated_teacher_loses_access(world):
    staff.deactivate_teacher(admin=world.school_admin, school=world.school, teacher=world.teacher)
    world.teacher.refresh_from_db()
    assert not world.teacher.is_active
    assert not access.students_visible_to(world.teacher).exists()
    assert not access.classrooms_visible_to(world.teacher).exists()


def test_classrooms_visible_to_staff_only(world):
    assert ids(access.classrooms_visible_to(world.teacher)) == {world.classroom.pk}
    assert ids(access.classrooms_visible_to(world.school_admin)) == {
        world.classroom.pk,
        world.other_classroom.pk,
    }
    assert not access.classrooms_visible_to(world.student).exists()
    assert not access.classrooms_visible_to(world.guardian).exists()


def test_schools_visible_to_members(world):
    assert ids(access.schools_visible_to(world.teacher)) == {world.school.pk}
    assert ids(access.schools_visible_to(world.student)) == {world.school.pk}
    assert ids(access.schools_visible_to(world.other_admin)) == {world.other_school.pk}
    assert access.school_of(world.far_student) == world.other_school


def test_a_students_schools_and_a_staff_members_schools(world):
    from schools.models import SchoolMembership

    assert access.school_of_student(world.student) == world.school
    assert access.school_of_student(world.loose_student) is None
    assert ids(access.schools_of_student(world.far_student)) == {world.other_school.pk}
    assert not access.schools_of_student(world.teacher).exists()
    assert not access.schools_of_student(AnonymousUser()).exists()
    assert set(access.staff_school_ids(world.teacher).values_list("school_id", flat=True)) == {world.school.pk}
    assert not access.staff_school_ids(world.student).exists()
    SchoolMembership.objects.filter(user=world.teacher).update(is_active=False)
    assert not access.staff_school_ids(world.teacher).exists()
    assert world.teacher not in access.staff_of(world.school)
    assert list(access.admins_of(world.school)) == [world.school_admin]


@pytest.mark.parametrize("size", [3, 30])
def test_visible_students_query_is_one_query(world, size, django_assert_num_queries):
    from tests.schools.factories import make_student

    for _ in range(size):
        make_student(world.classroom)
    with django_assert_num_queries(1):
        assert len(list(access.students_visible_to(world.teacher))) == size + 1
