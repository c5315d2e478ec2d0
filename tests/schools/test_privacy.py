"""Data export, deletion and the audit log."""

import io
import json
import re
import zipfile

from django.urls import reverse

from accounts.models import User
from schools import signals
from schools.models import AuditEvent, Enrollment, GuardianLink
from schools.services import passwords


def test_guardian_downloads_a_zip_of_the_childs_data(client, world):
    client.force_login(world.guardian)
    resp = client.get(reverse("schools:student_export", args=[world.student.pk]))
    assert resp["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(resp.content))
    assert {"data.json", "account.csv", "classes.csv"} <= set(zf.namelist())
    data = json.loads(zf.read("data.json"))
    assert data["account"]["username"] == "s.one"
    assert data["classes"][0]["classroom__name"] == "7A"
    assert AuditEvent.objects.filter(action="student.exported", actor=world.guardian).exists()


def test_export_is_404_for_other_guardian_and_teachers(client, world):
    for user in (world.other_guardian, world.teacher, world.other_admin):
        client.force_login(user)
        url = reverse("schools:student_export", args=[world.student.pk])
        assert client.get(url).status_code == 404


def test_deletion_removes_the_account_and_signals_other_apps(client, world):
    seen = []

    def receiver(sender, student, **kwargs):
        seen.append(student.pk)

    signals.student_deleting.connect(receiver)
    try:
        client.force_login(world.school_admin)
        pk = world.student.pk
        url = reverse("schools:student_delete", args=[pk])
        assert client.post(url, {"confirm": "wrong"}).status_code == 200
        assert User.objects.filter(pk=pk).exists()
        client.post(url, {"confirm": "s.one"})
    finally:
        signals.student_deleting.disconnect(receiver)
    assert seen == [pk]
    assert not User.objects.filter(pk=pk).exists()
    assert not Enrollment.objects.filter(student_id=pk).exists()
    assert not GuardianLink.objects.filter(student_id=pk).exists()
    event = AuditEvent.objects.get(action="student.deleted")
    assert event.school == world.school and event.actor == world.school_admin
    assert not AuditEvent.objects.filter(target_label__icontains="s.one").exists()


def test_school_admin_sees_audit_log_of_own_school_only(client, world):
    passwords.reset_student_password(actor=world.teacher, student=world.student)
    passwords.reset_student_password(actor=world.far_teacher, student=world.far_student)
    client.force_login(world.school_admin)
    events = client.get(reverse("schools:audit_log")).context["events"]
    assert [e.action for e in events] == ["student.password_reset"]
    assert events[0].actor == world.teacher


def test_the_audit_log_pages_through_everything_with_its_filter_kept(client, world, django_assert_max_num_queries):
    # It used to show the newest 300 and nothing older: a school admin answering "who reset
    # this password in March?" could not find it.
    from schools.views import AUDIT_PAGE_SIZE

    for i in range(AUDIT_PAGE_SIZE + 5):
        AuditEvent.objects.create(school=world.school, action="student.password_reset", target_label=f"pupil {i}")
    AuditEvent.objects.create(school=world.school, action="class.created", target_label="7C")
    client.force_login(world.school_admin)
    first = client.get(reverse("schools:audit_log"), {"action": "student.password_reset"})
    assert len(first.context["events"]) == AUDIT_PAGE_SIZE
    assert 'href="?action=student.password_reset&amp;page=2"' in first.content.decode()
    with django_assert_max_num_queries(12):
        last = client.get(reverse("schools:audit_log"), {"action": "student.password_reset", "page": 2})
    assert [e.target_label for e in last.context["events"]] == [f"pupil {i}" for i in range(4, -1, -1)]
    assert client.get(reverse("schools:audit_log"), {"page": 99}).context["page_obj"].number == 2  # the last page


def test_school_admin_invites_and_deactivates_a_teacher(client, world):
    client.force_login(world.school_admin)
    resp = client.post(
        reverse("schools:teacher_invite"),
        {"display_name": "Ms Qiu", "username": "t.qiu", "email": ""},
    )
    teacher = User.objects.get(username="t.qiu")
    assert teacher.check_password(resp.context["password"]) and teacher.must_change_password
    detail = client.get(reverse("schools:school_detail")).content.decode()
    # Class names as link text (a bare "H1" could turn up inside the random CSRF token).
    assert "Ms Qiu" in detail and re.search(r">7B</a>", detail) and not re.search(r">H1</a>", detail)
    client.post(reverse("schools:teacher_deactivate", args=[teacher.pk]))
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert AuditEvent.objects.filter(action="teacher.deactivated").count() == 1


def test_other_schools_admin_cannot_deactivate_a_teacher(client, world):
    client.force_login(world.other_admin)
    resp = client.post(reverse("schools:teacher_deactivate", args=[world.teacher.pk]))
    assert resp.status_code == 404
    world.teacher.refresh_from_db()
    assert world.teacher.is_active


def test_the_audit_log_names_actions_in_the_readers_language_not_by_code(client, world):
    from schools import audit

    audit.record(actor=world.school_admin, action="class.created", target=world.classroom)
    audit.record(actor=world.school_admin, action="export.downloaded", target=world.classroom)
    client.force_login(world.school_admin)
    html = client.get(reverse("schools:audit_log")).content.decode()
    assert "Class created" in html and "Export downloaded" in html
    assert ">class.created<" not in html and "<code>" not in html.split("<tbody")[1]
    world.school_admin.language = "zh-hans"
    world.school_admin.save(update_fields=["language"])
    html = client.get(reverse("schools:audit_log")).content.decode()
    assert "创建班级" in html
