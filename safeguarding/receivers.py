"""What safeguarding does when schools acts (schools never imports safeguarding)."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from notifications.text import moment, text
from schools import audit as schools_audit
from schools.signals import (
    student_deleting,
    student_deletion_requested,
    student_password_reset,
    teacher_deactivated,
)

from . import access, services
from .services import designated_staff, tell


@receiver(student_password_reset, dispatch_uid="safeguarding.password_reset")
def hide_reports_after_reset(sender, student, actor, reset_at, **kwargs):
    """Staff reset a student's password, and whoever reset it knows the new one: every "Get
    help" report of the student (open or closed) leaves the account's pages
    (services.hide_reports_from_account), and the designated staff of each school holding one
    are told, so they can show them again once they have checked with the student."""
    reports = services.hide_reports_from_account(student=student, at=reset_at)
    if not reports:
        return
    latest_by_school = {}
    for report in sorted(reports, key=lambda r: r.created, reverse=True):
        latest_by_school.setdefault(report.school_id, report)
    actor_name = actor.get_display_name() if actor is not None else "?"
    for report in latest_by_school.values():
        url = reverse("safeguarding:case_detail", args=[report.pk])
        title = text(gettext_noop("A student with a help report had their password reset"))
        body = text(
            gettext_noop(
                "%(actor)s reset the password of %(student)s on %(date)s. Whoever knows the new password "
                "could log in as the student, so their reports are hidden from their account. Once you "
                "have checked with the student in person, open the case to show them again."
            ),
            actor=actor_name,
            student=student.get_display_name(),
            date=moment(reset_at),
        )
        for person in designated_staff(report.school):
            tell(user=person, title=title, body=body, url=url)


def _on_teacher_deactivated(sender, school, teacher, admin, request=None, **kwargs):
    """A teacher who leaves a school stops being one of its readers of help reports for good:
    making the membership active again does not bring the designation back (an admin chooses
    them again, and the team is told, as for any designation)."""
    services.undesignate(school=school, staff=teacher, by=admin, request=request)


def _on_student_deleting(sender, student, actor=None, **kwargs):
    services.keep_reports_of_deleted_student(student=student, actor=actor)


def _on_deletion_requested(sender, student, due_at, **kwargs):
    services.warn_of_deletion_request(student=student, due_at=due_at)


def _designated_for(user, school) -> bool:
    return school is not None and access.designated_school_ids(user).filter(school_id=school.pk).exists()


def connect():
    student_deleting.connect(_on_student_deleting, dispatch_uid="safeguarding.keep_reports")
    student_deletion_requested.connect(_on_deletion_requested, dispatch_uid="safeguarding.deletion_requested")
    teacher_deactivated.connect(_on_teacher_deactivated, dispatch_uid="safeguarding.teacher_deactivated")
    schools_audit.restrict("safeguarding.", can_read=_designated_for, summary=gettext_lazy("Get help activity"))
    schools_audit.name_actions({f"safeguarding.{code}": label for code, label in ACTION_LABELS.items()})


# What the audit log calls each Get help action (shown to designated staff only).
ACTION_LABELS = {
    "attachment_viewed": gettext_lazy("Screenshot opened"),
    "break_setting_changed": gettext_lazy("Break reminder changed"),
    "case_list_viewed": gettext_lazy("Help case list opened"),
    "case_viewed": gettext_lazy("Help case opened"),
    "contact_added": gettext_lazy("Help contact added"),
    "contact_removed": gettext_lazy("Help contact removed"),
    "deletion_request_checked": gettext_lazy("Deletion request checked for help cases"),
    "designations_viewed": gettext_lazy("Safeguarding settings opened"),
    "note_added": gettext_lazy("Private note added"),
    "report_filed": gettext_lazy("Help report sent"),
    "report_limited": gettext_lazy("Report limit reached"),
    "report_viewed": gettext_lazy("Student opened their report"),
    "reports_purged": gettext_lazy("Old help reports deleted"),
    "reports_shown_again": gettext_lazy("Reports shown to the student again"),
    "retention_changed": gettext_lazy("Retention period changed"),
    "staff_designated": gettext_lazy("Safeguarding staff added"),
    "staff_replied": gettext_lazy("Staff replied"),
    "staff_undesignated": gettext_lazy("Safeguarding staff removed"),
    "status_changed": gettext_lazy("Case status changed"),
    "student_deletion_checked": gettext_lazy("Deleted student's help cases kept"),
    "student_replied": gettext_lazy("Student replied"),
}
