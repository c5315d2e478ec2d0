"""Writes for the quiz engine: attempts start, autosave and submit exactly once.

Exactly once rests on the database, not on timing:
- a partial unique index allows one in-progress attempt per student and quiz;
- submit grades without holding a lock, then closes the attempt with one conditional write
  (UPDATE ... WHERE status = 'in_progress', its responses in the same statement on
  PostgreSQL and in the same transaction elsewhere): of two racing submits one closes it, the
  other writes nothing and returns that result; a replay finds it submitted and returns the
  stored result unchanged; a regrade that corrects the open attempt's keys meanwhile raises its
  layout_version, the write changes nothing, and the submit grades it again;
- autosave locks the attempt row (SELECT ... FOR UPDATE), so it never writes into an
  attempt a submit has closed;
- submitted attempts and responses refuse model saves.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from courses.i18n import source_page
from courses.models import LessonCompletion, LessonPage
from jobs.services import publish_best_effort

from . import scoring, selectors, statements
from .models import Attempt, AttemptAllowance, Choice, QuizPage
from .signals import attempt_submitted
from .statistics import SWEEP_MARGIN, recompute_all

# Network slack on a timed quiz: a submit this late after the deadline still counts.
GRACE = timedelta(seconds=30)
MAX_ANSWER_BYTES = 4096


class QuizError(Exception):
    """A request the quiz rules refuse (shown as 400)."""


class AttemptLimitReached(QuizError):
    pass


class AttemptClosed(QuizError):
    pass


class TimeLimitExceeded(QuizError):
    pass


class InvalidAnswers(QuizError):
    pass


class NothingToGive(QuizError):
    """No attempt to give: the learner can start the quiz, has passed it, or another grant
    came first."""


def _q4(value: Fraction) -> Decimal:
    return _q4_of(value.numerator, value.denominator)


@lru_cache(maxsize=1024)
def _q4_of(numerator: int, denominator: int) -> Decimal:
    # A submit stores a score and a maximum per question, mostly the same few values
    # (Decimals are immutable, so one can be shared).
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


def build_layout(quiz: QuizPage, seed: int) -> list[dict]:
    """Drawn questions and option orders for one attempt, reproducible from `seed`.

    Entry: {"q": question id, "o": option ids in display order}; matching adds "r": one
    option id per distinct right item, shuffled (the learner picks a position in it, so the
    page never shows which right item belongs to which left one). Every entry keeps "k": the
    question's scoring key as drawn (scoring.key_to_json; server side only, never rendered), so
    the attempt is graded against the questions as they stood when it started, as Moodle binds
    an attempt to the question versions it started with: an editor's change to a key applies
    from the next attempt, and a submit does not read the bank."""
    rnd = random.Random(seed)
    links = list(quiz.quiz_questions.order_by("sort_order").select_related("question"))
    questions = [link.question for link in links]
    if quiz.draw_count and quiz.draw_count < len(questions):
        questions = rnd.sample(questions, quiz.draw_count)
    choices, texts = {}, {}
    for choice in (
        Choice.objects.filter(question__in=questions)
        .order_by("question_id", "sort_order", "pk")
        .only("question_id", "text", "match_text", "correct", "weight", "tolerance")
    ):
        choices.setdefault(choice.question_id, []).append(choice)
        texts[choice.pk] = (choice.text, choice.match_text)
    layout = []
    for q in questions:
        order = [choice.pk for choice in choices.get(q.pk, [])]
        entry = {"q": q.pk, "o": order}
        if q.qtype == scoring.ORDERING and len(order) > 1:
            correct = order[:]
            rnd.shuffle(order)
            if order == correct:  # never show the answer as the starting order
                order = order[1:] + order[:1]
            entry["o"] = order
        elif q.qtype == scoring.MATCHING:
            lefts = [cid for cid in order if texts[cid][0].strip()]
            rights = {}
            for cid in order:
                rights.setdefault(scoring.canonical_text(texts[cid][1], case_sensitive=True), cid)
            rights = list(rights.values())
            if quiz.shuffle_options:
                rnd.shuffle(lefts)
            rnd.shuffle(rights)
            entry = {"q": q.pk, "o": lefts, "r": rights}
        elif q.qtype in scoring.TYPED:
            pass  # nothing to show: the options are the key
        elif quiz.shuffle_options and q.qtype != scoring.TRUEFALSE:
            rnd.shuffle(order)
        entry["k"] = scoring.key_to_json(q.key(choices.get(q.pk, [])))
        layout.append(entry)
    return layout


def close_expired(*, attempt: Attempt, now=None) -> Attempt:
    """Grade an in-progress attempt whose time ran out, using what was saved in time."""
    now = now or timezone.now()
    if attempt.status == Attempt.Status.IN_PROGRESS and attempt.deadline and now > attempt.deadline + GRACE:
        return _submit(attempt_id=attempt.pk, student=attempt.student, answers=None, now=now, expired=True)
    return attempt


def close_all_expired(*, now=None, limit=500) -> int:
    """Grade every in-progress attempt whose time limit (plus grace) has passed, with the
    answers saved in time: the learner who closed the tab still gets a result, and their
    teacher and guardian see it without waiting for the learner to come back. Beat runs it."""
    now = now or timezone.now()
    expired = (
        Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=now - GRACE)
        .select_related("student")
        .order_by("deadline")[:limit]
    )
    closed = 0
    for attempt in expired:
        try:
            if close_expired(attempt=attempt, now=now).status == Attempt.Status.SUBMITTED:
                closed += 1
        except Attempt.DoesNotExist:  # deleted meanwhile (the learner's data was erased)
            continue
    return closed


def start_attempt(*, student, quiz: QuizPage, now=None) -> Attempt:
    """Resume the open attempt, or start the next one if the quiz allows another.

    A translated quiz page (zh-hans) starts or resumes the attempt on its English source:
    the questions are shared, so switching language mid-attempt continues the same one."""
    quiz = source_page(quiz)
    now = now or timezone.now()
    open_attempt = Attempt.objects.filter(student=student, quiz=quiz, status=Attempt.Status.IN_PROGRESS).first()
    if open_attempt:
        open_attempt = close_expired(attempt=open_attempt, now=now)
        if open_attempt.status == Attempt.Status.IN_PROGRESS:
            return open_attempt
    # One read of the learner's attempts, with any their teacher gave (selectors.QuizResult
    # applies the limit, as every page that offers or refuses a start does).
    standing = selectors.grade_for(student=student, quiz=quiz)
    if standing.out_of_attempts:
        raise AttemptLimitReached("No attempts left for this quiz.")
    # An attempt another tab opened since the read above counts: its number is taken, and the
    # one-open-attempt constraint sends this start to it below.
    used = standing.attempts_used + (1 if standing.in_progress_id else 0)
    seed = secrets.randbits(48)
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                student=student,
                quiz=quiz,
                number=used + 1,
                seed=seed,
                layout=build_layout(quiz, seed),
                deadline=deadline,
            )
    except IntegrityError:
        # Two tabs started at once: the constraint let one through; use that one.
        existing = Attempt.objects.filter(student=student, quiz=quiz, status=Attempt.Status.IN_PROGRESS).first()
        if existing is None:
            raise
        return existing


def grant_attempt(*, student, quiz: QuizPage, granted_by, reason: str = "", now=None) -> AttemptAllowance:
    """One more attempt at `quiz` for a learner who has used every attempt without passing
    (their teacher's "Give one more attempt": learning decides who may, audits it and tells the
    learner). Counted on the English source quiz, as attempts are.

    Raises NothingToGive when the learner can start the quiz, has passed it, or the quiz is a
    pre-check. Each grant raises the count from the value it read with one conditional write
    (a create that the (student, quiz) unique constraint guards, the first time), so of two
    grants racing on one learner and quiz (a double click, two teachers) only one counts."""
    quiz = source_page(quiz)
    if quiz.is_precheck:
        raise NothingToGive("A pre-check is taken once.")
    standing = selectors.grade_for(student=student, quiz=quiz)
    if not standing.needs_another_go:
        raise NothingToGive("The learner can start this quiz or has passed it.")
    fields = {"granted_by": granted_by, "granted_at": now or timezone.now(), "reason": reason.strip()[:200]}
    seen = standing.extra_attempts
    if seen == 0:
        try:
            with transaction.atomic():
                return AttemptAllowance.objects.create(student=student, quiz=quiz, extra_attempts=1, **fields)
        except IntegrityError:
            raise NothingToGive("Another grant came first.") from None
    raised = AttemptAllowance.objects.filter(student=student, quiz=quiz, extra_attempts=seen).update(
        extra_attempts=seen + 1, **fields
    )
    if not raised:
        raise NothingToGive("Another grant came first.")
    return AttemptAllowance.objects.get(student=student, quiz=quiz)


def _drawn_keys(attempt: Attempt) -> dict[int, scoring.QuestionKey]:
    """Scoring keys for the attempt's questions as they were drawn (build_layout keeps them);
    an attempt started before keys were kept reads the bank's."""
    if all("k" in entry for entry in attempt.layout):
        return {entry["q"]: scoring.key_from_json(entry["k"]) for entry in attempt.layout}
    return _bank_keys(attempt)


