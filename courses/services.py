"""Writes for the curriculum's learner side."""

from django.db import IntegrityError, transaction

from .i18n import source_page
from .models import LessonCompletion, LessonPage
from .signals import lesson_completed, lesson_uncompleted


def mark_lesson_done(*, user, lesson: LessonPage, at=None) -> tuple[LessonCompletion, bool]:
    """Record that `user` finished `lesson`; repeating it changes nothing.

    A translated lesson (zh-hans) counts as its English source: one completion per lesson
    whatever language it was read in. `at` dates a new completion in the past (the demo
    seed's history); otherwise it is now. Returns (completion, created)."""
    lesson = source_page(lesson)
    try:
        with transaction.atomic():
            completion, created = LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
            if created and at is not None:
                completion.completed_at = at  # auto_now_add sets it on insert only
                completion.save(update_fields=["completed_at"])
    except IntegrityError:  # a double submit raced the first one
        return LessonCompletion.objects.get(user=user, lesson=lesson), False
    if created:
        lesson_completed.send(sender=LessonPage, user=user, lesson=lesson, completion=completion)
    return completion, created


def mark_lesson_not_done(*, user, lesson: LessonPage) -> bool:
    """Undo a completion (of the lesson in any language); True if there was one (then
    `lesson_uncompleted` is sent)."""
    lesson = source_page(lesson)
    deleted, _ = LessonCompletion.objects.filter(user=user, lesson=lesson).delete()
    if deleted:
        lesson_uncompleted.send(sender=LessonPage, user=user, lesson=lesson)
    return bool(deleted)
