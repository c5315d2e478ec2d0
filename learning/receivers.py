"""Learning listens to the curriculum and the quiz engine; they never import learning."""

from django.dispatch import receiver

from courses.signals import lesson_completed, lesson_uncompleted
from jobs import services as jobs_services
from quizzes.signals import attempt_submitted, item_statistics_updated

from .certificates import services as certificates
from .dashboards import class_statistics
from .progress import services as progress


@receiver(lesson_completed, dispatch_uid="learning.lesson_completed")
def on_lesson_completed(sender, user, lesson, completion=None, **kwargs):
    at = getattr(completion, "completed_at", None)
    progress.complete_lesson(student=user, lesson=lesson, at=at)


@receiver(lesson_uncompleted, dispatch_uid="learning.lesson_uncompleted")
def on_lesson_uncompleted(sender, user, lesson, **kwargs):
    progress.uncomplete_lesson(student=user, lesson=lesson)


@receiver(attempt_submitted, dispatch_uid="learning.attempt_submitted")
def on_attempt_submitted(sender, attempt, student, quiz_id, **kwargs):
    """Progress is a read model of the attempts: a worker refreshes it, off the submit
    request (which only scores and stores). A lost message is found by the beat task
    learning.reconcile_quiz_progress, so nothing depends on this publish succeeding."""
    jobs_services.publish_best_effort("learning.sync_quiz_progress", student.pk, quiz_id)


@receiver(item_statistics_updated, dispatch_uid="learning.item_statistics_updated")
def on_item_statistics_updated(sender, quiz_id, **kwargs):
    """The engine rebuilt a quiz's overall statistics (debounced, in a worker): rebuild the
    same quiz's per-class rows in the same task."""
    class_statistics.recompute_for_quiz(quiz_id=quiz_id)


def _connect_certificates():
    """learning/certificates draws a certificate on first completion."""
    progress.course_completed.connect(
        certificates.on_course_completed, dispatch_uid="learning.certificate_on_completion"
    )


_connect_certificates()
