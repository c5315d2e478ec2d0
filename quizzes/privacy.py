"""Quizzes' part of the privacy export: every attempt and every answer the student gave, and
the extra attempts their teachers gave them."""

from .models import Attempt, AttemptAllowance, Response


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
    # One row per quiz: how many extra attempts, and who gave the latest one, when and why
    # (every grant is in the audit log, exported by schools).
    extra = list(
        AttemptAllowance.objects.filter(student=student)
        .order_by("granted_at", "pk")
        .values("quiz__title", "extra_attempts", "granted_by__username", "granted_at", "reason")
    )
    return {"quiz_attempts": attempts, "quiz_answers": answers, "quiz_extra_attempts": extra}