def _bank_keys(attempt: Attempt) -> dict[int, scoring.QuestionKey]:
    return bank_keys(attempt.question_ids)


def bank_keys(question_ids: list[int]) -> dict[int, scoring.QuestionKey]:
    """Scoring keys for these questions as the bank holds them now (a deleted one is missing),
    from one light query (no model instances). Option texts are read only for the types scored
    by them."""
    meta: dict[int, tuple] = {}
    choices: dict[int, list] = {}
    for qid, qtype, points, case_sensitive, cid, correct, weight, text, match, tolerance in statements.key_rows(
        question_ids, tuple(scoring.KEYED_BY_TEXT)
    ):
        meta[qid] = (qtype, points, case_sensitive)
        if cid is not None:  # LEFT JOIN: a question may (wrongly) have no options yet
            choices.setdefault(qid, []).append(
                scoring.ChoiceKey(
                    cid,
                    bool(correct),
                    None if weight is None else statements.exact(weight) / 100,
                    text=text or "",
                    match=match or "",
                    tolerance=None if tolerance is None else statements.exact(tolerance),
                )
            )
    return {
        qid: scoring.QuestionKey(
            qtype=qtype,
            points=statements.exact(points),
            choices=tuple(choices.get(qid, ())),
            case_sensitive=bool(case_sensitive),
        )
        for qid, (qtype, points, case_sensitive) in meta.items()
    }


