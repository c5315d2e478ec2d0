"""Issue 12, route 1: an account with `must_change_password` (roster import, teacher invite,
staff reset) reaches only the change-password page, log-out, static files, /healthz and the
emergency numbers until it sets its own password."""

import pytest
from django.test import Client
from django.urls import reverse

from schools.services import passwords, rosters, staff
from tests.accounts.factories import StudentFactory, TeacherFactory
from tests.accounts.urlwalk import every_url
from tests.safeguarding.factories import ReportFactory, designate
from tests.schools.factories import build_world

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/"
ALLOWED = {CHANGE, "/accounts/logout/", "/healthz", "/i18n/setlang/", "/jsi18n/"}


def test_the_walk_reaches_every_pattern():
    urls = every_url()
    assert len(urls) > 100
    unbuilt = [name for name, path in urls if path is None]
    assert not unbuilt, f"No sample path for: {unbuilt}"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_must_change_account_is_sent_to_change_password_from_every_url(client, method):
    user = StudentFactory(must_change_password=True)
    client.force_login(user)
    leaks = []
    for name, path in every_url():
        if path in ALLOWED:
            continue
        response = getattr(client, method)(path)
        if response.status_code != 302 or response["Location"] != CHANGE:
            leaks.append((name, path, response.status_code))
    assert not leaks, f"Reachable before the password was changed: {leaks[:20]} ({len(leaks)} in all)"


def test_htmx_requests_get_403_with_a_redirect_header(client):
    client.force_login(StudentFactory(must_change_password=True))
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert response["HX-Redirect"] == CHANGE


def test_the_allowed_pages_still_work(client):
    client.force_login(StudentFactory(must_change_password=True))
    assert client.get(CHANGE).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_change_page_shows_the_emergency_numbers(client):
    client.force_login(StudentFactory(must_change_password=True))
    page = client.get(CHANGE).content.decode()
    assert "Need help right now?" in page
    assert "110" in page and "12355" in page


def test_changing_the_password_lifts_the_restriction(client):
    user = StudentFactory(must_change_password=True)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 302
    response = client.post(
        CHANGE,
        {
            "old_password": "netwise-demo",
            "new_password1": "otter-lantern-quilt",
            "new_password2": "otter-lantern-quilt",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_the_issued_password_typed_in_again_does_not_lift_the_restriction(client):
    """The printed or shown password must end: typed in as the "new" one it is refused, and the
    account stays behind the change page."""
    w = build_world()
    issued = passwords.reset_student_password(actor=w.school_admin, student=w.student)
    client.post(reverse("accounts:login"), {"username": w.student.username, "password": issued})
    response = client.post(CHANGE, {"old_password": issued, "new_password1": issued, "new_password2": issued})
    assert response.status_code == 200
    assert "Choose a new password: this is the one you have now." in response.content.decode()
    w.student.refresh_from_db()
    assert w.student.must_change_password and w.student.check_password(issued)
    assert client.get(reverse("home"))["Location"] == CHANGE


def test_an_invited_teacher_logging_in_with_the_printed_password_must_change_it(client):
    w = build_world()
    _teacher, password = staff.invite_teacher(admin=w.school_admin, school=w.school, username="t.new", display_name="T")
    response = client.post(reverse("accounts:login"), {"username": "t.new", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == CHANGE
    assert client.get(reverse("schools:class_list")).status_code == 302


def test_a_staff_issued_password_cannot_open_the_get_help_reports(client):
    """Decision (docs/access.md): before the student sets their own password, the credential
    staff issued opens none of their "Get help" reports, not even the list."""
    w = build_world()
    designate(w.school, w.teacher)
    report = ReportFactory(school=w.school, student=w.student, description="They keep sending me mean messages")
    password = passwords.reset_student_password(actor=w.school_admin, student=w.student)
    client.post(reverse("accounts:login"), {"username": w.student.username, "password": password})
    assert client.session["_auth_user_id"] == str(w.student.pk)
    for url in (
        reverse("safeguarding:my_reports"),
        reverse("safeguarding:report_detail", args=[report.pk]),
        reverse("safeguarding:new_report"),
        f"/help/attachments/{report.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == CHANGE, url
        assert b"mean messages" not in response.content


def test_a_normal_account_is_not_redirected(client):
    client.force_login(TeacherFactory())
    assert client.get(reverse("home")).status_code == 200
    assert Client().get(reverse("home")).status_code == 200


def test_a_roster_student_logging_in_with_the_printed_password_must_change_it(client):
    """The sign-in sheet says "Each student must choose a new password at first sign-in"."""
    from schools.roster import RosterResult, RosterRow

    w = build_world()
    rows = [RosterRow(line=2, name="Han Lei", grade=7)]
    [(_name, username, password)] = rosters.import_roster(
        actor=w.teacher, classroom=w.classroom, result=RosterResult(rows=rows)
    )
    response = client.post(reverse("accounts:login"), {"username": username, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == CHANGE
    for url in (reverse("home"), reverse("safeguarding:new_report"), reverse("schools:join_class")):
        assert client.get(url)["Location"] == CHANGE
