"""Writes for learning: assignments, progress, exports. The one place progress is computed.

Lesson completions (courses) and submitted attempts (quizzes) reach this module through
receivers in learning/receivers.py; those apps never import learning.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from wagtail.models import Page

from .models import Assignment, Export, ItemKind, Progress, ProgressStatus, StudyTime

log = logging.getLogger("netwise.learning")

# Time is credited from one page view to the next, at most this much per visit, and not
# at all after a long pause (the tab was left open): idle time never inflates the figures.
VISIT_CAP_SECONDS = 10 * 60
IDLE_GAP_SECONDS = 30 * 60
EXPORT_TTL = timedelta(minutes=15)
FAILS_BEFORE_HELP = 3

# Sent once when a student first completes a course (certificates, notifications listen).
course_completed = Signal()  # kwargs: student, course

MODEL_KINDS = {
    "coursepage": ItemKind.COURSE,
    "lessonpage": ItemKind.LESSON,
    "quizpage": ItemKind.QUIZ,
}


def kind_of(page: Page) -> str | None:
    """course / lesson / quiz for a curriculum page, None for anything else."""
    ct = ContentType.objects.get_for_id(page.content_type_id)
    return MODEL_KINDS.get(ct.model)


def course_of(page: Page) -> Page | None:
    """The CoursePage a lesson or quiz sits under (a course is its own course)."""
    kind = kind_of(page)
    if kind == ItemKind.COURSE:
        return page
    if kind is None:
        return None
    for ancestor in page.get_ancestors().order_by("-depth"):
        if kind_of(ancestor) == ItemKind.COURSE:
            return ancestor
    return None


def _progress_for(student, page: Page, *, kind=None, course=None) -> Progress:
    kind = kind or kind_of(page)
    if course is None:
        course = course_of(page)
    progress, _ = Progress.objects.select_for_update().get_or_create(
        student=student,
        page=page,
        defaults={"kind": kind, "course": course},
    )
    return progress


def _start(progress: Progress, now) -> None:
    if progress.status == ProgressStatus.NOT_STARTED:
        progress.status = ProgressStatus.IN_PROGRESS
        progress.started_at = progress.started_at or now


def _credit_time(student, now) -> None:
    """Give the time since the student's last page view to that page, capped."""
    previous = Progress.objects.filter(student=student, last_seen_at__isnull=False).order_by("-last_seen_at").first()
    if previous is None:
        return
    gap = (now - previous.last_seen_at).total_seconds()
    if gap <= 0 or gap > IDLE_GAP_SECONDS:
        return
    seconds = int(min(gap, VISIT_CAP_SECONDS))
    add_study_time(student=student, page_progress=previous, seconds=seconds, day=now)


def add_study_time(*, student, page_progress: Progress | None, seconds: int, day) -> None:
    seconds = max(0, min(int(seconds), VISIT_CAP_SECONDS))
    if not seconds:
        return
    if page_progress is not None:
        Progress.objects.filter(pk=page_progress.pk).update(seconds_spent=F("seconds_spent") + seconds)
    local_day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    row, created = StudyTime.objects.get_or_create(student=student, day=local_day, defaults={"seconds": seconds})
    if not created:
        StudyTime.objects.filter(pk=row.pk).update(seconds=F("seconds") + seconds)


@transaction.atomic
def record_visit(*, student, page: Page, now=None) -> Progress | None:
    """A student opened a course, lesson or quiz page: mark it started, count time."""
    kind = kind_of(page)
    if kind is None or not getattr(student, "is_student", False):
        return None
    now = now or timezone.now()
    _credit_time(student, now)
    course = course_of(page)
    progress = _progress_for(student, page, kind=kind, course=course)
    _start(progress, now)
    progress.last_seen_at = now
    progress.save()
    if course is not None and course.pk != page.pk:
        course_progress = _progress_for(student, course, kind=ItemKind.COURSE, course=course)
        _start(course_progress, now)
        course_progress.save()
    return progress


@transaction.atomic
def complete_lesson(*, student, lesson: Page, at=None) -> Progress:
    """Mark a lesson read; the course roll-up follows."""
    at = at or timezone.now()
    progress = _progress_for(student, lesson, kind=ItemKind.LESSON)
    _start(progress, at)
    if progress.status != ProgressStatus.COMPLETED:
        progress.status = ProgressStatus.COMPLETED
        progress.completed_at = at
        progress.percent = 100
    progress.last_seen_at = max(filter(None, [progress.last_seen_at, at]))
    progress.save()
    if progress.course_id:
        update_course(student=student, course=Page.objects.get(pk=progress.course_id), at=at)
    return progress


@transaction.atomic
def apply_quiz_results(*, student, quiz: Page, results, grade_score=None, started_at=None):
    """Store a student's quiz state from all their submitted attempts (idempotent).

    `results`: iterable of (percent 0-100, passed bool, submitted_at), any order.
    """
    results = sorted(results, key=lambda r: r[2])
    progress = _progress_for(student, quiz, kind=ItemKind.QUIZ)
    now = results[-1][2] if results else (started_at or timezone.now())
    _start(progress, started_at or now)
    if results:
        progress.attempts = len(results)
        progress.failed_attempts = sum(1 for r in results if not r[1])
        progress.best_score = max(r[0] for r in results)
        progress.last_score = results[-1][0]
        progress.grade_score = grade_score if grade_score is not None else progress.best_score
        first_pass = next((r for r in results if r[1]), None)
        progress.passed = first_pass is not None
        if first_pass is not None:
            progress.status = ProgressStatus.COMPLETED
            progress.completed_at = progress.completed_at or first_pass[2]
            progress.percent = 100
        else:
            progress.percent = int(progress.best_score or 0)
        progress.last_seen_at = max(filter(None, [progress.last_seen_at, now]))
    progress.save()
    if progress.course_id and results:
        update_course(student=student, course=Page.objects.get(pk=progress.course_id), at=now)
    return progress