def _validated(attempt: Attempt, answers: dict, keys) -> dict[int, object]:
    """Check every answer before anything is written; raise InvalidAnswers. The answers in
    canonical form (scoring.normalise), as scoring takes them; _to_json gives what is stored."""
    if not isinstance(answers, dict):
        raise InvalidAnswers("answers must be an object keyed by question id")
    clean = {}
    for raw_qid, raw in answers.items():
        try:
            qid = int(raw_qid)
        except (TypeError, ValueError):
            raise InvalidAnswers(f"{raw_qid!r} is not a question id") from None
        if qid not in keys:
            raise InvalidAnswers(f"question {qid} is not part of this attempt")
        if len(repr(raw)) > MAX_ANSWER_BYTES:
            raise InvalidAnswers(f"the answer to question {qid} is too long")
        try:
            value = scoring.normalise(keys[qid], raw)
        except scoring.InvalidAnswer as exc:
            raise InvalidAnswers(f"question {qid}: {exc}") from None
        clean[qid] = value
    return clean


def _to_json(value):
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    return value


_NONE = object()  # "no stored response", unlike a stored answer of None


def _store(attempt: Attempt, clean: dict) -> None:
    """Autosave: write only the answers that are new or changed, in one statement."""
    stored = statements.stored_answers(attempt.pk, list(clean))
    changed = [{"question": qid, "answer": value} for qid, value in clean.items() if stored.get(qid, _NONE) != value]
    statements.upsert_responses(attempt.pk, changed, ["answer"], timezone.now())


@transaction.atomic
def save_answers(*, attempt_id: int, student, answers, now=None) -> Attempt:
    """Autosave: validate all, then upsert responses. Nothing changes on any error.

    `answers`: a dict, or a function of the locked attempt that returns one (the view
    parses the POST against the attempt's layout without reading the attempt twice)."""
    now = now or timezone.now()
    attempt = statements.locked_attempt(attempt_id, student.pk)  # Attempt.DoesNotExist: 404
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptClosed("This attempt has been submitted.")
    if attempt.deadline and now > attempt.deadline + GRACE:
        raise TimeLimitExceeded("The time limit has passed.")
    if callable(answers):
        answers = answers(attempt)
    # Against the questions as they were drawn, as the submit grades them: the page the learner
    # has open shows those, whatever an editor has changed since. An answer to a question
    # deleted from the bank since is not stored (statements.upsert_responses), as on submit.
    clean = _validated(attempt, answers, _drawn_keys(attempt))
    _store(attempt, {qid: _to_json(value) for qid, value in clean.items()})
    return attempt


