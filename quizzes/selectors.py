"""Reads for the quiz engine: grades per the quiz's rule, attempts, review, item statistics.

For other apps (learning reads these; quizzes never imports learning):
- grade_for(student=, quiz=) -> Grade
- grades_for(student_ids=, quiz_ids=) -> {(student_id, quiz_id): Grade}  (one query)
- results_for(student=, quiz=) -> [(percent float, passed bool, submitted_at)]
- attempts_for(student=, quiz=) -> [Attempt]
- item_statistics_for_class(quiz_ids=, classroom_id=) / item_statistics_overall()
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from . import scoring
from .models import Attempt, Choice, ItemStatistic, Question, QuizPage


@dataclass
class Grade:
    """A learner's standing on one quiz. Scores are percentages (0-100) or None."""

    quiz_id: int
    attempts_used: int = 0  # submitted attempts
    attempts_allowed: int = 0  # 0 = unlimited
    in_progress_id: int | None = None
    best: float | None = None
    last: float | None = None
    average: float | None = None
    grade: float | None = None  # per the quiz's grading rule
    passed: bool = False  # the grade reaches the pass mark
    ever_passed: bool = False  # any submitted attempt passed
    pass_mark: int = 0
    last_submitted_at: object = None
    percents: list = field(default_factory=list)

    @property
    def attempts_left(self) -> int | None:
        if not self.attempts_allowed:
            return None
        return max(0, self.attempts_allowed - self.attempts_used - (1 if self.in_progress_id else 0))


def _grade(quiz_id, grading, pass_mark, attempts_allowed, rows) -> Grade:
    """rows: (status, percent, submitted_at, attempt id) in any order."""
    g = Grade(quiz_id=quiz_id, attempts_allowed=attempts_allowed, pass_mark=pass_mark)
    done = sorted((r for r in rows if r[0] == Attempt.Status.SUBMITTED), key=lambda r: (r[2], r[3]))
    g.in_progress_id = next((r[3] for r in rows if r[0] == Attempt.Status.IN_PROGRESS), None)
    if not done:
        return g
    percents = [float(r[1]) for r in done]
    g.percents = percents
    g.attempts_used = len(done)
    g.best, g.last = max(percents), percents[-1]
    g.average = round(sum(percents) / len(percents), 2)
    g.grade = {QuizPage.Grading.LAST: g.last, QuizPage.Grading.AVERAGE: g.average}.get(grading, g.best)
    g.passed = g.grade >= pass_mark
    g.ever_passed = g.best >= pass_mark
    g.last_submitted_at = done[-1][2]
    return g


def grade_for(*, student, quiz: QuizPage) -> Grade:
    rows = Attempt.objects.filter(student=student, quiz=quiz).values_list("status", "percent", "submitted_at", "pk")
    return _grade(quiz.pk, quiz.grading, quiz.pass_mark, quiz.attempts_allowed, list(rows))


def grades_for(*, student_ids, quiz_ids) -> dict[tuple[int, int], Grade]:
    """Every (student, quiz) pair with at least one attempt, in two queries whatever the size."""
    quizzes = {
        q["pk"]: q
        for q in QuizPage.objects.filter(pk__in=quiz_ids).values("pk", "grading", "pass_mark", "attempts_allowed")
    }
    rows = defaultdict(list)
    for student_id, quiz_id, *rest in Attempt.objects.filter(
        student_id__in=student_ids, quiz_id__in=quiz_ids
    ).values_list("student_id", "quiz_id", "status", "percent", "submitted_at", "pk"):
        rows[(student_id, quiz_id)].append(rest)
    return {
        key: _grade(
            key[1],
            quizzes[key[1]]["grading"],
            quizzes[key[1]]["pass_mark"],
            quizzes[key[1]]["attempts_allowed"],
            value,
        )
        for key, value in rows.items()
    }


def results_for(*, student, quiz) -> list[tuple[float, bool, object]]:
    """Submitted attempts as (percent, passed, submitted_at): learning.apply_quiz_results' shape."""
    return [
        (float(p), bool(ok), at)
        for p, ok, at in Attempt.objects.filter(student=student, quiz=quiz, status=Attempt.Status.SUBMITTED)
        .order_by("submitted_at")
        .values_list("percent", "passed", "submitted_at")
    ]


def attempts_for(*, student, quiz) -> list[Attempt]:
    return list(Attempt.objects.filter(student=student, quiz=quiz).order_by("-number"))


def can_start(*, student, quiz: QuizPage) -> bool:
    if getattr(student, "role", None) != "student":
        return False
    if not quiz.attempts_allowed:
        return True
    attempts = Attempt.objects.filter(student=student, quiz=quiz)
    return attempts.filter(status=Attempt.Status.IN_PROGRESS).exists() or attempts.count() < quiz.attempts_allowed


