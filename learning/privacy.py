"""Learning's part of the privacy export (and courses', which cannot import schools):
assignments set for the student, progress, study time, lesson completions, certificates and
any export the student requested."""

from django.db.models import Q

from courses.models import LessonCompletion

from .models import Assignment, Certificate, Export, Progress, StudyTime


def learning_part(student, viewer):
    return {
        # Set for the whole of one of their classes, or for them by name (withdrawn ones too).
        "assignments": list(
            Assignment.objects.filter(
                Q(students=student) | Q(classroom__enrollments__student=student, students__isnull=True)
            )
            .distinct()
            .order_by("created_at", "pk")
            .values("classroom__name", "item__title", "item_kind", "due_at", "note", "created_at", "withdrawn_at")
        ),
        "progress": list(
            Progress.objects.filter(student=student)
            .order_by("kind", "page__title")
            .values(
                "page__title",
                "kind",
                "status",
                "percent",
                "started_at",
                "completed_at",
                "last_seen_at",
                "seconds_spent",
                "attempts",
                "best_score",
                "last_score",
                "grade_score",
                "passed",
            )
        ),
        "study_time": list(StudyTime.objects.filter(student=student).order_by("day").values("day", "seconds")),
        "lesson_completions": list(
            LessonCompletion.objects.filter(user=student)
            .order_by("completed_at")
            .values("lesson__title", "completed_at")
        ),
        # The certificate files themselves are downloadable from the student's pages.
        "certificates": list(
            Certificate.objects.filter(student=student).order_by("issued_at").values("course__title", "issued_at")
        ),
        "exports_requested": list(
            Export.objects.filter(requested_by=student).values("kind", "format", "status", "created_at")
        ),
    }
