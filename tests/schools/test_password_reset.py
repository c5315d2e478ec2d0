"""Issue 12, route 1: who may reset a student's password, and what a reset does."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from safeguarding.models import Report
from schools import access
from schools.models import AuditEvent
from schools.services import common
from tests.safeguarding.factories import ReportFactory, designate, make_teacher

pytestmark = pytest.mark.django_db


def reset(client, user, student):
    client.force_login(user)
    return client.post(reverse("schools:student_reset_password", args=[student.pk]))


def test_the_school_admin_may_reset(client, world):
    response = reset(client, world.school_admin, world.student)
    assert response.status_code == 200
    world.student.refresh_from_db()
    assert world.student.check_password(response.context["password"])
    assert world.student.must_change_password and world.student.password_reset_by_staff_at


def test_designated_staff_may_reset_even_without_teaching_the_student(client, world):
    lead = make_teacher(world.school)
    designate(world.school, lead)
    assert access.can_reset_password(lead, world.student)
    assert reset(client, lead, world.student).status_code == 200


def test_designated_staff_of_another_school_may_not(client, world):
    designate(world.other_school, world.far_teacher)
    assert not access.can_reset_password(world.far_teacher, world.student)
    assert reset(client, world.far_teacher, world.student).status_code == 404


def test_a_class_teacher_gets_a_hint_and_a_forged_post_answers_404(client, world):
    """The attacker's route: the class teacher forges the reset form and would log in as the child."""
    client.force_login(world.teacher)
    page = client.get(reverse("schools:student_detail", args=[world.student.pk])).content.decode()
    assert "Ask your school admin to reset this password." in page
    assert reverse("schools:student_reset_password", args=[world.student.pk]) not in page
    response = reset(client, world.teacher, world.student)
    assert response.status_code == 404
    world.student.refresh_from_db()
    assert world.student.check_password("netwise-demo") and not world.student.must_change_password
    assert not AuditEvent.objects.filter(action="student.password_reset").exists()


def test_the_school_admin_sees_the_button(client, world):
    client.force_login(world.school_admin)
    page = client.get(reverse("schools:student_detail", args=[world.student.pk])).content.decode()
    assert reverse("schools:student_reset_password", args=[world.student.pk]) in page
    assert "Ask your school admin" not in page


def test_a_reset_deletes_every_session_of_the_student_and_is_audited(client, world):
    phones = [Client(), Client()]
    for phone in phones:
        phone.force_login(world.student)
    other = Client()
    other.force_login(world.other_student)
    assert Session.objects.count() == 3
    reset(client, world.school_admin, world.student)
    keys = {s.session_key for s in Session.objects.all()}
    assert phones[0].session.session_key not in keys and phones[1].session.session_key not in keys
    assert other.session.session_key in keys
    event = AuditEvent.objects.get(action="student.password_reset")
    assert event.actor == world.school_admin and event.target_id == str(world.student.pk)


def test_a_reset_in_the_middle_of_an_open_case_tells_the_designated_staff_and_leaves_the_case(client, world):
    lead = make_teacher(world.school)
    designate(world.school, lead)
    report = ReportFactory(school=world.school, student=world.student, status=Report.Status.IN_PROGRESS)
    before = Report.objects.filter(pk=report.pk).values().get()
    reset(client, world.school_admin, world.student)
    notices = Notification.objects.filter(user=lead)
    assert notices.count() == 1
    notice = notices.get()
    assert "password reset" in notice.title
    assert world.school_admin.get_display_name() in notice.body
    assert notice.url == reverse("safeguarding:case_detail", args=[report.pk])
    after = Report.objects.filter(pk=report.pk).values().get()
    # Hidden from the account (tests/safeguarding/test_reset_hides_reports.py), otherwise untouched.
    assert after.pop("hidden_from_student_at") is not None
    before.pop("hidden_from_student_at")
    assert after == before
    # Nobody else is told (the admin who did it is not designated).
    assert not Notification.objects.exclude(user=lead).exists()


def test_a_closed_report_also_counts(client, world):
    lead = make_teacher(world.school)
    designate(world.school, lead)
    ReportFactory(school=world.school, student=world.student, status=Report.Status.CLOSED)
    reset(client, world.school_admin, world.student)
    assert Notification.objects.filter(user=lead).count() == 1


def test_no_report_no_notice(client, world):
    lead = make_teacher(world.school)
    designate(world.school, lead)
    reset(client, world.school_admin, world.student)
    assert not Notification.objects.exists()


def test_the_student_is_told_at_log_in_until_they_choose_a_password(client, world):
    password = reset(client, world.school_admin, world.student).context["password"]
    student = Client()
    page = student.post(
        reverse("accounts:login"), {"username": world.student.username, "password": password}, follow=True
    )
    assert page.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert "Your password was reset by school staff on" in page.content.decode()
    student.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "otter-quilt-maple", "new_password2": "otter-quilt-maple"},
    )
    world.student.refresh_from_db()
    assert world.student.password_reset_by_staff_at is None and not world.student.must_change_password
    student.post(reverse("accounts:logout"))
    page = student.post(
        reverse("accounts:login"), {"username": world.student.username, "password": "otter-quilt-maple"}, follow=True
    )
    assert "reset by school staff" not in page.content.decode()


def test_first_time_passwords_are_four_words_from_the_shipped_list():
    from accounts.passwords import words

    pool = set(words())
    password = common.first_time_password()
    parts = password.split("-")
    assert len(parts) == 4 and all(p in pool for p in parts)
    assert len({common.first_time_password() for _ in range(50)}) == 50
