"""GIFT import and export, as Moodle reads it (question/format/gift/format.php) and teachers
write it. One question per block (a blank line ends it); the type is Moodle's: ``{}`` an
essay (skipped), ``{#...}`` numerical, any ``~`` multiple choice, ``=`` with ``->`` matching,
exactly T/TRUE/F/FALSE true/false, anything else short answer (so ``{5}`` and ``{t#bien}``
are short answers). A block that cannot be read is skipped and named; the rest imports.

NetWise-only types and settings ride in GIFT comments, which Moodle ignores:
``// netwise-type: ordering`` (answers ``=step`` in the correct order),
``// netwise-type: redflags`` (``=risky item`` / ``~safe item``), with
``// netwise-scenario: ...`` (GIFT-escaped, ``\\n`` for new lines);
``// netwise-type: shortanswer`` (only when an answer contains ``->``) and
``// netwise-case: sensitive`` (a case-sensitive short answer).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .base import (
    ImportResult,
    ParsedChoice,
    ParsedQuestion,
    clean_category,
    default_weight,
    html_to_text,
    parse_percent,
    settle_weights,
)

SPECIAL = "~=#{}:"
ESCAPES = {"n": "\n", "\\": "\\", **{c: c for c in SPECIAL}}


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPES:
            out.append(ESCAPES[text[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def _find(text: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped `token` at or after `start`, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i):
            return i
        i += 1
    return -1


def _split_answers(block: str) -> list[tuple[str, str]]:
    """[(marker, body)] split at unescaped = and ~."""
    parts, i, marker, start = [], 0, None, 0
    while i < len(block):
        ch = block[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "=~":
            if marker is not None:
                parts.append((marker, block[start:i]))
            elif block[:i].strip():
                raise ValueError("text before the first answer marker (= or ~)")
            marker, start = ch, i + 1
        i += 1
    if marker is not None:
        parts.append((marker, block[start:]))
    return parts


def _blocks(raw: str):
    """Yield (first line number, lines, directives, category) per question."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current, start, directives, category = [], None, {}, ""
    pending: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            m = re.match(r"//\s*netwise-(type|scenario|case):\s?(.*)$", stripped)
            if m:
                pending[m.group(1)] = m.group(2).strip()
            continue
        if not stripped:
            if current:
                yield start, current, directives, category
                current, start, directives = [], None, {}
            continue
        if not current and stripped.startswith("$CATEGORY:"):
            category = clean_category(stripped[len("$CATEGORY:") :])
            pending = {}
            continue
        if not current:
            start, directives, pending = number, pending, {}
        current.append(line)
    if current:
        yield start, current, directives, category


def parse(data: bytes | str) -> ImportResult:
    result = ImportResult()
    raw = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    for count, (line, lines, directives, category) in enumerate(_blocks(raw), start=1):
        source = " ".join(x.strip() for x in lines)
        title = _title(source) or f"Question {count}"
        try:
            source_type, parsed = _parse_block(source, title, directives, category, line)
        except ValueError as exc:
            result.skip(title[:255], getattr(exc, "source_type", "unreadable"), str(exc), line)
            continue
        if parsed is None:
            result.skip(title[:255], source_type, SKIP_REASONS[source_type], line)
            continue
        result.accept(parsed, line=line, question=title)
    return result.finish()


def _title(source: str) -> str:
    """The ``::title::`` of a block (escapes respected), or ""."""
    rest = source.strip()
    if not rest.startswith("::"):
        return ""
    end = _find(rest, "::", 2)
    return unescape(rest[2:end]).strip() if end > 0 else ""


class Unreadable(ValueError):
    """A question of a known type whose answers cannot be read."""

    def __init__(self, source_type: str, message: str):
        super().__init__(message)
        self.source_type = source_type


def _typed(source_type: str, read, *args):
    try:
        return read(*args)
    except Unreadable:
        raise
    except ValueError as exc:
        raise Unreadable(source_type, str(exc)) from None


SKIP_REASONS = {
    "essay": "essays need a person to mark them",
    "description": "a description is not a question",
}
_WEIGHT = re.compile(r"%(-?[0-9]+(?:\.[0-9]*)?)%")


