"""Regrading: an editor corrects a question's key, and the attempts already taken follow.

An attempt is graded against the keys it drew (kept in its layout by services.build_layout), so
a correction applies from the next attempt on. A regrade applies it to a quiz's attempts so far:
each attempt takes the bank's current key for every question of it still in the bank (a deleted
question keeps the key it was graded with); a submitted attempt is scored again from its stored
answers with the same scoring a submit uses, against the quiz's pass mark as it is now, and an
open one will be graded with the corrected keys when it is submitted (its `layout_version` goes
up, so a submit that graded it against the earlier keys meanwhile writes nothing and grades
again).

This is the one change a submitted attempt accepts (it is written with update(), not save()).
An attempt whose result changed is stamped `regraded_at`, and its review tells the learner. The
learners' progress and the statistics follow through `attempts_regraded` and the statistics
rebuild. Idempotent: run again with the same bank, it changes nothing.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from jobs.models import Job
from jobs.services import enqueue, retry

from . import scoring, services, statements
from .models import Attempt, QuizPage, Regrade, Response
from .signals import attempts_regraded

CHUNK = 200  # attempts read (and, when writing, locked) at a time
TASK = "quizzes.regrade_quiz"  # the task (quizzes.tasks.regrade_quiz) is registered under this name


@dataclass
class Outcome:
    checked: int = 0  # attempts read
    outdated: int = 0  # attempts graded (or to be graded) with an earlier key of a question
    rescored: int = 0  # submitted attempts whose score changes
    pass_changed: int = 0  # ... of which passed becomes not passed, or the other way round
    questions: dict[int, int] = field(default_factory=dict)  # question id: attempts with an earlier key
    # question id: attempts that keep their key because the question's options or type changed
    # since (their answers would not fit the new options: a new question is the fair fix)
    kept: dict[int, int] = field(default_factory=dict)
    students: set[int] = field(default_factory=set)  # whose results change


def key_now(question_id: int) -> list | None:
    """The question's scoring key as the bank holds it (as kept with attempts), or None."""
    key = services.bank_keys([question_id]).get(question_id)
    return None if key is None else scoring.key_to_json(key)


def quizzes_with_attempts(question_id: int) -> list[QuizPage]:
    """The quizzes that hold this question and have submitted attempts, by title."""
    # Exists per quiz (the attempts' (quiz, status, submitted_at) index), not a list of every
    # submitted attempt's quiz.
    taken = Attempt.objects.filter(quiz=OuterRef("pk"), status=Attempt.Status.SUBMITTED)
    return list(
        QuizPage.objects.filter(quiz_questions__question_id=question_id).filter(Exists(taken)).order_by("title")
    )


def preview(quiz: QuizPage) -> Outcome:
    """What a regrade of the quiz would change now (nothing is written)."""
    return _run(quiz, write=False, now=None)


def request(*, quiz: QuizPage, user) -> tuple[Regrade, bool]:
    """Record an editor's request and hand it to a worker (durably: the jobs outbox); the run and
    whether a worker was asked now. While a run of the quiz waits, asking again returns that run,
    and asks a worker again only if its job has failed for good (its retries spent): a run is
    safe to try again, it finishes what is left."""
    try:
        with transaction.atomic():
            run = Regrade.objects.create(quiz=quiz, requested_by=user)
            enqueue(TASK, run.pk, requested_by=user)
    except IntegrityError:  # one_waiting_regrade: a run of this quiz is already waiting
        waiting = Regrade.objects.get(quiz=quiz, finished_at__isnull=True)
        job = failed_job(waiting)
        if job is None:
            return waiting, False
        return waiting, retry(job)  # False: someone else retried it a moment ago
    return run, True


def failed_job(run: Regrade) -> Job | None:
    """The job of an unfinished run, if it has failed for good (else None)."""
    if run.finished_at is not None:
        return None
    return Job.objects.filter(task_name=TASK, args=[run.pk], status=Job.Status.FAILED).first()


def perform(regrade_id: int) -> Regrade:
    """Carry out a requested regrade (the task). A run already finished is not run again; a run
    cut short (a worker killed, a database error) and retried finishes what is left, and its
    figures count every change it made, each recorded with the chunk that made it."""
    run = Regrade.objects.select_related("quiz").get(pk=regrade_id)
    if run.finished_at is not None:
        return run
    outcome = _run(run.quiz, write=True, now=timezone.now(), run=run)
    # Everyone this run regraded, on this try or an earlier one cut short: their progress follows
    # (repeats are harmless).
    students = Attempt.objects.filter(quiz=run.quiz, regraded_at__gte=run.requested_at)
    _follow(run.quiz, sorted(set(students.values_list("student_id", flat=True))))
    Regrade.objects.filter(pk=run.pk).update(checked=outcome.checked, finished_at=timezone.now())
    run.refresh_from_db()
    return run


def regrade(quiz: QuizPage, *, now=None) -> Outcome:
    """Regrade every attempt of the quiz now (no request recorded); what changed."""
    outcome = _run(quiz, write=True, now=now or timezone.now())
    _follow(quiz, sorted(outcome.students))
    return outcome


def _follow(quiz: QuizPage, student_ids: list[int]) -> None:
    """Tell the apps that keep figures of these learners' results, and rebuild the statistics."""
    if student_ids:
        attempts_regraded.send(sender=Attempt, quiz_id=quiz.pk, student_ids=student_ids)
        services.request_statistics(quiz_id=quiz.pk)


