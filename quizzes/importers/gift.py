"""GIFT import and export, as Moodle documents it and teachers write it.

NetWise-only types ride in GIFT comments, which Moodle ignores:
``// netwise-type: ordering`` (answers ``=step`` in the correct order) and
``// netwise-type: redflags`` (``=risky item`` / ``~safe item``), with
``// netwise-scenario: ...`` (GIFT-escaped, ``\\n`` for new lines).
"""

from __future__ import annotations

import re
from decimal import Decimal

from .base import (
    ImportIssue,
    ImportResult,
    ParsedChoice,
    ParsedQuestion,
    Skipped,
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
            m = re.match(r"//\s*netwise-(type|scenario):\s?(.*)$", stripped)
            if m:
                pending[m.group(1)] = m.group(2).strip()
            continue
        if not stripped:
            if current:
                yield start, current, directives, category
                current, start, directives = [], None, {}
            continue
        if not current and stripped.startswith("$CATEGORY:"):
            category = stripped[len("$CATEGORY:") :].strip()
            category = category.replace("$course$/", "").removeprefix("top/").strip("/")
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
        title = f"Question {count}"
        try:
            title, parsed = _parse_block(source, line, directives, category, count, result)
        except ValueError as exc:
            m = re.match(r"\s*::(.*?)::", source)
            result.errors.append(ImportIssue(str(exc), line=line, question=unescape(m.group(1)) if m else title))
            continue
        if parsed is None:
            continue
        result.accept(parsed, line=line, question=title)
    return result.finish()


def _parse_block(source, line, directives, category, count, result):
    title = f"Question {count}"
    rest = source.strip()
    if rest.startswith("::"):
        end = _find(rest, "::", 2)
        if end < 0:
            raise ValueError("the title is not closed with ::")
        title = unescape(rest[2:end]).strip() or title
        rest = rest[end + 2 :].lstrip()
    open_at = _find(rest, "{")
    if open_at < 0:
        if _find(rest, "}") >= 0:
            raise ValueError("'}' without '{'")
        result.skipped.append(Skipped(title, "description", "a description is not a question", line))
        return title, None
    close_at = _find(rest, "}", open_at)
    if close_at < 0:
        raise ValueError("the answer block '{' is never closed with '}'")
    if _find(rest, "{", close_at) >= 0:
        raise ValueError("more than one answer block")
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
        explanation = unescape(block[general + 4 :]).strip()
        if fmt == "html":
            explanation, _ = html_to_text(explanation)
        block = block[:general]
    body = block.strip()
    kind_hint = directives.get("type")
    if body == "":
        result.skipped.append(Skipped(title, "essay", "essays need a person to mark them", line))
        return title, None
    if body.startswith("#"):
        result.skipped.append(Skipped(title, "numerical", "numerical answers are not a NetWise question type", line))
        return title, None
    tf = re.match(r"(TRUE|FALSE|T|F)\s*(#.*)?$", body, re.S)
    if tf and kind_hint is None:
        truth = tf.group(1).startswith("T")
        feedbacks = [unescape(x).strip() for x in _split_unescaped(tf.group(2) or "", "#")]
        # Moodle: {T#wrong-feedback#right-feedback}: first for a wrong answer, second for right.
        wrong_fb = feedbacks[0] if feedbacks else ""
        right_fb = feedbacks[1] if len(feedbacks) > 1 else ""
        choices = [
            ParsedChoice("True", truth, None, right_fb if truth else wrong_fb),
            ParsedChoice("False", not truth, None, wrong_fb if truth else right_fb),
        ]
        return title, ParsedQuestion("truefalse", title, text, choices, explanation, category=category, line=line)
    answers = _split_answers(body)
    if not answers:
        raise ValueError("the answer block has no answers")
    choices = []
    for marker, part in answers:
        if _find(part, "->") >= 0:
            result.skipped.append(
                Skipped(title, "matching", "matching questions are not a NetWise question type", line)
            )
            return title, None
        weight = None
        stripped = part.strip()
        wm = re.match(r"%(-?[0-9.]+)%", stripped)
        if wm:
            weight = parse_percent(wm.group(1))
            stripped = stripped[wm.end() :]
        elif stripped.startswith("%"):
            raise ValueError(f"bad weight in answer {unescape(stripped)[:40]!r}")
        fb_at = _find(stripped, "#")
        feedback = ""
        if fb_at >= 0:
            feedback = unescape(stripped[fb_at + 1 :]).strip()
            stripped = stripped[:fb_at]
        answer_text = unescape(stripped).strip()
        if fmt == "html":
            answer_text, _ = html_to_text(answer_text)
            feedback, _ = html_to_text(feedback)
        choices.append((marker, weight, answer_text, feedback))
    if kind_hint in ("ordering", "redflags"):
        parsed = [ParsedChoice(t, kind_hint == "redflags" and m == "=", None, fb) for m, _, t, fb in choices]
        scenario = unescape(directives.get("scenario", ""))
        return title, ParsedQuestion(
            kind_hint, title, text, parsed, explanation, scenario=scenario, category=category, line=line
        )
    if all(m == "=" for m, *_ in choices):
        result.skipped.append(
            Skipped(title, "shortanswer", "typed short answers are not a NetWise question type", line)
        )
        return title, None
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
    return title, ParsedQuestion(kind, title, text, parsed, explanation, category=category, line=line)


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
            out.append(f"{head}{{{'TRUE' if truth else 'FALSE'}{fb}{general}}}")
            out.append("")
            continue
        if q.qtype in ("ordering", "redflags"):
            out.append(f"// netwise-type: {q.qtype}")
            if q.scenario:
                out.append(f"// netwise-scenario: {escape(q.scenario)}")
        lines = [head + "{"]
        parsed = [ParsedChoice(c.text, c.correct, c.weight) for c in choices]
        for c, pc in zip(choices, parsed):
            fb = f" #{escape(c.feedback)}" if c.feedback else ""
            if q.qtype == "ordering":
                lines.append(f"\t={escape(c.text)}{fb}")
            elif q.qtype == "redflags":
                lines.append(f"\t{'=' if c.correct else '~'}{escape(c.text)}{fb}")
            elif q.qtype == "single":
                w = c.weight if c.weight is not None else default_weight("single", parsed, pc)
                marker = "=" if w == 100 else (f"~%{_fmt(w)}%" if w else "~")
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
