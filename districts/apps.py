from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavEntry, roles
from accounts.roles import Role


class DistrictsConfig(AppConfig):
    name = "districts"
    verbose_name = _("Districts")
    navigation = [NavEntry("districts:overview", _("District"), roles(Role.DISTRICT_OFFICER), order=95)]
    # District data is aggregates only: nothing here is about a student.
    privacy_export_excluded = {
        "districts.DistrictOfficer": "Names a district's officers (adult staff accounts); nothing about a student.",
        "districts.DistrictExport": "Reports a district officer requested: suppressed aggregates, never a student.",
    }

    def ready(self):
        from schools import audit  # here: it loads schools' models, which need the app registry

        from . import receivers, tasks  # noqa: F401  (tasks: registered for eager/outbox runs)

        audit.name_actions(
            {
                "district.export_requested": _("District figures export requested"),
                "district.export_downloaded": _("District figures export downloaded"),
            }
        )
