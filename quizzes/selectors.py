"""Reads for the quiz engine: grades per the quiz's rule, attempts, review, item statistics.

The public road for other apps (learning reads these and never the attempt, response or
choice tables; quizzes never imports learning):
- results_for(student_ids=, quiz_ids= | quizzes=) -> {(student_id, quiz_id): QuizResult}
  (one query, plus one for the quizzes' rules unless given the pages): the grading rule
  (highest / last / average) is applied here and nowhere else;
- grade_for(student=, quiz=) -> QuizResult, built on results_for;
- can_start(student=, quiz=) and QuizResult.out_of_attempts / needs_another_go: whether the
  learner may start (or continue) the quiz, with the attempts their teacher gave counted in
  (models.attempt_limit, applied in _grade and nowhere else);
- submission_counts(since=) -> {(student_id, quiz_id): submitted attempts} (two queries);
- submitted_attempts_with_answers(student_id=, limit=) -> [SubmittedAttempt] with each
  answer's chosen option ids and correctness (three queries);
- scored_answers(quiz_id=) -> [ScoredAnswer] and item_statistics_of(answers): the data and
  the arithmetic of item statistics, for any grouping of learners (classes live in learning);
- choices_for(question_ids=) -> {choice_id: ChoiceInfo};
- attempts_for(student=, quiz=) -> [Attempt]; item_statistics_overall(quiz_id=);
- before_after(student_ids=, course_paths=) -> {course path: BeforeAfter} (one query).

Pre-checks (QuizPage.purpose "precheck", issue 17) are kept out HERE, in one place: results_for,
submission_counts and submitted_attempts_with_answers leave their attempts out unless asked
(`include_prechecks=True`, the quiz engine's own review of one pre-check), so progress,
completion, certificates, grades, digests and dashboards never see them. Item statistics are
per quiz page and a pre-check's questions are its own (QuizPage.clean), so the module quiz's
statistics never hold a pre-check answer. Pre-check scores reach teachers only through
before_after.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, FilteredRelation, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from courses.selectors import show_in_active_language

from . import scoring
from .models import (
    Attempt,
    AttemptAllowance,
    Choice,
    ItemStatistic,
    Question,
    QuizPage,
    Response,
    attempt_limit,
    in_reader_language,
    wants_chinese,
)
from .statistics import chosen_ids, compute, question_keys


@dataclass
class QuizResult:
    """A learner's standing on one quiz, graded per the quiz's rule (the one place it is
    applied). Scores are percentages (0-100) or None."""

    quiz_id: int
    student_id: int | None = None
    attempts_used: int = 0  # submitted attempts
    # The learner's limit: the quiz's own plus extra_attempts (models.attempt_limit); 0 = unlimited.
    attempts_allowed: int = 0
    extra_attempts: int = 0  # given by a teacher (AttemptAllowance)
    in_progress_id: int | None = None
    last_attempt_id: int | None = None  # the latest submitted attempt (its result page)
    best: float | None = None
    last: float | None = None
    average: float | None = None
    grade: float | None = None  # per the quiz's grading rule
    passed: bool = False  # the grade reaches the pass mark
    ever_passed: bool = False  # any submitted attempt passed
    pass_mark: int = 0
    first_submitted_at: object = None
    last_submitted_at: object = None
    failed_attempts: int = 0  # submitted attempts that did not pass when they were scored
    first_pass_attempt_id: int | None = None  # the first attempt that passed when scored
    first_passed_at: object = None
    percents: list = field(default_factory=list)
    # The attempt that stands for the learner (item statistics count it once): the best
    # (earliest of equals) under "highest", the latest under "last" and "average".
    graded_attempt_id: int | None = None

    @property
    def attempts_left(self) -> int | None:
        if not self.attempts_allowed:
            return None
        return max(0, self.attempts_allowed - self.attempts_used - (1 if self.in_progress_id else 0))

    @property
    def attempts_to_submit(self) -> int | None:
        """The attempts the learner may still hand in (None: unlimited): those left to start
        and the one open, if any. The review's correct answers wait for 0 (QuizPage.answers_visible):
        an attempt open in another tab is one still to come, so no other review may show them."""
        if not self.attempts_allowed:
            return None
        return max(0, self.attempts_allowed - self.attempts_used)

    @property
    def out_of_attempts(self) -> bool:
        """No attempt open and none left to start (services.start_attempt refuses one)."""
        return self.attempts_left == 0 and self.in_progress_id is None

    @property
    def needs_another_go(self) -> bool:
        """Out of attempts without ever passing: only a teacher's grant opens the quiz again."""
        return self.out_of_attempts and not self.ever_passed


