from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavEntry, roles
from accounts.roles import Role


class LearningConfig(AppConfig):
    name = "learning"
    navigation = [
        NavEntry("learning:my_learning", _("My learning"), roles(Role.STUDENT), order=20),
        NavEntry("learning:guardian_home", _("My children"), roles(Role.GUARDIAN), order=70),
        NavEntry("learning:school_overview", _("School overview"), roles(Role.SCHOOL_ADMIN), order=90),
    ]
    privacy_export = [
        (
            "learning",
            "learning.privacy.learning_part",
            (
                "learning.Assignment",
                "learning.Progress",
                "learning.StudyTime",
                "learning.Certificate",
                "learning.Export",
                "courses.LessonCompletion",
            ),
        )
    ]

    def ready(self):
        from . import receivers, tasks  # noqa: F401  (tasks: registered for eager/outbox runs)
