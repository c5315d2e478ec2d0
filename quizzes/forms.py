"""Turn a posted quiz form into {question id: answer}; shape errors become InvalidAnswers.

Field names: q-<qid> (single/truefalse: one id; multiple: several ids; short answer and
numerical: the typed text), q-<qid>-pos-<cid> (ordering: the step's position 1..n),
q-<qid>-item-<cid> (red flags: "risky" or "safe"), q-<qid>-match-<cid> (matching: the
chosen right item's position 1..k in the attempt's shuffled right-hand list, so the page
never names an option id that gives the pair away). Names for questions outside the
attempt are refused, not ignored.
"""

import re

from .services import InvalidAnswers

FIELD = re.compile(r"^q-(\d+)(?:-(pos|item|match)-(\d+))?$")
IGNORED = {"csrfmiddlewaretoken", "action"}


def answers_from_post(post, attempt) -> dict:
    layout = {entry["q"]: entry["o"] for entry in attempt.layout}
    rights = {entry["q"]: entry.get("r", []) for entry in attempt.layout}
    answers: dict = {}
    positions: dict[int, dict[int, str]] = {}
    for name in post:
        if name in IGNORED:
            continue
        m = FIELD.match(name)
        if not m:
            raise InvalidAnswers(f"unexpected field {name[:40]!r}")
        qid = int(m.group(1))
        if qid not in layout:
            raise InvalidAnswers(f"question {qid} is not part of this attempt")
        kind, cid = m.group(2), m.group(3)
        if kind == "pos":
            positions.setdefault(qid, {})[int(cid)] = post.get(name, "")
        elif kind == "item":
            answers.setdefault(qid, {})[cid] = post.get(name, "")
        elif kind == "match":
            answers.setdefault(qid, {})[cid] = _right(post.get(name, ""), rights[qid], qid)
        else:
            values = [v for v in post.getlist(name) if v != ""]
            answers[qid] = values if len(values) != 1 else values[0]
    for qid, marks in positions.items():
        n = len(layout[qid])
        if all(v == "" for v in marks.values()):
            answers[qid] = None
            continue
        try:
            numbered = {cid: int(v) for cid, v in marks.items() if v != ""}
        except ValueError:
            raise InvalidAnswers(f"question {qid}: positions are numbers") from None
        if any(not 1 <= p <= n for p in numbered.values()):
            raise InvalidAnswers(f"question {qid}: positions run from 1 to {n}")
        if len(numbered) != n or len(set(numbered.values())) != n:
            answers[qid] = None  # incomplete or repeated positions: not answered yet
            continue
        answers[qid] = [cid for cid, _ in sorted(numbered.items(), key=lambda kv: kv[1])]
    # A multiple-select question sends one value as a string; the scorer wants a list.
    return answers


def _right(value: str, rights: list[int], qid: int):
    """A matching select's value (a 1-based position in the right-hand list) -> option id."""
    if value == "":
        return ""
    try:
        position = int(value)
    except ValueError:
        raise InvalidAnswers(f"question {qid}: choose a right item from the list") from None
    if not 1 <= position <= len(rights):
        raise InvalidAnswers(f"question {qid}: choose a right item from the list")
    return rights[position - 1]