def _parse_block(source, title, directives, category, line):
    """(source type, ParsedQuestion or None to skip); ValueError: unreadable, with why."""
    rest = source.strip()
    if rest.startswith("::"):
        end = _find(rest, "::", 2)
        if end < 0:
            raise ValueError("the title is not closed with ::")
        rest = rest[end + 2 :].lstrip()
    open_at = _find(rest, "{")
    if open_at < 0:
        if _find(rest, "}") >= 0:
            raise ValueError("'}' without '{'")
        return "description", None
    close_at = _find(rest, "}", open_at)
    if close_at < 0:
        raise ValueError("the answer block '{' is never closed with '}'")
    if _find(rest, "{", close_at) >= 0:
        raise ValueError("more than one answer block (embedded answers are not a NetWise question type)")
    before, block, after = rest[:open_at], rest[open_at + 1 : close_at], rest[close_at + 1 :]
    fmt = "moodle"
    m = re.match(r"\s*\[(html|plain|markdown|moodle)\]", before)
    if m:
        fmt = m.group(1)
        before = before[m.end() :]
    text = unescape(before).strip()
    if after.strip():
        text = f"{text} _____ {unescape(after).strip()}".strip()
    if fmt == "html":
        text, _ = html_to_text(text)
    explanation = ""
    general = _find(block, "####")
    if general >= 0:
        explanation = _plain(unescape(block[general + 4 :]).strip(), fmt)
        block = block[:general]
    body = block.strip()
    hint = directives.get("type")
    base = {"title": title, "text": text, "explanation": explanation, "category": category, "line": line}
    if hint in ("ordering", "redflags"):
        choices = [(marker, _answer(part, fmt)) for marker, part in _split_answers(body)]
        parsed = [ParsedChoice(t, hint == "redflags" and marker == "=", None, fb) for marker, (_, t, fb) in choices]
        scenario = unescape(directives.get("scenario", ""))
        return hint, ParsedQuestion(hint, choices=parsed, scenario=scenario, **base)
    # Moodle's type detection, in Moodle's order.
    if body == "":
        return "essay", None
    if hint != "shortanswer":
        if body.startswith("#"):
            return "numerical", ParsedQuestion(
                "numerical", choices=_typed("numerical", _numerical, body[1:], fmt), **base
            )
        if _find(body, "~") >= 0:
            return "multichoice", _typed("multichoice", _multichoice, body, fmt, base)
        if _find(body, "=") >= 0 and _find(body, "->") >= 0:
            return "matching", ParsedQuestion("matching", choices=_typed("matching", _matching, body, fmt), **base)
        fb_at = _find(body, "#")
        check = body[:fb_at].strip() if fb_at > 0 else body
        if check in ("T", "TRUE", "F", "FALSE"):
            return "truefalse", _truefalse(check, body[fb_at:] if fb_at > 0 else "", base)
    case_sensitive = directives.get("case", "").strip().lower() == "sensitive"
    return "shortanswer", ParsedQuestion(
        "shortanswer", choices=_typed("shortanswer", _typed_answers, body, fmt), case_sensitive=case_sensitive, **base
    )


def _plain(text: str, fmt: str) -> str:
    return html_to_text(text)[0] if fmt == "html" else text


def _answer(part: str, fmt: str) -> tuple[Decimal | None, str, str]:
    """(weight or None, text, feedback) of one answer: ``%50%text#feedback``."""
    stripped = part.strip()
    weight = None
    wm = _WEIGHT.match(stripped)
    if wm:
        weight = parse_percent(wm.group(1))
        stripped = stripped[wm.end() :]
    elif stripped.startswith("%") and _find(stripped, "%", 1) > 0:
        raise ValueError(f"bad weight in answer {unescape(stripped)[:40]!r}")
    fb_at = _find(stripped, "#")
    feedback = ""
    if fb_at >= 0:
        feedback = _plain(unescape(stripped[fb_at + 1 :]).strip(), fmt)
        stripped = stripped[:fb_at]
    return weight, _plain(unescape(stripped).strip(), fmt), feedback


def _split_unescaped_eq(body: str) -> list[str]:
    """Moodle's explode("=") on the unescaped text, the empty first part dropped."""
    parts, start = [], 0
    while True:
        at = _find(body, "=", start)
        if at < 0:
            parts.append(body[start:])
            break
        parts.append(body[start:at])
        start = at + 1
    if parts and not parts[0].strip():
        parts.pop(0)
    return parts


