from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"

    def ready(self):
        from schools.access import register_password_reset_schools

        from . import receivers  # noqa: F401 - connects the password-reset notice
        from .access import designated_school_ids

        # Designated safeguarding staff may reset the passwords of their school's students.
        register_password_reset_schools(designated_school_ids)
