"""Item statistics per class: the quiz engine's answers, grouped by the classes of learning's
schools (quizzes knows nothing of classes). Rebuilt after the engine rebuilds a quiz's own
statistics (quizzes.signals.item_statistics_updated, in the same debounced task)."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from quizzes import selectors as quiz_selectors
from schools.models import Enrollment

from ..models import ClassItemStatistic


@transaction.atomic
def recompute_for_quiz(*, quiz_id: int) -> int:
    """Replace the quiz's per-class rows (idempotent); returns how many classes have rows.
    Each student counts once: the answers of the attempt their grade stands on."""
    answers = quiz_selectors.scored_answers(quiz_id=quiz_id)
    results = quiz_selectors.results_for(student_ids={a.student_id for a in answers}, quiz_ids=[quiz_id])
    graded = {r.graded_attempt_id for r in results.values()}
    answers = [a for a in answers if a.attempt_id in graded]
    classes_of = defaultdict(set)
    for student_id, classroom_id in Enrollment.objects.filter(
        student_id__in={a.student_id for a in answers}
    ).values_list("student_id", "classroom_id"):
        classes_of[student_id].add(classroom_id)
    per_class = defaultdict(list)
    for answer in answers:
        for classroom_id in classes_of[answer.student_id]:
            per_class[classroom_id].append(answer)
    ClassItemStatistic.objects.filter(quiz_id=quiz_id).exclude(classroom_id__in=list(per_class)).delete()
    for classroom_id, class_answers in per_class.items():
        stats = quiz_selectors.item_statistics_of(class_answers)
        ClassItemStatistic.objects.filter(quiz_id=quiz_id, classroom_id=classroom_id).exclude(
            question_id__in=list(stats)
        ).delete()
        for question_id, values in stats.items():
            ClassItemStatistic.objects.update_or_create(
                classroom_id=classroom_id, quiz_id=quiz_id, question_id=question_id, defaults=values
            )
    return len(per_class)


def rows_for_class(*, quiz_ids, classroom_id) -> list[dict]:
    """Display rows for one class (the caller checks the user may see the class)."""
    stats = ClassItemStatistic.objects.filter(quiz_id__in=quiz_ids, classroom_id=classroom_id).select_related(
        "question", "quiz"
    )
    return quiz_selectors.statistic_rows(stats.order_by("facility"))
