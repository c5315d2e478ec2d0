import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learning.exports import build as exports
from learning.models import Export, ItemKind
from tests.learning.factories import assign, make_course, progress
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["=SUM(A1)", "+1", "-2+3", "@cmd", "\t=1"])
def test_formula_cells_are_neutralised(raw):
    assert exports.neutralise(raw) == "'" + raw
    assert exports.neutralise("safe") == "safe"
    assert exports.neutralise(5) == 5


def _setup(classroom, teacher):
    course, lessons = make_course()
    assign(classroom, lessons[0], teacher=teacher)
    evil = make_student(classroom, display_name='=HYPERLINK("x")')
    progress(evil, lessons[0], kind=ItemKind.LESSON)
    return evil


def _class_export(client, teacher, classroom, callbacks):
    """The teacher asks for the class CSV (the worker's build run at once); the export."""
    _setup(classroom, teacher)
    client.force_login(teacher)
    with callbacks(execute=True):
        client.post(reverse("learning:export_request"), {"kind": "class", "scope_id": classroom.pk, "format": "csv"})
    return Export.objects.get()


def test_teacher_exports_class_csv_and_downloads_it(client, teacher, classroom, django_capture_on_commit_callbacks):
    _setup(classroom, teacher)
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("learning:export_request"), {"kind": "class", "scope_id": classroom.pk, "format": "csv"}
        )
    export = Export.objects.get()
    assert r.url == reverse("learning:export_status", args=[export.token])
    export.refresh_from_db()
    assert export.status == Export.Status.DONE and export.progress == 100
    assert export.expires_at <= timezone.now() + timezone.timedelta(minutes=15)
    status = client.get(reverse("learning:export_status", args=[export.token]) + "?format=json").json()
    assert status["download"]
    body = b"".join(client.get(status["download"]).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:2] == ["Class", "Student"]
    assert rows[1][1].startswith("'=HYPERLINK")


def test_xlsx_export_is_valid_workbook(client, teacher, classroom, django_capture_on_commit_callbacks):
    _setup(classroom, teacher)
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:export_request"), {"kind": "class", "scope_id": classroom.pk, "format": "xlsx"})
    export = Export.objects.get()
    export.refresh_from_db()
    wb = load_workbook(export.file.path, read_only=True)
    values = [list(r) for r in wb.active.iter_rows(values_only=True)]
    assert values[0][0] == "Class" and values[1][1].startswith("'=")


def test_guardian_pdf_summary(client, parent, pupil, django_capture_on_commit_callbacks):
    course, lessons = make_course()
    progress(pupil, lessons[0])
    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:export_request"), {"kind": "guardian", "scope_id": pupil.pk, "format": "pdf"})
    export = Export.objects.get()
    export.refresh_from_db()
    assert export.status == Export.Status.DONE
    assert export.file.read(4) == b"%PDF"


def test_download_is_only_for_the_requester_and_expires(
    client, teacher, classroom, head, django_capture_on_commit_callbacks
):
    export = _class_export(client, teacher, classroom, django_capture_on_commit_callbacks)
    client.force_login(head)
    assert client.get(reverse("learning:export_status", args=[export.token])).status_code == 404
    assert client.get(reverse("learning:export_download", args=[export.token])).status_code == 404
    client.force_login(teacher)
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get(reverse("learning:export_download", args=[export.token])).status_code == 404
    assert "expired" in client.get(reverse("learning:export_status", args=[export.token])).content.decode()


@pytest.mark.parametrize(
    "kind,fmt",
    [("class", "csv"), ("school", "xlsx"), ("guardian", "pdf"), ("class", "exe"), ("bogus", "csv")],
)
def test_forged_scope_is_404_and_nothing_exported(client, teacher, other_classroom, kind, fmt):
    client.force_login(teacher)
    scope = other_classroom.pk if kind == "class" else other_classroom.school_id
    r = client.post(reverse("learning:export_request"), {"kind": kind, "scope_id": scope, "format": fmt})
    assert r.status_code == 404
    assert not Export.objects.exists()


def test_guardian_cannot_export_unlinked_child(client, guardian, pupil):
    client.force_login(guardian)
    r = client.post(reverse("learning:export_request"), {"kind": "guardian", "scope_id": pupil.pk, "format": "pdf"})
    assert r.status_code == 404


def test_school_admin_exports_school(client, head, classroom, teacher, django_capture_on_commit_callbacks):
    _setup(classroom, teacher)
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("learning:export_request"), {"kind": "school", "scope_id": classroom.school_id, "format": "csv"}
        )
    assert r.status_code == 302
    assert Export.objects.get().file


def _export_and_download(client, user, kind, scope_id, fmt, capture):
    client.force_login(user)
    with capture(execute=True):
        client.post(reverse("learning:export_request"), {"kind": kind, "scope_id": scope_id, "format": fmt})
    export = Export.objects.get(requested_by=user)
    response = client.get(reverse("learning:export_download", args=[export.token]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    return export


def test_a_class_export_is_audited_in_the_school_admins_log(
    client, teacher, classroom, head, django_capture_on_commit_callbacks
):
    _setup(classroom, teacher)
    export = _export_and_download(client, teacher, "class", classroom.pk, "xlsx", django_capture_on_commit_callbacks)
    client.force_login(head)
    response = client.get(reverse("schools:audit_log"))
    rows = [e for e in response.context["events"] if e.action.startswith("export.")]
    assert [e.action for e in rows] == ["export.downloaded", "export.requested"]  # most recent first
    for event in rows:
        assert event.actor == teacher and event.school == classroom.school
        assert (event.target_type, event.target_id) == ("classroom", str(classroom.pk))
        assert event.details == {"kind": "class", "format": "xlsx", "export": export.pk}
    html = response.content.decode()
    assert "export.requested" in html and "export.downloaded" in html


def test_school_and_guardian_exports_are_audited_for_their_school(
    client, teacher, classroom, head, parent, pupil, django_capture_on_commit_callbacks
):
    from schools.models import AuditEvent

    _export_and_download(client, head, "school", classroom.school_id, "csv", django_capture_on_commit_callbacks)
    _export_and_download(client, parent, "guardian", pupil.pk, "pdf", django_capture_on_commit_callbacks)
    events = AuditEvent.objects.filter(action__startswith="export.")
    assert {(e.actor, e.action, e.target_type, e.target_id) for e in events} == {
        (head, "export.requested", "school", str(classroom.school_id)),
        (head, "export.downloaded", "school", str(classroom.school_id)),
        (parent, "export.requested", "user", str(pupil.pk)),
        (parent, "export.downloaded", "user", str(pupil.pk)),
    }
    assert {e.school_id for e in events} == {classroom.school_id}


def test_another_schools_admin_does_not_see_the_export_events(
    client, teacher, classroom, other_classroom, django_capture_on_commit_callbacks
):
    from tests.schools.factories import make_school_admin

    _setup(classroom, teacher)
    _export_and_download(client, teacher, "class", classroom.pk, "csv", django_capture_on_commit_callbacks)
    client.force_login(make_school_admin(other_classroom.school))
    events = client.get(reverse("schools:audit_log")).context["events"]
    assert not [e for e in events if e.action.startswith("export.")]


def test_a_refused_download_is_not_audited(client, teacher, classroom, head, django_capture_on_commit_callbacks):
    from schools.models import AuditEvent

    export = _class_export(client, teacher, classroom, django_capture_on_commit_callbacks)
    client.force_login(head)
    assert client.get(reverse("learning:export_download", args=[export.token])).status_code == 404
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    client.force_login(teacher)
    assert client.get(reverse("learning:export_download", args=[export.token])).status_code == 404
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()
