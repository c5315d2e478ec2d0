"""Who can read "Get help" reports: the student and the school's designated staff only."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from safeguarding import access
from safeguarding.models import Attachment, SafeguardingDesignation
from schools.models import AuditEvent
from tests.accounts.factories import EditorFactory, GuardianFactory
from tests.safeguarding.factories import ReportFactory, designate, make_teacher
from tests.schools.factories import link_guardian, make_school_admin, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(school, pupil):
    return ReportFactory(school=school, student=pupil)


def _urls(report):
    return [
        reverse("safeguarding:report_detail", args=[report.pk]),
        reverse("safeguarding:case_detail", args=[report.pk]),
    ]


def test_student_sees_own_report(client, pupil, report):
    client.force_login(pupil)
    assert client.get(reverse("safeguarding:report_detail", args=[report.pk])).status_code == 200
    assert list(access.reports_visible_to(pupil)) == [report]


def test_designated_teacher_sees_the_case(client, lead, report):
    client.force_login(lead)
    response = client.get(reverse("safeguarding:case_detail", args=[report.pk]))
    assert response.status_code == 200
    assert "mean comments" in response.content.decode()


def test_another_student_of_the_same_school_gets_404(client, school, report):
    other = make_student(school=school)
    client.force_login(other)
    for url in _urls(report):
        assert client.get(url).status_code == 404
    assert not access.reports_visible_to(other).exists()


def test_non_designated_teacher_of_the_school_gets_404(client, plain_teacher, report):
    client.force_login(plain_teacher)
    for url in _urls(report):
        assert client.get(url).status_code == 404
    listing = client.get(reverse("safeguarding:case_list"))
    assert listing.status_code == 200
    assert "mean comments" not in listing.content.decode()
    assert reverse("safeguarding:case_detail", args=[report.pk]) not in listing.content.decode()


def test_school_admin_who_is_not_designated_gets_404(client, head, report):
    client.force_login(head)
    for url in _urls(report):
        assert client.get(url).status_code == 404
    assert not access.reports_visible_to(head).exists()


def test_school_admin_who_is_designated_reads_cases(client, school, head, report):
    designate(school, head)
    client.force_login(head)
    assert client.get(reverse("safeguarding:case_detail", args=[report.pk])).status_code == 200


def test_designated_teacher_of_another_school_gets_404(client, other_school, report):
    outsider = make_teacher(other_school)
    designate(other_school, outsider)
    client.force_login(outsider)
    for url in _urls(report):
        assert client.get(url).status_code == 404


def test_designation_lapses_when_membership_is_deactivated(client, lead, report):
    lead.school_memberships.update(is_active=False)
    client.force_login(lead)
    assert client.get(reverse("safeguarding:case_detail", args=[report.pk])).status_code == 404


def test_deactivating_a_designated_teacher_ends_the_designation_and_tells_the_team(client, school, lead, head, report):
    """Deactivation used to leave the designation in place, so a membership made active again
    (Django admin) reopened every case without anyone being told."""
    other_lead = make_teacher(school, username="other-lead")
    designate(school, other_lead)
    client.force_login(head)
    response = client.post(reverse("schools:teacher_deactivate", args=[lead.pk]))
    assert response.status_code == 302
    assert not SafeguardingDesignation.objects.filter(school=school, staff=lead).exists()
    assert AuditEvent.objects.filter(action="safeguarding.staff_undesignated", actor=head).count() == 1
    told = Notification.objects.filter(user=other_lead, title__contains="can no longer read")
    assert told.count() == 1
    # Made active again behind the admin pages' back: still no access to the cases.
    lead.school_memberships.update(is_active=True)
    lead.__class__.objects.filter(pk=lead.pk).update(is_active=True)
    client.force_login(lead)
    assert client.get(reverse("safeguarding:case_detail", args=[report.pk])).status_code == 404


def test_deactivating_a_plain_teacher_tells_the_safeguarding_team_nothing(client, school, lead, head, plain_teacher):
    client.force_login(head)
    client.post(reverse("schools:teacher_deactivate", args=[plain_teacher.pk]))
    assert not Notification.objects.filter(user=lead, title__contains="can no longer read").exists()
    assert SafeguardingDesignation.objects.filter(school=school, staff=lead).exists()


def test_guardian_of_the_student_gets_404(client, pupil, report):
    parent = link_guardian(pupil, GuardianFactory())
    client.force_login(parent)
    for url in _urls(report):
        assert client.get(url).status_code == 404
    assert client.get(reverse("safeguarding:case_list")).status_code == 404


def test_editor_gets_404(client, report):
    client.force_login(EditorFactory())
    for url in _urls(report):
        assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_log_in(client, report):
    response = client.get(reverse("safeguarding:case_detail", args=[report.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_cannot_post_to_a_case_out_of_scope(client, plain_teacher, report):
    client.force_login(plain_teacher)
    assert client.post(reverse("safeguarding:case_reply", args=[report.pk]), {"body": "hi"}).status_code == 404
    assert client.post(reverse("safeguarding:case_note", args=[report.pk]), {"body": "hi"}).status_code == 404
    status_url = reverse("safeguarding:case_status", args=[report.pk])
    assert client.post(status_url, {"status": "closed", "outcome": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.status == "new"
    assert not report.messages.exists()
    assert not report.staff_notes.exists()


def test_student_cannot_open_the_staff_view_of_their_own_report(client, pupil, report):
    client.force_login(pupil)
    assert client.get(reverse("safeguarding:case_detail", args=[report.pk])).status_code == 404


def test_attachment_is_served_only_to_those_who_may_read_the_report(client, pupil, lead, plain_teacher, report):
    from django.core.files.base import ContentFile

    from tests.safeguarding.factories import image_bytes

    item = Attachment.objects.create(
        report=report,
        image=ContentFile(image_bytes("PNG"), name="a.png"),
        content_type="image/png",
        width=40,
        height=30,
    )
    url = reverse("safeguarding:attachment", args=[item.pk])
    for user, expected in ((pupil, 200), (lead, 200), (plain_teacher, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user
        if expected == 200:
            assert response["Content-Type"] == "image/png"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in response["Content-Security-Policy"]
            b"".join(response.streaming_content)
    # The file is not under the public media folder.
    from django.conf import settings

    assert not str(item.image.path).startswith(str(settings.MEDIA_ROOT))


def test_school_admin_designates_staff_but_teacher_cannot(client, school, head, plain_teacher):
    client.force_login(plain_teacher)
    assert client.get(reverse("safeguarding:designations")).status_code == 404
    client.force_login(head)
    assert client.get(reverse("safeguarding:designations")).status_code == 200
    response = client.post(reverse("safeguarding:designations"), {"school": school.pk, "staff": plain_teacher.pk})
    assert response.status_code == 302
    assert access.is_designated_staff(plain_teacher)
    client.post(
        reverse("safeguarding:designations"), {"school": school.pk, "staff": plain_teacher.pk, "action": "remove"}
    )
    assert not access.is_designated_staff(plain_teacher)


def test_school_admin_cannot_designate_for_another_school_or_outsiders(client, school, other_school, head):
    other_head = make_school_admin(other_school)
    outsider = make_teacher(other_school)
    client.force_login(head)
    response = client.post(reverse("safeguarding:designations"), {"school": other_school.pk, "staff": outsider.pk})
    assert response.status_code == 404
    client.post(reverse("safeguarding:designations"), {"school": school.pk, "staff": outsider.pk})
    assert not access.is_designated_staff(outsider)
    assert other_head.pk


def test_school_admin_manages_help_contacts_and_break_minutes(client, school, head, pupil):
    from safeguarding.models import HelpContact, SchoolBreakSetting

    client.force_login(head)
    url = reverse("safeguarding:designations")
    client.post(
        url,
        {"school": school.pk, "action": "add_contact", "name": "School counsellor", "phone": "8888", "order": 1},
    )
    contact = HelpContact.objects.get(school=school)
    client.post(url, {"school": school.pk, "action": "break", "break_after_minutes": 20})
    assert SchoolBreakSetting.objects.get(school=school).break_after_minutes == 20
    client.force_login(pupil)
    assert "School counsellor" in client.get(reverse("safeguarding:new_report")).content.decode()
    client.force_login(head)
    client.post(url, {"school": school.pk, "action": "remove_contact", "contact": contact.pk})
    assert not HelpContact.objects.filter(school=school).exists()


def test_contact_without_phone_or_address_is_refused(client, school, head):
    from safeguarding.models import HelpContact

    client.force_login(head)
    response = client.post(
        reverse("safeguarding:designations"),
        {"school": school.pk, "action": "add_contact", "name": "Nobody", "order": 1},
        follow=True,
    )
    assert "phone number or a web address" in response.content.decode()
    assert not HelpContact.objects.exists()


def test_school_admin_cannot_edit_another_schools_contacts(client, school, other_school, head):
    from safeguarding.models import HelpContact

    theirs = HelpContact.objects.create(school=other_school, name="Their line", phone="1")
    client.force_login(head)
    response = client.post(
        reverse("safeguarding:designations"),
        {"school": other_school.pk, "action": "remove_contact", "contact": theirs.pk},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("safeguarding:designations"),
        {"school": school.pk, "action": "remove_contact", "contact": theirs.pk},
    )
    assert response.status_code == 404
    assert HelpContact.objects.filter(pk=theirs.pk).exists()
