"""Moodle XML import and export (parsed with defusedxml: no entity or DTD tricks)."""

from __future__ import annotations

import base64
import binascii
import html
import io
import re
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from PIL import Image, UnidentifiedImageError

from .base import (
    NETWISE_TYPE_TAG,
    ImportIssue,
    ImportResult,
    ParsedChoice,
    ParsedQuestion,
    Skipped,
    default_weight,
    html_to_text,
    parse_percent,
    settle_weights,
    text_to_html,
)

SKIP_REASONS = {
    "numerical": "numerical answers need numeric marking, which NetWise does not do",
    "essay": "essays need a person to mark them",
    "shortanswer": "typed short answers are not a NetWise question type",
    "matching": "matching questions are not a NetWise question type",
    "randomsamatch": "random matching questions are not a NetWise question type",
    "multianswer": "embedded-answer (cloze) questions are not a NetWise question type",
    "description": "a description is not a question",
    "calculated": "calculated questions need formula marking",
    "calculatedsimple": "calculated questions need formula marking",
    "calculatedmulti": "calculated questions need formula marking",
    "ddwtos": "drag-and-drop questions are not a NetWise question type",
    "gapselect": "select-missing-word questions are not a NetWise question type",
    "ddimageortext": "drag-and-drop questions are not a NetWise question type",
    "ddmarker": "drag-and-drop questions are not a NetWise question type",
    "random": "random questions refer to a Moodle category, not a question",
}
SCENARIO_RE = re.compile(r'<pre class="netwise-scenario">(.*?)</pre>', re.S | re.I)


def _text(el, path: str, default: str = "") -> str:
    found = el.find(path)
    return found.text or default if found is not None and found.text else default


