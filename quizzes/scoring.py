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
- shortanswer: the typed text is compared with each accepted answer (an option's
  text); the best-credited match counts (its weight; by default 1 if ticked correct,
  else 0). Both sides are Unicode-normalised (NFKC: full-width letters and digits
  count as their half-width forms), stripped, inner runs of spaces made one, and
  compared case-insensitively unless the question is case-sensitive. ``*`` in an
  accepted answer matches any run of characters (``\\*`` is a literal star).
- numerical: the typed number (ASCII, full-width or Chinese digits such as
  "十二" or "一二三七七") is accepted by an option whose value (its text) it
  equals within the option's tolerance (a range a..b is stored as its midpoint
  with tolerance (b-a)/2; "*" accepts any number); best credit counts as above.
- matching: every left item (an option with text) has its right item (the
  option's match text); options with only a match text are distractors on the
  right. The score is the share of left items given their right item.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cached_property, lru_cache

SINGLE = "single"
MULTIPLE = "multiple"
TRUEFALSE = "truefalse"
ORDERING = "ordering"
REDFLAGS = "redflags"
SHORTANSWER = "shortanswer"
NUMERICAL = "numerical"
MATCHING = "matching"
TYPES = (SINGLE, MULTIPLE, TRUEFALSE, ORDERING, REDFLAGS, SHORTANSWER, NUMERICAL, MATCHING)
TYPED = (SHORTANSWER, NUMERICAL)  # the learner types the answer; options are the key
KEYED_BY_TEXT = (SHORTANSWER, NUMERICAL, MATCHING)  # scoring reads the options' texts

MAX_TYPED = 255  # characters of a typed answer (short answer or number)
MAX_NUMBER = Fraction(10**15)  # |value| a numerical answer or key may have
ANY = "*"  # a numerical option that accepts any number (Moodle's catch-all)

RISKY = "risky"
SAFE = "safe"


class InvalidAnswer(ValueError):
    """The answer does not fit the question (wrong shape or foreign option ids)."""


@dataclass(frozen=True)
class ChoiceKey:
    id: int
    correct: bool = False
    weight: Fraction | None = None  # None: use the type's default rule
    text: str = ""  # short answer: the accepted answer; numerical: the value; matching: the left item
    match: str = ""  # matching: the right item
    tolerance: Fraction | None = None  # numerical


@dataclass(frozen=True)
class QuestionKey:
    """A question as scoring sees it. Immutable, and shared by every attempt that drew it
    (key_from_json), so what scoring derives from it is worked out once per key (the cached
    properties below), not once per answer."""

    qtype: str
    choices: tuple[ChoiceKey, ...]  # for ordering: the correct order
    points: Fraction = Fraction(1)
    case_sensitive: bool = False  # short answer

    @cached_property
    def ids(self) -> frozenset[int]:
        return frozenset(c.id for c in self.choices)

    @cached_property
    def weights(self) -> dict[int, Fraction]:
        """{option id: default_weight}."""
        return {c.id: default_weight(self, c) for c in self.choices}

    @cached_property
    def scaled_weights(self) -> tuple[dict[int, int], int]:
        """Multiple: the weights as whole numbers over one common denominator, and it (a
        sum of ticked options is then a sum of integers)."""
        denominator = math.lcm(*(w.denominator for w in self.weights.values()))
        return {cid: w.numerator * (denominator // w.denominator) for cid, w in self.weights.items()}, denominator

    @cached_property
    def chosen_share(self) -> dict[int, Fraction]:
        """Single / true-false: {option id: the share choosing it earns}."""
        return {cid: _clamp(weight) for cid, weight in self.weights.items()}


def _exact_text(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _exact(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)


def key_to_json(key: QuestionKey) -> list:
    """The key as plain JSON (fractions as exact "n/d" text), to keep with an attempt's draw."""
    return [
        key.qtype,
        str(key.points),
        key.case_sensitive,
        [[c.id, c.correct, _exact_text(c.weight), c.text, c.match, _exact_text(c.tolerance)] for c in key.choices],
    ]


def key_from_json(data: list) -> QuestionKey:
    """The key `key_to_json` wrote, unchanged. Keys are immutable, so every attempt that drew
    the same key shares one (a submit reads ten of them, mostly ones this process has built)."""
    qtype, points, case_sensitive, choices = data
    return _key_from_parts(qtype, points, case_sensitive, tuple(map(tuple, choices)))


@lru_cache(maxsize=4096)
def _key_from_parts(qtype: str, points: str, case_sensitive: bool, choices: tuple) -> QuestionKey:
    return QuestionKey(
        qtype=qtype,
        points=Fraction(points),
        case_sensitive=case_sensitive,
        choices=tuple(
            ChoiceKey(cid, correct, _exact(weight), text, match, _exact(tolerance))
            for cid, correct, weight, text, match, tolerance in choices
        ),
    )


# Shared constants: a submit scores every question, and building a Fraction costs more than
# the comparison it is built for.
ZERO = Fraction(0)
ONE = Fraction(1)


def default_weight(key: QuestionKey, choice: ChoiceKey) -> Fraction:
    if choice.weight is not None:
        return Fraction(choice.weight)
    if key.qtype == MULTIPLE:
        n_correct = sum(1 for c in key.choices if c.correct) or 1
        return Fraction(1 if choice.correct else -1, n_correct)
    return ONE if choice.correct else ZERO


def _clamp(value: Fraction) -> Fraction:
    return ZERO if value < 0 else ONE if value >= 1 else value


def _share_of(right: int, out_of: int) -> Fraction:
    """right / out_of, with full and no credit as the shared ONE and ZERO (points_for's fast
    path, and no Fraction built for them)."""
    return ONE if right == out_of else ZERO if right == 0 else Fraction(right, out_of)


# --------------------------------------------------------------------------- typed answers

_SPACES = re.compile(r"\s+")


def canonical_text(text: str, *, case_sensitive: bool = False) -> str:
    """NFKC, stripped, inner whitespace runs made one space, casefolded unless case-sensitive."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return text if case_sensitive else text.casefold()


def _pattern_parts(pattern: str, case_sensitive: bool) -> list[str]:
    """An accepted answer split at its unescaped ``*`` wildcards, each part canonical."""
    parts, current, i = [], [], 0
    pattern = _SPACES.sub(" ", unicodedata.normalize("NFKC", pattern)).strip()
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and pattern[i + 1 : i + 2] == "*":
            current.append("*")
            i += 2
            continue
        if ch == "*":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return [p if case_sensitive else p.casefold() for p in parts]


def _glob(parts: list[str], text: str) -> bool:
    """Whether `text` is parts[0] + anything + parts[1] + ... + parts[-1]. Greedy, no regex:
    linear in the text per part, whatever the number of stars (no catastrophic backtracking)."""
    if len(parts) == 1:
        return text == parts[0]
    first, last = parts[0], parts[-1]
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    pos, end = len(first), len(text) - len(last)
    for middle in parts[1:-1]:
        found = text.find(middle, pos, end)
        if found < 0:
            return False
        pos = found + len(middle)
    return True


def text_matches(pattern: str, answer: str, *, case_sensitive: bool = False) -> bool:
    """A short answer against one accepted answer (see the module docstring)."""
    return _glob(_pattern_parts(pattern, case_sensitive), canonical_text(answer, case_sensitive=case_sensitive))


_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
              "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_ARABIC = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _chinese_integer(text: str) -> int | None:
    if not text:
        return None
    if not any(ch in _CN_UNITS or ch in _CN_BIG for ch in text):
        # Read digit by digit: 一二三七七 is 12377, as a phone number is said.
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row with units around: not a number we read
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            if section == 0:
                return None
            total = (total + section) * _CN_BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def _chinese_number(text: str) -> Fraction | None:
    sign = 1
    if text[:1] in ("负", "-"):
        sign, text = -1, text[1:]
    whole, _, decimals = text.partition("点")
    if not whole and not decimals:
        return None
    if any(ch not in _CN_DIGITS for ch in decimals) or ("点" in text and not decimals):
        return None
    if any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch not in _CN_BIG for ch in whole):
        return None
    integer = _chinese_integer(whole) if whole else 0
    if integer is None:
        return None
    value = Fraction(integer)
    if decimals:
        value += Fraction(int("".join(str(_CN_DIGITS[ch]) for ch in decimals)), 10 ** len(decimals))
    return sign * value


def parse_number(text) -> Fraction | None:
    """A typed number as an exact fraction, or None when it is not one we read: ASCII or
    full-width digits (NFKC), a decimal point or comma, thousands commas, an exponent,
    Chinese numerals (十二, 一百零五, 三点五, 一二三七七). Bounded to ±10^15."""
    if isinstance(text, (int, Decimal)) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or len(text) > MAX_TYPED:
        return None
    s = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    s = _SPACES.sub("", s)
    if not s:
        return None
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(s):
        s = s.replace(",", ".")
    if _ARABIC.fullmatch(s):
        try:
            value = Decimal(s)
        except InvalidOperation:
            return None
        if not value.is_finite() or abs(value) > MAX_NUMBER:
            return None
        value = Fraction(value)
    else:
        value = _chinese_number(s)
    if value is None or abs(value) > MAX_NUMBER:
        return None
    return value


def number_matches(choice: ChoiceKey, value: Fraction) -> bool:
    if choice.text.strip() == ANY:
        return True
    target = parse_number(choice.text)
    if target is None:
        return False
    return abs(value - target) <= (choice.tolerance or 0)


def matched_choice(key: QuestionKey, answer) -> ChoiceKey | None:
    """Short answer / numerical: the accepted answer that gives the most credit (the first
    such in order), or None."""
    if answer in (None, ""):
        return None
    if key.qtype == NUMERICAL:
        value = parse_number(answer)
        if value is None:
            return None
        hits = [c for c in key.choices if number_matches(c, value)]
    else:
        hits = [c for c in key.choices if text_matches(c.text, answer, case_sensitive=key.case_sensitive)]
    if not hits:
        return None
    best = max(default_weight(key, c) for c in hits)
    return next(c for c in hits if default_weight(key, c) == best)


def left_items(key: QuestionKey) -> list[ChoiceKey]:
    """Matching: the options with a left item (the others are distractors on the right)."""
    return [c for c in key.choices if c.text.strip()]


def _same_right(a: str, b: str) -> bool:
    return canonical_text(a, case_sensitive=True) == canonical_text(b, case_sensitive=True)


def pair_right(key: QuestionKey, left: ChoiceKey, answer: dict) -> bool | None:
    """Matching: whether the learner gave `left` its right item; None if left unanswered."""
    chosen = answer.get(left.id)
    if chosen is None:
        return None
    by_id = {c.id: c for c in key.choices}
    return _same_right(by_id[chosen].match, left.match)


def normalise(key: QuestionKey, answer):
    """Validate `answer` for `key` and return it in canonical form; raise InvalidAnswer.

    Canonical forms: single/truefalse -> int | None; multiple -> frozenset[int];
    ordering -> tuple[int, ...] (a permutation of all ids) or None;
    redflags -> dict[int, "risky"|"safe"]; shortanswer/numerical -> str (stripped) | None;
    matching -> dict[left id, right option id].
    """
    ids = key.ids
    if answer is None or answer == "" or answer == []:
        return {MULTIPLE: frozenset(), REDFLAGS: {}, MATCHING: {}}.get(key.qtype)
    if key.qtype in TYPED:
        if isinstance(answer, (list, tuple)) and len(answer) == 1:
            answer = answer[0]
        if isinstance(answer, (int, Decimal)) and not isinstance(answer, bool):
            answer = str(answer)
        if not isinstance(answer, str):
            raise InvalidAnswer("expected a typed answer")
        answer = answer.strip()
        if len(answer) > MAX_TYPED:
            raise InvalidAnswer(f"a typed answer has at most {MAX_TYPED} characters")
        if "\x00" in answer:  # as Django's form fields refuse it: PostgreSQL cannot store it
            raise InvalidAnswer("a typed answer cannot contain a null character")
        return answer or None

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
    if key.qtype == MATCHING:
        if not isinstance(answer, dict):
            raise InvalidAnswer("expected a right item for each left item")
        lefts = {c.id for c in left_items(key)}
        rights = {c.id for c in key.choices if c.match.strip()}
        pairs = {}
        for left, right in answer.items():
            if right in ("", None):
                continue
            left, right = as_id(left), as_id(right)
            if left not in lefts or right not in rights:
                raise InvalidAnswer("a pair names an item that is not on its side")
            pairs[left] = right
        return pairs
    raise InvalidAnswer(f"unknown question type {key.qtype!r}")


def fraction(key: QuestionKey, answer) -> Fraction:
    """Share of the question's points earned, in [0, 1]. `answer` is validated first."""
    return share(key, normalise(key, answer))


def share(key: QuestionKey, answer) -> Fraction:
    """As `fraction`, for an answer `normalise` has already returned (canonical form)."""
    if answer is None:
        return ZERO
    if key.qtype in (SINGLE, TRUEFALSE):
        return key.chosen_share[answer]
    if key.qtype == MULTIPLE:
        scaled, denominator = key.scaled_weights
        ticked = sum(scaled[i] for i in answer)
        return ONE if ticked >= denominator else ZERO if ticked <= 0 else Fraction(ticked, denominator)
    if key.qtype == ORDERING:
        correct = [c.id for c in key.choices]
        if len(correct) < 2:
            return ONE
        pairs = set(zip(correct, correct[1:]))
        hits = sum(1 for pair in zip(answer, answer[1:]) if pair in pairs)
        return _share_of(hits, len(correct) - 1)
    if key.qtype == REDFLAGS:
        if not key.choices:
            return ZERO
        right = sum(1 for c in key.choices if answer.get(c.id) == (RISKY if c.correct else SAFE))
        return _share_of(right, len(key.choices))
    if key.qtype in TYPED:
        hit = matched_choice(key, answer)
        return ZERO if hit is None else _clamp(default_weight(key, hit))
    if key.qtype == MATCHING:
        lefts = left_items(key)
        if not lefts:
            return ZERO
        return Fraction(sum(1 for c in lefts if pair_right(key, c, answer)), len(lefts))
    raise InvalidAnswer(f"unknown question type {key.qtype!r}")


def exact_sum(values) -> Fraction:
    """The exact sum of fractions, over their common denominator (one Fraction built, where
    adding them one by one builds and reduces one per term)."""
    values = list(values)
    if not values:
        return ZERO
    denominator = math.lcm(*(v.denominator for v in values))
    return Fraction(sum(v.numerator * (denominator // v.denominator) for v in values), denominator)


def score(key: QuestionKey, answer) -> Fraction:
    """Points earned for one question: points x fraction."""
    return points_for(key, fraction(key, answer))


def points_for(key: QuestionKey, share_earned: Fraction) -> Fraction:
    """Points x a share from `fraction` or `share` (all or nothing needs no multiplication)."""
    if share_earned is ONE:
        return key.points
    return ZERO if share_earned is ZERO else key.points * share_earned


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
    if key.qtype in TYPED:
        hit = matched_choice(key, answer)
        return None if hit is None or hit.id != choice_id else default_weight(key, choice) > 0
    if key.qtype == MATCHING:
        return pair_right(key, choice, answer) if choice.text.strip() else None
    return None


def counted_ids(key: QuestionKey, answer) -> list[int]:
    """The option ids item statistics count for a stored answer: ticked (single, multiple,
    true/false), placed first (ordering), marked risky (red flags), the accepted answer
    matched (short answer, numerical), the left items given their right item (matching)."""
    try:
        answer = normalise(key, answer)
    except InvalidAnswer:
        return []
    if answer is None:
        return []
    if key.qtype in (SINGLE, TRUEFALSE):
        return [answer]
    if key.qtype == MULTIPLE:
        return sorted(answer)
    if key.qtype == ORDERING:
        return list(answer[:1])
    if key.qtype == REDFLAGS:
        return [cid for cid, mark in answer.items() if mark == RISKY]
    if key.qtype in TYPED:
        hit = matched_choice(key, answer)
        return [] if hit is None else [hit.id]
    if key.qtype == MATCHING:
        return [c.id for c in left_items(key) if pair_right(key, c, answer)]
    return []
