from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"

    def ready(self):
        from . import privacy, receivers, tasks  # noqa: F401  (tasks: registered for eager/outbox runs)

        privacy.register()
