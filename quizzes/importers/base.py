"""What a parser returns: questions to create, skipped questions with reasons, errors."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

NETWISE_TYPE_TAG = "netwise-type:"


@dataclass
class ParsedChoice:
    text: str
    correct: bool = False
    weight: Decimal | None = None  # percent; None = the type's default rule
    feedback: str = ""


@dataclass
class ParsedQuestion:
    qtype: str
    title: str
    text: str
    choices: list[ParsedChoice] = field(default_factory=list)
    explanation: str = ""
    scenario: str = ""
    points: Decimal = Decimal("1")
    category: str = ""
    image: tuple[str, bytes] | None = None
    line: int | None = None


@dataclass
class Skipped:
    title: str
    source_type: str
    reason: str
    line: int | None = None


@dataclass
class ImportIssue:
    message: str
    line: int | None = None
    question: str = ""

    def __str__(self):
        where = []
        if self.line:
            where.append(f"line {self.line}")
        if self.question:
            where.append(f"question {self.question!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def accept(self, parsed: ParsedQuestion, *, line, question) -> None:
        """Keep a parsed question, recording each validation problem against its line."""
        for problem in validate(parsed):
            self.errors.append(ImportIssue(problem, line=line, question=question))
        self.questions.append(parsed)

    def finish(self) -> ImportResult:
        if not self.questions and not self.skipped and not self.errors:
            self.errors.append(ImportIssue("the file contains no questions"))
        return self

    def counts_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for q in self.questions:
            counts[q.qtype] = counts.get(q.qtype, 0) + 1
        return counts


def parse_percent(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError):
        raise ValueError(f"weight {raw!r} is not a number") from None
    if not value.is_finite() or value < -100 or value > 100:
        raise ValueError(f"weight {raw!r} must be between -100 and 100")
    return value


def default_weight(qtype: str, choices: list[ParsedChoice], choice: ParsedChoice):
    """The percent the scoring rule gives `choice` when no explicit weight is stored."""
    if qtype == "multiple":
        n = sum(1 for c in choices if c.correct) or 1
        return Decimal(100 if choice.correct else -100) / n
    return Decimal(100 if choice.correct else 0)


def settle_weights(qtype: str, choices: list[ParsedChoice]) -> None:
    """Drop explicit weights equal (to 0.001%) to the default rule, so exports round-trip."""
    for c in choices:
        if c.weight is None:
            continue
        if abs(c.weight - default_weight(qtype, choices, c)) < Decimal("0.001"):
            c.weight = None


class _TextExtractor(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images: list[tuple[str, str]] = []  # (src, alt)

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.parts.append("\n")
        if tag == "img":
            a = dict(attrs)
            self.images.append((a.get("src") or "", a.get("alt") or ""))

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, list[tuple[str, str]]]:
    """Plain text (paragraphs kept as newlines) and the images referenced by `markup`."""
    parser = _TextExtractor()
    parser.feed(markup or "")
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    out = re.sub(r"\n{2,}", "\n", "\n".join(line for line in lines if line))
    return out.strip(), parser.images


def text_to_html(text: str) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line)


def validate(q: ParsedQuestion) -> list[str]:
    """Problems that make `q` unimportable."""
    problems = []
    if not q.text.strip():
        problems.append("the question has no text")
    if len(q.choices) < 2:
        problems.append("the question needs at least two options")
    if any(not c.text.strip() for c in q.choices):
        problems.append("an option has no text")
    correct = sum(1 for c in q.choices if c.correct)
    if q.qtype in ("single", "truefalse", "multiple") and correct == 0:
        problems.append("no option is marked correct")
    if q.qtype == "truefalse" and correct != 1:
        problems.append("a true/false question has exactly one correct answer")
    if len(q.title) > 255:
        problems.append("the title is longer than 255 characters")
    return problems
