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
    # A learner's lesson completions are exported with learning's part (learning/privacy.py).
    privacy_export_excluded = {
        "courses.CourseIndexPage": "Page owner / lock: editor accounts only.",
        "courses.CoursePage": "Page owner / lock: editor accounts only.",
        "courses.LessonPage": "Page owner / lock: editor accounts only.",
    }

    def ready(self):
        from . import receivers  # noqa: F401 - connects the receivers; importable only once the models are loaded
