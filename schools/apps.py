from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavEntry, roles
from accounts.roles import Role


class SchoolsConfig(AppConfig):
    name = "schools"
    navigation = [
        NavEntry("schools:join_class", _("Join a class"), roles(Role.STUDENT), order=40),
        NavEntry("schools:class_list", _("My classes"), roles(Role.TEACHER), order=50),
        NavEntry("schools:link_child", _("Link a child"), roles(Role.GUARDIAN), order=80),
        NavEntry("schools:school_detail", _("Our school"), roles(Role.SCHOOL_ADMIN), order=100),
    ]
    # notifications and jobs sit below schools: their parts are built in schools/privacy.py.
    privacy_export = [
        (
            "schools",
            "schools.privacy._schools_part",
            (
                "schools.StudentProfile",
                "schools.Enrollment",
                "schools.GuardianLink",
                "schools.LinkCode",
                "schools.ConsentRecord",
                "schools.DeletionRequest",
            ),
        ),
        ("audit", "schools.privacy._audit_part", ("schools.AuditEvent",)),
        (
            "notifications",
            "schools.privacy._notifications_part",
            ("notifications.Notification", "notifications.EmailPreference"),
        ),
        ("jobs", "schools.privacy._jobs_part", ("jobs.Job",)),
        (
            "sign_ins",
            "schools.privacy._sign_ins_part",
            ("axes.AccessLog", "axes.AccessFailureLog", "axes.AccessAttempt"),
        ),
    ]
    privacy_export_excluded = {
        "schools.Classroom": "Classroom.teachers links staff accounts; a student's classes are exported "
        "as enrollments.",
        "schools.SchoolMembership": "Memberships are staff roles only (a check constraint refuses a student "
        "row); a student's school is exported from their StudentProfile.",
    }
