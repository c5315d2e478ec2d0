"""Background work for quizzes: item statistics, recomputed after attempts arrive."""

from celery import shared_task
from django.db import OperationalError

from .services import close_all_expired
from .statistics import recompute_for_quiz


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_item_statistics(quiz_id: int) -> int:
    """Rebuild the quiz's overall statistics and its questions' bank-wide rows (learning adds per class).
    Idempotent: the rows are replaced, never added to."""
    return recompute_for_quiz(quiz_id=quiz_id)


@shared_task(name="quizzes.close_expired_attempts", ignore_result=True)
def close_expired_attempts() -> int:
    """Beat, every five minutes: grade timed attempts whose time ran out (idempotent: each
    is graded once, under its row lock, exactly as if the learner had come back)."""
    return close_all_expired()
