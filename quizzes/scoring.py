"""Server-side scoring: pure functions over plain data, no database.

Every question scores a fraction in [0, 1] that is multiplied by its points.

Rules (summarised for editors in the question form's type help text):
- single / truefalse: the chosen option's weight, floored at 0. By default the
  correct option weighs 1 and every other 0; imported Moodle weights
  (e.g. a 50% "nearly right" option) are kept.
- multiple: the sum of the selected options' weights, clamped to [0, 1]. By
  default each correct option weighs +1/c and each wrong option -1/c (c = number
  of correct options), so ticking everything never beats knowing the answer.
  Imported weights (``~%33.33333%``, ``~%-50%``) replace the defaults.
- ordering: adjacent pairs. With n steps there are n-1 pairs (a, b) where b
  comes straight after a in the correct order; the score is the share of those
  pairs that also appear next to each other, in that order, in the answer.
- redflags: every item is marked risky or safe; the score is the share of
  items marked the way the key says. An unmarked item counts as wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

SINGLE = "single"
MULTIPLE = "multiple"
TRUEFALSE = "truefalse"
ORDERING = "ordering"
REDFLAGS = "redflags"
TYPES = (SINGLE, MULTIPLE, TRUEFALSE, ORDERING, REDFLAGS)

RISKY = "risky"
SAFE = "safe"


class InvalidAnswer(ValueError):
    """The answer does not fit the question (wrong shape or foreign option ids)."""


@dataclass(frozen=True)
class ChoiceKey:
    id: int
    correct: bool = False
    weight: Fraction | None = None  # None: use the type's default rule


@dataclass(frozen=True)
class QuestionKey:
    qtype: str
    choices: tuple[ChoiceKey, ...]  # for ordering: the correct order
    points: Fraction = Fraction(1)

    @property
    def ids(self) -> set[int]:
        return {c.id for c in self.choices}


def default_weight(key: QuestionKey, choice: ChoiceKey) -> Fraction:
    if choice.weight is not None:
        return Fraction(choice.weight)
    if key.qtype == MULTIPLE:
        n_correct = sum(1 for c in key.choices if c.correct) or 1
        return Fraction(1 if choice.correct else -1, n_correct)
    return Fraction(1 if choice.correct else 0)


def _clamp(value: Fraction) -> Fraction:
    return max(Fraction(0), min(Fraction(1), value))


def normalise(key: QuestionKey, answer):
    """Validate `answer` for `key` and return it in canonical form; raise InvalidAnswer.

    Canonical forms: single/truefalse -> int | None; multiple -> frozenset[int];
    ordering -> tuple[int, ...] (a permutation of all ids) or None;
    redflags -> dict[int, "risky"|"safe"].
    """
    ids = key.ids
    if answer is None or answer == "" or answer == []:
        return {MULTIPLE: frozenset(), REDFLAGS: {}}.get(key.qtype)

    def as_id(value) -> int:
        if isinstance(value, bool):
            raise InvalidAnswer("option id must be an integer")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InvalidAnswer("option id must be an integer") from None
        if number not in ids:
            raise InvalidAnswer(f"option {number} is not part of this question")
        return number

    if key.qtype in (SINGLE, TRUEFALSE):
        if isinstance(answer, (list, dict)):
            raise InvalidAnswer("expected one option")
        return as_id(answer)
    if key.qtype == MULTIPLE:
        if not isinstance(answer, (list, tuple, set, frozenset)):
            answer = [answer]
        return frozenset(as_id(v) for v in answer)
    if key.qtype == ORDERING:
        if not isinstance(answer, (list, tuple)):
            raise InvalidAnswer("expected a list of options in order")
        order = tuple(as_id(v) for v in answer)
        if len(order) != len(ids) or set(order) != ids:
            raise InvalidAnswer("the order must use every option exactly once")
        return order
    if key.qtype == REDFLAGS:
        if not isinstance(answer, dict):
            raise InvalidAnswer("expected a mark for each item")
        marks = {}
        for item, mark in answer.items():
            if mark in ("", None):
                continue
            if mark not in (RISKY, SAFE):
                raise InvalidAnswer("each item is marked risky or safe")
            marks[as_id(item)] = mark
        return marks
    raise InvalidAnswer(f"unknown question type {key.qtype!r}")


def fraction(key: QuestionKey, answer) -> Fraction:
    """Share of the question's points earned, in [0, 1]. `answer` is validated first."""
    answer = normalise(key, answer)
    if answer is None:
        return Fraction(0)
    by_id = {c.id: c for c in key.choices}
    if key.qtype in (SINGLE, TRUEFALSE):
        return _clamp(default_weight(key, by_id[answer]))
    if key.qtype == MULTIPLE:
        return _clamp(sum((default_weight(key, by_id[i]) for i in answer), Fraction(0)))
    if key.qtype == ORDERING:
        correct = [c.id for c in key.choices]
        if len(correct) < 2:
            return Fraction(1)
        pairs = set(zip(correct, correct[1:]))
        hits = sum(1 for pair in zip(answer, answer[1:]) if pair in pairs)
        return Fraction(hits, len(correct) - 1)
    if key.qtype == REDFLAGS:
        if not key.choices:
            return Fraction(0)
        right = sum(1 for c in key.choices if answer.get(c.id) == (RISKY if c.correct else SAFE))
        return Fraction(right, len(key.choices))
    raise InvalidAnswer(f"unknown question type {key.qtype!r}")


def score(key: QuestionKey, answer) -> Fraction:
    """Points earned for one question: points x fraction."""
    return key.points * fraction(key, answer)


def choice_correct(key: QuestionKey, choice_id: int, answer) -> bool | None:
    """Whether the learner got this option right (for per-option feedback); None if untouched."""
    answer = normalise(key, answer)
    choice = next(c for c in key.choices if c.id == choice_id)
    if key.qtype in (SINGLE, TRUEFALSE):
        return None if answer != choice_id else default_weight(key, choice) > 0
    if key.qtype == MULTIPLE:
        return None if choice_id not in answer else default_weight(key, choice) > 0
    if key.qtype == ORDERING:
        if not answer:
            return None
        return answer.index(choice_id) == [c.id for c in key.choices].index(choice_id)
    if key.qtype == REDFLAGS:
        mark = answer.get(choice_id)
        return None if mark is None else mark == (RISKY if choice.correct else SAFE)
    return None


def total(keys_and_answers) -> tuple[Fraction, Fraction]:
    """(score, max) over (QuestionKey, answer) pairs."""
    got = Fraction(0)
    best = Fraction(0)
    for key, answer in keys_and_answers:
        got += score(key, answer)
        best += key.points
    return got, best