def _grade(quiz_id, grading, pass_mark, attempts_allowed, rows, student_id=None, extra_attempts=0) -> QuizResult:
    """rows: (status, percent, submitted_at, attempt id, passed) in any order. `extra_attempts`:
    those a teacher gave the learner, added to the quiz's limit here and nowhere else."""
    g = QuizResult(
        quiz_id=quiz_id,
        student_id=student_id,
        attempts_allowed=attempt_limit(attempts_allowed, extra_attempts),
        extra_attempts=extra_attempts,
        pass_mark=pass_mark,
    )
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
    latest = grading in (QuizPage.Grading.LAST, QuizPage.Grading.AVERAGE)
    g.graded_attempt_id = (done[-1] if latest else max(done, key=lambda r: float(r[1])))[3]
    g.ever_passed = g.best >= pass_mark
    g.first_submitted_at = done[0][2]
    g.last_submitted_at = done[-1][2]
    g.last_attempt_id = done[-1][3]
    g.failed_attempts = sum(1 for r in done if not r[4])
    first_pass = next((r for r in done if r[4]), None)
    if first_pass is not None:
        g.first_pass_attempt_id, g.first_passed_at = first_pass[3], first_pass[2]
    return g


_ROW = ("student_id", "quiz_id", "status", "percent", "submitted_at", "pk", "passed", "extra")


def _granted():
    """The attempts a teacher gave the attempt's learner at its quiz (0 when none): a scalar
    subquery on the (student, quiz) unique index, so they come with the attempts, in the
    same query."""
    given = AttemptAllowance.objects.filter(student_id=OuterRef("student_id"), quiz_id=OuterRef("quiz_id"))
    return Coalesce(Subquery(given.values("extra_attempts")[:1]), 0, output_field=IntegerField())


def results_for(*, student_ids, quiz_ids=(), quizzes=(), include_prechecks=False) -> dict[tuple[int, int], QuizResult]:
    """Every (student id, quiz id) pair with at least one attempt -> its QuizResult.

    Bulk and query-bounded: one query for the attempts, plus one for the quizzes' rules
    unless the caller passes the loaded QuizPage objects as `quizzes`. Pre-checks are left
    out (they never count) unless `include_prechecks`."""
    rules = {
        q.pk: (q.grading, q.pass_mark, q.attempts_allowed)
        for q in quizzes
        if include_prechecks or q.purpose != QuizPage.Purpose.PRECHECK
    }
    given = {q.pk for q in quizzes}
    missing = [q for q in quiz_ids if q not in given]
    if missing:
        pages = QuizPage.objects.filter(pk__in=missing)
        if not include_prechecks:
            pages = pages.exclude(purpose=QuizPage.Purpose.PRECHECK)
        for q in pages.values("pk", "grading", "pass_mark", "attempts_allowed"):
            rules[q["pk"]] = (q["grading"], q["pass_mark"], q["attempts_allowed"])
    if not rules or not student_ids:
        return {}
    rows = defaultdict(list)
    extra = {}
    for student_id, quiz_id, *rest, given in (
        Attempt.objects.filter(student_id__in=student_ids, quiz_id__in=list(rules))
        .annotate(extra=_granted())
        .values_list(*_ROW)
    ):
        rows[(student_id, quiz_id)].append(rest)
        extra[(student_id, quiz_id)] = given
    return {
        key: _grade(key[1], *rules[key[1]], value, student_id=key[0], extra_attempts=extra[key])
        for key, value in rows.items()
    }


