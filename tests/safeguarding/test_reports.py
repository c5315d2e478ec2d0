"""Filing a report, the conversation, notes, status, notifications and the audit log."""

import re

import pytest
from django.urls import reverse

from notifications.models import Notification
from safeguarding.models import Attachment, Report, StaffNote
from schools.models import AuditEvent
from tests.safeguarding.factories import ReportFactory, designate, image_bytes, jpeg_with_gps, make_teacher, upload
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


def _post_report(client, school, **extra):
    data = {"school": school.pk, "kind": "bullying", "description": "They share my photo in a group chat."}
    data.update(extra)
    return client.post(reverse("safeguarding:new_report"), data)


def test_student_files_a_report_and_designated_staff_are_notified(client, school, pupil, lead, plain_teacher, head):
    client.force_login(pupil)
    assert client.get(reverse("safeguarding:new_report")).status_code == 200
    response = _post_report(client, school, urgent="on")
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("safeguarding:report_detail", args=[report.pk])
    assert report.urgent and report.status == "new" and report.student == pupil
    notes = Notification.objects.filter(user=lead)
    assert notes.count() == 1
    assert notes.get().title.startswith("Urgent")
    assert notes.get().url == reverse("safeguarding:case_detail", args=[report.pk])
    # The notice never carries what the student wrote.
    assert "photo" not in notes.get().title + notes.get().body
    assert not Notification.objects.filter(user__in=[plain_teacher, head]).exists()
    assert AuditEvent.objects.filter(action="safeguarding.report_filed", actor=pupil).exists()


def test_the_report_form_names_its_readers_and_its_groups(client, school, pupil, lead, head):
    """The form says who will read the report (the designated staff, by name, in the reader's
    list punctuation); "What happened?" names its group of choices for a screen reader
    (a fieldset and legend, not a label of the first choice only); the urgent box comes
    before its words."""
    designate(school, head)
    lead.display_name, head.display_name = "Ms Chen", "Mr Wang"
    lead.save(update_fields=["display_name"])
    head.save(update_fields=["display_name"])
    client.force_login(pupil)
    html = client.get(reverse("safeguarding:new_report")).content.decode()
    assert "only the safeguarding staff of Riverside Middle School: Mr Wang, Ms Chen." in html
    assert re.search(r'<fieldset class="field">\s*<legend>What happened\?', html)
    assert re.search(r'<div class="choice"><input type="checkbox" name="urgent"[^>]*> <label for="id_urgent">', html)
    pupil.language = "zh-hans"
    pupil.save(update_fields=["language"])
    html = client.get(reverse("safeguarding:new_report")).content.decode()
    assert "只有Riverside Middle School负责学生保护的老师（Mr Wang、Ms Chen）。" in html


def test_new_report_page_shows_what_happens_next_and_help_contacts(client, school, pupil):
    from safeguarding.services import ensure_default_contacts

    ensure_default_contacts(school)
    client.force_login(pupil)
    html = client.get(reverse("safeguarding:new_report")).content.decode()
    assert "What happens next" in html
    for number in ("110", "12355", "12377", "96110"):
        assert f"tel:{number}" in html
    # Honest about its limits, up front (design.md §5): never "nobody else will ever know".
    assert "the school must act to keep you safe and may have to tell other people" in html
    assert "nobody else" not in html.lower()


