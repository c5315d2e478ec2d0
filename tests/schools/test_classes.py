"""Teachers' classes and join codes."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from schools.models import AuditEvent, Classroom, Enrollment, normalise_code


def test_teacher_creates_a_class_with_an_unambiguous_join_code(client, world):
    client.force_login(world.teacher)
    resp = client.post(reverse("schools:class_create"), {"name": "8C", "grade": 8})
    classroom = Classroom.objects.get(name="8C")
    assert resp.status_code == 302
    assert classroom.school == world.school
    assert list(classroom.teachers.all()) == [world.teacher]
    assert len(classroom.join_code) == 6
    assert not set(classroom.join_code) & set("0O1IL2Z5S8B")
    page = client.get(reverse("schools:class_detail", args=[classroom.pk]))
    assert classroom.join_code in page.content.decode()


def test_teacher_renames_and_archives_own_class(client, world):
    client.force_login(world.teacher)
    url = reverse("schools:class_edit", args=[world.classroom.pk])
    client.post(url, {"name": "7A Maple", "grade": 7})
    client.post(reverse("schools:class_archive", args=[world.classroom.pk]), {"archive": "1"})
    world.classroom.refresh_from_db()
    assert world.classroom.name == "7A Maple"
    assert world.classroom.is_archived
    assert AuditEvent.objects.filter(action="class.archived", school=world.school).exists()


def test_another_teacher_cannot_rename_or_see_a_class(client, world):
    client.force_login(world.other_teacher)
    url = reverse("schools:class_edit", args=[world.classroom.pk])
    assert client.post(url, {"name": "hacked"}).status_code == 404
    assert client.get(reverse("schools:class_detail", args=[world.classroom.pk])).status_code == 404
    world.classroom.refresh_from_db()
    assert world.classroom.name == "7A"
    listing = client.get(reverse("schools:class_list")).content.decode()
    assert "7B" in listing and ">7A<" not in listing


def _join(client, code):
    return client.post(reverse("schools:join_class"), {"code": code}, follow=True)


def test_student_joins_by_code_typed_loosely(client, world):
    client.force_login(world.loose_student)
    code = world.classroom.join_code
    resp = _join(client, f" {code[:3].lower()}-{code[3:].lower()} ")
    assert "You have joined 7A" in resp.content.decode()
    assert Enrollment.objects.filter(student=world.loose_student, classroom=world.classroom).exists()
    assert world.loose_student.student_profile.school == world.school
    assert normalise_code("ab-c d") == "ABCD"


def test_student_already_in_the_class_is_told_so_and_not_enrolled_twice(client, world):
    client.force_login(world.student)
    html = _join(client, world.classroom.join_code).content.decode()
    assert "You are already in 7A." in html
    assert "You have joined" not in html
    assert Enrollment.objects.filter(student=world.student, classroom=world.classroom).count() == 1
    assert not AuditEvent.objects.filter(action="class.joined").exists()


def test_disabled_expired_and_wrong_codes_give_clear_messages(client, world):
    client.force_login(world.loose_student)
    c = world.classroom
    c.join_code_enabled = False
    c.save()
    assert "not taking new students" in _join(client, c.join_code).content.decode()
    c.join_code_enabled = True
    c.join_code_expires_at = timezone.now() - timedelta(minutes=1)
    c.save()
    assert "expired" in _join(client, c.join_code).content.decode()
    assert "not right" in _join(client, "QQQQQQ").content.decode()
    assert not Enrollment.objects.filter(student=world.loose_student).exists()


def test_rotating_the_code_invalidates_the_old_one(client, world):
    old = world.classroom.join_code
    client.force_login(world.teacher)
    client.post(
        reverse("schools:class_join_code", args=[world.classroom.pk]),
        {"action": "rotate", "expires_in_days": 7},
    )
    world.classroom.refresh_from_db()
    assert world.classroom.join_code != old
    assert world.classroom.join_code_expires_at > timezone.now() + timedelta(days=6)
    client.force_login(world.loose_student)
    assert "not right" in _join(client, old).content.decode()


def test_join_code_guessing_is_rate_limited(client, world):
    client.force_login(world.loose_student)
    for _ in range(10):
        _join(client, "QQQQQQ")
    resp = _join(client, world.classroom.join_code)
    assert "Too many wrong codes" in resp.content.decode()
    assert not Enrollment.objects.filter(student=world.loose_student).exists()


def test_student_of_another_school_cannot_join_with_a_code(client, world):
    client.force_login(world.far_student)
    assert "not right" in _join(client, world.classroom.join_code).content.decode()


def test_school_admin_resets_a_students_password_and_their_sessions_end(client, world):
    from django.test import Client

    student_client = Client()
    student_client.force_login(world.student)
    assert student_client.get(reverse("home")).context["user"].is_authenticated
    client.force_login(world.school_admin)
    resp = client.post(reverse("schools:student_reset_password", args=[world.student.pk]))
    password = resp.context["password"]
    world.student.refresh_from_db()
    assert world.student.must_change_password
    assert world.student.check_password(password)
    assert not student_client.get(reverse("home")).context["user"].is_authenticated


def test_other_teacher_cannot_reset_password(client, world):
    client.force_login(world.other_teacher)
    resp = client.post(reverse("schools:student_reset_password", args=[world.student.pk]))
    assert resp.status_code == 404
    client.force_login(world.teacher)  # the class teacher, not designated: 404 too
    resp = client.post(reverse("schools:student_reset_password", args=[world.student.pk]))
    assert resp.status_code == 404
    world.student.refresh_from_db()
    assert world.student.check_password("netwise-demo")


def test_opening_a_student_record_is_audited(client, world):
    client.force_login(world.teacher)
    assert client.get(reverse("schools:student_detail", args=[world.student.pk])).status_code == 200
    event = AuditEvent.objects.get(action="student.viewed")
    assert event.actor == world.teacher and event.school == world.school
    assert event.target_id == str(world.student.pk) and event.ip_address == "127.0.0.1"


def test_one_students_wrong_join_codes_do_not_lock_out_the_class_behind_one_address(client, world):
    """Issue 12: limits are per account, with a higher ceiling per address (a school's NAT)."""
    from tests.schools.factories import make_student

    guesser = make_student(school=world.school)
    client.force_login(guesser)
    for _ in range(10):
        _join(client, "QQQQQQ")
    assert "Too many wrong codes" in _join(client, world.classroom.join_code).content.decode()
    classmate = make_student(school=world.school)
    client.force_login(classmate)
    _join(client, world.classroom.join_code)
    assert Enrollment.objects.filter(student=classmate, classroom=world.classroom).exists()
