"""Reads of the quiz engine's tables for the dashboards (learning may read quizzes; the
reverse never happens). Kept apart so the dashboards do not depend on its internals."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from quizzes.models import Attempt, Choice, ItemStatistic, Response
from quizzes.statistics import _chosen

HARDEST = 5


def class_question_stats(*, student_ids, quiz_ids, classroom=None) -> dict:
    """Hardest questions for the class (item statistics per class), with the most chosen
    wrong answer, and results grouped by question topic (2 queries)."""
    if not quiz_ids or classroom is None:
        return {"hardest": [], "objectives": []}
    stats = list(
        ItemStatistic.objects.filter(quiz_id__in=quiz_ids, classroom_id=classroom.pk, responses__gt=0)
        .order_by("facility")
        .values(
            "question_id",
            "quiz_id",
            "question__title",
            "question__text",
            "question__topic",
            "facility",
            "responses",
            "option_counts",
        )
    )
    choices = {
        c["pk"]: c
        for c in Choice.objects.filter(question_id__in=[s["question_id"] for s in stats]).values(
            "pk", "text", "correct"
        )
    }
    hardest = []
    for s in stats[:HARDEST]:
        wrong = [
            (n, int(cid))
            for cid, n in (s["option_counts"] or {}).items()
            if int(cid) in choices and not choices[int(cid)]["correct"]
        ]
        top = max(wrong) if wrong else None
        hardest.append(
            {
                "question_id": s["question_id"],
                "quiz_id": s["quiz_id"],
                "text": s["question__title"] or s["question__text"],
                "correct_pct": round(100 * s["facility"]),
                "answers": s["responses"],
                "wrong_choice": choices[top[1]]["text"] if top else "",
                "wrong_count": top[0] if top else 0,
            }
        )
    by_topic = defaultdict(list)
    for s in stats:
        by_topic[s["question__topic"] or _("general")].append(s["facility"])
    objectives = [
        {
            "objective": topic,
            "source": _("quiz questions"),
            "percent": round(100 * sum(vals) / len(vals)),
        }
        for topic, vals in sorted(by_topic.items(), key=lambda kv: sum(kv[1]) / len(kv[1]))
    ]
    return {"hardest": hardest, "objectives": objectives}


def _answer_text(answer, choices):
    ids = _chosen(answer)
    return ", ".join(choices.get(i, "?") for i in ids)


def attempts_with_answers(*, student_id, limit=20) -> list:
    """A student's submitted attempts, newest first, each answer with right/wrong (3 queries)."""
    attempts = list(
        Attempt.objects.filter(student_id=student_id, status=Attempt.Status.SUBMITTED)
        .select_related("quiz")
        .order_by("-submitted_at")[:limit]
    )
    responses = defaultdict(list)
    rows = list(
        Response.objects.filter(attempt__in=attempts)
        .order_by("pk")
        .values("attempt_id", "question_id", "question__title", "answer", "score", "max_score")
    )
    choices = dict(Choice.objects.filter(question_id__in={r["question_id"] for r in rows}).values_list("pk", "text"))
    for r in rows:
        responses[r["attempt_id"]].append(
            {
                "question": r["question__title"],
                "answer": _answer_text(r["answer"], choices),
                "correct": r["max_score"] is not None and r["score"] == r["max_score"],
            }
        )
    return [
        {
            "quiz_title": a.quiz.title,
            "submitted_at": a.submitted_at,
            "percent": round(float(a.percent or 0)),
            "passed": a.passed,
            "answers": responses[a.pk],
        }
        for a in attempts
    ]


def recent_results_with_misses(*, student_id, limit=5) -> list:
    """Latest submitted attempts with the questions missed and their explanations (2 queries)."""
    attempts = list(
        Attempt.objects.filter(student_id=student_id, status=Attempt.Status.SUBMITTED)
        .select_related("quiz")
        .order_by("-submitted_at")[:limit]
    )
    missed = defaultdict(list)
    for r in (
        Response.objects.filter(attempt__in=attempts)
        .order_by("pk")
        .values("attempt_id", "question__title", "question__text", "question__explanation", "score", "max_score")
    ):
        if r["max_score"] and (r["score"] or 0) < r["max_score"]:
            missed[r["attempt_id"]].append(
                {"question": r["question__text"] or r["question__title"], "explanation": r["question__explanation"]}
            )
    return [
        {
            "quiz_title": a.quiz.title,
            "percent": round(float(a.percent or 0)),
            "passed": a.passed,
            "submitted_at": a.submitted_at,
            "missed": missed[a.pk],
        }
        for a in attempts
    ]