# --------------------------------------------------------------------------- taking and review


@dataclass
class OptionView:
    id: int
    text: str
    selected: bool = False
    mark: str = ""  # red flags: risky / safe / ""
    position: int | None = None  # ordering: the learner's position (1-based)
    # Filled in on review only:
    correct: bool | None = None
    learner_right: bool | None = None
    feedback: str = ""
    correct_position: int | None = None


@dataclass
class QuestionView:
    number: int
    question: Question
    options: list[OptionView]
    answered: bool = False
    score: Decimal | None = None
    max_score: Decimal | None = None

    @property
    def field_name(self) -> str:
        return f"q-{self.question.pk}"

    @property
    def result(self) -> str:
        if self.score is None or self.max_score is None:
            return ""
        if self.score >= self.max_score:
            return "correct"
        return "partial" if self.score > 0 else "incorrect"


def attempt_questions(*, attempt: Attempt, review: bool = False) -> list[QuestionView]:
    """The attempt's questions in its drawn order, with the learner's saved answers.

    Without `review`, nothing about which option is correct is loaded into the views:
    the take page cannot leak the key (tests check the HTML too).
    """
    ids = attempt.question_ids
    questions = {q.pk: q for q in Question.objects.filter(pk__in=ids).select_related("image")}
    choices = {c.pk: c for c in Choice.objects.filter(question_id__in=ids)}
    responses = {r.question_id: r for r in attempt.responses.all()}
    views = []
    for number, entry in enumerate(attempt.layout, start=1):
        q = questions.get(entry["q"])
        if q is None:
            continue
        response = responses.get(q.pk)
        answer = response.answer if response else None
        opts = []
        ordered = [choices[c] for c in entry["o"] if c in choices]
        if q.qtype == scoring.ORDERING and isinstance(answer, list) and answer:
            positions = {cid: i + 1 for i, cid in enumerate(answer)}
        else:
            positions = {}
        correct_order = sorted(ordered, key=lambda c: (c.sort_order, c.pk))
        for c in ordered:
            opt = OptionView(id=c.pk, text=c.text)
            if isinstance(answer, int):
                opt.selected = answer == c.pk
            elif isinstance(answer, list) and q.qtype == scoring.MULTIPLE:
                opt.selected = c.pk in answer
            elif isinstance(answer, dict):
                opt.mark = answer.get(str(c.pk), "")
            opt.position = positions.get(c.pk)
            if review:
                opt.correct = c.correct
                opt.feedback = c.feedback
                opt.correct_position = correct_order.index(c) + 1
                opt.learner_right = scoring.choice_correct(q.key(correct_order), c.pk, answer)
            opts.append(opt)
        views.append(
            QuestionView(
                number=number,
                question=q,
                options=opts,
                answered=answer not in (None, [], {}),
                score=response.score if (review and response) else None,
                max_score=response.max_score if (review and response) else None,
            )
        )
    return views


def feedback_visible(*, attempt: Attempt, now=None) -> bool:
    return attempt.is_submitted and attempt.quiz.feedback_visible(now or timezone.now())


# --------------------------------------------------------------------------- statistics


def _stat_rows(stats):
    stats = list(stats)
    choice_text = {
        c.pk: (c.text, c.correct) for c in Choice.objects.filter(question_id__in={s.question_id for s in stats})
    }
    rows = []
    for s in stats:
        options = [
            {
                "text": choice_text.get(int(cid), ("?", False))[0],
                "correct": choice_text.get(int(cid), ("", False))[1],
                "count": n,
            }
            for cid, n in sorted(s.option_counts.items(), key=lambda kv: -kv[1])
        ]
        rows.append(
            {
                "quiz_title": s.quiz.title if s.quiz_id else "",
                "question_id": s.question_id,
                "question_title": s.question.title,
                "responses": s.responses,
                "facility": s.facility,
                "discrimination": s.discrimination,
                "options": options,
            }
        )
    return rows


def item_statistics_overall(*, quiz_id=None):
    """Editors: per quiz (all learners), or bank-wide when quiz_id is None and no quiz rows exist."""
    qs = ItemStatistic.objects.filter(classroom_id__isnull=True).select_related("question", "quiz")
    if quiz_id:
        qs = qs.filter(quiz_id=quiz_id)
    return _stat_rows(qs.order_by("quiz__title", "facility"))


def item_statistics_for_class(*, quiz_ids, classroom_id):
    """Teachers: rows for one class (the caller checks the teacher may see the class)."""
    qs = ItemStatistic.objects.filter(quiz_id__in=quiz_ids, classroom_id=classroom_id).select_related(
        "question", "quiz"
    )
    return _stat_rows(qs.order_by("facility"))
