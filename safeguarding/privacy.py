"""Safeguarding's part of the privacy export: the Get help reports the student wrote, the
conversation in them and the notices about replies, shown ONLY to a viewer who may read the
reports (the designated staff of the report's school). A guardian's or a non-designated school
admin's export holds none of it and does not say whether any exists: a report may be about
that very adult. Staff notes are staff records and stay out (schools.privacy exclusions)."""

from notifications.models import Notification
from schools.models import AuditEvent
from schools.privacy import audit_rows

from . import access
from .models import Attachment, ReportMessage


def help_reports_part(student, viewer):
    reports = access.reports_visible_to(viewer).filter(student=student).order_by("created")
    ids = list(reports.values_list("pk", flat=True))
    if not ids:
        return {}

    return {
        "help_reports": list(
            reports.values(
                "pk",
                "school__name",
                "kind",
                "description",
                "urgent",
                "status",
                "outcome",
                "created",
                "closed_at",
                "student_seen_at",
            )
        ),
        "help_report_messages": list(
            ReportMessage.objects.filter(report_id__in=ids)
            .order_by("created", "pk")
            .values("report_id", "author__username", "body", "created")
        ),
        "help_report_screenshots": list(
            Attachment.objects.filter(report_id__in=ids).values(
                "report_id", "content_type", "width", "height", "created"
            )
        ),
        "help_notifications": list(
            Notification.objects.filter(user=student, kind=Notification.Kind.HELP_REPLY)
            .order_by("created_at")
            .values("title", "body", "url", "created_at", "read_at")
        ),
        "help_audit_log": audit_rows(
            AuditEvent.objects.filter(
                action__startswith="safeguarding.", target_type="report", target_id__in=[str(i) for i in ids]
            ).order_by("created_at", "pk")
        ),
    }
