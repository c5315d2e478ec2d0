"""The school admin's audit page shows Get help events in full only to designated staff;
everyone else sees that one happened, and when, never whose, which report, or who acted."""

import re

import pytest
from django.urls import reverse

from safeguarding.models import Report
from schools.audit import pseudonym
from schools.models import AuditEvent
from schools.services import student_data
from tests.safeguarding.factories import designate

pytestmark = pytest.mark.django_db


def _walk_a_case(client, school, pupil, lead):
    """The student files a report; the lead opens it, replies, notes and closes it."""
    client.force_login(pupil)
    client.post(
        reverse("safeguarding:new_report"),
        {"school": school.pk, "kind": "bullying", "description": "They laugh at my videos."},
    )
    report = Report.objects.get()
    client.force_login(lead)
    client.get(reverse("safeguarding:case_detail", args=[report.pk]))
    client.post(reverse("safeguarding:case_reply", args=[report.pk]), {"body": "We will talk today."})
    client.post(reverse("safeguarding:case_note", args=[report.pk]), {"body": "Called home."})
    client.post(reverse("safeguarding:case_status", args=[report.pk]), {"status": "closed", "outcome": "Resolved."})
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"safeguarding.report_filed", "safeguarding.staff_replied", "safeguarding.note_added"} <= actions
    return report


def test_non_designated_school_admin_sees_only_that_get_help_activity_happened(client, school, pupil, lead, head):
    _walk_a_case(client, school, pupil, lead)
    client.force_login(head)
    html = client.get(reverse("schools:audit_log")).content.decode()
    table = html[html.index("<table") :]
    assert "Get help activity" in table
    sg_rows = AuditEvent.objects.filter(school=school, action__startswith="safeguarding.").count()
    assert table.count("Get help activity") == sg_rows
    for secret in (
        pupil.username,
        pupil.get_display_name(),
        lead.username,
        lead.get_display_name(),
        "Help report #",
        "safeguarding.report_filed",
        "staff_replied",
        "note_added",
    ):
        assert secret not in html, secret

    # Filtering by a hidden action name tells nothing either: every Get help row, masked.
    filtered = client.get(reverse("schools:audit_log"), {"action": "safeguarding.staff_replied"})
    assert len(filtered.context["events"]) == sg_rows
    assert "staff_replied" not in filtered.content.decode().split("<main", 1)[1].split("</form>", 1)[1]


def test_designated_school_admin_sees_get_help_events_in_full(client, school, pupil, lead, head):
    report = _walk_a_case(client, school, pupil, lead)
    designate(school, head)
    client.force_login(head)
    html = client.get(reverse("schools:audit_log")).content.decode()
    assert f"Help report #{report.pk}" in html
    assert "safeguarding.staff_replied" in html and lead.username in html and pupil.username in html


def test_deleted_students_username_leaves_the_who_column(client, school, pupil, lead, head):
    _walk_a_case(client, school, pupil, lead)
    pk, username = pupil.pk, pupil.username
    designate(school, head)
    client.force_login(head)
    client.post(reverse("schools:student_delete", args=[pk]), {"confirm": username})
    assert not AuditEvent.objects.filter(actor_label=username).exists()
    html = client.get(reverse("schools:audit_log")).content.decode()
    assert username not in html
    # The Who cell of the report's row (cells carry their column's name for a phone's cards).
    assert re.search(rf"<td[^>]*>{re.escape(pseudonym(pk))}</td><td[^>]*>Help report sent</td>", html)


def test_other_schools_designation_does_not_unmask(client, school, other_school, pupil, lead, head):
    _walk_a_case(client, school, pupil, lead)
    designate(other_school, head)
    client.force_login(head)
    html = client.get(reverse("schools:audit_log")).content.decode()
    assert "Help report #" not in html and pupil.username not in html
    # And the deletion itself still leaves the records for the lead.
    student_data.delete_student(actor=head, student=pupil)
    assert Report.objects.filter(student__isnull=True).count() == 1
