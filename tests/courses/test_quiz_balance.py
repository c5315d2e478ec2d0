"""The curriculum's quizzes cannot be gamed, and never penalise a child for telling an adult first
(issue 13, step 1): rules over the whole English catalogue, which the Chinese one mirrors."""

import re

from courses.curriculum import load_all

QUESTIONS = [(c["module"], i + 1, q) for c in load_all() for i, q in enumerate(c["quiz"]["questions"])]
ADULT = re.compile(r"\b(trusted adult|tell (a|an|your) (adult|parent|teacher|guardian))", re.IGNORECASE)


def _key(question):
    return next(c for c in question["choices"] if c.get("correct"))


def test_true_false_keys_are_balanced():
    """Between 35 % and 65 % of true/false items have "True" as the key."""
    keys = [_key(q)["text"] for _, _, q in QUESTIONS if q["type"] == "truefalse"]
    share = keys.count("True") / len(keys)
    assert 0.35 <= share <= 0.65, f"{keys.count('True')} of {len(keys)} true/false keys are True"


def test_the_longest_option_is_not_a_giveaway():
    """In at most 40 % of single-choice items is the correct answer the longest option."""
    single = [q for _, _, q in QUESTIONS if q["type"] == "single"]
    longest = [q for q in single if max(q["choices"], key=lambda c: len(c["text"])) is _key(q)]
    assert len(longest) / len(single) <= 0.40, f"{len(longest)} of {len(single)}"


def test_no_two_items_share_a_stem():
    stems = {}
    for module, number, q in QUESTIONS:
        stem = " ".join(q["text"].lower().split())
        assert stem not in stems, f"{module} Q{number} repeats {stems[stem]}"
        stems[stem] = f"{module} Q{number}"


def test_telling_an_adult_is_never_a_later_step():
    """An ordering item may leave "tell an adult" out, or make it step 1; never later."""
    for module, number, q in QUESTIONS:
        if q["type"] == "ordering":
            for position, choice in enumerate(q["choices"]):
                if ADULT.search(choice["text"]):
                    assert position == 0, f"{module} Q{number}: '{choice['text']}' is step {position + 1}"
