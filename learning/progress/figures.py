"""Per-(class, page) progress figures (models.ClassItemFigures) for the school overview.

`refresh` (whole classes) and `refresh_for_student` (some pages in one student's classes)
recompute the figures from Progress and Enrollment with the very aggregate the overview used
to run over every progress row, and replace the stored rows: absolute values, so running them
twice changes nothing and a missed update is repaired by the next refresh or by `rebuild_all`
(`manage.py rebuild_class_item_figures`, the nightly beat, the migration).

They run inside the writer's transaction (receivers.py: a Progress or Enrollment row saved or
deleted; progress.services.sync_quiz, whose upsert sends no signal) after the write, and
lock the classes' rows (the progress services lock them before anything else, see
`lock_classes`): two writers in one class (PostgreSQL, READ COMMITTED) take
turns, and the second one's aggregate, a new statement, sees the first one's committed rows,
so neither overwrites the other with a stale count. Classes are locked in id order (no
deadlock between students in overlapping classes). SQLite serialises writers anyway.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q, Sum

from schools.models import Classroom

from ..models import ClassItemFigures, Progress, ProgressStatus

_CLASS = "student__enrollments__classroom_id"


def _aggregate(qs):
    """(classroom id, page id, completed, scored, score sum) over `qs`, joined to enrolments."""
    scored = Q(attempts__gt=0)
    return qs.values(_CLASS, "page_id").annotate(
        completed=Count("pk", filter=Q(status=ProgressStatus.COMPLETED)),
        scored=Count("grade_score", filter=scored),
        score_sum=Sum("grade_score", filter=scored),
    )


def _locked_classes(classes) -> list[int]:
    """Lock these Classroom rows in id order; returns their ids."""
    return list(classes.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))


def _rows(progress):
    return [
        ClassItemFigures(
            classroom_id=r[_CLASS],
            page_id=r["page_id"],
            completed=r["completed"],
            scored=r["scored"],
            score_sum=r["score_sum"] or 0,
        )
        for r in _aggregate(progress)
    ]


def refresh(*, classroom_ids) -> None:
    """Recompute every figure of these classes (a student joined or left one; the rebuild)."""
    with transaction.atomic(savepoint=False):
        ids = _locked_classes(Classroom.objects.filter(pk__in=set(classroom_ids)))
        if not ids:
            return
        rows = [r for r in _rows(Progress.objects.filter(student__enrollments__classroom_id__in=ids)) if r.counts]
        ClassItemFigures.objects.filter(classroom_id__in=ids).delete()
        ClassItemFigures.objects.bulk_create(rows, batch_size=2000)


def lock_classes(*, student_id) -> list[int]:
    """Lock the student's classes (their ids). The progress services call it first in their
    transaction, before they lock any progress row, so every writer takes class locks before
    row locks and two writers never wait on each other in a cycle."""
    return _locked_classes(Classroom.objects.filter(enrollments__student_id=student_id))


def refresh_for_student(*, student_id, page_ids, classroom_ids=None) -> None:
    """After a write to this student's progress on these pages: those pages' figures in each
    of the student's classes (three queries: lock the classes, unless `classroom_ids` says
    they are locked already, aggregate, one upsert)."""
    with transaction.atomic(savepoint=False):
        ids = classroom_ids if classroom_ids is not None else lock_classes(student_id=student_id)
        if not ids:
            return
        found = {
            (r.classroom_id, r.page_id): r
            for r in _rows(Progress.objects.filter(student__enrollments__classroom_id__in=ids, page_id__in=page_ids))
        }
        # Every (class, page) pair is written, with zeros where nothing counts any more.
        rows = [found.get((c, p)) or ClassItemFigures(classroom_id=c, page_id=p) for c in ids for p in set(page_ids)]
        ClassItemFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["classroom", "page"],
            update_fields=["completed", "scored", "score_sum"],
        )


def rebuild_all() -> int:
    """Every class's figures from scratch (the data migration, the command, after bulk
    seeding that bypassed the services). Returns how many rows were written."""
    ids = list(Classroom.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 200):
        with transaction.atomic():
            refresh(classroom_ids=ids[start : start + 200])
    return ClassItemFigures.objects.count()
