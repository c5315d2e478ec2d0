"""A student's data: the privacy export (a ZIP) and the deletion of the account."""

import csv
import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.db import transaction

from .. import audit, privacy
from ..models import AuditEvent, DeletionRequest, StudentProfile
from ..signals import student_deleting, student_exporting

User = get_user_model()


def _csv(rows, header):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["'" + v if isinstance(v, str) and v.startswith(("=", "+", "-", "@")) else v for v in row])
    return out.getvalue()


def export_student_data(*, actor, student, request=None) -> bytes:
    """A ZIP of JSON and CSV with everything NetWise holds about `student`: one part per
    app, registered in schools/privacy.py (what is left out, and why, is listed there).
    Confidential Get help records appear only for a viewer allowed to read them."""
    data = privacy.collect(student, actor)
    for _receiver, extra in student_exporting.send(sender=User, student=student):
        if extra:
            data.update(extra)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", json.dumps(data, indent=2, default=str, ensure_ascii=False))
        for key, rows in data.items():
            rows = [rows] if isinstance(rows, dict) else rows
            if rows:
                header = list(rows[0].keys())
                zf.writestr(
                    f"{key}.csv",
                    _csv(([r.get(h) for h in header] for r in rows), header),
                )
        zf.writestr(
            "README.txt",
            "NetWise data export for one student. data.json holds everything; "
            "the CSV files hold the same data as tables.\n"
            "Confidential Get help reports are included only for the school's designated "
            "safeguarding staff; notes that staff keep about a case are staff records and not "
            "part of this export.\n",
        )
    audit.record(actor=actor, action="student.exported", target=student, request=request)
    return buf.getvalue()


@transaction.atomic
def delete_student(*, actor, student, request=None):
    """Delete the account and personal data. Other apps keep anonymous aggregates by
    listening to `student_deleting` (sent first, inside this transaction)."""
    profile = StudentProfile.objects.filter(user=student).select_related("school").first()
    school = profile.school if profile else None
    student_deleting.send(sender=User, student=student, actor=actor)
    name = audit.pseudonym(student.pk)
    audit.record(
        actor=actor,
        action="student.deleted",
        school=school,
        request=request,
        student_ref=name,
    )
    # AuditEvents keep only the id: labels naming the child go with the account, and the
    # child's own actions show the pseudonym in the "who" column instead of the username.
    AuditEvent.objects.filter(target_type="user", target_id=str(student.pk)).update(target_label="")
    AuditEvent.objects.filter(actor=student).update(actor_label=name)
    DeletionRequest.objects.filter(student=student).update(student_ref=name)
    privacy.forget_sign_ins(student)
    student.delete()
