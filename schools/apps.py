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

    def ready(self):
        from .privacy import register_own_parts

        register_own_parts()
