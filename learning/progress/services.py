"""Writes for progress: the one place a student's progress is computed.

Page visits (wagtail_hooks), lesson completions (courses) and submitted attempts (quizzes)
reach this module; completions and attempts through receivers in learning/receivers.py,
as those apps never import learning. Progress is a read model: lesson completions and the
quiz engine's results are the record, and `reconcile_quiz_progress` repairs a lost update.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from wagtail.models import Page

from accounts.models import User
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizPage

from ..models import ItemKind, Progress, ProgressStatus, StudyTime
from . import figures

log = logging.getLogger("netwise.learning")

# Time is credited from one page view to the next, at most this much per visit, and not
# at all after a long pause (the tab was left open): idle time never inflates the figures.
VISIT_CAP_SECONDS = 10 * 60
IDLE_GAP_SECONDS = 30 * 60

# Sent when a student completes a course (certificates listen). Sent again if the course is
# completed anew after a lesson was un-marked: the certificate is kept, never redrawn twice.
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


COURSE_OF_TTL = 60 * 60


def course_id_of(page: Page) -> int | None:
    """course_of(page).pk, cached: the tree changes rarely and a move changes the path."""
    key = f"learning:course-of:{page.pk}:{page.path}"
    cached = cache.get(key)
    if cached is None:
        course = course_of(page)
        cached = course.pk if course is not None else 0
        cache.set(key, cached, COURSE_OF_TTL)
    return cached or None


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
    previous = (
        Progress.objects.filter(student=student, last_seen_at__isnull=False)
        .order_by("-last_seen_at")
        .only("pk", "last_seen_at")
        .first()
    )
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
    table = connection.ops.quote_name(StudyTime._meta.db_table)
    # One statement whatever the row's state (SQLite >= 3.24 and PostgreSQL both speak it).
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (student_id, day, seconds) VALUES (%s, %s, %s) "  # noqa: S608 - model table name; values are parameters
            f"ON CONFLICT (student_id, day) DO UPDATE SET seconds = {table}.seconds + EXCLUDED.seconds",
            [student.pk, connection.ops.adapt_datefield_value(local_day), seconds],
        )


def _touch_progress(rows, now) -> None:
    """Upsert (student, page, course, kind, last_seen_at or None) rows in ONE statement: new
    rows start in progress; existing ones are marked started, and seen when a time is given."""
    table = connection.ops.quote_name(Progress._meta.db_table)
    ts = connection.ops.adapt_datetimefield_value(now)
    values, params = [], []
    for student_id, page_id, course_id, kind, seen in rows:
        values.append("(%s, %s, %s, %s, %s, 0, %s, %s, 0, 0, 0, %s)")
        params += [
            student_id,
            page_id,
            course_id,
            kind,
            ProgressStatus.IN_PROGRESS,
            ts,
            connection.ops.adapt_datetimefield_value(seen) if seen else None,
            ts,
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (student_id, page_id, course_id, kind, status, percent, started_at, "  # noqa: S608 - model table name; values are parameters
            "last_seen_at, seconds_spent, attempts, failed_attempts, updated_at) "
            f"VALUES {', '.join(values)} "
            "ON CONFLICT (student_id, page_id) DO UPDATE SET "
            f"status = CASE WHEN {table}.status = %s THEN %s ELSE {table}.status END, "
            f"started_at = COALESCE({table}.started_at, EXCLUDED.started_at), "
            f"last_seen_at = COALESCE(EXCLUDED.last_seen_at, {table}.last_seen_at), "
            "updated_at = EXCLUDED.updated_at",
            [*params, ProgressStatus.NOT_STARTED, ProgressStatus.IN_PROGRESS],
        )


def record_visit(*, student, page: Page, now=None) -> None:
    """A student opened a course, lesson or quiz page: mark it started, count time.

    Served on every page view, so it stays lean: one read for the time credit (plus two
    small writes when there is time to credit) and one upsert for the page and its course.
    No transaction or savepoint: each statement is atomic by itself.
    """
    kind = kind_of(page)
    if kind is None or not getattr(student, "is_student", False):
        return None
    if getattr(page, "is_precheck", False):
        return None  # a pre-check never counts (quizzes.models.QuizPage.Purpose): no progress row
    now = now or timezone.now()
    _credit_time(student, now)
    course_id = page.pk if kind == ItemKind.COURSE else course_id_of(page)
    rows = [(student.pk, page.pk, course_id, kind, now)]
    if course_id is not None and course_id != page.pk:
        rows.append((student.pk, course_id, course_id, ItemKind.COURSE, None))
    _touch_progress(rows, now)
    return None


@transaction.atomic
def complete_lesson(*, student, lesson: Page, at=None) -> Progress:
    """Mark a lesson read; the course roll-up follows."""
    at = at or timezone.now()
    figures.lock_classes(student_id=student.pk)  # class locks before row locks (figures.py)
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
def uncomplete_lesson(*, student, lesson: Page, at=None) -> Progress | None:
    """A lesson un-marked (courses.signals.lesson_uncompleted): back to in progress, and a
    completed course with it. An issued certificate is kept (docs/learning.md)."""
    at = at or timezone.now()
    figures.lock_classes(student_id=student.pk)  # class locks before row locks (figures.py)
    progress = Progress.objects.select_for_update().filter(student=student, page=lesson).first()
    if progress is None:
        return None
    if progress.status == ProgressStatus.COMPLETED:
        progress.status = ProgressStatus.IN_PROGRESS
        progress.completed_at = None
        progress.percent = 0
        progress.save(update_fields=["status", "completed_at", "percent", "updated_at"])
    if progress.course_id:
        update_course(student=student, course=Page.objects.get(pk=progress.course_id), at=at, reopen=True)
    return progress


def course_parts(course: Page) -> tuple[list[int], list[int]]:
    """Live lesson and quiz page ids of a course. A pre-check is not a part: it never counts
    towards progress or completion (sync_quiz never sees its attempts either: results_for
    leaves pre-checks out)."""
    lesson_ids, quiz_ids = [], []
    pages = course.get_descendants().live().exclude(quizpage__purpose=QuizPage.Purpose.PRECHECK)
    for page in pages.only("id", "content_type_id"):
        kind = kind_of(page)
        if kind == ItemKind.LESSON:
            lesson_ids.append(page.pk)
        elif kind == ItemKind.QUIZ:
            quiz_ids.append(page.pk)
    return lesson_ids, quiz_ids


@transaction.atomic
def update_course(*, student, course: Page, at=None, reopen=False) -> Progress:
    """Course completion: every live lesson completed and every quiz in it passed.

    With `reopen` (a part was un-marked), a completed course whose parts are no longer all
    done is in progress again; otherwise completion is never taken back (a lesson added
    later does not undo it)."""
    at = at or timezone.now()
    figures.lock_classes(student_id=student.pk)  # class locks before row locks (figures.py)
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
    elif reopen and parts and done < len(parts) and progress.status == ProgressStatus.COMPLETED:
        progress.status = ProgressStatus.IN_PROGRESS
        progress.completed_at = None
    progress.last_seen_at = max(filter(None, [progress.last_seen_at, at]))
    progress.save()
    if just_completed:
        transaction.on_commit(lambda: course_completed.send(sender=Progress, student=student, course=course))
    return progress


def sync_quiz(*, student, quiz, attempt=None) -> Progress:
    """Refresh a student's quiz progress from the quiz engine's result (quizzes.selectors,
    which applies the quiz's grading rule).

    Lean, as it runs after every submit (in the worker): one read of the student's attempts
    on this quiz and one upsert of the quiz row, with absolute values (a repeated message
    changes nothing), then its classes' figures (figures.py, three queries) in the same
    transaction. The course roll-up runs when the quiz is passed; given the submitted
    `attempt`, only when that attempt is the first pass (the only time the course can move).
    """
    result = quiz_selectors.results_for(student_ids=[student.pk], quizzes=[quiz]).get((student.pk, quiz.pk))
    if result is None or not result.attempts_used:
        return Progress.objects.filter(student=student, page=quiz).first()
    first_pass = result.first_pass_attempt_id is not None
    last_at = result.last_submitted_at
    course_id = course_id_of(quiz)
    progress = Progress(
        student=student,
        page_id=quiz.pk,
        course_id=course_id,
        kind=ItemKind.QUIZ,
        status=ProgressStatus.COMPLETED if first_pass else ProgressStatus.IN_PROGRESS,
        percent=100 if first_pass else int(result.best),
        started_at=result.first_submitted_at,
        completed_at=result.first_passed_at,
        last_seen_at=last_at,
        attempts=result.attempts_used,
        failed_attempts=result.failed_attempts,
        best_score=result.best,
        last_score=result.last,
        grade_score=result.grade,
        passed=first_pass,
        updated_at=timezone.now(),
    )
    with transaction.atomic(savepoint=False):  # the upsert sends no post_save: the figures with it
        classroom_ids = figures.lock_classes(student_id=student.pk)  # before the row's lock
        _upsert_quiz_progress(progress)
        figures.refresh_for_student(student_id=student.pk, page_ids=[quiz.pk], classroom_ids=classroom_ids)
    just_passed = first_pass and (attempt is None or result.first_pass_attempt_id == attempt.pk)
    if just_passed and course_id is not None:
        update_course(student=student, course=Page.objects.get(pk=course_id), at=last_at)
    return progress


def _upsert_quiz_progress(progress: Progress) -> None:
    Progress.objects.bulk_create(
        [progress],
        update_conflicts=True,
        unique_fields=["student", "page"],
        update_fields=[
            "status",
            "percent",
            "completed_at",
            "last_seen_at",
            "attempts",
            "failed_attempts",
            "best_score",
            "last_score",
            "grade_score",
            "passed",
            "updated_at",
        ],
    )


def sync_quiz_by_id(*, student_id: int, quiz_id: int) -> Progress | None:
    """The background form of `sync_quiz` (learning.tasks.sync_quiz_progress)."""
    student = User.objects.filter(pk=student_id).first()
    quiz = QuizPage.objects.filter(pk=quiz_id).first()
    if student is None or quiz is None:  # deleted since the submit: nothing to keep
        return None
    return sync_quiz(student=student, quiz=quiz)


RECONCILE_WINDOW = timedelta(hours=48)


def quiz_progress_behind(*, since=None) -> list[tuple[int, int]]:
    """(student id, quiz id) pairs whose quiz progress misses a recently submitted attempt.

    The submit path hands progress to a worker with a message that may be lost (a dead
    broker, a killed worker); the submitted attempts are the durable record, so comparing
    their count with the progress row finds every such gap. Three queries, whatever the size.
    """
    since = since or timezone.now() - RECONCILE_WINDOW
    totals = quiz_selectors.submission_counts(since=since)
    if not totals:
        return []
    pairs = set(totals)
    students = {s for s, _ in pairs}
    quizzes = {q for _, q in pairs}
    recorded = {
        (s, q): n
        for s, q, n in Progress.objects.filter(
            student_id__in=students, page_id__in=quizzes, kind=ItemKind.QUIZ
        ).values_list("student_id", "page_id", "attempts")
    }
    return sorted(p for p in pairs if totals[p] != recorded.get(p, 0))


def reconcile_quiz_progress(*, since=None) -> int:
    """Bring every lagging quiz progress row up to date; returns how many were behind."""
    behind = quiz_progress_behind(since=since)
    for student_id, quiz_id in behind:
        sync_quiz_by_id(student_id=student_id, quiz_id=quiz_id)
    if behind:
        log.info("reconciled quiz progress for %d student/quiz pair(s)", len(behind))
    return len(behind)
