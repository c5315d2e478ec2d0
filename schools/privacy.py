"""What "everything NetWise holds about a student" means, app by app.

The privacy export (schools.services.student_data.export_student_data) is assembled from *export parts*.
Each app declares the parts for the data it owns, and the models it leaves out on purpose,
on its AppConfig, so no app imports schools to take part:

    class QuizzesConfig(AppConfig):
        privacy_export = [ExportPart("quizzes", "quizzes.privacy.attempts_part",
                                     ("quizzes.Attempt", "quizzes.Response"))]
        privacy_export_excluded = {"quizzes.QuizPage": "Page owner / lock: editor accounts only."}

(`ExportPart` is a plain named tuple: a tuple of the same three values works as well.)
A part's build is `build(student, viewer) -> {file name: rows}` where rows is a list of dicts
(one CSV each) or one dict. `viewer` is the person downloading the export (a linked guardian or
the school admin): a part holding confidential records shows them only to people allowed to
read them (see safeguarding/privacy.py: Get help reports reach only the designated staff).

Every model with a foreign key or one-to-one to the user model is either covered by a part
or excluded with the reason (tests/schools/test_privacy_export_parts.py walks them all).
Third-party apps (Wagtail, Django's admin) cannot declare theirs: their exclusions are here.
"""

from __future__ import annotations

from typing import NamedTuple

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.db.models import Q
from django.utils.module_loading import import_string

from jobs.models import Job
from notifications.models import EmailPreference, Notification

from .models import (
    AuditEvent,
    ConsentRecord,
    DeletionRequest,
    Enrollment,
    GuardianLink,
    LinkCode,
    StudentProfile,
)


class ExportPart(NamedTuple):
    name: str
    build: str  # dotted path of build(student, viewer)
    models: tuple[str, ...]


def export_parts() -> list[ExportPart]:
    """Every app's parts, in INSTALLED_APPS order."""
    return [ExportPart(*part) for config in apps.get_app_configs() for part in getattr(config, "privacy_export", ())]


def covered_models() -> set[str]:
    return {label for part in export_parts() for label in part.models}


def excluded_models() -> dict[str, str]:
    """{model label: why the export leaves it out}, from every app and the third-party list."""
    excluded = dict(THIRD_PARTY_EXCLUDED)
    for config in apps.get_app_configs():
        excluded.update(getattr(config, "privacy_export_excluded", {}))
    return excluded


def collect(student, viewer) -> dict:
    """{file name: rows} from every declared part, in INSTALLED_APPS order."""
    data = {}
    for part in export_parts():
        for key, rows in (import_string(part.build)(student, viewer) or {}).items():
            data[key] = rows
    return data


# Third-party models holding a user key that the export leaves out, and why.
THIRD_PARTY_EXCLUDED = {
    # Curriculum authoring (Wagtail): editor accounts only; students never sign in to the admin.
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


# --- the parts of schools and of the apps below it (declared on SchoolsConfig) ---------------


def _schools_part(student, viewer):
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
        "deletion_requests": list(
            DeletionRequest.objects.filter(student=student).values(
                "requested_by__username", "status", "created_at", "due_at", "decided_at", "objection"
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
    events = AuditEvent.objects.filter(
        Q(target_type=student._meta.model_name, target_id=str(student.pk)) | Q(actor=student)
    )
    for prefix in CONFIDENTIAL_AUDIT_PREFIXES:
        events = events.exclude(action__startswith=prefix)
    return {"audit_log": audit_rows(events.order_by("created_at", "pk"))}


def _notifications_part(student, viewer):
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
    return {
        "background_jobs": list(
            Job.objects.filter(requested_by=student)
            .order_by("created_at")
            .values("task_name", "status", "created_at", "finished_at")
        )
    }


def _sign_ins_part(student, viewer):
    """The account's sign-ins as the login limits record them (django-axes, by username, no key
    to the account): each sign-in and sign-out, failed tries where they are logged, and the
    failures counted towards a lockout."""
    mine = {"username": student.username}
    return {
        "sign_ins": list(
            AccessLog.objects.filter(**mine)
            .order_by("attempt_time")
            .values("attempt_time", "logout_time", "ip_address", "user_agent")
        ),
        "failed_sign_ins": list(
            AccessFailureLog.objects.filter(**mine)
            .order_by("attempt_time")
            .values("attempt_time", "ip_address", "user_agent", "locked_out")
        ),
        # Failed tries counted towards a lockout (cleared by the next successful sign-in).
        "recent_failed_sign_ins": list(
            AccessAttempt.objects.filter(**mine)
            .order_by("attempt_time")
            .values("attempt_time", "ip_address", "user_agent", "failures_since_start")
        ),
    }


def forget_sign_ins(student) -> None:
    """Remove the account's sign-in records (they name it by username, with addresses): with
    the account, when a student is deleted."""
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(username=student.username).delete()
