"""Scoring rules as properties: bounded, order-independent, partial credit as documented."""

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes import scoring
from quizzes.scoring import ChoiceKey, InvalidAnswer, QuestionKey


@st.composite
def keys(draw, qtype=None):
    qtype = qtype or draw(st.sampled_from(scoring.TYPES))
    n = 2 if qtype == scoring.TRUEFALSE else draw(st.integers(2, 7))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    correct = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    if qtype in (scoring.SINGLE, scoring.TRUEFALSE):
        hit = draw(st.integers(0, n - 1))
        correct = [i == hit for i in range(n)]
    if qtype == scoring.MULTIPLE and not any(correct):
        correct[0] = True
    weights = [None] * n
    if qtype == scoring.MULTIPLE and draw(st.booleans()):
        weights = draw(
            st.lists(
                st.fractions(min_value=-1, max_value=1, max_denominator=100),
                min_size=n,
                max_size=n,
            )
        )
    if qtype in scoring.TYPED:
        weights = draw(st.lists(st.one_of(st.none(), st.fractions(-1, 1, max_denominator=100)), min_size=n, max_size=n))
    points = Fraction(draw(st.integers(1, 5)))
    texts = draw(st.lists(st.text(st.characters(blacklist_characters="\x00"), max_size=12), min_size=n, max_size=n))
    if qtype == scoring.NUMERICAL:
        texts = [str(draw(st.integers(-1000, 1000))) for _ in range(n)]
    matches = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=n, max_size=n))
    if qtype == scoring.MATCHING:
        texts[0] = texts[0] or "left"
    return QuestionKey(
        qtype=qtype,
        points=points,
        choices=tuple(
            ChoiceKey(i, c, w, text=t, match=m, tolerance=Fraction(draw(st.integers(0, 3))))
            for i, c, w, t, m in zip(ids, correct, weights, texts, matches)
        ),
    )


@st.composite
def key_and_answer(draw, qtype=None):
    key = draw(keys(qtype))
    ids = [c.id for c in key.choices]
    if key.qtype in (scoring.SINGLE, scoring.TRUEFALSE):
        answer = draw(st.one_of(st.none(), st.sampled_from(ids)))
    elif key.qtype == scoring.MULTIPLE:
        answer = draw(st.lists(st.sampled_from(ids), unique=True))
    elif key.qtype == scoring.ORDERING:
        answer = draw(st.permutations(ids))
    elif key.qtype in scoring.TYPED:
        typed = st.text(st.characters(blacklist_characters="\x00"), max_size=20)  # NUL: refused (below)
        answer = draw(st.one_of(st.none(), typed, st.sampled_from([c.text for c in key.choices])))
    elif key.qtype == scoring.MATCHING:
        answer = {c.id: draw(st.sampled_from(ids)) for c in scoring.left_items(key) if draw(st.booleans())}
    else:
        answer = {i: m for i in ids if (m := draw(st.sampled_from([scoring.RISKY, scoring.SAFE, None]))) is not None}
    return key, answer


@given(key_and_answer())
def test_score_is_within_zero_and_max(pair):
    key, answer = pair
    assert 0 <= scoring.score(key, answer) <= key.points


@given(key_and_answer())
def test_scoring_a_normalised_answer_is_scoring_the_answer(pair):
    # The submit normalises each posted answer once (validation) and scores that: the same
    # result as scoring the answer as posted, for every type.
    key, answer = pair
    share = scoring.share(key, scoring.normalise(key, answer))
    assert share == scoring.fraction(key, answer)
    assert scoring.points_for(key, share) == scoring.score(key, answer) == key.points * share


def _reference_share(key, answer):
    """The rules as the module docstring states them, one Fraction at a time (what share()
    computed before it kept each key's weights and shares)."""
    if answer is None:
        return Fraction(0)
    clamp = lambda v: min(max(v, Fraction(0)), Fraction(1))  # noqa: E731
    if key.qtype in (scoring.SINGLE, scoring.TRUEFALSE):
        return clamp(scoring.default_weight(key, next(c for c in key.choices if c.id == answer)))
    if key.qtype == scoring.MULTIPLE:
        by_id = {c.id: c for c in key.choices}
        return clamp(sum((scoring.default_weight(key, by_id[i]) for i in answer), Fraction(0)))
    if key.qtype == scoring.ORDERING:
        correct = [c.id for c in key.choices]
        pairs = set(zip(correct, correct[1:]))
        return Fraction(sum(1 for p in zip(answer, answer[1:]) if p in pairs), len(correct) - 1)
    right = sum(1 for c in key.choices if answer.get(c.id) == (scoring.RISKY if c.correct else scoring.SAFE))
    return Fraction(right, len(key.choices))


@given(st.sampled_from(scoring.TYPES).filter(lambda t: t not in scoring.KEYED_BY_TEXT).flatmap(key_and_answer))
def test_share_follows_the_rules_and_full_or_no_credit_is_the_shared_constant(pair):
    # share() works from each key's weights, kept once per key (imported weights such as
    # 1/3 and -1/2 included): the same exact result as the rules, and full or no credit comes
    # back as scoring.ONE / scoring.ZERO, which points_for does not multiply.
    key, answer = pair
    share = scoring.share(key, scoring.normalise(key, answer))
    assert share == _reference_share(key, scoring.normalise(key, answer))
    if share == 1:
        assert share is scoring.ONE
    if share == 0:
        assert share is scoring.ZERO


