"""Which age version of a lesson a student sees (issue 17; courses asks through the
"lesson_age_version" hook, registered in learning/wagtail_hooks.py):

(a) an active assignment to the student (their class, or them) for the lesson or its course that
    sets a version: the lesson's own assignment first, then the newest;
(b) else the student's grade: 6 or below the younger version (ages 9–12), 7 or above the older;
(c) no grade: None, the lesson as written.

Two queries at most, one when an assignment decides.
"""

from __future__ import annotations

from schools.models import StudentProfile

from ..models import AgeVersion, Assignment

LAST_YOUNGER_GRADE = 6


def version_for_grade(grade: int | None) -> str | None:
    if grade is None:
        return None
    return AgeVersion.YOUNGER if grade <= LAST_YOUNGER_GRADE else AgeVersion.OLDER


def age_version_for(*, student, lesson, course=None) -> str | None:
    """ "younger", "older" or None for `student` on `lesson` (either language; assignments are
    made to the English pages, which share the translation_key) in `course` (its parent)."""
    keys = [lesson.translation_key] + ([course.translation_key] if course is not None else [])
    chosen = list(
        Assignment.objects.for_student(student)
        .filter(item__translation_key__in=keys)
        .exclude(age_version=AgeVersion.BY_GRADE)
        .values_list("item__translation_key", "age_version", "created_at")
    )
    if chosen:
        chosen.sort(key=lambda row: (row[0] == lesson.translation_key, row[2]), reverse=True)
        return chosen[0][1]
    grade = StudentProfile.objects.filter(user=student).values_list("grade", flat=True).first()
    return version_for_grade(grade)
