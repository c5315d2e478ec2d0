"""Safeguarding records survive an account deletion, pseudonymised, until the school's
retention period after closing ends; then a beat task purges them, files included."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from safeguarding import tasks
from safeguarding.models import Attachment, Report, ReportMessage, SafeguardingPolicy, StaffNote, private_storage
from schools.audit import pseudonym
from schools.models import AuditEvent
from schools.services import student_data
from tests.safeguarding.factories import ReportFactory, image_bytes
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


def _models_holding_safeguarding_data():
    """Every model of the safeguarding app, every model pointing at one of them, and the audit
    log (which records every view and change of a case)."""
    found = {m for m in apps.get_models() if m._meta.app_label == "safeguarding"}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one and field.related_model in found:
                found.add(model)
    found.add(AuditEvent)
    return found


def test_no_model_holding_safeguarding_data_cascades_from_a_user_deletion():
    user_model = get_user_model()
    held = _models_holding_safeguarding_data()
    # The walk must really reach the records it protects.
    assert {Report, ReportMessage, StaffNote, Attachment, AuditEvent} <= held
    cascading = [
        f"{model._meta.label}.{field.name}"
        for model in held
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and field.related_model is user_model
        and field.remote_field.on_delete is models.CASCADE
    ]
    assert not cascading, f"These would destroy safeguarding data with an account: {cascading}"


def _case_with_everything(school, pupil, lead):
    """A report with a message each way, a private note and a screenshot on disk."""
    report = ReportFactory(school=school, student=pupil, description="The older boys take my lunch money.")
    ReportMessage.objects.create(report=report, author=pupil, body="It happened again today.")
    ReportMessage.objects.create(report=report, author=lead, body="Thank you for telling us.")
    StaffNote.objects.create(report=report, author=lead, body="Spoke to the form tutor.")
    name = private_storage().save("safeguarding/2026/12/shot.png", ContentFile(image_bytes("PNG")))
    Attachment.objects.create(report=report, image=name, content_type="image/png", width=40, height=30)
    return report, name


def test_school_admin_deletion_keeps_the_case_pseudonymised_for_designated_staff(client, school, pupil, lead, head):
    report, filename = _case_with_everything(school, pupil, lead)
    pk, username = pupil.pk, pupil.username
    client.force_login(head)
    response = client.post(reverse("schools:student_delete", args=[pk]), {"confirm": username})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=pk).exists()

    report.refresh_from_db()
    assert report.student_id is None and report.student_deleted_at is not None
    assert report.student_pseudonym == pseudonym(pk)
    assert report.description == "The older boys take my lunch money."
    assert report.messages.count() == 2 and report.staff_notes.count() == 1
    assert report.messages.filter(from_student=True).count() == 1
    assert private_storage().exists(filename)
    # The designated staff are told, without the student's name.
    notice = Notification.objects.get(user=lead, title__contains=report.student_pseudonym)
    assert username not in notice.title + notice.body and not Notification.objects.filter(user=head).exists()

    client.force_login(lead)
    html = client.get(reverse("safeguarding:case_detail", args=[report.pk])).content.decode()
    assert report.student_pseudonym in html and username not in html
    assert "Nobody can reply to them here any more" in html
    assert "It happened again today." in html and "Spoke to the form tutor." in html


def test_open_case_of_a_deleted_student_takes_notes_and_closes_but_no_replies(client, school, pupil, lead):
    report, _name = _case_with_everything(school, pupil, lead)
    student_data.delete_student(actor=None, student=pupil)
    client.force_login(lead)
    reply = client.post(reverse("safeguarding:case_reply", args=[report.pk]), {"body": "Are you ok?"})
    assert reply.status_code == 400
    assert "nobody can receive a reply" in reply.content.decode()
    assert report.messages.count() == 2
    note = client.post(reverse("safeguarding:case_note", args=[report.pk]), {"body": "Family moved away."})
    assert note.status_code == 302 and report.staff_notes.count() == 2
    close = client.post(
        reverse("safeguarding:case_status", args=[report.pk]), {"status": "closed", "outcome": "Handed to the LA."}
    )
    assert close.status_code == 302
    report.refresh_from_db()
    assert report.is_closed and report.closed_at is not None


def _deleted_and_closed(school, lead, *, closed_days_ago):
    pupil = make_student(school=school)
    report, filename = _case_with_everything(school, pupil, lead)
    student_data.delete_student(actor=None, student=pupil)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.CLOSED, closed_at=timezone.now() - timedelta(days=closed_days_ago)
    )
    return report, filename


def test_purge_task_deletes_expired_records_and_their_files_only(school, lead, django_capture_on_commit_callbacks):
    expired, expired_file = _deleted_and_closed(school, lead, closed_days_ago=3 * 365)
    recent, recent_file = _deleted_and_closed(school, lead, closed_days_ago=365)
    # Still open, or the student still has an account: never purged, however old.
    open_case, _f = _deleted_and_closed(school, lead, closed_days_ago=3 * 365)
    Report.objects.filter(pk=open_case.pk).update(status=Report.Status.IN_PROGRESS, closed_at=None)
    living = ReportFactory(school=school, status=Report.Status.CLOSED, closed_at=timezone.now() - timedelta(days=4000))

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_expired_reports.delay().get() == 1

    assert not Report.objects.filter(pk=expired.pk).exists()
    assert not ReportMessage.objects.filter(report_id=expired.pk).exists()
    assert not StaffNote.objects.filter(report_id=expired.pk).exists()
    assert not Attachment.objects.filter(report_id=expired.pk).exists()
    assert not private_storage().exists(expired_file)
    assert set(Report.objects.values_list("pk", flat=True)) == {recent.pk, open_case.pk, living.pk}
    assert private_storage().exists(recent_file)
    assert AuditEvent.objects.filter(action="safeguarding.reports_purged", details__count=1).exists()
    assert Notification.objects.filter(user=lead, title__contains="retention period").exists()
    # A rerun finds nothing more to do.
    assert tasks.purge_expired_reports.delay().get() == 0


def test_school_sets_its_own_retention_period(client, school, lead, head):
    report, _f = _deleted_and_closed(school, lead, closed_days_ago=3 * 365)
    client.force_login(head)
    response = client.post(
        reverse("safeguarding:designations"), {"school": school.pk, "action": "retention", "retention_years": 5}
    )
    assert response.status_code == 302
    assert SafeguardingPolicy.objects.get(school=school).retention_years == 5
    assert tasks.purge_expired_reports.delay().get() == 0
    assert Report.objects.filter(pk=report.pk).exists()
    SafeguardingPolicy.objects.filter(school=school).update(retention_years=2)
    assert tasks.purge_expired_reports.delay().get() == 1


def test_retention_default_is_two_years_and_the_purge_runs_daily():
    assert settings.SAFEGUARDING_RETENTION_YEARS == 2
    entry = settings.CELERY_BEAT_SCHEDULE["safeguarding-purge-expired-reports"]
    assert entry["task"] == tasks.purge_expired_reports.name == "safeguarding.purge_expired_reports"


def test_designated_staff_cannot_be_deleted_while_designated(school, lead):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        lead.delete()