def answers_shown_when_out(*, quiz_ids) -> set[int]:
    """The quizzes among `quiz_ids` whose review shows the correct answers to a learner with no
    attempt left, as of now (QuizPage.answers_visible: "after the last attempt", "after each
    attempt", or past the due date): one query, none for no ids."""
    if not quiz_ids:
        return set()
    return {quiz.pk for quiz in QuizPage.objects.filter(pk__in=quiz_ids) if quiz.answers_visible(attempts_left=0)}


def grade_for(*, student, quiz: QuizPage) -> QuizResult:
    """One learner on one quiz (one query); an empty result when they never started it."""
    result = results_for(student_ids=[student.pk], quizzes=[quiz], include_prechecks=True).get((student.pk, quiz.pk))
    return result or _grade(quiz.pk, quiz.grading, quiz.pass_mark, quiz.attempts_allowed, [], student_id=student.pk)


def submission_counts(*, since) -> dict[tuple[int, int], int]:
    """For every (student id, quiz id) with an attempt submitted since `since`: how many
    attempts they have submitted on that quiz in all (two queries). Pre-checks left out."""
    submitted = Attempt.objects.filter(status=Attempt.Status.SUBMITTED).exclude(quiz__purpose=QuizPage.Purpose.PRECHECK)
    pairs = set(submitted.filter(submitted_at__gte=since).values_list("student_id", "quiz_id").distinct())
    if not pairs:
        return {}
    totals = {
        (s, q): n
        for s, q, n in submitted.filter(student_id__in={s for s, _ in pairs}, quiz_id__in={q for _, q in pairs})
        .values_list("student_id", "quiz_id")
        .annotate(n=Count("pk"))
        .values_list("student_id", "quiz_id", "n")
    }
    return {p: totals.get(p, 0) for p in pairs}


@dataclass
class BeforeAfter:
    """One course's pre-check against its module quiz, for a group of learners: `pairs` are
    (before %, after %) of each learner who took the pre-check as "before" (their first
    pre-check attempt, submitted before any lesson or quiz of the course: Attempt.before_lessons)
    and has a graded module-quiz result (the quiz's grading rule)."""

    course_path: str
    precheck_id: int
    pairs: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.pairs)

    @property
    def before(self) -> float | None:
        return round(sum(b for b, _ in self.pairs) / len(self.pairs)) if self.pairs else None

    @property
    def after(self) -> float | None:
        return round(sum(a for _, a in self.pairs) / len(self.pairs)) if self.pairs else None


