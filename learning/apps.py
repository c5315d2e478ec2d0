from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavEntry, roles
from accounts.roles import Role


class LearningConfig(AppConfig):
    name = "learning"
    navigation = [
        NavEntry("learning:my_learning", _("My learning"), roles(Role.STUDENT), order=20),
        # Where a finished quiz sends a student on (quizzes cannot name learning).
        NavEntry("learning:next_step", _("My next assignment"), roles(Role.STUDENT), slot="next"),
        # Actions on the class page (schools cannot name learning).
        NavEntry("learning:assignment_create", _("Assign a course, lesson or quiz"), roles(Role.TEACHER), slot="class"),
        NavEntry(
            "learning:class_dashboard", _("Class dashboard"), roles(Role.TEACHER, Role.SCHOOL_ADMIN), slot="class"
        ),
        NavEntry("learning:guardian_home", _("My children"), roles(Role.GUARDIAN), order=70),
        # Where a guardian lands after linking a child or giving consent (url takes the child's id).
        NavEntry("learning:guardian_child", _("My children"), roles(Role.GUARDIAN), slot="child"),
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
        from schools import audit  # here: it loads schools' models, which need the app registry

        from . import receivers, tasks  # noqa: F401  (tasks: registered for eager/outbox runs)

        audit.name_actions(
            {
                "export.requested": _("Export requested"),
                "export.downloaded": _("Export downloaded"),
                "quiz.attempt_given": _("One more quiz attempt given"),
            }
        )
