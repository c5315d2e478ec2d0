"""What "everything NetWise holds about a student" means, app by app.

The privacy export (schools.services.export_student_data) is assembled from *export parts*.
Each app registers the parts for the data it owns in its AppConfig.ready():

    from schools.privacy import register_export_part
    register_export_part("quiz_attempts", attempts_for, models=["quizzes.Attempt", "quizzes.Response"])

A part is `build(student, viewer) -> {file name: rows}` where rows is a list of dicts (one
CSV each) or one dict. `viewer` is the person downloading the export (a linked guardian or
the school admin): a part holding confidential records shows them only to people allowed to
read them (see safeguarding/privacy.py: Get help reports reach only the designated staff).
`models` names every model the part covers.

Every model with a foreign key or one-to-one to the user model is either covered by a part
or listed in EXCLUDED_FROM_PRIVACY_EXPORT with the reason
(tests/schools/test_privacy_export_parts.py walks them all). notifications and jobs sit
below schools and cannot import it: their parts are registered here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ExportPart:
    name: str
    build: Callable
    models: tuple[str, ...]


_PARTS: dict[str, ExportPart] = {}


def register_export_part(name: str, build: Callable, *, models=()) -> None:
    """Add (or replace, on a second ready()) one part of the privacy export."""
    _PARTS[name] = ExportPart(name=name, build=build, models=tuple(models))


def export_parts() -> list[ExportPart]:
    return list(_PARTS.values())


def covered_models() -> set[str]:
    return {label for part in _PARTS.values() for label in part.models}


def collect(student, viewer) -> dict:
    """{file name: rows} from every registered part, in registration order."""
    data = {}
    for part in export_parts():
        for key, rows in (part.build(student, viewer) or {}).items():
            data[key] = rows
    return data


# Models holding a user foreign key that the export leaves out on purpose, and why.
EXCLUDED_FROM_PRIVACY_EXPORT = {
    # Staff records, not the student's: notes written by the designated staff about a case.
    # The student's own words and the replies to them are exported (safeguarding part).
    "safeguarding.StaffNote": "Staff notes are the designated staff's records about a case, not the student's data; "
    "never shown to the student or their family (design.md §5).",
    "safeguarding.SafeguardingDesignation": "Names the staff a school designated; holds nothing about a student.",
    "schools.Classroom": "Classroom.teachers links staff accounts; a student's classes are exported as enrollments.",
    # Curriculum authoring (Wagtail): editor accounts only; students never sign in to the admin.
    "courses.CourseIndexPage": "Page owner / lock: editor accounts only.",
    "courses.CoursePage": "Page owner / lock: editor accounts only.",
    "courses.LessonPage": "Page owner / lock: editor accounts only.",
    "quizzes.QuizPage": "Page owner / lock: editor accounts only.",
    "wagtailcore.Page": "Page owner / lock: editor accounts only.",
    "wagtailcore.Revision": "Editing history of curriculum pages: editors only.",
    "wagtailcore.PageLogEntry": "Editing history of curriculum pages: editors only.",
    "wagtailcore.ModelLogEntry": "Editing history of snippets (question bank): editors only.",
    "wagtailcore.WorkflowState": "Publishing workflow: editors only.",
    "wagtailcore.TaskState": "Publishing workflow: editors only.",
    "wagtailcore.Comment": "Editors' comments on draft pages: editors only.",
    "wagtailcore.CommentReply": "Editors' comments on draft pages: editors only.",
    "wagtailcore.PageSubscription": "Editors' comment subscriptions: editors only.",
    "wagtailcore.UploadedFile": "Files uploaded in the Wagtail admin: editors only.",
    "wagtailcore.APIToken": "Wagtail API tokens: admin accounts only.",
    "wagtailimages.Image": "Curriculum images uploaded by editors.",
    "wagtaildocs.Document": "Curriculum documents uploaded by editors.",
    "wagtailusers.UserProfile": "Wagtail admin preferences: editors only.",
    "wagtailadmin.EditingSession": "Wagtail admin editing sessions: editors only.",
    "wagtailadmin.FormState": "Wagtail admin form state: editors only.",
    "admin.LogEntry": "Django admin history: site administrators only.",
}


def _iso(value):
    return value.isoformat() if value else None


# --- the parts of schools and of the apps below it -------------------------------------------


def _schools_part(student, viewer):
    from .models import ConsentRecord, Enrollment, GuardianLink, LinkCode, SchoolMembership, StudentProfile

    profile = StudentProfile.objects.filter(user=student).select_related("school").first()
    account = {
        "username": student.username,
        "display_name": student.display_name,
        "language": student.language,
        "date_joined": _iso(student.date_joined),
        "last_login": _iso(student.last_login),
        "school": profile.school.name if profile else None,
        "grade": profile.grade if profile else None,
        "under_14": profile.under_14 if profile else None,
        "consent_given_at": _iso(profile.consent_given_at) if profile else None,
    }
    return {
        "account": account,
        "classes": list(
            Enrollment.objects.filter(student=student).values(
                "classroom__name", "classroom__school__name", "created_at"
            )
        ),
        "school_memberships": list(
            SchoolMembership.objects.filter(user=student).values("school__name", "role", "is_active", "created_at")
        ),
        "guardian_links": list(
            GuardianLink.objects.filter(student=student).values(
                "guardian__username", "state", "created_at", "activated_at", "revoked_at"
            )
        ),
        # The codes themselves are secrets (a live one links a guardian): only when and by whom.
        "guardian_link_codes": list(
            LinkCode.objects.filter(student=student).values(
                "created_by__username", "created_at", "expires_at", "used_at", "used_by__username"
            )
        ),
        "consents": list(
            ConsentRecord.objects.filter(student=student).values(
                "guardian__username", "scope", "notice_version", "given_at", "withdrawn_at"
            )
        ),
    }


# Audit actions owned by safeguarding: exported by its own part, to the designated staff only.
CONFIDENTIAL_AUDIT_PREFIXES = ("safeguarding.",)


def audit_rows(events):
    return [
        {
            "when": _iso(e["created_at"]),
            "who": e["actor_label"],
            "action": e["action"],
            "about": f"{e['target_type']} #{e['target_id']}" if e["target_type"] else "",
            "details": e["details"],
        }
        for e in events.values("created_at", "actor_label", "action", "target_type", "target_id", "details")
    ]


def _audit_part(student, viewer):
    """Audit entries about the student (their account as the target) and by them."""
    from django.db.models import Q

    from .models import AuditEvent

    events = AuditEvent.objects.filter(
        Q(target_type=student._meta.model_name, target_id=str(student.pk)) | Q(actor=student)
    )
    for prefix in CONFIDENTIAL_AUDIT_PREFIXES:
        events = events.exclude(action__startswith=prefix)
    return {"audit_log": audit_rows(events.order_by("created_at", "pk"))}


def _notifications_part(student, viewer):
    from notifications.models import EmailPreference, Notification

    pref = EmailPreference.objects.filter(user=student).values("weekly_digest", "due_reminders", "updated_at")
    return {
        # Replies to a Get help report are exported with the reports, to those who may read them.
        "notifications": list(
            Notification.objects.filter(user=student)
            .exclude(kind=Notification.Kind.HELP_REPLY)
            .order_by("created_at", "pk")
            .values("kind", "title", "body", "url", "created_at", "read_at")
        ),
        "email_preferences": list(pref),
    }


def _jobs_part(student, viewer):
    from jobs.models import Job

    return {
        "background_jobs": list(
            Job.objects.filter(requested_by=student)
            .order_by("created_at")
            .values("task_name", "status", "created_at", "finished_at")
        )
    }


def register_own_parts():
    """Called from SchoolsConfig.ready()."""
    register_export_part(
        "schools",
        _schools_part,
        models=[
            "schools.StudentProfile",
            "schools.Enrollment",
            "schools.SchoolMembership",
            "schools.GuardianLink",
            "schools.LinkCode",
            "schools.ConsentRecord",
        ],
    )
    register_export_part("audit", _audit_part, models=["schools.AuditEvent"])
    register_export_part(
        "notifications", _notifications_part, models=["notifications.Notification", "notifications.EmailPreference"]
    )
    register_export_part("jobs", _jobs_part, models=["jobs.Job"])
