from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavEntry, roles
from accounts.roles import Role


class DistrictsConfig(AppConfig):
    name = "districts"
    verbose_name = _("Districts")
    navigation = [NavEntry("districts:overview", _("District"), roles(Role.DISTRICT_OFFICER), order=95)]

    def ready(self):
        from . import receivers, tasks  # noqa: F401  (tasks: registered for eager/outbox runs)
