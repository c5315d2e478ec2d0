"""Build export files row by row (CSV, write-only XLSX, PDF for a child's summary).

Rows come class by class from bulk queries, so memory stays flat however large the school.
Every text cell that a spreadsheet could run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.services import notify_once
from notifications.text import text
from schools.models import Classroom, Enrollment

from ..models import Assignment, Export, ItemKind, Progress, ProgressStatus
from . import family_report
from .services import EXPORT_TTL
from .xlsx import StreamingXLSX

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 5000  # rows between progress updates (each is a committed write)


def neutralise(value):
    """Prefix text that a spreadsheet would evaluate (=, +, -, @) with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def class_header() -> list[str]:
    """A class or school file's headings, in words in the requester's language (build()
    activates it), like the parent's: teachers open these files, they do not parse them."""
    return [
        _("Class"),
        _("Student"),
        _("Username"),
        _("Course, lesson or quiz"),
        _("Kind"),
        _("Due"),
        _("Status"),
        _("Score (%)"),
        _("Attempts"),
        _("Completed"),
        _("Minutes"),
    ]


def _fmt_dt(value):
    if not value:
        return ""
    return timezone.localtime(value).isoformat(sep=" ", timespec="minutes")[:16]


def _course_seconds(progress) -> dict[tuple[int, int], int]:
    """(student id, course id) -> seconds spent in the course, for the courses of the given
    Progress rows: on its page and on its lessons and quizzes (one query). A course's own
    Progress row holds only the time on the course page, as time is credited to the page a
    learner was reading; its minutes are these sums."""
    return {
        (student_id, course_id): seconds or 0
        for student_id, course_id, seconds in progress.filter(course__isnull=False)
        .values("student_id", "course_id")
        .annotate(seconds=Sum("seconds_spent"))
        .values_list("student_id", "course_id", "seconds")
    }


def class_rows(classroom: Classroom):
    """One row per student × assigned item of one class (4 queries, a fifth when a course is
    assigned); a course's minutes are the time in all its pages (_course_seconds)."""
    User = get_user_model()
    students = list(
        User.objects.filter(enrollments__classroom=classroom)
        .order_by("display_name", "username")
        .values_list("pk", "display_name", "username")
    )
    assignments = list(
        Assignment.objects.active()
        .filter(classroom=classroom)
        .order_by("due_at", "pk")
        .values_list("pk", "item_id", "item__title", "item_kind", "due_at")
    )
    targets = {}
    for aid, uid in Assignment.students.through.objects.filter(
        assignment_id__in=[a[0] for a in assignments]
    ).values_list("assignment_id", "user_id"):
        targets.setdefault(aid, set()).add(uid)
    progress = {}
    if assignments and students:
        for row in Progress.objects.filter(
            student__enrollments__classroom=classroom,
            page_id__in=[a[1] for a in assignments],
        ).values_list(
            "student_id",
            "page_id",
            "status",
            "grade_score",
            "best_score",
            "attempts",
            "completed_at",
            "seconds_spent",
        ):
            progress[(row[0], row[1])] = row
    course_ids = [a[1] for a in assignments if a[3] == ItemKind.COURSE]
    course_seconds = {}
    if course_ids and students:
        course_seconds = _course_seconds(
            Progress.objects.filter(student__enrollments__classroom=classroom, course_id__in=course_ids)
        )
    # Text that people typed (names, titles) is neutralised once per person or item, not per cell.
    status_labels = {k: neutralise(str(v)) for k, v in ProgressStatus.choices}
    kind_labels = {k: str(v) for k, v in ItemKind.choices}
    not_started = status_labels[ProgressStatus.NOT_STARTED]
    class_name = neutralise(classroom.name)
    items = [
        (aid, item_id, neutralise(title), kind_labels.get(kind, kind), _fmt_dt(due_at), targets.get(aid))
        for aid, item_id, title, kind, due_at in assignments
    ]
    for pk, display_name, username in students:
        name, login = neutralise(display_name or username), neutralise(username)
        for _aid, item_id, title, kind, due, target in items:
            if target is not None and pk not in target:
                continue
            p = progress.get((pk, item_id))
            if p is None:
                minutes = round(course_seconds.get((pk, item_id), 0) / 60)
                yield [class_name, name, login, title, kind, due, not_started, "", 0, "", minutes]
                continue
            score = (p[3] if p[3] is not None else p[4]) if p[5] else None
            yield [
                class_name,
                name,
                login,
                title,
                kind,
                due,
                status_labels.get(p[2], p[2]),
                round(score) if score is not None else "",
                p[5],
                _fmt_dt(p[6]),
                round(course_seconds.get((pk, item_id), p[7]) / 60),
            ]


def school_rows(school_id: int):
    for classroom in Classroom.objects.filter(school_id=school_id, archived_at__isnull=True).order_by("grade", "name"):
        yield from class_rows(classroom)


def guardian_header() -> list[str]:
    """A parent's file is read, not processed: headings in words, in the parent's language."""
    return [
        _("Lesson or quiz"),
        _("Kind"),
        _("Status"),
        _("Score (%)"),
        _("Attempts"),
        _("Completed"),
        _("Minutes"),
    ]


