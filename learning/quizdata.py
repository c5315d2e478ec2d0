"""Reads of the quiz engine's tables for the dashboards (learning may read quizzes; the
reverse never happens). Kept apart so the dashboards do not depend on its internals."""

from __future__ import annotations

from django.apps import apps


def _models():
    try:
        return apps.get_model("quizzes", "Attempt"), apps.get_model("quizzes", "Response")
    except LookupError:
        return None, None


def class_question_stats(*, student_ids, quiz_ids, classroom=None) -> dict:
    """Hardest questions for these students on these quizzes, with the most chosen wrong answer."""
    return {"hardest": [], "objectives": []}


def attempts_with_answers(*, student_id) -> list:
    return []


def recent_results_with_misses(*, student_id, limit=5) -> list:
    return []
