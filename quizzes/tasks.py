"""Background work for quizzes: item statistics, recomputed after attempts arrive."""

from celery import shared_task
from django.db import OperationalError

from . import regrade
from .services import close_all_expired, request_statistics
from .statistics import recompute_for_quiz, stale_quiz_ids


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_item_statistics(quiz_id: int) -> int:
    """Rebuild the quiz's overall statistics and its questions' bank-wide rows (learning adds per class).
    Idempotent: the rows are replaced, never added to."""
    return recompute_for_quiz(quiz_id=quiz_id)


@shared_task(name="quizzes.refresh_statistics", ignore_result=True)
def refresh_statistics() -> int:
    """Beat, every minute: one rebuild per quiz with attempts its statistics may not count yet,
    each in a task of its own (a big quiz does not hold up the others). Returns how many."""
    quiz_ids = stale_quiz_ids()
    for quiz_id in quiz_ids:
        request_statistics(quiz_id=quiz_id)
    return len(quiz_ids)


@shared_task(name="quizzes.close_expired_attempts", ignore_result=True)
def close_expired_attempts() -> int:
    """Beat, every five minutes: grade timed attempts whose time ran out (idempotent: each
    is graded once, under its row lock, exactly as if the learner had come back)."""
    return close_all_expired()


@shared_task(
    name=regrade.TASK,  # the name regrade.request enqueues and looks a failed run up by
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def regrade_quiz(regrade_id: int) -> None:
    """An editor's regrade of a quiz's attempts (quizzes.regrade; a finished one is not run again)."""
    regrade.perform(regrade_id)
