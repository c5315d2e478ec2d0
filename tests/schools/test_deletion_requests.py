"""A guardian's deletion of a child is a request: grace period, objections, the school admin
may carry it out at once; safeguarding records survive it. Walked as the attacker did: a
guardian account signed up a minute ago with a code any class teacher can issue."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from safeguarding.models import Report
from schools import tasks
from schools.audit import pseudonym
from schools.models import AuditEvent, DeletionRequest, GuardianLink
from schools.services import common, deletion_requests, guardians
from tests.accounts.factories import GuardianFactory
from tests.safeguarding.factories import ReportFactory, designate, make_teacher

pytestmark = pytest.mark.django_db

SECRET = "My stepdad reads my phone and shouts at me."


def _age_links(student, days):
    then = timezone.now() - timedelta(days=days)
    GuardianLink.objects.filter(student=student).update(created_at=then, activated_at=then)


def _sign_up_and_link(client, student, teacher):
    """The attacker's route: a code from any class teacher, an account made this minute."""
    code = guardians.issue_link_code(actor=teacher, student=student).code
    client.post(
        reverse("schools:guardian_signup"),
        {
            "username": "new.parent",
            "display_name": "New Parent",
            "email": "np@example.com",
            "password": "a-long-enough-pass-phrase-42",
        },
    )
    guardian = get_user_model().objects.get(username="new.parent")
    response = client.post(reverse("schools:link_child"), {"code": code})
    assert response.status_code == 302, response.content.decode()[:500]
    return guardian


def test_newly_linked_guardian_cannot_delete_the_child(client, world):
    report = ReportFactory(school=world.school, student=world.other_student, description=SECRET)
    guardian = _sign_up_and_link(client, world.other_student, world.teacher)
    url = reverse("schools:student_delete", args=[world.other_student.pk])
    response = client.post(url, {"confirm": world.other_student.username})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"less than {settings.SCHOOLS_DELETION_GRACE_DAYS} days ago" in html
    assert SECRET not in html
    assert not DeletionRequest.objects.exists()
    assert get_user_model().objects.filter(pk=world.other_student.pk).exists()
    assert Report.objects.get(pk=report.pk).student_id == world.other_student.pk
    assert GuardianLink.objects.filter(guardian=guardian).count() == 1


def test_new_guardian_link_notifies_the_school_admin_and_the_other_guardians(client, world):
    _sign_up_and_link(client, world.student, world.other_teacher)
    assert Notification.objects.filter(user=world.school_admin, title__contains="guardian account was linked").exists()
    assert Notification.objects.filter(user=world.guardian, title__contains="guardian account was linked").exists()
    assert not Notification.objects.filter(user=world.other_admin).exists()


def test_link_code_redeemed_twice_gives_a_clear_answer_and_no_second_link(client, world):
    code = guardians.issue_link_code(actor=world.teacher, student=world.other_student).code
    first, second = GuardianFactory(), GuardianFactory()
    guardians.redeem_link_code(guardian=first, code=code)
    for guardian in (first, second):
        with pytest.raises(common.SchoolsError, match="already been used"):
            guardians.redeem_link_code(guardian=guardian, code=code)
    client.force_login(second)
    html = client.post(reverse("schools:link_child"), {"code": code}).content.decode()
    assert "already been used" in html
    linked = set(GuardianLink.objects.filter(student=world.other_student).values_list("guardian", flat=True))
    assert linked == {world.other_guardian.pk, first.pk}
    assert GuardianLink.objects.filter(guardian=first, student=world.other_student).get().state == "active"