def submit_attempt(*, attempt_id: int, student, answers=None, now=None) -> Attempt:
    """Score and close the attempt exactly once; a repeat returns the stored result.

    `answers`: a dict, None, or a function of the attempt that returns one (called
    only if the attempt is still open, so a replayed POST is not even parsed). A submit
    after the time limit (and its grace) closes the attempt with the answers saved by then,
    ignoring `answers`: the result has `late` set."""
    return _submit(attempt_id=attempt_id, student=student, answers=answers, now=now or timezone.now())


def _submit(*, attempt_id, student, answers, now, expired=False, submitted_at=None) -> Attempt:
    """Read the attempt, grade it and close it with one conditional write: no lock is held while
    grading, and the write (statements.close_attempt) changes nothing unless the attempt is
    still in progress when it runs. Of two submits racing on one attempt, exactly one closes it;
    the other returns that result, having written nothing."""
    attempt = statements.own_attempt(attempt_id, student.pk)
    if attempt.status == Attempt.Status.SUBMITTED:
        return attempt  # replay, double click, second tab: same result, nothing written
    if not expired and attempt.deadline and now > attempt.deadline + GRACE:
        # Sent after the time limit: not accepted (not even parsed). As the quiz page tells the
        # learner, what they saved by then is graded, now, as the deadline sweep would.
        answers, expired = None, True
    if callable(answers):
        answers = answers(attempt)
    stamp = submitted_at or (min(now, attempt.deadline + GRACE) if expired else now)
    drawn = _drawn_keys(attempt)
    fields = _grade_and_close(attempt, student, answers, drawn, now=now, stamp=stamp, late=expired)
    if fields is None:
        current = statements.own_attempt(attempt_id, student.pk)
        if current.status == Attempt.Status.SUBMITTED:
            # Another submit of this attempt (a second tab, the deadline sweep) closed it
            # between the read and the write: its result stands.
            return current
        if current.layout_version != attempt.layout_version:
            # A regrade corrected a key of this open attempt while it was being graded: grade it
            # again, as it now stands (the answers already read; the regrade has moved on).
            return _submit(
                attempt_id=attempt_id,
                student=student,
                answers=answers,
                now=now,
                expired=expired,
                submitted_at=submitted_at,
            )
        # Still open: a question drawn into the attempt has been deleted from the bank since it
        # started, so its response cannot be stored. Grade the questions the bank still holds,
        # as they were drawn (an answer to the deleted one, posted from the page the learner had
        # open, is dropped).
        present = _bank_keys(attempt)
        keys = {qid: key for qid, key in drawn.items() if qid in present}
        if isinstance(answers, dict):
            kept = {str(qid) for qid in keys}
            answers = {qid: answer for qid, answer in answers.items() if str(qid) in kept}
        fields = _grade_and_close(attempt, student, answers, keys, now=now, stamp=stamp, late=expired)
        if fields is None:  # closed meanwhile after all, or yet another deletion: as it stands
            return statements.own_attempt(attempt_id, student.pk)
    for name, value in fields.items():
        setattr(attempt, name, value)
    attempt._loaded_status = Attempt.Status.SUBMITTED
    transaction.on_commit(lambda: _after_submit(attempt, student, now))
    return attempt


def _grade_and_close(attempt: Attempt, student, answers, keys, *, now, stamp, late) -> dict | None:
    """Score every drawn question that has a key (posted answers first, then what autosave
    stored) and close the attempt with one response per question; the fields set, or None if
    the attempt was no longer in progress or a question in `keys` has left the bank since
    (nothing written)."""
    clean = _validated(attempt, answers, keys) if answers else {}
    # Answers not in this POST keep what autosave stored; read only those.
    missing = [entry["q"] for entry in attempt.layout if entry["q"] not in clean and entry["q"] in keys]
    stored = statements.stored_answers(attempt.pk, missing)
    rows, got, most = [], [], []
    for entry in attempt.layout:
        qid = entry["q"]
        key = keys.get(qid)
        if key is None:  # an attempt that predates kept keys, whose question has left the bank
            continue
        if qid in clean:  # validated above: scored as it stands, stored as JSON
            earned = scoring.points_for(key, scoring.share(key, clean[qid]))
            answer = _to_json(clean[qid])
        else:
            answer = stored.get(qid)
            earned = _stored_score(key, answer)
        points, most_points = response_points(key, earned)
        rows.append({"question": qid, "answer": answer, "score": points, "max_score": most_points})
        got.append(earned)
        most.append(key.points)
    fields = {
        "status": Attempt.Status.SUBMITTED,
        "submitted_at": stamp,
        **result_fields(got, most, pass_mark=attempt.quiz_pass_mark),
        "late": late,
    }
    if attempt.quiz_purpose == QuizPage.Purpose.PRECHECK:
        fields["before_lessons"] = before_lessons(student=student, quiz_path=attempt.quiz.path)
    # One write of the attempt and of every response, answered, autosaved or left blank,
    # whatever the quiz size; all of it or none.
    closed = statements.close_attempt(
        attempt.pk,
        fields,
        layout_version=attempt.layout_version,
        responses=rows,
        response_fields=("answer", "score", "max_score"),
        now=now,
    )
    return fields if closed else None