@given(st.lists(st.fractions(max_denominator=1000)))
def test_exact_sum_is_the_sum(values):
    assert scoring.exact_sum(values) == sum(values, Fraction(0))


@given(keys())
def test_a_kept_key_reads_back_equal_and_is_shared(key):
    data = scoring.key_to_json(key)
    again = scoring.key_from_json(json.loads(json.dumps(data)))  # as the attempt's layout holds it
    assert again == key
    assert scoring.key_from_json(json.loads(json.dumps(data))) is again


@given(key_and_answer(scoring.MULTIPLE), st.randoms())
def test_multiple_select_ignores_selection_order(pair, rnd):
    key, answer = pair
    shuffled = list(answer)
    rnd.shuffle(shuffled)
    assert scoring.score(key, answer) == scoring.score(key, shuffled)


@given(keys(scoring.MULTIPLE))
def test_multiple_default_rule_full_marks_only_for_exact_correct_set(key):
    key = QuestionKey(key.qtype, tuple(ChoiceKey(c.id, c.correct) for c in key.choices), key.points)
    correct = [c.id for c in key.choices if c.correct]
    wrong = [c.id for c in key.choices if not c.correct]
    assert scoring.fraction(key, correct) == 1
    if wrong:
        assert scoring.fraction(key, correct + wrong[:1]) == 1 - Fraction(1, len(correct))
        # Ticking every box never scores more than leaving out the wrong ones.
        assert scoring.fraction(key, correct + wrong) < 1


def test_multiple_partial_credit_examples():
    key = QuestionKey("multiple", (ChoiceKey(1, True), ChoiceKey(2, True), ChoiceKey(3, False), ChoiceKey(4, False)))
    assert scoring.fraction(key, [1]) == Fraction(1, 2)
    assert scoring.fraction(key, [1, 3]) == 0
    assert scoring.fraction(key, [3, 4]) == 0  # floored at zero
    assert scoring.fraction(key, []) == 0


def test_imported_negative_weights_are_used_and_floored():
    key = QuestionKey(
        "multiple",
        (
            ChoiceKey(1, True, Fraction(1, 3)),
            ChoiceKey(2, True, Fraction(1, 3)),
            ChoiceKey(3, True, Fraction(1, 3)),
            ChoiceKey(4, False, Fraction(-1, 2)),
        ),
    )
    assert scoring.fraction(key, [1, 2, 3]) == 1
    assert scoring.fraction(key, [1, 2, 4]) == Fraction(1, 6)
    assert scoring.fraction(key, [1, 4]) == 0


@given(keys(scoring.ORDERING), st.randoms())
def test_ordering_full_marks_only_in_correct_order(key, rnd):
    ids = [c.id for c in key.choices]
    assert scoring.fraction(key, ids) == 1
    shuffled = ids[:]
    rnd.shuffle(shuffled)
    if shuffled != ids:
        assert scoring.fraction(key, shuffled) < 1


def test_ordering_adjacent_pairs_rule():
    key = QuestionKey("ordering", tuple(ChoiceKey(i) for i in (1, 2, 3, 4)))
    assert scoring.fraction(key, [1, 2, 4, 3]) == Fraction(1, 3)  # only 1->2 kept
    assert scoring.fraction(key, [4, 1, 2, 3]) == Fraction(2, 3)  # 1->2, 2->3 kept
    assert scoring.fraction(key, [4, 3, 2, 1]) == 0


def test_redflags_scores_each_item():
    key = QuestionKey("redflags", (ChoiceKey(1, True), ChoiceKey(2, False), ChoiceKey(3, True), ChoiceKey(4, False)))
    assert scoring.fraction(key, {1: "risky", 2: "safe", 3: "risky", 4: "safe"}) == 1
    assert scoring.fraction(key, {1: "risky", 2: "risky"}) == Fraction(1, 4)
    assert scoring.fraction(key, {}) == 0


@pytest.mark.parametrize(
    "qtype,answer",
    [
        ("single", 999),
        ("single", [1]),
        ("single", "abc"),
        ("single", True),
        ("multiple", [1, 999]),
        ("ordering", [1, 2]),
        ("ordering", [1, 1, 2]),
        ("ordering", "1,2,3"),
        ("redflags", {"1": "maybe"}),
        ("redflags", {"999": "risky"}),
        ("redflags", [1]),
        ("shortanswer", "12\x00377"),
        ("numerical", "\x00"),
    ],
)
def test_foreign_or_malformed_answers_are_rejected(qtype, answer):
    key = QuestionKey(qtype, (ChoiceKey(1, True), ChoiceKey(2, False), ChoiceKey(3, False)))
    with pytest.raises(InvalidAnswer):
        scoring.score(key, answer)
