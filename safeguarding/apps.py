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
