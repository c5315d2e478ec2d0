"""What a parser returns: questions to create, skipped questions with reasons, warnings,
and file-level errors. A question that cannot be read or marked is skipped and named (line,
question); only a file that cannot be read at all has errors."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from ..validation import choice_problems

NETWISE_TYPE_TAG = "netwise-type:"


@dataclass
class ParsedChoice:
    text: str
    correct: bool = False
    weight: Decimal | None = None  # percent; None = the type's default rule
    feedback: str = ""
    match: str = ""  # matching: the right item
    tolerance: Decimal | None = None  # numerical

    @property
    def match_text(self) -> str:
        return self.match


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
    image_alt: str = ""
    case_sensitive: bool = False
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
    errors: list[ImportIssue] = field(default_factory=list)  # the file cannot be read at all
    warnings: list[ImportIssue] = field(default_factory=list)  # imported, with something left out

    @property
    def ok(self) -> bool:
        return not self.errors

    def accept(self, parsed: ParsedQuestion, *, line, question) -> None:
        """Keep a parsed question if it can be marked; else skip it, naming why."""
        problems = validate(parsed)
        if problems:
            self.skip(question, parsed.qtype, "; ".join(problems), line)
        else:
            self.questions.append(parsed)

    def skip(self, title: str, source_type: str, reason: str, line=None) -> None:
        self.skipped.append(Skipped(title, source_type, reason, line))

    def warn(self, message: str, *, line=None, question: str = "") -> None:
        self.warnings.append(ImportIssue(message, line=line, question=question))

    def finish(self) -> ImportResult:
        if not self.questions and not self.skipped and not self.errors:
            self.errors.append(ImportIssue("the file contains no questions"))
        return self

    def counts_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for q in self.questions:
            counts[q.qtype] = counts.get(q.qtype, 0) + 1
        return counts

    def summary(self, *, dry_run: bool = False) -> str:
        """ "imported N, skipped M (reasons)": one line, the reasons with line and name."""
        verb = "would import" if dry_run else "imported"
        if self.errors:
            return "nothing imported: " + "; ".join(str(e) for e in self.errors)
        reasons = "; ".join(describe_skip(s) for s in self.skipped)
        return f"{verb} {len(self.questions)}, skipped {len(self.skipped)}" + (f" ({reasons})" if reasons else "")


def describe_skip(s: Skipped) -> str:
    where = f"line {s.line}, " if s.line else ""
    return f"{where}{s.title!r} ({s.source_type}): {s.reason}"


def clean_category(raw: str) -> str:
    """Moodle's "$course$/top/A/B" (or "$system$/...") as NetWise keeps it: "A/B"; the bare
    top category is no category."""
    category = raw.strip().replace("$course$/", "").replace("$system$/", "").strip("/")
    if category == "top":
        return ""
    return category.removeprefix("top/").strip("/")


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
    """Problems that make `q` unimportable (the admin form's rules, quizzes.validation)."""
    problems = []
    if not q.text.strip():
        problems.append("the question has no text")
    if len(q.title) > 255:
        problems.append("the title is longer than 255 characters")
    problems.extend(str(p) for p in choice_problems(q.qtype, q.choices))
    return problems
