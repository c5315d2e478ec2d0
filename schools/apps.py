from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self):
        from .privacy import register_own_parts

        register_own_parts()
