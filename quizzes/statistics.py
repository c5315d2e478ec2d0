"""Item statistics (classical test theory), computed from submitted responses.

- facility: mean share of the points earned on the question (0 hard .. 1 easy);
- discrimination: facility in the top third of attempts (by total percent) minus facility
  in the bottom third; None with fewer than 6 attempts;
- option_counts: how often each option was chosen (marked risky for red flags;
  placed first for ordering; the accepted answer matched for short answer and numerical;
  the left item given its right item for matching).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import scoring
from .models import Attempt, ItemStatistic, Question, Response
from .signals import item_statistics_updated

MIN_FOR_DISCRIMINATION = 6

# Statistics are a read model of the submitted attempts, brought up to date by a sweep (beat,
# every minute: tasks.refresh_statistics) rather than by the submit, which does no work for them.
SWEEP_WINDOW = timedelta(hours=48)
# A recompute that read the responses just before an attempt committed can be stamped after
# that attempt's submit time: a quiz whose newest attempt is this close to its statistics'
# stamp is recomputed once more by the next sweep.
SWEEP_MARGIN = timedelta(seconds=30)


def chosen_ids(answer) -> list[int]:
    """The option ids a stored answer picked (ticked; marked risky for red flags; in order)."""
    if answer is None:
        return []
    if isinstance(answer, int):
        return [answer]
    if isinstance(answer, list):
        return [int(x) for x in answer]
    if isinstance(answer, dict):
        return [int(k) for k, v in answer.items() if v == "risky"]
    return []


def question_keys(question_ids) -> dict[int, scoring.QuestionKey]:
    """Scoring keys of the questions whose answers are counted against their options
    (short answer, numerical, matching): two queries, none if there are none."""
    questions = Question.objects.filter(pk__in=list(question_ids), qtype__in=scoring.KEYED_BY_TEXT)
    return {q.pk: q.key() for q in questions.prefetch_related("choices")}


def compute(rows, keys=None) -> dict[int, dict]:
    """rows: (question_id, qtype, attempt_id, attempt_percent, fraction, answer).
    keys: {question id: QuestionKey} for the types counted against the key (question_keys)."""
    keys = keys or {}
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
            if r[0] in keys:
                chosen = scoring.counted_ids(keys[r[0]], r[5])
            else:
                chosen = chosen_ids(r[5])
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
    )
    return [(q, t, a, p, s / m, ans) for q, t, a, p, s, m, ans in qs]


def _write(scope, stats, *, quiz_id=None):
    ItemStatistic.objects.filter(scope=scope).exclude(question_id__in=list(stats)).delete()
    for qid, values in stats.items():
        ItemStatistic.objects.update_or_create(
            question_id=qid,
            scope=scope,
            defaults={**values, "quiz_id": quiz_id},
        )


@transaction.atomic
def recompute_for_quiz(*, quiz_id: int) -> int:
    """The quiz's overall rows and its questions' bank-wide rows; then `item_statistics_updated`
    tells other apps (learning groups the same answers by class)."""
    rows = _rows(attempt__quiz_id=quiz_id)
    question_ids = {r[0] for r in rows}
    keys = question_keys(question_ids)
    _write(f"quiz:{quiz_id}", compute(rows, keys), quiz_id=quiz_id)
    overall = _rows(question_id__in=question_ids)
    for qid, values in compute(overall, keys).items():
        ItemStatistic.objects.update_or_create(question_id=qid, scope="all", defaults=values)
    item_statistics_updated.send(sender=ItemStatistic, quiz_id=quiz_id)
    return len(rows)


def stale_quiz_ids(*, now=None) -> list[int]:
    """Quizzes with an attempt submitted in the last SWEEP_WINDOW that their statistics may
    not count yet (two grouped queries, whatever the number of attempts)."""
    now = now or timezone.now()
    latest = dict(
        Attempt.objects.filter(status=Attempt.Status.SUBMITTED, submitted_at__gte=now - SWEEP_WINDOW)
        .values("quiz_id")
        .annotate(last=Max("submitted_at"))
        .values_list("quiz_id", "last")
    )
    if not latest:
        return []
    computed = dict(
        ItemStatistic.objects.filter(quiz_id__in=list(latest))
        .values("quiz_id")
        .annotate(at=Max("computed_at"))
        .values_list("quiz_id", "at")
    )
    return sorted(q for q, last in latest.items() if q not in computed or last > computed[q] - SWEEP_MARGIN)


def recompute_all() -> int:
    """Every quiz with attempts (the demo seed wants them ready at once); returns how many."""
    quiz_ids = list(Attempt.objects.values_list("quiz_id", flat=True).distinct().order_by("quiz_id"))
    for quiz_id in quiz_ids:
        recompute_for_quiz(quiz_id=quiz_id)
    return len(quiz_ids)
