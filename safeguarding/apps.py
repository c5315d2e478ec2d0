from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"

    def ready(self):
        from .privacy import register

        register()
