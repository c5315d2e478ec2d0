"""The quiz engine's results as the dashboards show them, read through its public selectors
(quizzes.selectors): learning never reads the attempt, response or choice tables itself."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses.models import Topic
from quizzes import selectors as quiz_selectors

from ..models import ClassItemStatistic

HARDEST = 5
BEFORE_AFTER_MIN = 3  # fewer students who took both, and the figures are not shown


def before_after(*, student_ids, courses) -> list[dict]:
    """Per assigned course that has a pre-check: the mean pre-check score ("before") of the
    students who took it before the lessons AND have a module-quiz grade, against their
    module-quiz mean ("after") — one query (quizzes.selectors.before_after). Under
    BEFORE_AFTER_MIN such students, only their count is given (`enough` False). `courses`:
    pages, or dicts with "path" and "title"."""
    if not courses:
        return []
    paths = [c["path"] if isinstance(c, dict) else c.path for c in courses]
    found = quiz_selectors.before_after(student_ids=student_ids, course_paths=paths)
    rows = []
    for course, path in zip(courses, paths, strict=True):
        figures = found.get(path)
        if figures is None:
            continue
        enough = figures.count >= BEFORE_AFTER_MIN
        rows.append(
            {
                "course": course,
                "count": figures.count,
                "enough": enough,
                "before": figures.before if enough else None,
                "after": figures.after if enough else None,
            }
        )
    return rows


def topic_label(topic: str) -> str:
    """A question's topic as a teacher reads it: the curriculum topic's name ("privacy" is
    "Privacy and personal information", in the reader's language); a topic the editor typed
    (an import takes its category's name) as typed; none, "general"."""
    return Topic.name_of(topic) or _("general")


def class_question_stats(*, student_ids, quiz_ids, classroom=None) -> dict:
    """Hardest questions for the class (item statistics per class), with the most chosen
    wrong answer, and results grouped by question topic (2 queries)."""
    if not quiz_ids or classroom is None:
        return {"hardest": [], "objectives": []}
    stats = list(
        ClassItemStatistic.objects.filter(quiz_id__in=quiz_ids, classroom_id=classroom.pk, responses__gt=0)
        .order_by("facility")
        .values(
            "question_id",
            "quiz_id",
            "question__title",
            "question__text",
            "question__text_zh",
            "question__topic",
            "facility",
            "responses",
            "option_counts",
        )
    )
    choices = quiz_selectors.choices_for(question_ids=[s["question_id"] for s in stats])
    hardest = []
    chinese = (get_language() or "").startswith("zh")
    for s in stats[:HARDEST]:
        wrong = [
            (n, int(cid))
            for cid, n in (s["option_counts"] or {}).items()
            if int(cid) in choices and not choices[int(cid)].correct
        ]
        top = max(wrong) if wrong else None
        hardest.append(
            {
                "question_id": s["question_id"],
                "quiz_id": s["quiz_id"],
                # The whole question as students read it, never the bank's internal title ("M2 Q1: …").
                "text": (chinese and s["question__text_zh"]) or s["question__text"] or s["question__title"],
                "correct_pct": round(100 * s["facility"]),
                "answers": s["responses"],
                "wrong_choice": choices[top[1]].text if top else "",
                "wrong_count": top[0] if top else 0,
            }
        )
    by_topic = defaultdict(list)
    for s in stats:
        by_topic[s["question__topic"]].append(s["facility"])
    objectives = [
        {
            "objective": topic_label(topic),
            "source": _("quiz questions"),
            "percent": round(100 * sum(vals) / len(vals)),
        }
        for topic, vals in sorted(by_topic.items(), key=lambda kv: sum(kv[1]) / len(kv[1]))
    ]
    return {"hardest": hardest, "objectives": objectives}


def attempts_with_answers(*, student_id, limit=20) -> list:
    """A student's submitted attempts, newest first, each answer with right/wrong (3 queries)."""
    return [
        {
            "quiz_title": a.quiz_title,
            "submitted_at": a.submitted_at,
            "percent": round(a.percent),
            "passed": a.passed,
            "number": a.number,
            "attempts_allowed": a.attempts_allowed,
            "regraded_at": a.regraded_at,
            "answers": [
                # The question as the student read it (in the reader's language), not the bank's
                # internal title ("M2 Q1: …").
                {"question": r.question_text or r.question_title, "answer": r.chosen_text, "correct": r.correct}
                for r in a.answers
            ],
        }
        for a in quiz_selectors.submitted_attempts_with_answers(student_id=student_id, limit=limit)
    ]


def recent_results_with_misses(*, student_id, limit=5) -> list:
    """Latest submitted attempts with the questions missed and their explanations (2 queries).
    An explanation gives the answer away, so it is left out until the quiz shows the learner
    the answers too (its editor's rule: never, after the due date, after the last attempt)."""
    return [
        {
            "quiz_title": a.quiz_title,
            "percent": round(a.percent),
            "passed": a.passed,
            "submitted_at": a.submitted_at,
            "regraded_at": a.regraded_at,
            "missed": [
                {
                    "question": r.question_text or r.question_title,
                    "explanation": r.explanation if a.answers_shown_to_learner else "",
                }
                for r in a.answers
                if r.missed
            ],
        }
        for a in quiz_selectors.submitted_attempts_with_answers(
            student_id=student_id, limit=limit, with_choice_text=False
        )
    ]


def quizzes_out_of_attempts(*, student_id, quiz_ids) -> dict:
    """Quiz id -> the student's QuizResult, for those of `quiz_ids` they have used every attempt
    of without passing (only their teacher can give another: "Give one more attempt"). None
    asked, no query; else two (quizzes.selectors.results_for, which counts the attempts a
    teacher gave)."""
    quiz_ids = list(quiz_ids)
    if not quiz_ids:
        return {}
    results = quiz_selectors.results_for(student_ids=[student_id], quiz_ids=quiz_ids)
    return {quiz_id: result for (_student, quiz_id), result in results.items() if result.needs_another_go}


def answers_shown_when_out(*, quiz_ids) -> set[int]:
    """The quizzes among `quiz_ids` whose review has shown a learner with no attempt left the
    correct answers (quizzes.selectors.answers_shown_when_out): what a teacher weighs before
    giving one more attempt. None asked, no query; else one."""
    return quiz_selectors.answers_shown_when_out(quiz_ids=list(quiz_ids))
