from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"

    def ready(self):
        from . import receivers, tasks  # noqa: F401  (tasks: registered for eager/outbox runs)
