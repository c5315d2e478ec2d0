"""Item statistics (classical test theory), computed from submitted responses.

- facility: mean share of the points earned on the question (0 hard .. 1 easy);
- discrimination: facility in the top third of attempts (by total percent) minus facility
  in the bottom third; None with fewer than 6 attempts;
- option_counts: how often each option was chosen (marked risky for red flags;
  placed first for ordering).
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from .models import Attempt, ItemStatistic, Response

MIN_FOR_DISCRIMINATION = 6


def _chosen(answer) -> list[int]:
    if answer is None:
        return []
    if isinstance(answer, int):
        return [answer]
    if isinstance(answer, list):
        return [int(x) for x in answer]
    if isinstance(answer, dict):
        return [int(k) for k, v in answer.items() if v == "risky"]
    return []


def compute(rows) -> dict[int, dict]:
    """rows: (question_id, qtype, attempt_id, attempt_percent, fraction, answer)."""
    by_question = defaultdict(list)
    for row in rows:
        by_question[row[0]].append(row)
    stats = {}
    for qid, items in by_question.items():
        fractions = [float(r[4]) for r in items]
        facility = sum(fractions) / len(fractions)
        discrimination = None
        if len(items) >= MIN_FOR_DISCRIMINATION:
            ranked = sorted(items, key=lambda r: float(r[3]))
            third = max(1, len(ranked) // 3)
            low = [float(r[4]) for r in ranked[:third]]
            high = [float(r[4]) for r in ranked[-third:]]
            discrimination = sum(high) / len(high) - sum(low) / len(low)
        counts = defaultdict(int)
        for r in items:
            chosen = _chosen(r[5])
            if r[1] == "ordering":
                chosen = chosen[:1]
            for cid in chosen:
                counts[str(cid)] += 1
        stats[qid] = {
            "responses": len(items),
            "facility": facility,
            "discrimination": discrimination,
            "option_counts": dict(counts),
        }
    return stats


def _rows(**filters):
    qs = Response.objects.filter(attempt__status=Attempt.Status.SUBMITTED, max_score__gt=0, **filters).values_list(
        "question_id",
        "question__qtype",
        "attempt_id",
        "attempt__percent",
        "score",
        "max_score",
        "answer",
        "attempt__student_id",
    )
    return [(q, t, a, p, s / m, ans, student) for q, t, a, p, s, m, ans, student in qs]


def _write(scope, stats, *, quiz_id=None, classroom_id=None, question_ids=None):
    ItemStatistic.objects.filter(scope=scope).exclude(question_id__in=list(stats)).delete()
    for qid, values in stats.items():
        ItemStatistic.objects.update_or_create(
            question_id=qid,
            scope=scope,
            defaults={**values, "quiz_id": quiz_id, "classroom_id": classroom_id},
        )


@transaction.atomic
def recompute_for_quiz(*, quiz_id: int) -> int:
    rows = _rows(attempt__quiz_id=quiz_id)
    _write(f"quiz:{quiz_id}", compute([r[:6] for r in rows]), quiz_id=quiz_id)
    # Per class: students' enrolments (schools), read lazily so quizzes works without it.
    try:
        from schools.models import Enrollment
    except ImportError:  # pragma: no cover
        Enrollment = None
    if Enrollment is not None:
        student_ids = {r[6] for r in rows}
        per_class = defaultdict(list)
        for student_id, classroom_id in Enrollment.objects.filter(student_id__in=student_ids).values_list(
            "student_id", "classroom_id"
        ):
            per_class[classroom_id].append(student_id)
        ItemStatistic.objects.filter(quiz_id=quiz_id, classroom_id__isnull=False).exclude(
            classroom_id__in=list(per_class)
        ).delete()
        for classroom_id, students in per_class.items():
            members = set(students)
            _write(
                f"quiz:{quiz_id}:class:{classroom_id}",
                compute([r[:6] for r in rows if r[6] in members]),
                quiz_id=quiz_id,
                classroom_id=classroom_id,
            )
    question_ids = {r[0] for r in rows}
    overall = _rows(question_id__in=question_ids)
    for qid, values in compute([r[:6] for r in overall]).items():
        ItemStatistic.objects.update_or_create(question_id=qid, scope="all", defaults=values)
    return len(rows)