def test_older_link_creates_a_request_and_tells_the_school_without_deleting(client, world):
    ReportFactory(school=world.school, student=world.student, description=SECRET)
    second_guardian = GuardianFactory(username="g.second")
    GuardianLink.objects.create(guardian=second_guardian, student=world.student, state="active")
    _age_links(world.student, 8)
    client.force_login(world.guardian)
    response = client.post(
        reverse("schools:student_delete", args=[world.student.pk]), {"confirm": world.student.username}
    )
    deletion = DeletionRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:deletion_request", args=[deletion.pk])
    assert deletion.is_pending and deletion.requested_by == world.guardian
    assert timedelta(days=6, hours=23) < deletion.due_at - timezone.now() <= timedelta(days=7)
    assert get_user_model().objects.filter(pk=world.student.pk).exists()
    assert Notification.objects.filter(user=world.school_admin, url__endswith=f"/{deletion.pk}/").exists()
    assert Notification.objects.filter(user=second_guardian, url__endswith=f"/{deletion.pk}/").exists()
    assert not Notification.objects.filter(user=world.guardian, title__contains="asked to delete").exists()
    assert AuditEvent.objects.filter(action="student.deletion_requested", actor=world.guardian).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Object to the deletion" in html and "Delete the account now" not in html
    assert SECRET not in html
    # Asking again does not make a second request.
    client.post(reverse("schools:student_delete", args=[world.student.pk]), {"confirm": world.student.username})
    assert DeletionRequest.objects.count() == 1


def test_another_guardian_objects_and_the_request_is_cancelled(client, world):
    second_guardian = GuardianFactory(username="g.second")
    GuardianLink.objects.create(guardian=second_guardian, student=world.student, state="active")
    _age_links(world.student, 30)
    deletion = deletion_requests.request_deletion(guardian=world.guardian, student=world.student)
    client.force_login(second_guardian)
    url = reverse("schools:deletion_request_object", args=[deletion.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "I am her mother and I did not agree."}).status_code == 302
    deletion.refresh_from_db()
    assert deletion.status == DeletionRequest.Status.CANCELLED and deletion.decided_by == second_guardian
    event = AuditEvent.objects.get(action="student.deletion_objected")
    assert event.actor == second_guardian and event.details["reason"] == "I am her mother and I did not agree."
    assert Notification.objects.filter(user=world.guardian, title__contains="cancelled").exists()
    DeletionRequest.objects.filter(pk=deletion.pk).update(due_at=timezone.now() - timedelta(days=1))
    assert tasks.carry_out_due_deletions.delay().get() == 0
    assert get_user_model().objects.filter(pk=world.student.pk).exists()