def before_after(*, student_ids, course_paths) -> dict[str, BeforeAfter]:
    """Course path -> BeforeAfter, for the courses (by Wagtail path, English pages) that have a
    live pre-check. ONE query: the live quiz pages of those courses, each with its learners'
    submitted attempts (a filtered LEFT JOIN, so a pre-check nobody took shows, with 0 pairs).
    Only courses with a pre-check are in the result."""
    course_paths = [p for p in course_paths if p]
    if not course_paths:
        return {}
    steplen = QuizPage.steplen
    under = Q()
    for path in course_paths:
        under |= Q(path__startswith=path, depth=len(path) // steplen + 1)
    rows = (
        QuizPage.objects.live()
        .filter(under)
        .annotate(
            taken=FilteredRelation(
                "attempts",
                # [0]: no student (ids start at 1) when there are none, so the join stays valid.
                condition=Q(
                    attempts__student_id__in=list(student_ids) or [0], attempts__status=Attempt.Status.SUBMITTED
                ),
            )
        )
        .values_list(
            "pk",
            "path",
            "purpose",
            "grading",
            "pass_mark",
            "attempts_allowed",
            "taken__student_id",
            "taken__status",
            "taken__percent",
            "taken__submitted_at",
            "taken__pk",
            "taken__passed",
            "taken__before_lessons",
        )
    )
    return _before_after_of(rows, steplen)


def _before_after_of(rows, steplen) -> dict[str, BeforeAfter]:
    prechecks = {}
    first_pre = {}  # (course path, student) -> (submitted_at, attempt id, percent, before)
    quiz_rows = defaultdict(list)  # (course path, quiz id, student) -> attempt rows
    rules = {}
    for pk, path, purpose, grading, pass_mark, allowed, student, status, percent, at, attempt, passed, before in rows:
        course = path[:-steplen]
        if purpose == QuizPage.Purpose.PRECHECK:
            prechecks.setdefault(course, BeforeAfter(course_path=course, precheck_id=pk))
            if student is not None:
                current = first_pre.get((course, student))
                if current is None or (at, attempt) < current[:2]:
                    first_pre[(course, student)] = (at, attempt, float(percent), before)
        elif student is not None:
            rules[pk] = (grading, pass_mark, allowed)
            quiz_rows[(course, pk, student)].append((status, percent, at, attempt, passed))
    grades = defaultdict(list)  # (course, student) -> graded results of the course's quizzes
    for (course, quiz_id, student), attempt_rows in quiz_rows.items():
        result = _grade(quiz_id, *rules[quiz_id], attempt_rows, student_id=student)
        if result.grade is not None:
            grades[(course, student)].append(result.grade)
    for (course, student), (_at, _id, percent, before) in first_pre.items():
        after = grades.get((course, student))
        if before and after and course in prechecks:
            prechecks[course].pairs.append((percent, sum(after) / len(after)))
    return prechecks


# --------------------------------------------------------------------------- answers, for other apps


@dataclass(frozen=True)
class ChoiceInfo:
    id: int
    text: str
    correct: bool


def _counts_as_correct(qtype, text, correct, weight) -> bool:
    """Whether an option is a right answer as statistics show it: correct (risky for red
    flags), an accepted answer with credit (short answer, numerical), a pair (matching)."""
    if qtype == scoring.MATCHING:
        return bool((text or "").strip())
    if qtype in scoring.TYPED and weight is not None:
        return weight > 0
    return correct


def _option_label(qtype, text, match) -> str:
    return f"{text} → {match}" if qtype == scoring.MATCHING else text


def choices_for(*, question_ids) -> dict[int, ChoiceInfo]:
    """Option id -> its text in the reader's language (the Chinese twin where there is one)
    and whether it is correct (risky for red flags; an accepted answer with credit; a
    matching pair, shown "left → right"): one query."""
    chinese = wants_chinese()
    rows = Choice.objects.filter(question_id__in=list(question_ids)).values_list(
        "pk", "text", "correct", "weight", "match_text", "question__qtype", "text_zh", "match_text_zh"
    )
    return {
        pk: ChoiceInfo(
            pk,
            _option_label(
                qtype, in_reader_language(text, text_zh, chinese), in_reader_language(match, match_zh, chinese)
            ),
            _counts_as_correct(qtype, text, correct, weight),
        )
        for pk, text, correct, weight, match, qtype, text_zh, match_zh in rows
    }


@dataclass(frozen=True)
class ScoredAnswer:
    """One scored answer of a submitted attempt (item statistics are built from these)."""

    question_id: int
    qtype: str
    attempt_id: int
    attempt_percent: float
    fraction: float  # share of the question's points earned
    answer: object
    student_id: int

    @property
    def chosen_ids(self) -> list[int]:
        return chosen_ids(self.answer)


def scored_answers(*, quiz_id: int) -> list[ScoredAnswer]:
    """Every scored answer of the quiz's submitted attempts (one query)."""
    qs = Response.objects.filter(
        attempt__quiz_id=quiz_id, attempt__status=Attempt.Status.SUBMITTED, max_score__gt=0
    ).values_list(
        "question_id",
        "question__qtype",
        "attempt_id",
        "attempt__percent",
        "score",
        "max_score",
        "answer",
        "attempt__student_id",
    )
    return [ScoredAnswer(q, t, a, float(p), float(s / m), ans, st) for q, t, a, p, s, m, ans, st in qs]


def item_statistics_of(answers) -> dict[int, dict]:
    """Per question id: responses, facility, discrimination, option_counts (see statistics)."""
    answers = list(answers)
    keys = question_keys({a.question_id for a in answers if a.qtype in scoring.KEYED_BY_TEXT})
    return compute(
        [(a.question_id, a.qtype, a.attempt_id, a.attempt_percent, a.fraction, a.answer) for a in answers], keys
    )


@dataclass(frozen=True)
class AnswerView:
    question_id: int
    question_title: str
    question_text: str
    explanation: str
    chosen_ids: list
    chosen_text: str  # the chosen options' texts, comma-separated ("" unless asked for)
    correct: bool  # full marks
    missed: bool  # fewer than full marks on a scored question


@dataclass(frozen=True)
class SubmittedAttempt:
    attempt_id: int
    quiz_id: int
    quiz_title: str
    submitted_at: object
    percent: float
    passed: bool | None
    answers: list
    number: int = 1  # the learner's attempt number on this quiz
    attempts_allowed: int = 0  # the learner's limit (the quiz's, plus any given by a teacher); 0 = unlimited
    regraded_at: object = None  # when a regrade (an editor's key fix) last changed the result
    # Whether the learner's own review shows the correct answers by now (QuizPage.answers_visible):
    # pages for other readers (a guardian's) show the explanations only then.
    answers_shown_to_learner: bool = False


def _answers_shown(attempts) -> dict[int, bool]:
    """Attempt id -> whether its quiz's answers are shown to the learner by now. The attempts
    left are read off the newest attempt of each quiz among `attempts` (newest first): its
    number counts every attempt before it, so an attempt started since only makes this stricter."""
    newest = {}
    for a in attempts:
        newest.setdefault(a.quiz_id, a)
    shown = {}
    for quiz_id, a in newest.items():
        limit = attempt_limit(a.quiz.attempts_allowed, a.extra)
        left = None if not limit else max(0, limit - a.number)
        shown[quiz_id] = a.quiz.answers_visible(attempts_left=left)
    return {a.pk: shown[a.quiz_id] for a in attempts}


def submitted_attempts_with_answers(*, student_id, limit=20, with_choice_text=True) -> list[SubmittedAttempt]:
    """A student's latest submitted attempts, newest first, each answer with its chosen
    options and whether it earned full marks: three queries (two without choice texts), one
    more for the quizzes' titles when the reader reads Chinese: titles, questions,
    explanations and options are in the reader's language where translated (attempts are on
    the English pages, and the bank's rows carry their Chinese twins). Pre-checks are left
    out: they are not graded work (and their answers are never shown)."""
    attempts = list(
        Attempt.objects.filter(student_id=student_id, status=Attempt.Status.SUBMITTED)
        .exclude(quiz__purpose=QuizPage.Purpose.PRECHECK)
        .select_related("quiz")
        .annotate(extra=_granted())
        .order_by("-submitted_at")[:limit]
    )
    show_in_active_language([a.quiz for a in attempts])
    chinese = wants_chinese()
    rows = list(
        Response.objects.filter(attempt__in=attempts)
        .order_by("pk")
        .values(
            "attempt_id",
            "question_id",
            "question__title",
            "question__text",
            "question__text_zh",
            "question__explanation",
            "question__explanation_zh",
            "question__qtype",
            "answer",
            "score",
            "max_score",
        )
    )
    texts = {}
    if with_choice_text and rows:
        texts = {
            pk: (in_reader_language(text, text_zh, chinese), in_reader_language(match, match_zh, chinese))
            for pk, text, match, text_zh, match_zh in Choice.objects.filter(
                question_id__in={r["question_id"] for r in rows}
            ).values_list("pk", "text", "match_text", "text_zh", "match_text_zh")
        }
    answers = defaultdict(list)
    shown = _answers_shown(attempts)
    for r in rows:
        ids = chosen_ids(r["answer"]) if r["question__qtype"] not in scoring.KEYED_BY_TEXT else []
        answers[r["attempt_id"]].append(
            AnswerView(
                question_id=r["question_id"],
                question_title=r["question__title"],
                question_text=in_reader_language(r["question__text"], r["question__text_zh"], chinese),
                explanation=in_reader_language(r["question__explanation"], r["question__explanation_zh"], chinese),
                chosen_ids=ids,
                chosen_text=_answer_text(r["question__qtype"], r["answer"], ids, texts) if with_choice_text else "",
                correct=r["max_score"] is not None and r["score"] == r["max_score"],
                missed=bool(r["max_score"]) and (r["score"] or 0) < r["max_score"],
            )
        )
    return [
        SubmittedAttempt(
            attempt_id=a.pk,
            quiz_id=a.quiz_id,
            quiz_title=a.quiz.title,
            submitted_at=a.submitted_at,
            percent=float(a.percent or 0),
            passed=a.passed,
            answers=answers[a.pk],
            number=a.number,
            attempts_allowed=attempt_limit(a.quiz.attempts_allowed, a.extra),
            regraded_at=a.regraded_at,
            answers_shown_to_learner=shown[a.pk],
        )
        for a in attempts
    ]


def _answer_text(qtype, answer, ids, texts) -> str:
    """A stored answer as a teacher reads it: the options chosen, the text typed, or the
    pairs made ("left → right")."""
    if qtype in scoring.TYPED:
        return answer if isinstance(answer, str) else ""
    if qtype == scoring.MATCHING:
        pairs = answer if isinstance(answer, dict) else {}
        return "; ".join(
            f"{texts.get(int(left), ('?', ''))[0]} → {texts.get(right, ('', '?'))[1]}" for left, right in pairs.items()
        )
    return ", ".join(texts.get(i, ("?", ""))[0] for i in ids)


def attempts_for(*, student, quiz) -> list[Attempt]:
    return list(Attempt.objects.filter(student=student, quiz=quiz).order_by("-number"))


def can_start(*, student, quiz: QuizPage, result: QuizResult | None = None) -> bool:
    """Whether `student` may start or continue the quiz (one query, none given their `result`
    on it): what services.start_attempt allows."""
    if getattr(student, "role", None) != Role.STUDENT:
        return False
    return not (result or grade_for(student=student, quiz=quiz)).out_of_attempts


# --------------------------------------------------------------------------- taking and review


@dataclass
class OptionView:
    id: int
    text: str
    selected: bool = False
    mark: str = ""  # red flags: risky / safe / ""
    position: int | None = None  # ordering: the learner's position (1-based)
    # Filled in on a review that shows the answers only (attempt_questions(answers=True)):
    correct: bool | None = None
    learner_right: bool | None = None
    feedback: str = ""
    correct_position: int | None = None
    # Matching: the chosen right item's position in QuestionView.rights (the select's value),
    # and on review its text and the right one's.
    right_position: int | None = None
    chosen_text: str = ""
    correct_text: str = ""
    # Short answer / numerical on review: the accepted answer's credit (percent) and display.
    credit: int | None = None


@dataclass
class QuestionView:
    number: int
    question: Question
    options: list[OptionView]
    answered: bool = False
    score: Decimal | None = None
    max_score: Decimal | None = None
    typed: str = ""  # short answer / numerical: what the learner typed
    typed_feedback: str = ""  # review with the answers: the matched accepted answer's feedback
    typed_is_number: bool | None = None  # review, numerical: whether the typed text reads as a number
    rights: list = field(default_factory=list)  # matching: [(position, text)] in the attempt's order

    @property
    def is_typed(self) -> bool:
        return self.question.qtype in scoring.TYPED

    @property
    def field_name(self) -> str:
        return f"q-{self.question.pk}"

    @property
    def result(self) -> str:
        if self.score is None or self.max_score is None:
            return ""
        if self.score >= self.max_score:
            return "correct"
        if self.score > 0:
            return "partial"
        return "incorrect" if self.answered else "unanswered"


def attempt_questions(*, attempt: Attempt, review: bool = False, answers: bool = False) -> list[QuestionView]:
    """The attempt's questions in its drawn order, with the learner's saved answers.

    Without `review`, nothing about which option is correct is loaded into the views:
    the take page cannot leak the key (tests check the HTML too). With `review`, each
    question's score (so whether the learner's answer was right, partly right or wrong).
    Only with `answers` as well the key: which options are right, their right positions and
    matches, the accepted answers, each option's own mark and feedback. A review whose
    correct answers are held back (QuizPage.answers_visible) asks without `answers`: a mark
    on each red flag, step or pair, or an option's feedback, would tell the learner the key.
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
        view = QuestionView(
            number=number,
            question=q,
            options=[],
            answered=answer not in (None, [], {}, ""),
            score=response.score if (review and response) else None,
            max_score=response.max_score if (review and response) else None,
        )
        # The review marks against the key the attempt was graded with (kept in its layout), so
        # an editor's later change to a key cannot turn a scored answer "wrong" on the page.
        keyed = review and answers
        kept = _kept_key(entry) if keyed else None
        if q.qtype in scoring.TYPED:
            _typed_view(view, q, answer, choices, keyed, kept, review=review)
        elif q.qtype == scoring.MATCHING:
            _matching_view(view, q, entry, answer, choices, keyed, kept)
        else:
            _choice_view(view, q, entry, answer, choices, keyed, kept)
        views.append(view)
    return views


def _kept_key(entry) -> scoring.QuestionKey | None:
    """The scoring key the attempt drew for this question (None for attempts started before
    keys were kept: those were graded against the bank, and are reviewed against it)."""
    return scoring.key_from_json(entry["k"]) if "k" in entry else None


def _own_choices(q, choices) -> list:
    return sorted((c for c in choices.values() if c.question_id == q.pk), key=lambda c: (c.sort_order, c.pk))


def _choice_view(view, q, entry, answer, choices, keyed, kept=None) -> None:
    ordered = [choices[c] for c in entry["o"] if c in choices]
    if q.qtype == scoring.ORDERING and isinstance(answer, list) and answer:
        positions = {cid: i + 1 for i, cid in enumerate(answer)}
    else:
        positions = {}
    key, correct, correct_position = None, {}, {}
    if keyed:  # the take page, and a review holding the answers back, load nothing about the key
        key = kept or q.key(sorted(ordered, key=lambda c: (c.sort_order, c.pk)))
        shown = {c.pk for c in ordered}
        # The key lists the options in their correct order (an ordering question's answer).
        correct_position = {k.id: i for i, k in enumerate((k for k in key.choices if k.id in shown), start=1)}
        correct = {k.id: k.correct for k in key.choices}
    for c in ordered:
        opt = OptionView(id=c.pk, text=c.text)
        if isinstance(answer, int):
            opt.selected = answer == c.pk
        elif isinstance(answer, list) and q.qtype == scoring.MULTIPLE:
            opt.selected = c.pk in answer
        elif isinstance(answer, dict):
            opt.mark = answer.get(str(c.pk), "")
        opt.position = positions.get(c.pk)
        if keyed and c.pk in correct:  # an option added since the draw was not shown then
            opt.correct = correct[c.pk]
            opt.feedback = c.feedback
            opt.correct_position = correct_position[c.pk]
            opt.learner_right = scoring.choice_correct(key, c.pk, answer)
        view.options.append(opt)


def _typed_view(view, q, answer, choices, keyed, kept=None, *, review=False) -> None:
    """Short answer / numerical: the take page shows only the typed text (the options are
    the key); the review says whether a numerical answer read as a number and, with the
    key, lists the accepted answers (as the attempt drew them) and marks the one matched."""
    view.typed = answer if isinstance(answer, str) else ""
    if review and q.qtype == scoring.NUMERICAL and view.typed:
        view.typed_is_number = scoring.parse_number(view.typed) is not None
    if not keyed:
        return
    key = kept or q.key(_own_choices(q, choices))
    hit = scoring.matched_choice(key, view.typed) if view.typed else None
    for k in key.choices:
        credit = round(100 * scoring.default_weight(key, k))
        opt = OptionView(id=k.id, text=accepted_answer_label(q.qtype, k), correct=credit > 0, credit=credit)
        opt.feedback = choices[k.id].feedback if k.id in choices else ""
        if hit is not None and hit.id == k.id:
            opt.selected = True
            opt.learner_right = credit > 0
            view.typed_feedback = opt.feedback
        view.options.append(opt)


def accepted_answer_label(qtype: str, choice) -> str:
    """How an accepted answer (a Choice, or a key's ChoiceKey) reads on review: the text, or
    for numerical "1822 ± 1"."""
    if qtype != scoring.NUMERICAL:
        return choice.text
    if choice.text.strip() == scoring.ANY:
        return _("any other number")
    if choice.tolerance:
        tolerance = choice.tolerance
        if isinstance(tolerance, Fraction):  # a kept key's: exact, as the editor typed it
            tolerance = Decimal(tolerance.numerator) / Decimal(tolerance.denominator)
        return f"{choice.text} ± {tolerance.normalize():f}"
    return choice.text


def _matching_view(view, q, entry, answer, choices, keyed, kept=None) -> None:
    """Matching: one select per left item over the attempt's shuffled right items (and, with
    the key, each pair's mark, right item and feedback)."""
    rights = [choices[c] for c in entry.get("r", []) if c in choices]
    view.rights = [(i, c.display_match) for i, c in enumerate(rights, start=1)]
    position_of = {c.pk: i for i, c in enumerate(rights, start=1)}
    pairs = answer if isinstance(answer, dict) else {}
    key = (kept or q.key(_own_choices(q, choices))) if keyed else None
    try:
        normalised = scoring.normalise(key, pairs) if keyed else {}
    except scoring.InvalidAnswer:
        normalised = {}
    for cid in entry["o"]:
        c = choices.get(cid)
        if c is None:
            continue
        chosen = pairs.get(str(c.pk))
        opt = OptionView(id=c.pk, text=c.text, right_position=position_of.get(chosen))
        if chosen in choices:
            opt.selected = True
            opt.chosen_text = choices[chosen].display_match
        own = next((k for k in key.choices if k.id == c.pk), None) if keyed else None
        if own is not None:
            opt.learner_right = scoring.pair_right(key, own, normalised)
            # Its right item as drawn; the page's own (translated) text while it is unchanged.
            opt.correct_text = c.display_match if own.match == c.match_text else own.match
            opt.feedback = c.feedback
        view.options.append(opt)


def precheck_words(percent) -> str:
    """A pre-check's score in words (never a pass or fail: it does not count)."""
    percent = float(percent or 0)
    if percent >= 75:
        return _("You already know a lot about this.")
    if percent >= 40:
        return _("You already know some of this.")
    return _("Most of this will be new to you, and that is fine.")


def feedback_visible(*, attempt: Attempt, now=None) -> bool:
    return attempt.is_submitted and attempt.quiz.feedback_visible(now or timezone.now())


# --------------------------------------------------------------------------- statistics


def statistic_rows(stats):
    """Display rows for item statistics (overall ones, or any app's rows with the same fields:
    question, quiz, responses, facility, discrimination, option_counts). Two queries."""
    stats = list(stats)
    choices = choices_for(question_ids={s.question_id for s in stats})  # in the reader's language
    rows = []
    for s in stats:
        options = [
            {
                "text": choices[int(cid)].text if int(cid) in choices else "?",
                "correct": int(cid) in choices and choices[int(cid)].correct,
                "count": n,
            }
            for cid, n in sorted(s.option_counts.items(), key=lambda kv: -kv[1])
        ]
        rows.append(
            {
                "quiz_id": s.quiz_id,
                "quiz_title": s.quiz.title if s.quiz_id else "",
                "question_id": s.question_id,
                "question_title": s.question.title,
                "question_text": s.question.display_text,
                "responses": s.responses,
                "facility": s.facility,
                "discrimination": s.discrimination,
                "options": options,
            }
        )
    return rows


def item_statistics_overall(*, quiz_id=None):
    """Editors: per quiz (all learners), or bank-wide when quiz_id is None and no quiz rows exist."""
    qs = ItemStatistic.objects.select_related("question", "quiz")
    if quiz_id:
        qs = qs.filter(quiz_id=quiz_id)
    return statistic_rows(qs.order_by("quiz__title", "facility"))


def seconds_left(attempt: Attempt, now=None) -> int | None:
    """Whole seconds until a timed attempt's limit (0 once it has passed); None if untimed."""
    if not attempt.deadline:
        return None
    return max(0, int((attempt.deadline - (now or timezone.now())).total_seconds()))
