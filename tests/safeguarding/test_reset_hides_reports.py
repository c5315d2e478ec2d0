"""No adult route around a child's Get help report through a password reset (design.md §5).

Whoever resets a student's password knows the new one, and can log in with it and choose the
"student's own" password before the student does. So a staff reset takes the student's reports
off the account's pages until designated staff, having talked with the student, show them again.
"""

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from safeguarding import services
from safeguarding.models import Attachment, Report
from schools.models import AuditEvent
from schools.privacy import collect
from tests.safeguarding.factories import ReportFactory

pytestmark = pytest.mark.django_db

SECRET = "My uncle keeps messaging me at night"
CHOSEN = "otter-quilt-maple-41"


def _reset(actor, student) -> str:
    admin = Client()
    admin.force_login(actor)
    response = admin.post(reverse("schools:student_reset_password", args=[student.pk]))
    assert response.status_code == 200
    return response.context["password"]


def _log_in_and_choose(student, issued) -> Client:
    """What the adult who reset it can do: log in with the issued password and set one."""
    browser = Client()
    assert (
        browser.post(reverse("accounts:login"), {"username": student.username, "password": issued}).status_code == 302
    )
    changed = browser.post(
        reverse("accounts:password_change"),
        {"old_password": issued, "new_password1": CHOSEN, "new_password2": CHOSEN},
    )
    assert changed.status_code == 302
    return browser


@pytest.fixture
def report(school, pupil, lead):
    report = ReportFactory(school=school, student=pupil, description=SECRET)
    Attachment.objects.create(report=report, image="safeguarding/x.png", content_type="image/png", width=1, height=1)
    services.add_message(report=report, author=lead, body="Let's talk at break.")
    return report


def test_the_adult_who_reset_the_password_cannot_read_the_report_as_the_student(school, pupil, head, report):
    assert Notification.objects.filter(user=pupil, kind="help_reply").exists()
    browser = _log_in_and_choose(pupil, _reset(head, pupil))

    listing = browser.get(reverse("safeguarding:my_reports")).content.decode()
    assert reverse("safeguarding:report_detail", args=[report.pk]) not in listing
    assert browser.get(reverse("safeguarding:report_detail", args=[report.pk])).status_code == 404
    assert browser.get(reverse("safeguarding:attachment", args=[report.attachments.get().pk])).status_code == 404
    home = browser.get(reverse("home")).content.decode()
    assert SECRET not in listing + home
    assert reverse("safeguarding:report_detail", args=[report.pk]) not in home
    # The reply notice that would say a report exists is gone, and nothing new is said.
    assert not Notification.objects.filter(user=pupil, kind="help_reply").exists()
    notices = browser.get(reverse("notifications:list")).content.decode()
    assert "replied to your report" not in notices
    # "Everything we hold about you", asked for by whoever holds the account: not the report.
    pupil.refresh_from_db()
    assert "help_reports" not in collect(pupil, pupil)
    # The report itself is untouched, and its staff still have it.
    report.refresh_from_db()
    assert report.description == SECRET and report.hidden_from_student_at is not None


def test_replies_and_status_changes_while_hidden_are_not_announced_to_the_account(school, pupil, head, lead, report):
    _log_in_and_choose(pupil, _reset(head, pupil))
    report.refresh_from_db()
    services.add_message(report=report, author=lead, body="Are you safe?")
    services.change_status(report=report, actor=lead, status=Report.Status.CLOSED, outcome="Talked with parents.")
    assert not Notification.objects.filter(user=pupil).exclude(kind="general").exists()


def test_the_designated_staff_are_told_and_show_the_reports_again_after_talking_with_the_student(
    client, school, pupil, head, lead, report
):
    issued = _reset(head, pupil)
    notice = Notification.objects.get(user=lead, title__contains="password reset")
    assert "hidden from their account" in notice.body
    client.force_login(lead)
    case = client.get(reverse("safeguarding:case_detail", args=[report.pk])).content.decode()
    assert "Hidden from the student's account" in case
    show_again = reverse("safeguarding:case_show_again", args=[report.pk])
    assert show_again in case

    # Not while the account still has the password staff issued.
    response = client.post(show_again, follow=True)
    assert "has not chosen their own password yet" in response.content.decode()
    report.refresh_from_db()
    assert report.hidden_from_student_at is not None

    browser = _log_in_and_choose(pupil, issued)  # the student, in front of the lead this time
    response = client.post(show_again, follow=True)
    assert "The student can see 1 report again." in response.content.decode()
    report.refresh_from_db()
    assert report.hidden_from_student_at is None
    assert browser.get(reverse("safeguarding:report_detail", args=[report.pk])).status_code == 200
    event = AuditEvent.objects.get(action="safeguarding.reports_shown_again")
    assert event.actor == lead and event.details == {"reports": 1}


def test_only_designated_staff_can_show_the_reports_again(client, school, pupil, head, plain_teacher, report):
    _log_in_and_choose(pupil, _reset(head, pupil))
    pupil.refresh_from_db()
    for adult in (head, plain_teacher, pupil):
        client.force_login(adult)
        response = client.post(reverse("safeguarding:case_show_again", args=[report.pk]))
        assert response.status_code == 404, adult.username
    report.refresh_from_db()
    assert report.hidden_from_student_at is not None


def test_the_reset_page_and_my_reports_say_so_whether_or_not_a_report_exists(school, pupil, head):
    """Said to every student with a recent staff reset, so it tells nobody a report exists."""
    admin = Client()
    admin.force_login(head)
    page = admin.post(reverse("schools:student_reset_password", args=[pupil.pk])).content.decode()
    assert "hidden from their account" in page
    issued = page.split('<code class="stat">')[1].split("<")[0]
    browser = _log_in_and_choose(pupil, issued)
    assert not Report.objects.exists()
    mine = browser.get(reverse("safeguarding:my_reports")).content.decode()
    assert "Your password was reset by school staff on" in mine
    assert "reports you sent before then are hidden here" in mine
    assert "You have not sent any reports" not in mine  # true or not, it would say too much


def test_a_student_whose_password_was_never_reset_reads_no_such_note(client, pupil, report):
    client.force_login(pupil)
    mine = client.get(reverse("safeguarding:my_reports")).content.decode()
    assert "reset by school staff" not in mine
    assert reverse("safeguarding:report_detail", args=[report.pk]) in mine


def test_a_report_sent_after_the_reset_is_the_students_own(school, pupil, head, lead, report):
    browser = _log_in_and_choose(pupil, _reset(head, pupil))
    response = browser.post(
        reverse("safeguarding:new_report"), {"school": school.pk, "kind": "scam", "description": "A fake prize."}
    )
    assert response.status_code == 302
    newer = Report.objects.exclude(pk=report.pk).get()
    assert browser.get(reverse("safeguarding:report_detail", args=[newer.pk])).status_code == 200
    assert browser.get(reverse("safeguarding:report_detail", args=[report.pk])).status_code == 404