def test_due_request_is_carried_out_by_the_task_and_the_case_survives(client, world):
    lead = make_teacher(world.school, username="lead.t")
    designate(world.school, lead)
    report = ReportFactory(school=world.school, student=world.student, description=SECRET)
    _age_links(world.student, 10)
    pk, username = world.student.pk, world.student.username
    deletion = deletion_requests.request_deletion(guardian=world.guardian, student=world.student)
    # An open case: the designated staff hear of the request (the records will be kept).
    assert Notification.objects.filter(user=lead, title__contains="open help case").exists()
    assert tasks.carry_out_due_deletions.delay().get() == 0
    DeletionRequest.objects.filter(pk=deletion.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert tasks.carry_out_due_deletions.delay().get() == 1
    assert tasks.carry_out_due_deletions.delay().get() == 0
    assert not get_user_model().objects.filter(pk=pk).exists()
    deletion.refresh_from_db()
    assert deletion.status == DeletionRequest.Status.CARRIED_OUT and deletion.student_ref == pseudonym(pk)
    report.refresh_from_db()
    assert report.description == SECRET and report.student_pseudonym == pseudonym(pk)

    client.force_login(lead)
    html = client.get(reverse("safeguarding:case_detail", args=[report.pk])).content.decode()
    assert pseudonym(pk) in html and username not in html and SECRET in html


def test_school_admin_carries_out_a_request_at_once(client, world):
    _age_links(world.student, 10)
    deletion = deletion_requests.request_deletion(guardian=world.guardian, student=world.student)
    client.force_login(world.guardian)
    assert client.post(reverse("schools:deletion_request_carry_out", args=[deletion.pk])).status_code == 404
    client.force_login(world.school_admin)
    page = client.get(reverse("schools:school_detail")).content.decode()
    assert reverse("schools:deletion_request", args=[deletion.pk]) in page
    assert client.post(reverse("schools:deletion_request_carry_out", args=[deletion.pk])).status_code == 302
    deletion.refresh_from_db()
    assert deletion.status == DeletionRequest.Status.CARRIED_OUT and deletion.decided_by == world.school_admin
    assert not get_user_model().objects.filter(username="s.one").exists()
    assert AuditEvent.objects.filter(action="student.deleted", actor=world.school_admin).exists()


def test_grace_period_is_seven_days_and_due_requests_run_hourly():
    assert settings.SCHOOLS_DELETION_GRACE_DAYS == 7
    entry = settings.CELERY_BEAT_SCHEDULE["schools-carry-out-due-deletions"]
    assert entry["task"] == tasks.carry_out_due_deletions.name


def test_attacker_walk_newly_linked_guardian_then_deletion_then_audit(client, world):
    """The whole route of issue 12: refused while new, requested once older, carried out by
    a non-designated school admin; the case survives and the audit page gives nothing away."""
    lead = make_teacher(world.school, username="lead.t")
    designate(world.school, lead)
    child = world.other_student
    child_name = child.username
    client.force_login(child)
    client.post(
        reverse("safeguarding:new_report"), {"school": world.school.pk, "kind": "bullying", "description": SECRET}
    )
    report = Report.objects.get()
    client.force_login(lead)
    client.post(reverse("safeguarding:case_reply", args=[report.pk]), {"body": "Thank you, we will help."})
    client.post(reverse("safeguarding:case_note", args=[report.pk]), {"body": "Guardian may be involved."})

    client.logout()
    guardian = _sign_up_and_link(client, child, world.teacher)
    delete_url = reverse("schools:student_delete", args=[child.pk])
    assert "less than" in client.post(delete_url, {"confirm": child_name}).content.decode()
    assert not DeletionRequest.objects.exists()

    eight_days_ago = timezone.now() - timedelta(days=8)
    GuardianLink.objects.filter(guardian=guardian).update(created_at=eight_days_ago, activated_at=eight_days_ago)
    response = client.post(delete_url, {"confirm": child_name})
    deletion = DeletionRequest.objects.get()
    assert SECRET not in client.get(response["Location"]).content.decode()
    assert Notification.objects.filter(user=world.school_admin, url__endswith=f"/{deletion.pk}/").exists()
    assert Notification.objects.filter(user=lead, title__contains="open help case").exists()

    client.force_login(world.school_admin)
    client.post(reverse("schools:deletion_request_carry_out", args=[deletion.pk]))
    report.refresh_from_db()
    assert report.student_id is None and report.messages.count() == 1 and report.staff_notes.count() == 1

    audit_html = client.get(reverse("schools:audit_log")).content.decode()
    for secret in (child_name, "Help report #", lead.username, SECRET):
        assert secret not in audit_html, secret
    assert "Get help activity" in audit_html
    assert reverse("safeguarding:case_detail", args=[report.pk]) not in audit_html
    assert client.get(reverse("safeguarding:case_detail", args=[report.pk])).status_code == 404

    client.force_login(lead)
    case_html = client.get(reverse("safeguarding:case_detail", args=[report.pk])).content.decode()
    assert report.student_pseudonym in case_html and SECRET in case_html and child_name not in case_html


def test_a_link_reactivated_recently_counts_as_new(world):
    """A link revoked and redeemed again (an old row, a fresh activation) is young again."""
    GuardianLink.objects.filter(student=world.student).update(
        created_at=timezone.now() - timedelta(days=60), activated_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(common.SchoolsError, match="less than 7 days ago"):
        deletion_requests.request_deletion(guardian=world.guardian, student=world.student)
    assert not DeletionRequest.objects.exists()


def test_the_delete_page_tells_a_newly_linked_guardian_before_they_submit(client, world):
    GuardianLink.objects.filter(student=world.student).update(created_at=timezone.now(), activated_at=timezone.now())
    client.force_login(world.guardian)
    html = client.get(reverse("schools:student_delete", args=[world.student.pk])).content.decode()
    assert "less than 7 days ago" in html and "Ask for the deletion" in html
