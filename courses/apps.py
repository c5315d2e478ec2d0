from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavEntry, roles
from accounts.roles import Role


class CoursesConfig(AppConfig):
    name = "courses"
    navigation = [
        NavEntry("courses:catalogue", _("Courses"), order=10),
        NavEntry("wagtailadmin_home", _("Edit curriculum"), roles(Role.EDITOR), order=110),
    ]
