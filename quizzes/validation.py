"""What makes a question markable, per type: one rule set for the Wagtail form and the
importers (a question that breaks it is refused in the admin and skipped, named, on import).

`choices` are objects with text, correct, weight (percent or None), match_text, tolerance
(Choice rows, admin form data or importers.base.ParsedChoice)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from . import scoring

CHOICE_TYPES = (scoring.SINGLE, scoring.MULTIPLE, scoring.TRUEFALSE, scoring.ORDERING, scoring.REDFLAGS)
MAX_NUMBER = Decimal(10**15)


def _credit(choice) -> Decimal:
    if choice.weight is not None:
        return Decimal(choice.weight)
    return Decimal(100 if choice.correct else 0)


def choice_problems(qtype: str, choices) -> list[str]:
    choices = list(choices)
    problems = []
    if any(c.weight is not None and not -100 <= Decimal(c.weight) <= 100 for c in choices):
        problems.append(_("a weight must be between -100 and 100"))
    if qtype in CHOICE_TYPES:
        if len(choices) < 2:
            problems.append(_("the question needs at least two options"))
        if any(not (c.text or "").strip() for c in choices):
            problems.append(_("an option has no text"))
        correct = sum(1 for c in choices if c.correct)
        if qtype in (scoring.SINGLE, scoring.TRUEFALSE, scoring.MULTIPLE) and correct == 0:
            problems.append(_("no option is marked correct"))
        if qtype == scoring.TRUEFALSE and correct != 1:
            problems.append(_("a true/false question has exactly one correct answer"))
    elif qtype in scoring.TYPED:
        if not choices:
            problems.append(_("the question needs at least one accepted answer"))
        elif not any(_credit(c) > 0 for c in choices):
            problems.append(_("no accepted answer gives credit"))
        for c in choices:
            text = (c.text or "").strip()
            if not text:
                problems.append(_("an accepted answer is empty"))
            elif len(text) > scoring.MAX_TYPED:
                problems.append(_("an accepted answer is longer than %(n)d characters") % {"n": scoring.MAX_TYPED})
            elif qtype == scoring.NUMERICAL and text != scoring.ANY and scoring.parse_number(text) is None:
                problems.append(_("“%(value)s” is not a number between -10^15 and 10^15") % {"value": text[:40]})
            if qtype == scoring.NUMERICAL and c.tolerance is not None:
                tolerance = Decimal(c.tolerance)
                if not tolerance.is_finite() or not 0 <= tolerance <= MAX_NUMBER:
                    problems.append(_("a tolerance must be between 0 and 10^15"))
    elif qtype == scoring.MATCHING:
        pairs = [c for c in choices if (c.text or "").strip()]
        if len(pairs) < 2:
            problems.append(_("a matching question needs at least two pairs"))
        if any(not (c.match_text or "").strip() for c in choices):
            problems.append(_("every pair and distractor needs a match (the right item)"))
    else:
        problems.append(_("“%(type)s” is not a NetWise question type") % {"type": qtype})
    return problems