def _typed_answers(body: str, fmt: str) -> list[ParsedChoice]:
    """Short answer: ``=answer#feedback`` parts (or one bare answer); 100% unless weighted."""
    choices = []
    for part in _split_unescaped_eq(body):
        weight, text, feedback = _answer(part, fmt)
        choices.append(_credited(text, Decimal(100) if weight is None else weight, feedback))
    if not choices:
        raise ValueError("the answer block has no answers")
    return choices


def _credited(text, weight: Decimal, feedback, **extra) -> ParsedChoice:
    """A typed answer's credit stored the NetWise way: 100 = correct, 0 = not, else a weight."""
    correct = weight == 100
    return ParsedChoice(text, correct, None if weight in (0, 100) else weight, feedback, **extra)


def _number(raw: str) -> Decimal:
    raw = raw.strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{raw[:40]!r} is not a number") from None
    if not value.is_finite() or abs(value) > MAX_NUMBER:
        raise ValueError(f"{raw[:40]!r} is not a number between -10^15 and 10^15")
    return value


MAX_NUMBER = Decimal(10**15)


def number_text(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text


def _numerical(body: str, fmt: str) -> list[ParsedChoice]:
    """Moodle's numerical rules: ``=value:tolerance``, ``=min..max``, ``%n%`` credit,
    ``#feedback``; a trailing ``~#feedback`` is the feedback for any other number."""
    wrong_feedback = None
    tilde = _find(body, "~")
    if tilde >= 0:
        wrong_feedback = body[tilde + 1 :]
        body = body[:tilde]
    choices = []
    for part in _split_unescaped_eq(body):
        weight, raw, feedback = _answer(part, fmt)
        weight = Decimal(100) if weight is None else weight
        if raw.strip() == "*":
            choices.append(_credited("*", weight, feedback))
            continue
        if ".." in raw:
            low, high = (_number(x) for x in raw.split("..", 1))
            if high < low:
                raise ValueError(f"the range {raw[:40]!r} runs backwards")
            value, tolerance = (low + high) / 2, (high - low) / 2
        elif ":" in raw:
            value_raw, tolerance_raw = raw.split(":", 1)
            value, tolerance = _number(value_raw), abs(_number(tolerance_raw))
        else:
            value, tolerance = _number(raw), Decimal(0)
        choices.append(_credited(number_text(value), weight, feedback, tolerance=tolerance.normalize()))
    if not choices:
        raise ValueError("the numerical question has no answers")
    if wrong_feedback is not None:
        _, _, feedback = _answer("#" + wrong_feedback.lstrip().lstrip("#"), fmt)
        choices.append(_credited("*", Decimal(0), feedback))
    return choices


def _matching(body: str, fmt: str) -> list[ParsedChoice]:
    choices = []
    for part in _split_unescaped_eq(body):
        arrow = _find(part, "->")
        if arrow < 0:
            raise ValueError("every matching pair is written 'left -> right'")
        left = _plain(unescape(part[:arrow]).strip(), fmt)
        right = unescape(part[arrow + 2 :]).strip()
        choices.append(ParsedChoice(left, False, None, "", match=right))
    return choices


def _truefalse(check: str, feedback_part: str, base: dict) -> ParsedQuestion:
    truth = check.startswith("T")
    feedbacks = [unescape(x).strip() for x in _split_unescaped(feedback_part, "#")]
    # Moodle: {T#wrong-feedback#right-feedback}: first for a wrong answer, second for right.
    wrong_fb = feedbacks[0] if feedbacks else ""
    right_fb = feedbacks[1] if len(feedbacks) > 1 else ""
    choices = [
        ParsedChoice("True", truth, None, right_fb if truth else wrong_fb),
        ParsedChoice("False", not truth, None, wrong_fb if truth else right_fb),
    ]
    return ParsedQuestion("truefalse", choices=choices, **base)


def _multichoice(body: str, fmt: str, base: dict) -> ParsedQuestion:
    choices = [(marker, *_answer(part, fmt)) for marker, part in _split_answers(body)]
    if not choices:
        raise ValueError("the answer block has no answers")
    has_equals = any(m == "=" for m, *_ in choices)
    kind = "single" if has_equals else "multiple"
    parsed = []
    for marker, weight, answer_text, feedback in choices:
        if marker == "=":
            weight = Decimal(100) if weight is None else weight
        elif weight is None:
            weight = Decimal(0) if kind == "single" else None
        correct = weight == 100 if kind == "single" else (weight is not None and weight > 0)
        parsed.append(ParsedChoice(answer_text, correct, weight, feedback))
    if kind == "multiple" and all(c.weight is None for c in parsed):
        raise ValueError("a multiple-select question needs weights such as ~%50%")
    settle_weights(kind, parsed)
    return ParsedQuestion(kind, choices=parsed, **base)


def _split_unescaped(text: str, sep: str) -> list[str]:
    parts, start = [], 0
    if not text:
        return parts
    text = text[1:] if text.startswith(sep) else text
    while True:
        at = _find(text, sep, start)
        if at < 0:
            parts.append(text[start:])
            return parts
        parts.append(text[start:at])
        start = at + 1


def _fmt(value: Decimal) -> str:
    text = f"{Decimal(value):.5f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _credit_of(c) -> Decimal:
    return Decimal(c.weight) if c.weight is not None else Decimal(100 if c.correct else 0)


def _typed_line(c, qtype: str) -> str:
    """One short-answer or numerical answer: ``=%credit%answer#feedback``."""
    credit = _credit_of(c)
    fb = f"#{escape(c.feedback)}" if c.feedback else ""
    if qtype == "numerical":
        text = c.text.strip()
        if text != "*" and c.tolerance:
            text = f"{text}:{number_text(Decimal(c.tolerance))}"
    else:
        text = escape(c.text)
    weight = "" if credit == 100 and not text.startswith("%") else f"%{_fmt(credit)}%"
    return f"\t={weight}{text}{fb}"


def export(questions) -> str:
    out = []
    category = None
    for q in questions:
        if q.category != category:
            category = q.category
            out.append(f"$CATEGORY: $course$/top/{category}" if category else "$CATEGORY: $course$/top")
            out.append("")
        choices = list(q.choices.all())
        head = f"::{escape(q.title)}::{escape(q.text)}"
        general = f"####{escape(q.explanation)}" if q.explanation else ""
        if q.qtype == "truefalse":
            truth = next((c for c in choices if c.correct), choices[0]).text == "True"
            right = next((c.feedback for c in choices if c.correct), "")
            wrong = next((c.feedback for c in choices if not c.correct), "")
            fb = f"#{escape(wrong)}#{escape(right)}" if (right or wrong) else ""
            # A space keeps an empty right-answer feedback ("#") apart from "####".
            out.append(f"{head}{{{'TRUE' if truth else 'FALSE'}{fb}{' ' + general if general else ''}}}")
            out.append("")
            continue
        if q.qtype in ("ordering", "redflags"):
            out.append(f"// netwise-type: {q.qtype}")
            if q.scenario:
                out.append(f"// netwise-scenario: {escape(q.scenario)}")
        if q.qtype == "shortanswer":
            if any("->" in c.text for c in choices):
                out.append("// netwise-type: shortanswer")
            if q.case_sensitive:
                out.append("// netwise-case: sensitive")
        lines = [head + ("{#" if q.qtype == "numerical" else "{")]
        parsed = [ParsedChoice(c.text, c.correct, c.weight) for c in choices]
        for c, pc in zip(choices, parsed):
            fb = f" #{escape(c.feedback)}" if c.feedback else ""
            keep = "%0%" if c.text.startswith("%") else ""  # a text that would read as a weight
            if q.qtype == "ordering":
                lines.append(f"\t={keep}{escape(c.text)}{fb}")
            elif q.qtype == "redflags":
                lines.append(f"\t{'=' if c.correct else '~'}{keep}{escape(c.text)}{fb}")
            elif q.qtype in ("shortanswer", "numerical"):
                lines.append(_typed_line(c, q.qtype))
            elif q.qtype == "matching":
                lines.append(f"\t={escape(c.text)} -> {escape(c.match_text)}")
            elif q.qtype == "single":
                w = c.weight if c.weight is not None else default_weight("single", parsed, pc)
                marker = "=" if w == 100 else (f"~%{_fmt(w)}%" if w else "~")
                if c.text.startswith("%") and marker in ("=", "~"):  # a text that would read as a weight
                    marker += f"%{_fmt(w)}%"
                lines.append(f"\t{marker}{escape(c.text)}{fb}")
            else:
                w = c.weight if c.weight is not None else default_weight("multiple", parsed, pc)
                lines.append(f"\t~%{_fmt(w)}%{escape(c.text)}{fb}")
        if general:
            lines.append(f"\t{general}")
        lines.append("}")
        out.extend(lines)
        out.append("")
    return "\n".join(out)