def _stored_score(key: scoring.QuestionKey, answer) -> Fraction:
    """Points for an answer autosave stored. One that no longer fits its key (an attempt from
    before keys were kept, graded against the bank, whose option an editor has deleted since)
    earns nothing, rather than failing the learner's submit."""
    try:
        return scoring.score(key, answer)
    except scoring.InvalidAnswer:
        return scoring.ZERO


def result_fields(got: list, most: list, *, pass_mark) -> dict:
    """An attempt's result from the points earned and the points possible per graded question
    (Fractions): score, max_score, percent (stored as they are) and passed."""
    got_total, max_total = scoring.exact_sum(got), scoring.exact_sum(most)
    percent = (got_total / max_total * 100) if max_total else scoring.ZERO
    return {
        "score": _q4(got_total),
        "max_score": _q4(max_total),
        "percent": _q4(percent).quantize(Decimal("0.01")),
        "passed": percent >= pass_mark,
    }


def response_points(key: scoring.QuestionKey, earned) -> tuple[Decimal, Decimal]:
    """A response's stored score and maximum."""
    return _q4(earned), _q4(key.points)


def before_lessons(*, student, quiz_path: str) -> bool:
    """Whether a pre-check submitted now counts as "before": the learner has completed no
    lesson of the course (in any language: completions of a translation count) and has
    no attempt at another quiz of it. Decided once, on submit, and stored on the attempt, so
    un-marking a lesson later does not turn a pre-check taken midway into a "before"."""
    course_path = quiz_path[: -Page.steplen]
    lessons = LessonPage.objects.filter(path__startswith=course_path).values("translation_key")
    if LessonCompletion.objects.filter(user=student, lesson__translation_key__in=lessons).exists():
        return False
    others = Attempt.objects.filter(student=student, quiz__path__startswith=course_path).exclude(
        quiz__purpose=QuizPage.Purpose.PRECHECK
    )
    return not others.exists()


def _after_submit(attempt: Attempt, student, now) -> None:
    attempt_submitted.send(
        sender=Attempt,
        attempt=attempt,
        student=student,
        quiz_id=attempt.quiz_id,
        precheck=attempt.quiz_purpose == QuizPage.Purpose.PRECHECK,
    )
    # Item statistics: the minute sweep (statistics.stale_quiz_ids) finds a quiz by its newest
    # submit time, so an ordinary submit asks for nothing. An attempt stamped in the past (graded
    # after its deadline, or history recorded later) could sort before statistics computed
    # meanwhile: that one asks for its quiz's rebuild itself.
    if attempt.submitted_at < now - SWEEP_MARGIN:
        request_statistics(quiz_id=attempt.quiz_id)


def request_statistics(*, quiz_id: int) -> None:
    """Ask a worker to rebuild the quiz's item statistics now (best effort, never raises)."""
    publish_best_effort("quizzes.tasks.recompute_item_statistics", quiz_id)


def recompute_all_statistics() -> int:
    """Item statistics for every quiz with attempts, now (the demo seed; normally the minute sweep)."""
    return recompute_all()


def record_attempt(*, student, quiz: QuizPage, answers: dict, submitted_at=None) -> Attempt:
    """For seeds and imports of history: start, answer and submit one attempt.

    `answers` maps question id -> answer in the canonical shape (see scoring.normalise);
    questions the attempt did not draw are ignored. Returns the submitted attempt.
    """
    attempt = start_attempt(student=student, quiz=quiz)
    drawn = set(attempt.question_ids)
    answers = {qid: a for qid, a in answers.items() if int(qid) in drawn}
    with transaction.atomic():
        now = submitted_at or timezone.now()
        attempt = _submit(attempt_id=attempt.pk, student=student, answers=answers, now=now, submitted_at=submitted_at)
        if submitted_at:
            Attempt.objects.filter(pk=attempt.pk).update(started_at=submitted_at - timedelta(minutes=6))
    return attempt
