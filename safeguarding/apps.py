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

    def ready(self):
        from schools.access import register_password_reset_schools

        from . import receivers
        from .access import designated_school_ids
        from .privacy import register as register_privacy_parts

        # Designated safeguarding staff may reset the passwords of their school's students.
        register_password_reset_schools(designated_school_ids)
        register_privacy_parts()
        receivers.connect()