def _run(quiz: QuizPage, *, write: bool, now, run: Regrade | None = None) -> Outcome:
    outcome = Outcome()
    pass_mark = statements.exact(quiz.pass_mark)
    bank: dict[int, list | None] = {}  # question id: its key now as kept JSON (None: deleted)
    ids = list(Attempt.objects.filter(quiz=quiz).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic() if write else nullcontext():
            attempts = Attempt.objects.filter(pk__in=ids[start : start + CHUNK]).order_by("pk")
            if write:
                attempts = attempts.select_for_update()
            attempts = list(attempts)
            _learn_keys(bank, attempts)
            before = (outcome.outdated, outcome.rescored, outcome.pass_changed)
            # The stored answers are read only for the attempts a corrected key reaches.
            refreshed = [(attempt, *_refreshed_layout(attempt, bank, outcome)) for attempt in attempts]
            responses = _responses_of([a.pk for a, _, outdated in refreshed if outdated and a.is_submitted])
            for attempt, layout, outdated in refreshed:
                if outdated:
                    _regrade_one(
                        attempt, layout, responses.get(attempt.pk, {}), pass_mark, outcome, write=write, now=now
                    )
            if run is not None:  # with the chunk's writes, so a retry never counts them again
                Regrade.objects.filter(pk=run.pk).update(
                    outdated=F("outdated") + outcome.outdated - before[0],
                    rescored=F("rescored") + outcome.rescored - before[1],
                    pass_changed=F("pass_changed") + outcome.pass_changed - before[2],
                )
    return outcome


def _learn_keys(bank: dict, attempts: list[Attempt]) -> None:
    """Add the bank's current keys of the questions these attempts drew (one query)."""
    missing = sorted({qid for attempt in attempts for qid in attempt.question_ids} - bank.keys())
    if not missing:
        return
    found = services.bank_keys(missing)
    for qid in missing:
        bank[qid] = scoring.key_to_json(found[qid]) if qid in found else None


def same_options(old: list, new: list) -> bool:
    """Whether two kept keys (scoring.key_to_json) are of one type with the same options, so an
    answer given under one fits the other: only which options are right, their weights, the
    points or the accepted texts changed. A typed answer (short answer, number) is text, so any
    change to its accepted answers fits."""
    if old[0] != new[0]:
        return False
    return old[0] in scoring.TYPED or [c[0] for c in old[3]] == [c[0] for c in new[3]]


def _responses_of(attempt_ids: list[int]) -> dict[int, dict[int, Response]]:
    by_attempt: dict[int, dict[int, Response]] = {}
    for response in Response.objects.filter(attempt_id__in=attempt_ids).only(
        "id", "attempt_id", "question_id", "answer", "score", "max_score"
    ):
        by_attempt.setdefault(response.attempt_id, {})[response.question_id] = response
    return by_attempt


def _refreshed_layout(attempt: Attempt, bank, outcome: Outcome) -> tuple[list[dict], bool]:
    """The attempt's layout with the bank's current keys where they fit, and whether any changed."""
    outcome.checked += 1
    layout, outdated = [], []
    for entry in attempt.layout:
        current = bank.get(entry["q"])
        if current is not None and entry.get("k") != current:
            if "k" in entry and not same_options(entry["k"], current):
                outcome.kept[entry["q"]] = outcome.kept.get(entry["q"], 0) + 1
            else:
                outdated.append(entry["q"])
                entry = {**entry, "k": current}
        layout.append(entry)
    if outdated:
        outcome.outdated += 1
        for qid in outdated:
            outcome.questions[qid] = outcome.questions.get(qid, 0) + 1
    return layout, bool(outdated)


def _regrade_one(attempt: Attempt, layout, responses, pass_mark, outcome: Outcome, *, write: bool, now) -> None:
    """Store the refreshed layout and, for a submitted attempt whose result moves, the new result."""
    # A submit of this attempt graded against its earlier layout then closes nothing and grades
    # again (statements.close_attempt checks the version).
    fields: dict = {"layout": layout, "layout_version": F("layout_version") + 1}
    rescored: list[Response] = []
    if attempt.is_submitted:
        result, rescored = _score(layout, responses, pass_mark)
        changed = any(getattr(attempt, name) != value for name, value in result.items())
        if changed:
            outcome.rescored += 1
            outcome.pass_changed += result["passed"] != attempt.passed
            outcome.students.add(attempt.student_id)
            fields.update(result, regraded_at=now)
    if write:
        Attempt.objects.filter(pk=attempt.pk).update(**fields)
        if rescored:
            Response.objects.bulk_update(rescored, ["score", "max_score"])


def _score(layout: list[dict], responses: dict[int, Response], pass_mark) -> tuple[dict, list[Response]]:
    """The attempt's result from its stored answers under the layout's keys, and the responses
    whose points change. Only questions with a response count: a submit stores one for every
    question it graded."""
    got, most, rescored = [], [], []
    for entry in layout:
        response = responses.get(entry["q"])
        if response is None or "k" not in entry:
            continue
        key = scoring.key_from_json(entry["k"])
        try:
            earned = scoring.score(key, response.answer)
        except scoring.InvalidAnswer:
            # An attempt from before keys were kept, whose question's options changed since:
            # its points stand as they were graded.
            got.append(statements.exact(response.score))
            most.append(statements.exact(response.max_score))
            continue
        got.append(earned)
        most.append(key.points)
        points = services.response_points(key, earned)
        if (response.score, response.max_score) != points:
            response.score, response.max_score = points
            rescored.append(response)
    return services.result_fields(got, most, pass_mark=pass_mark), rescored