def guardian_rows(student_id: int):
    status_labels = dict(ProgressStatus.choices)
    kind_labels = dict(ItemKind.choices)
    course_seconds = _course_seconds(Progress.objects.filter(student_id=student_id))
    for p in (
        Progress.objects.filter(student_id=student_id)
        .order_by("kind", "page__title")
        .values_list(
            "page__title", "kind", "status", "best_score", "attempts", "completed_at", "seconds_spent", "page_id"
        )
        .iterator(chunk_size=1000)
    ):
        seconds = course_seconds.get((student_id, p[7]), p[6]) if p[1] == ItemKind.COURSE else p[6]
        yield [
            neutralise(p[0]),
            str(kind_labels.get(p[1], p[1])),
            str(status_labels.get(p[2], p[2])),
            round(p[3]) if p[3] is not None else "",
            p[4],
            _fmt_dt(p[5]),
            round(seconds / 60),
        ]


def _rows_for(export: Export):
    if export.kind == Export.Kind.CLASS:
        return class_header(), school_rows_estimate(export), class_rows(Classroom.objects.get(pk=export.scope_id))
    if export.kind == Export.Kind.SCHOOL:
        return class_header(), school_rows_estimate(export), school_rows(export.scope_id)
    return guardian_header(), None, guardian_rows(export.scope_id)


def school_rows_estimate(export: Export) -> int | None:
    """Expected row count for the progress bar: students × assigned items (2 queries)."""
    if export.kind == Export.Kind.CLASS:
        classes = Classroom.objects.filter(pk=export.scope_id)
    else:
        classes = Classroom.objects.filter(school_id=export.scope_id, archived_at__isnull=True)
    counts = dict(Enrollment.objects.filter(classroom__in=classes).values_list("classroom_id").annotate(n=Count("pk")))
    total = 0
    for cid in Assignment.objects.active().filter(classroom__in=classes).values_list("classroom_id", flat=True):
        total += counts.get(cid, 0)
    return total or None


def _report(export: Export, done: int, total: int | None):
    pct = min(99, int(100 * done / total)) if total else min(95, done // PROGRESS_EVERY)
    Export.objects.filter(pk=export.pk).update(progress=pct)


def _write_csv(fh, header, rows, export, total):
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    for i, row in enumerate(rows, 1):
        writer.writerow(row)
        if i % PROGRESS_EVERY == 0:
            _report(export, i, total)
    text.flush()
    text.detach()


def _write_xlsx(fh, header, rows, export, total):
    with StreamingXLSX(fh, title="NetWise") as book:
        book.append(header)
        for i, row in enumerate(rows, 1):
            book.append(row)
            if i % PROGRESS_EVERY == 0:
                _report(export, i, total)


def write_file(*, export: Export) -> Export:
    """Build the file for `export` and mark it done (called by learning.tasks.build_export)."""
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, progress=0)
    header, total, rows = _rows_for(export)
    fd, path = tempfile.mkstemp(suffix=f".{export.format}")
    try:
        with os.fdopen(fd, "wb") as fh:
            if export.format == Export.Format.CSV:
                _write_csv(fh, header, rows, export, total)
            elif export.format == Export.Format.XLSX:
                _write_xlsx(fh, header, rows, export, total)
            else:
                family_report.write_pdf(fh, student_id=export.scope_id)
        with open(path, "rb") as fh:
            export.file.save(f"netwise-{export.kind}.{export.format}", File(fh), save=False)
    finally:
        os.unlink(path)
    now = timezone.now()
    export.status = Export.Status.DONE
    export.progress = 100
    export.finished_at = now
    export.expires_at = now + EXPORT_TTL
    export.save(update_fields=["file", "status", "progress", "finished_at", "expires_at"])
    notify_requester(export)
    return export


def notify_requester(export: Export) -> None:
    """Tell the requester their file is ready (once per export, even if the task re-runs)."""
    notify_once(
        key=f"export:{export.pk}",
        user=export.requested_by,
        kind="export",
        title=text(
            gettext_noop("Your export is ready: %(kind)s (%(format)s)"),
            kind=Export.Kind(export.kind).label,
            format=Export.Format(export.format).label,
        ),
        body=text(gettext_noop("The file can be downloaded for 15 minutes.")),
        url=reverse("learning:export_status", args=[export.token]),
    )


def build(export_id: int) -> Export | None:
    """Idempotent entry point for the task: a repeat after success does nothing."""
    export = Export.objects.exclude(status=Export.Status.DONE).filter(pk=export_id).first()
    if export is None:
        return None
    try:
        # The file is said in the requester's language (a parent reading Chinese gets a Chinese report).
        with translation.override(export.requested_by.language or settings.LANGUAGE_CODE):
            return write_file(export=export)
    except Exception as exc:
        Export.objects.filter(pk=export.pk).update(status=Export.Status.FAILED, error=repr(exc)[:300])
        raise
