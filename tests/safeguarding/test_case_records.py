"""A case's records cannot be rewritten, and every view of it is audited (design.md §5)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguarding import services
from safeguarding.models import Report, StaffNote
from schools.models import AuditEvent
from tests.safeguarding.factories import ReportFactory

pytestmark = pytest.mark.django_db

FIRST = "Police informed; parents told on Monday."


@pytest.fixture
def closed(school, pupil, lead):
    report = ReportFactory(school=school, student=pupil)
    return services.change_status(report=report, actor=lead, status=Report.Status.CLOSED, outcome=FIRST)


def test_a_closed_cases_outcome_cannot_be_written_over(client, lead, closed):
    with pytest.raises(ValidationError):
        services.change_status(report=closed, actor=lead, status=Report.Status.CLOSED, outcome="Nothing to see.")
    client.force_login(lead)
    response = client.post(
        reverse("safeguarding:case_status", args=[closed.pk]), {"status": "closed", "outcome": "Nothing to see."}
    )
    assert response.status_code == 400
    closed.refresh_from_db()
    assert closed.outcome == FIRST


def test_a_closed_case_offers_only_to_reopen(client, lead, closed):
    client.force_login(lead)
    page = client.get(reverse("safeguarding:case_detail", args=[closed.pk])).content.decode()
    form = page[page.index(reverse("safeguarding:case_status", args=[closed.pk])) :].split("</form>")[0]
    assert "Reopen the case" in form
    assert 'value="closed"' not in form and "<textarea" not in form


def test_reopening_keeps_the_outcome_word_for_word_in_the_notes(client, lead, closed):
    client.force_login(lead)
    response = client.post(reverse("safeguarding:case_status", args=[closed.pk]), {"status": "in_progress"})
    assert response.status_code == 302
    closed.refresh_from_db()
    services.change_status(report=closed, actor=lead, status=Report.Status.CLOSED, outcome="Resolved after a meeting.")
    note = StaffNote.objects.get(report=closed)
    assert note.body.startswith("Case reopened.") and note.body.endswith(FIRST)
    assert note.author == lead
    page = client.get(reverse("safeguarding:case_detail", args=[closed.pk])).content.decode()
    assert FIRST in page and "Resolved after a meeting." in page


@pytest.mark.parametrize(
    "route, data",
    [("case_reply", {"body": ""}), ("case_note", {"body": ""}), ("case_status", {"status": "closed", "outcome": ""})],
)
def test_a_case_shown_again_with_a_forms_errors_is_an_audited_view(client, school, pupil, lead, route, data):
    report = ReportFactory(school=school, student=pupil, description="They post my photo.")
    client.force_login(lead)
    response = client.post(reverse(f"safeguarding:{route}", args=[report.pk]), data)
    assert response.status_code == 400
    assert "They post my photo." in response.content.decode()
    assert (
        AuditEvent.objects.filter(action="safeguarding.case_viewed", actor=lead, target_id=str(report.pk)).count() == 1
    )


def test_a_change_of_who_reads_reports_is_told_to_the_team(client, school, lead, head, plain_teacher):
    """An admin who designates themselves, reads, and undesignates is no longer unseen."""
    from notifications.models import Notification

    services.designate(school=school, staff=head, by=head)
    assert Notification.objects.filter(user=lead, title__contains="can now read your school's help reports").exists()
    assert not Notification.objects.filter(user=plain_teacher).exists()
    services.undesignate(school=school, staff=head, by=head)
    for person in (lead, head):
        notice = Notification.objects.filter(user=person, title__contains="can no longer read").get()
        assert head.get_display_name() in notice.title and head.get_display_name() in notice.body


@pytest.mark.parametrize("reports", [0, 1, 3])
def test_a_deletion_writes_one_get_help_row_whatever_the_child_sent(client, school, head, reports):
    """Beside "student.deleted", a non-designated admin's log shows one "Get help activity" row
    for every deleted student: the count of rows says nothing about the child's reports."""
    from tests.schools.factories import make_student

    child = make_student(school=school, username=f"child-{reports}")
    for _ in range(reports):
        ReportFactory(school=school, student=child)
    client.force_login(head)
    client.post(reverse("schools:student_delete", args=[child.pk]), {"confirm": child.username})
    rows = AuditEvent.objects.filter(action__startswith="safeguarding.", school=school)
    assert rows.count() == 1 and rows.get().action == "safeguarding.student_deletion_checked"
    html = client.get(reverse("schools:audit_log")).content.decode()
    assert html.count("Get help activity</td>") == 1
