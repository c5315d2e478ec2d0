"""Learning listens to the curriculum and the quiz engine; they never import learning."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from courses.signals import lesson_completed, lesson_uncompleted
from jobs import handoff
from quizzes.signals import attempt_submitted, attempts_regraded, item_statistics_updated
from schools.models import Enrollment

from .certificates import services as certificates
from .dashboards import class_statistics
from .models import Progress, ProgressStatus
from .progress import figures
from .progress import services as progress


@receiver(lesson_completed, dispatch_uid="learning.lesson_completed")
def on_lesson_completed(sender, user, lesson, completion=None, **kwargs):
    at = getattr(completion, "completed_at", None)
    progress.complete_lesson(student=user, lesson=lesson, at=at)


@receiver(lesson_uncompleted, dispatch_uid="learning.lesson_uncompleted")
def on_lesson_uncompleted(sender, user, lesson, **kwargs):
    progress.uncomplete_lesson(student=user, lesson=lesson)


@receiver(attempt_submitted, dispatch_uid="learning.attempt_submitted")
def on_attempt_submitted(sender, attempt, student, quiz_id, precheck=False, **kwargs):
    """Progress is a read model of the attempts: a worker refreshes it, off the submit
    request (which only scores and stores). The request hands the pair off (one Redis set
    member; one broker message per drain, not per submit). Work a dead broker or a killed
    worker leaves undone is found by the beat task learning.reconcile_quiz_progress, so
    nothing depends on this hand-off succeeding. A pre-check never counts towards progress:
    nothing to refresh, nothing handed off."""
    if precheck:
        return
    handoff.hand_off("learning.sync_quiz_progress", student.pk, quiz_id)


@receiver(attempts_regraded, dispatch_uid="learning.attempts_regraded")
def on_attempts_regraded(sender, quiz_id, student_ids, **kwargs):
    """A regrade changed these learners' results (in its task): their quiz progress follows, and
    with it their classes' figures and, for a course now passed, the certificate."""
    for student_id in student_ids:
        progress.sync_quiz_by_id(student_id=student_id, quiz_id=quiz_id)


@receiver(item_statistics_updated, dispatch_uid="learning.item_statistics_updated")
def on_item_statistics_updated(sender, quiz_id, **kwargs):
    """The engine rebuilt a quiz's overall statistics (debounced, in a worker): rebuild the
    same quiz's per-class rows in the same task."""
    class_statistics.recompute_for_quiz(quiz_id=quiz_id)


def _counts_in_figures(row: Progress) -> bool:
    """Whether a progress row adds anything to its classes' figures (a completion or a grade)."""
    return row.status == ProgressStatus.COMPLETED or (row.attempts > 0 and row.grade_score is not None)


@receiver(post_save, sender=Progress, dispatch_uid="learning.figures_progress_saved")
def on_progress_saved(sender, instance, created, raw=False, **kwargs):
    """Keep the per-class figures exact, in the writer's transaction. A new row that counts
    for nothing yet (a page opened) cannot change them."""
    if raw or (created and not _counts_in_figures(instance)):
        return
    figures.refresh_for_student(student_id=instance.student_id, page_ids=[instance.page_id])


@receiver(post_delete, sender=Progress, dispatch_uid="learning.figures_progress_deleted")
def on_progress_deleted(sender, instance, **kwargs):
    if _counts_in_figures(instance):
        figures.refresh_for_student(student_id=instance.student_id, page_ids=[instance.page_id])


@receiver(post_save, sender=Enrollment, dispatch_uid="learning.figures_enrolled")
def on_enrolled(sender, instance, created, raw=False, **kwargs):
    """A student joined a class: their progress now counts in its figures."""
    if created and not raw:
        figures.refresh(classroom_ids=[instance.classroom_id])


@receiver(post_delete, sender=Enrollment, dispatch_uid="learning.figures_unenrolled")
def on_unenrolled(sender, instance, **kwargs):
    """A student left a class (or was deleted): their progress no longer counts in it."""
    figures.refresh(classroom_ids=[instance.classroom_id])


def _connect_certificates():
    """learning/certificates draws a certificate on first completion."""
    progress.course_completed.connect(
        certificates.on_course_completed, dispatch_uid="learning.certificate_on_completion"
    )


_connect_certificates()
