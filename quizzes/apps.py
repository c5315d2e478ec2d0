from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    privacy_export = [
        (
            "quizzes",
            "quizzes.privacy.attempts_part",
            ("quizzes.Attempt", "quizzes.Response", "quizzes.AttemptAllowance"),
        )
    ]
    privacy_export_excluded = {
        "quizzes.QuizPage": "Page owner / lock: editor accounts only.",
        "quizzes.Regrade": "Who asked for a regrade: editor accounts only.",
    }

    def ready(self):
        from . import tasks  # noqa: F401  (registered for eager/outbox runs: the regrade is enqueued)
