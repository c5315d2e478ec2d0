from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavEntry, roles
from accounts.roles import Role


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    navigation = [
        NavEntry("safeguarding:my_reports", _("My reports"), roles(Role.STUDENT), order=30),
        NavEntry("safeguarding:case_list", _("Help cases"), roles(Role.TEACHER, Role.SCHOOL_ADMIN), order=60),
        NavEntry("safeguarding:new_report", _("Get help"), roles(Role.STUDENT), slot="help"),
    ]
    privacy_export = [
        (
            "safeguarding",
            "safeguarding.privacy.help_reports_part",
            ("safeguarding.Report", "safeguarding.ReportMessage"),
        )
    ]
    privacy_export_excluded = {
        # The student's own words and the replies to them are exported (the part above).
        "safeguarding.StaffNote": "Staff notes are the designated staff's records about a case, not the student's "
        "data; never shown to the student or their family (design.md §5).",
        "safeguarding.SafeguardingDesignation": "Names the staff a school designated; holds nothing about a student.",
    }

    def ready(self):
        # Each module below imports models, which exist only once the app registry is ready.
        from schools.access import register_password_reset_schools  # models: loaded after the registry

        from . import receivers  # models: loaded after the registry; connects its receivers below
        from .access import designated_school_ids  # models: loaded after the registry

        # Designated safeguarding staff may reset the passwords of their school's students.
        register_password_reset_schools(designated_school_ids)
        receivers.connect()