def _question_lines(raw: str) -> list[int]:
    return [raw.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<question\b", raw)]


def parse(data: bytes | str) -> ImportResult:
    result = ImportResult()
    raw = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    try:
        root = SafeET.fromstring(raw.encode("utf-8"))
    except DefusedXmlException as exc:
        result.errors.append(ImportIssue(f"forbidden XML construct ({exc.__class__.__name__})"))
        return result
    except SafeET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        result.errors.append(ImportIssue(f"malformed XML: {exc}", line=line))
        return result
    if root.tag != "quiz":
        result.errors.append(ImportIssue("the root element must be <quiz>", line=1))
        return result
    lines = _question_lines(raw)
    category = ""
    for index, el in enumerate(root.findall("question")):
        line = lines[index] if index < len(lines) else None
        qtype = el.get("type", "")
        if qtype == "category":
            category = _text(el, "category/text").replace("$course$/", "").replace("$system$/", "")
            category = category.removeprefix("top/").strip("/")
            continue
        name = _text(el, "name/text").strip() or f"Question {index + 1}"
        try:
            parsed = _parse_question(el, qtype, name, category, line, result)
        except ValueError as exc:
            result.errors.append(ImportIssue(str(exc), line=line, question=name))
            continue
        if parsed is None:
            continue
        result.accept(parsed, line=line, question=name)
    return result.finish()


def _parse_question(el, qtype, name, category, line, result):
    tags = [(_text(t, "text") or "").strip() for t in el.findall("tags/tag")]
    override = next((t[len(NETWISE_TYPE_TAG) :] for t in tags if t.startswith(NETWISE_TYPE_TAG)), None)
    if qtype in SKIP_REASONS or qtype not in ("multichoice", "truefalse", "ordering"):
        reason = SKIP_REASONS.get(qtype, f"'{qtype}' questions are not a NetWise question type")
        result.skipped.append(Skipped(name, qtype, reason, line))
        return None
    markup = _text(el, "questiontext/text")
    scenario = ""
    match = SCENARIO_RE.search(markup)
    if match:
        scenario = html.unescape(match.group(1)).strip()
        markup = SCENARIO_RE.sub("", markup)
    text, images = html_to_text(markup)
    image = None
    for file_el in el.findall("questiontext/file"):
        if (file_el.get("encoding") or "base64") != "base64":
            raise ValueError("embedded files must be base64")
        try:
            payload = base64.b64decode((file_el.text or "").strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"embedded file {file_el.get('name')!r} is not valid base64") from None
        _check_image(payload, file_el.get("name") or "image")
        image = image or (file_el.get("name") or "image.png", payload)
    try:
        points = Decimal(_text(el, "defaultgrade", "1").strip() or "1").quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValueError("defaultgrade is not a number") from None
    if not points.is_finite() or not 0 < points < 10000:
        raise ValueError("defaultgrade must be between 0 and 10000")
    explanation, _ = html_to_text(_text(el, "generalfeedback/text"))
    choices = []
    for ans in el.findall("answer"):
        answer_text, _ = html_to_text(_text(ans, "text"))
        feedback, _ = html_to_text(_text(ans, "feedback/text"))
        weight = parse_percent(ans.get("fraction", "0"))
        choices.append(ParsedChoice(answer_text, weight > 0, weight, feedback))
    if qtype == "truefalse":
        kind = "truefalse"
        for c in choices:
            c.text = {"true": "True", "false": "False"}.get(c.text.lower(), c.text)
            c.correct = c.weight == 100
            c.weight = None
        choices.sort(key=lambda c: c.text != "True")
    elif qtype == "ordering":
        kind = "ordering"
        for c in choices:
            c.correct, c.weight = False, None
    else:
        single = _text(el, "single", "true").strip().lower() in ("true", "1")
        kind = "single" if single else "multiple"
        if override == "redflags":
            kind = "redflags"
        if kind == "single":
            for c in choices:
                c.correct = c.weight == 100
        if kind == "redflags":
            for c in choices:
                c.weight = None
        else:
            settle_weights(kind, choices)
    return ParsedQuestion(
        qtype=kind,
        title=name,
        text=text,
        choices=choices,
        explanation=explanation,
        scenario=scenario,
        points=points,
        category=category,
        image=image,
        line=line,
    )


def _check_image(payload: bytes, name: str) -> None:
    try:
        with Image.open(io.BytesIO(payload)) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValueError(f"embedded file {name!r} is not an image") from None


def _add_text(parent, tag, value, fmt=None, cdata_html=False):
    node = SubElement(parent, tag)
    if fmt:
        node.set("format", fmt)
    SubElement(node, "text").text = value
    return node


def export(questions) -> str:
    """Moodle XML for `questions` (Question instances with choices)."""
    root = Element("quiz")
    category = None
    for q in questions:
        if q.category != category:
            category = q.category
            cat = SubElement(root, "question", type="category")
            _add_text(cat, "category", "$course$/top/" + category if category else "$course$/top")
        choices = list(q.choices.all())
        moodle_type = {"truefalse": "truefalse", "ordering": "ordering"}.get(q.qtype, "multichoice")
        node = SubElement(root, "question", type=moodle_type)
        _add_text(node, "name", q.title)
        markup = text_to_html(q.text)
        if q.scenario:
            markup += f'<pre class="netwise-scenario">{html.escape(q.scenario)}</pre>'
        qt = _add_text(node, "questiontext", markup, fmt="html")
        if q.image_id:
            with q.image.file.open("rb") as fh:
                payload = fh.read()
            name = q.image.file.name.rsplit("/", 1)[-1]
            qt.find("text").text = markup + (
                f'<p><img src="@@PLUGINFILE@@/{html.escape(name)}" alt="{html.escape(q.image_alt)}"></p>'
            )
            f = SubElement(qt, "file", name=name, path="/", encoding="base64")
            f.text = base64.b64encode(payload).decode()
        _add_text(node, "generalfeedback", text_to_html(q.explanation), fmt="html")
        SubElement(node, "defaultgrade").text = f"{q.points:.7f}"
        if moodle_type == "multichoice":
            SubElement(node, "single").text = "true" if q.qtype == "single" else "false"
            SubElement(node, "shuffleanswers").text = "true"
            SubElement(node, "answernumbering").text = "abc"
        if q.qtype == "redflags":
            tags = SubElement(node, "tags")
            _add_text(tags, "tag", NETWISE_TYPE_TAG + "redflags")
        parsed = [ParsedChoice(c.text, c.correct, c.weight) for c in choices]
        for c, pc in zip(choices, parsed):
            if q.qtype == "ordering":
                fraction = Decimal(100)
            elif q.qtype == "redflags":
                fraction = Decimal(100) / max(1, sum(x.correct for x in parsed)) if c.correct else Decimal(0)
            else:
                fraction = c.weight if c.weight is not None else default_weight(q.qtype, parsed, pc)
            text = c.text.lower() if q.qtype == "truefalse" else text_to_html(c.text)
            ans = SubElement(
                node,
                "answer",
                fraction=_fmt(fraction),
                format="moodle_auto_format" if q.qtype == "truefalse" else "html",
            )
            SubElement(ans, "text").text = text
            _add_text(ans, "feedback", text_to_html(c.feedback), fmt="html")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _fmt(value: Decimal) -> str:
    text = f"{Decimal(value):.5f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"