def course_parts(course: Page) -> tuple[list[int], list[int]]:
    """Live lesson and quiz page ids of a course."""
    lesson_ids, quiz_ids = [], []
    for page in course.get_descendants().live().only("id", "content_type_id"):
        kind = kind_of(page)
        if kind == ItemKind.LESSON:
            lesson_ids.append(page.pk)
        elif kind == ItemKind.QUIZ:
            quiz_ids.append(page.pk)
    return lesson_ids, quiz_ids


@transaction.atomic
def update_course(*, student, course: Page, at=None) -> Progress:
    """Course completion: every live lesson completed and every quiz in it passed."""
    at = at or timezone.now()
    lesson_ids, quiz_ids = course_parts(course)
    parts = lesson_ids + quiz_ids
    done = Progress.objects.filter(student=student, page_id__in=parts, status=ProgressStatus.COMPLETED).count()
    progress = _progress_for(student, course, kind=ItemKind.COURSE, course=course)
    _start(progress, at)
    progress.percent = int(100 * done / len(parts)) if parts else 0
    just_completed = False
    if parts and done == len(parts) and progress.status != ProgressStatus.COMPLETED:
        progress.status = ProgressStatus.COMPLETED
        progress.completed_at = at
        just_completed = True
    progress.last_seen_at = max(filter(None, [progress.last_seen_at, at]))
    progress.save()
    if just_completed:
        transaction.on_commit(lambda: course_completed.send(sender=Progress, student=student, course=course))
    return progress


# Assignments -------------------------------------------------------------------------


@transaction.atomic
def create_assignment(*, teacher, classroom, item: Page, due_at=None, note="", students=()) -> Assignment:
    kind = kind_of(item)
    if kind is None:
        raise ValueError("Only courses, lessons and quizzes can be assigned.")
    assignment = Assignment.objects.create(
        classroom=classroom,
        item=item,
        item_kind=kind,
        due_at=due_at,
        note=note,
        assigned_by=teacher,
    )
    if students:
        assignment.students.set(students)
    student_ids = [getattr(s, "pk", s) for s in students]
    transaction.on_commit(lambda: notify_assigned(assignment_id=assignment.pk, student_ids=student_ids))
    return assignment


def notify_assigned(*, assignment_id: int, student_ids=()) -> int:
    """An in-app notice to every student the assignment targets (its students, or the whole
    class): three queries whatever the class size. Runs after the assignment commits."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext

    from notifications.services import notify_many

    assignment = Assignment.objects.select_related("item").filter(pk=assignment_id).first()
    if assignment is None:
        return 0
    users = get_user_model().objects.filter(is_active=True, role="student")
    if student_ids:
        users = users.filter(pk__in=student_ids)
    else:
        users = users.filter(enrollments__classroom_id=assignment.classroom_id).distinct()
    users = list(users.only("pk", "language"))
    item_title = assignment.item.title

    def title(user):
        with translation.override(user.language or None):
            return gettext("New assignment: %(item)s") % {"item": item_title}

    notify_many(users=users, kind="assignment", title=title, url=reverse("learning:my_learning"))
    return len(users)


@transaction.atomic
def update_assignment(*, assignment: Assignment, due_at=None, note="", students=()) -> Assignment:
    assignment.due_at = due_at
    assignment.note = note
    assignment.save(update_fields=["due_at", "note", "updated_at"])
    assignment.students.set(students)
    return assignment


@transaction.atomic
def withdraw_assignment(*, assignment: Assignment) -> Assignment:
    if assignment.withdrawn_at is None:
        assignment.withdrawn_at = timezone.now()
        assignment.save(update_fields=["withdrawn_at", "updated_at"])
    return assignment


# Exports -----------------------------------------------------------------------------


@transaction.atomic
def request_export(*, user, kind: str, scope_id: int, fmt: str) -> Export:
    """Record the request and hand it to the outbox; the worker builds the file."""
    from jobs.services import enqueue

    export = Export.objects.create(requested_by=user, kind=kind, scope_id=scope_id, format=fmt)
    enqueue("learning.tasks.build_export", export.pk, requested_by=user)
    return export


def expire_exports(*, now=None) -> int:
    """Delete files of expired exports (called by the export task and beat)."""
    now = now or timezone.now()
    count = 0
    for export in Export.objects.filter(expires_at__lte=now).exclude(file=""):
        export.file.delete(save=False)
        Export.objects.filter(pk=export.pk).update(file="")
        count += 1
    return count


def sync_quiz(*, student, quiz) -> Progress:
    """Refresh a student's quiz progress from the quiz engine's submitted attempts."""
    from quizzes import selectors as quiz_selectors

    grade = quiz_selectors.grade_for(student=student, quiz=quiz)
    results = quiz_selectors.results_for(student=student, quiz=quiz)
    return apply_quiz_results(student=student, quiz=quiz, results=results, grade_score=grade.grade)