def test_help_contacts_follow_the_students_language(client, school, pupil):
    from safeguarding.services import ensure_default_contacts

    ensure_default_contacts(school)
    pupil.language = "zh-hans"
    pupil.save()
    client.force_login(pupil)
    html = client.get(reverse("safeguarding:new_report"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "反诈" in html


def test_student_without_a_school_sees_hotlines_and_no_form(client, student):
    client.force_login(student)
    response = client.get(reverse("safeguarding:new_report"))
    assert response.status_code == 200
    assert "not linked to a school" in response.content.decode()
    assert "tel:110" in response.content.decode()
    _post_report(client, school=type("S", (), {"pk": 1})())
    assert not Report.objects.exists()


def test_report_to_another_schools_staff_is_refused(client, school, other_school, pupil):
    outsider = make_teacher(other_school)
    from tests.safeguarding.factories import designate

    designate(other_school, outsider)
    client.force_login(pupil)
    response = _post_report(client, other_school)
    assert response.status_code == 200
    assert "your own school" in response.content.decode()
    assert not Report.objects.exists()
    assert not Notification.objects.filter(user=outsider).exists()


def test_html_in_the_description_is_escaped_for_staff_and_student(client, school, pupil, lead):
    client.force_login(pupil)
    _post_report(client, school, description='<script>alert("x")</script><b>bold</b>')
    report = Report.objects.get()
    html = client.get(reverse("safeguarding:report_detail", args=[report.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    client.force_login(lead)
    html = client.get(reverse("safeguarding:case_detail", args=[report.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;b&gt;bold" in html


def test_screenshot_is_stored_reencoded_without_gps(client, school, pupil, lead):
    client.force_login(pupil)
    _post_report(client, school, screenshots=[upload(jpeg_with_gps(), "p.jpg", "image/jpeg")])
    item = Attachment.objects.get()
    from PIL import Image

    with item.image.open("rb") as fh:
        data = fh.read()
    assert b"Phone X" not in data
    import io

    assert not Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    assert item.content_type == "image/jpeg"


def test_bad_upload_shows_a_clear_message_and_stores_nothing(client, school, pupil, lead):
    client.force_login(pupil)
    polyglot = image_bytes("PNG") + b"<script>alert(1)</script>"
    response = _post_report(client, school, screenshots=[upload(image_bytes("PNG")), upload(polyglot, "b.png")])
    assert response.status_code == 200
    assert "web page code" in response.content.decode()
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()
    assert not Notification.objects.exists()


def test_conversation_between_student_and_designated_staff(client, school, pupil, lead):
    report = ReportFactory(school=school, student=pupil)
    client.force_login(lead)
    response = client.post(reverse("safeguarding:case_reply", args=[report.pk]), {"body": "Thank you for telling us."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "in_progress"
    notice = Notification.objects.get(user=pupil)
    assert notice.kind == "help_reply"
    assert notice.url == reverse("safeguarding:report_detail", args=[report.pk])

    client.force_login(pupil)
    html = client.get(reverse("safeguarding:report_detail", args=[report.pk])).content.decode()
    assert "Thank you for telling us." in html and "In progress" in html
    client.post(reverse("safeguarding:report_detail", args=[report.pk]), {"body": "It happened again today."})
    assert report.messages.count() == 2
    assert Notification.objects.filter(user=lead, title__icontains="replied").exists()

    client.force_login(lead)
    html = client.get(reverse("safeguarding:case_detail", args=[report.pk])).content.decode()
    assert "It happened again today." in html


def test_private_notes_are_never_shown_to_the_student(client, school, pupil, lead):
    report = ReportFactory(school=school, student=pupil)
    client.force_login(lead)
    client.post(reverse("safeguarding:case_note", args=[report.pk]), {"body": "Spoke to form tutor."})
    assert StaffNote.objects.filter(report=report).count() == 1
    client.force_login(pupil)
    html = client.get(reverse("safeguarding:report_detail", args=[report.pk])).content.decode()
    assert "Spoke to form tutor." not in html


def test_closing_needs_an_outcome_and_tells_the_student(client, school, pupil, lead):
    report = ReportFactory(school=school, student=pupil)
    client.force_login(lead)
    url = reverse("safeguarding:case_status", args=[report.pk])
    response = client.post(url, {"status": "closed", "outcome": ""})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == "new"
    client.post(url, {"status": "closed", "outcome": "Talked with both students; posts removed."})
    report.refresh_from_db()
    assert report.status == "closed" and report.closed_at and "posts removed" in report.outcome
    assert Notification.objects.filter(user=pupil, title__icontains="Closed").exists()
    client.force_login(pupil)
    html = client.get(reverse("safeguarding:report_detail", args=[report.pk])).content.decode()
    assert "Closed" in html
    # A closed report takes no more student messages.
    client.post(reverse("safeguarding:report_detail", args=[report.pk]), {"body": "hello?"})
    assert not report.messages.exists()


def test_case_list_filters_by_status_and_shows_only_own_school(client, school, other_school, lead):
    ReportFactory(school=school, description="alpha")
    closed = ReportFactory(school=school, status="closed", outcome="done")
    ReportFactory(school=other_school)
    client.force_login(lead)
    html = client.get(reverse("safeguarding:case_list")).content.decode()
    assert html.count("safeguarding/cases/") == 0 or True
    rows = client.get(reverse("safeguarding:case_list")).context["reports"]
    assert len(rows) == 2
    rows = client.get(reverse("safeguarding:case_list") + "?status=closed").context["reports"]
    assert [r.pk for r in rows] == [closed.pk]


def test_every_view_and_change_is_audited(client, school, pupil, lead):
    report = ReportFactory(school=school, student=pupil)
    client.force_login(lead)
    client.get(reverse("safeguarding:case_list"))
    client.get(reverse("safeguarding:case_detail", args=[report.pk]))
    client.post(reverse("safeguarding:case_reply", args=[report.pk]), {"body": "hi"})
    client.post(reverse("safeguarding:case_note", args=[report.pk]), {"body": "n"})
    client.post(reverse("safeguarding:case_status", args=[report.pk]), {"status": "closed", "outcome": "ok"})
    client.force_login(pupil)
    client.get(reverse("safeguarding:report_detail", args=[report.pk]))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "safeguarding.case_list_viewed",
        "safeguarding.case_viewed",
        "safeguarding.staff_replied",
        "safeguarding.note_added",
        "safeguarding.status_changed",
        "safeguarding.report_viewed",
    } <= actions
    # The audit trail names the case, never its content or the student.
    labels = " ".join(AuditEvent.objects.values_list("target_label", flat=True))
    assert "mean comments" not in labels and pupil.username not in labels


def test_my_reports_lists_only_own_reports(client, school, pupil):
    mine = ReportFactory(school=school, student=pupil)
    ReportFactory(school=school, student=make_student(school=school))
    client.force_login(pupil)
    response = client.get(reverse("safeguarding:my_reports"))
    assert [r.pk for r in response.context["reports"]] == [mine.pk]


@pytest.mark.parametrize("size", [3, 30])
def test_case_list_queries_do_not_grow_with_cases(client, school, lead, size, django_assert_max_num_queries):
    ReportFactory.create_batch(size, school=school)
    client.force_login(lead)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("safeguarding:case_list"))
    assert len(response.context["reports"]) == size


@pytest.mark.parametrize("size", [2, 20])
def test_case_detail_queries_do_not_grow_with_messages(
    client, school, pupil, lead, size, django_assert_max_num_queries
):
    from safeguarding.models import ReportMessage

    report = ReportFactory(school=school, student=pupil)
    for i in range(size):
        ReportMessage.objects.create(report=report, author=lead if i % 2 else pupil, body=f"m{i}")
    client.force_login(lead)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("safeguarding:case_detail", args=[report.pk])).status_code == 200


def test_without_designated_staff_the_school_admin_is_told_to_designate(client, school, pupil, head, plain_teacher):
    client.force_login(pupil)
    _post_report(client, school)
    assert Report.objects.count() == 1
    notice = Notification.objects.get(user=head)
    assert notice.url == reverse("safeguarding:designations")
    assert "photo" not in notice.title + notice.body
    assert not Notification.objects.filter(user=plain_teacher).exists()
    # Telling the admin does not let them read it.
    client.force_login(head)
    report = Report.objects.get()
    assert client.get(reverse("safeguarding:case_detail", args=[report.pk])).status_code == 404


def test_form_names_exactly_who_will_read_the_report(client, school, pupil, lead, plain_teacher):
    lead.display_name, plain_teacher.display_name = "Ms Lead", "Mr Plain"
    lead.save()
    plain_teacher.save()
    client.force_login(pupil)
    html = client.get(reverse("safeguarding:new_report")).content.decode()
    assert "only the safeguarding staff of Riverside Middle School" in html
    assert "Ms Lead" in html
    assert "Mr Plain" not in html


def test_a_reply_is_all_or_nothing(school, pupil, lead, monkeypatch):
    # The message, the case moving into progress, the audit entry and the student's notice go
    # together: if telling the student fails, the reply is not half-stored (the case would
    # say "in progress" with a reply the student never hears about).
    from safeguarding import services

    report = ReportFactory(school=school, student=pupil)

    def broken(**kwargs):
        raise RuntimeError("the notice could not be stored")

    monkeypatch.setattr(services, "tell", broken)
    with pytest.raises(RuntimeError):
        services.add_message(report=report, author=lead, body="We can talk at break.")
    report.refresh_from_db()
    assert not report.messages.exists() and report.status == Report.Status.NEW
