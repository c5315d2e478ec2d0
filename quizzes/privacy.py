"""Quizzes' part of the privacy export: every attempt and every answer the student gave."""

from .models import Attempt, Response


def attempts_part(student, viewer):
    attempts = list(
        Attempt.objects.filter(student=student)
        .order_by("started_at", "pk")
        .values(
            "pk",
            "quiz__title",
            "number",
            "status",
            "started_at",
            "submitted_at",
            "score",
            "max_score",
            "percent",
            "passed",
            "late",
            "before_lessons",
            "regraded_at",
        )
    )
    answers = list(
        Response.objects.filter(attempt__student=student)
        .order_by("attempt_id", "pk")
        .values("attempt_id", "question__title", "question__text", "answer", "score", "max_score", "updated_at")
    )
    return {"quiz_attempts": attempts, "quiz_answers": answers}
