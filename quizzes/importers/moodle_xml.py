"""Moodle XML import and export (parsed with defusedxml: no entity or DTD tricks).

Per question, never per file: a question of a type NetWise does not mark, or one that cannot
be read, is skipped and named; embedded images are kept (re-encoded through Pillow, with a
pixel limit against decompression bombs), other embedded media are dropped with a warning."""

from __future__ import annotations

import base64
import binascii
import html
import io
import re
import warnings
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote
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
    clean_category,
    default_weight,
    html_to_text,
    parse_percent,
    settle_weights,
    text_to_html,
)

SKIP_REASONS = {
    "essay": "essays need a person to mark them",
    "randomsamatch": "random matching questions draw from a Moodle category, not a question",
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
SUPPORTED = {"multichoice", "truefalse", "ordering", "order", "shortanswer", "numerical", "matching"}
SCENARIO_RE = re.compile(r'<pre class="netwise-scenario">(.*?)</pre>', re.S | re.I)
MAX_IMAGE_PIXELS = 20_000_000  # decompression-bomb guard for embedded images
MAX_NUMBER = Decimal(10**15)


def _text(el, path: str, default: str = "") -> str:
    found = el.find(path)
    return found.text or default if found is not None and found.text else default


def _question_lines(raw: str) -> list[int]:
    """The line of each <question> (one pass over the text, not one per question)."""
    lines, line, last = [], 1, 0
    for m in re.finditer(r"<question\b", raw):
        line += raw.count("\n", last, m.start())
        last = m.start()
        lines.append(line)
    return lines


def parse(data: bytes | str) -> ImportResult:
    result = ImportResult()
    raw = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    try:
        root = SafeET.fromstring(raw.encode("utf-8"))
    except DefusedXmlException as exc:
        result.errors.append(
            ImportIssue(
                f"the file declares XML entities or external references ({exc.__class__.__name__}), "
                "which NetWise refuses: this is how 'billion laughs' attacks work"
            )
        )
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
            category = clean_category(_text(el, "category/text"))
            continue
        name = (_text(el, "name/text").strip() or f"Question {index + 1}")[:255]
        try:
            parsed = _parse_question(el, qtype, name, category, line, result)
        except ValueError as exc:
            result.skip(name, qtype, str(exc), line)
            continue
        except Exception as exc:  # noqa: BLE001 - one odd question never sinks the file
            result.skip(name, qtype, f"could not be read ({exc.__class__.__name__})", line)
            continue
        if parsed is None:
            continue
        result.accept(parsed, line=line, question=name)
    return result.finish()


def _number(raw: str) -> Decimal:
    raw = (raw or "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{raw[:40]!r} is not a number") from None
    if not value.is_finite() or abs(value) > MAX_NUMBER:
        raise ValueError(f"{raw[:40]!r} is not a number between -10^15 and 10^15")
    return value


def _number_text(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text


def _credited(text, weight: Decimal, feedback, **extra) -> ParsedChoice:
    return ParsedChoice(text, weight == 100, None if weight in (0, 100) else weight, feedback, **extra)


def _answer_text(ans) -> str:
    raw = _text(ans, "text")
    if (ans.get("format") or "") == "html":
        return html_to_text(raw)[0]
    return raw.strip()


def _parse_question(el, qtype, name, category, line, result):
    tags = [(_text(t, "text") or "").strip() for t in el.findall("tags/tag")]
    override = next((t[len(NETWISE_TYPE_TAG) :] for t in tags if t.startswith(NETWISE_TYPE_TAG)), None)
    if qtype not in SUPPORTED:
        reason = SKIP_REASONS.get(qtype, f"'{qtype}' questions are not a NetWise question type")
        result.skip(name, qtype or "unknown", reason, line)
        return None
    markup = _text(el, "questiontext/text")
    scenario = ""
    match = SCENARIO_RE.search(markup)
    if match:
        scenario = html.unescape(match.group(1)).strip()
        markup = SCENARIO_RE.sub("", markup)
    text, images = html_to_text(markup)
    image, image_alt = _embedded_files(el, images, name, line, result)
    try:
        points = Decimal(_text(el, "defaultgrade", "1").strip() or "1").quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValueError("defaultgrade is not a number") from None
    if not points.is_finite() or not 0 < points < 10000:
        raise ValueError("defaultgrade must be between 0 and 10000")
    explanation, _ = html_to_text(_text(el, "generalfeedback/text"))
    common = {
        "title": name,
        "text": text,
        "explanation": explanation,
        "scenario": scenario,
        "points": points,
        "category": category,
        "image": image,
        "image_alt": image_alt,
        "line": line,
    }
    if qtype == "shortanswer":
        usecase = _text(el, "usecase", "0").strip().lower() in ("1", "true")
        choices = [
            _credited(_answer_text(a), parse_percent(a.get("fraction", "0")), _feedback(a))
            for a in el.findall("answer")
        ]
        return ParsedQuestion("shortanswer", choices=choices, case_sensitive=usecase, **common)
    if qtype == "numerical":
        if any(_text(u, "unit_name").strip() for u in el.findall("units/unit")):
            result.warn("units are ignored: learners type the number only", line=line, question=name)
        choices = []
        for a in el.findall("answer"):
            raw = _answer_text(a)
            weight = parse_percent(a.get("fraction", "0"))
            if raw == "*":
                choices.append(_credited("*", weight, _feedback(a)))
                continue
            tolerance = abs(_number(_text(a, "tolerance", "0") or "0"))
            choices.append(_credited(_number_text(_number(raw)), weight, _feedback(a), tolerance=tolerance.normalize()))
        return ParsedQuestion("numerical", choices=choices, **common)
    if qtype == "matching":
        choices = []
        for sub in el.findall("subquestion"):
            left = (
                html_to_text(_text(sub, "text"))[0] if (sub.get("format") or "html") == "html" else _text(sub, "text")
            )
            right = _text(sub, "answer/text").strip()
            if left.strip() or right:
                choices.append(ParsedChoice(left.strip(), False, None, "", match=right))
        return ParsedQuestion("matching", choices=choices, **common)
    if qtype == "order":  # the legacy third-party type: subquestions, each with its position
        subs = el.findall("subquestion")
        steps = []
        for position, sub in enumerate(subs):
            try:
                rank = Decimal(_text(sub, "answer/text", str(position)).strip())
            except ArithmeticError:
                rank = Decimal(position)
            steps.append((rank, position, html_to_text(_text(sub, "text"))[0]))
        choices = [ParsedChoice(t) for _, _, t in sorted(steps)]
        return ParsedQuestion("ordering", choices=choices, **common)
    choices = []
    for ans in el.findall("answer"):
        answer_text, _ = html_to_text(_text(ans, "text"))
        weight = parse_percent(ans.get("fraction", "0")) if qtype != "ordering" else None
        choices.append(ParsedChoice(answer_text, weight is not None and weight > 0, weight, _feedback(ans)))
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
    return ParsedQuestion(qtype=kind, choices=choices, **common)


def _feedback(ans) -> str:
    return html_to_text(_text(ans, "feedback/text"))[0]


def _embedded_files(el, images, name, line, result) -> tuple[tuple[str, bytes] | None, str]:
    """The question's image (the first embedded image of its text, re-encoded) and its alt
    text; every other embedded file is dropped with a warning, never an error."""
    kept, alt = None, ""
    in_text = {id(f) for f in el.findall("questiontext/file")}
    for file_el in el.iter("file"):
        file_name = file_el.get("name") or "file"
        if id(file_el) not in in_text:
            result.warn(f"file {file_name!r} dropped: only the question text's image is kept", line=line, question=name)
            continue
        if (file_el.get("encoding") or "base64") != "base64":
            result.warn(f"file {file_name!r} dropped: not base64", line=line, question=name)
            continue
        try:
            payload = base64.b64decode((file_el.text or "").strip(), validate=True)
        except (binascii.Error, ValueError):
            result.warn(f"file {file_name!r} dropped: not valid base64", line=line, question=name)
            continue
        try:
            image = reencode_image(payload, file_name)
        except ValueError as exc:
            result.warn(f"file {file_name!r} dropped: {exc}", line=line, question=name)
            continue
        if kept is not None:
            result.warn(f"image {file_name!r} dropped: a question keeps one image", line=line, question=name)
            continue
        kept = image
        alt = next((a for src, a in images if unquote(src.rsplit("/", 1)[-1]) == file_name), "")
    return kept, alt[:255]


def reencode_image(payload: bytes, name: str) -> tuple[str, bytes]:
    """(name, bytes) of the image re-encoded by Pillow (PNG, or JPEG for photos): what is
    stored is pixels NetWise wrote, not the uploaded bytes. ValueError if not an image or
    larger than MAX_IMAGE_PIXELS."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(payload)) as img:
                if img.width * img.height > MAX_IMAGE_PIXELS:
                    raise ValueError(f"the image is larger than {MAX_IMAGE_PIXELS // 1_000_000} megapixels")
                photo = img.format == "JPEG"
                img.load()
                frame = img.convert("RGB") if photo else img.convert("RGBA")
                out = io.BytesIO()
                frame.save(out, "JPEG" if photo else "PNG", quality=90)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValueError("the image is too large to decode safely") from None
        except (UnidentifiedImageError, OSError, SyntaxError, EOFError):
            raise ValueError("only images are kept (audio, video and documents are not)") from None
    stem = name.rsplit(".", 1)[0] or "image"
    return f"{stem}.{'jpg' if photo else 'png'}", out.getvalue()


def _add_text(parent, tag, value, fmt=None, cdata_html=False):
    node = SubElement(parent, tag)
    if fmt:
        node.set("format", fmt)
    SubElement(node, "text").text = value
    return node


MOODLE_TYPES = {
    "truefalse": "truefalse",
    "ordering": "ordering",
    "shortanswer": "shortanswer",
    "numerical": "numerical",
    "matching": "matching",
}


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
        moodle_type = MOODLE_TYPES.get(q.qtype, "multichoice")
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
        if q.qtype == "shortanswer":
            SubElement(node, "usecase").text = "1" if q.case_sensitive else "0"
        if q.qtype == "matching":
            SubElement(node, "shuffleanswers").text = "true"
            for c in choices:
                sub = SubElement(node, "subquestion", format="html")
                SubElement(sub, "text").text = text_to_html(c.text)
                answer = SubElement(sub, "answer")
                SubElement(answer, "text").text = c.match_text
            continue
        parsed = [ParsedChoice(c.text, c.correct, c.weight) for c in choices]
        for c, pc in zip(choices, parsed):
            if q.qtype == "ordering":
                fraction = Decimal(100)
            elif q.qtype == "redflags":
                fraction = Decimal(100) / max(1, sum(x.correct for x in parsed)) if c.correct else Decimal(0)
            elif q.qtype in ("shortanswer", "numerical"):
                fraction = c.weight if c.weight is not None else Decimal(100 if c.correct else 0)
            else:
                fraction = c.weight if c.weight is not None else default_weight(q.qtype, parsed, pc)
            if q.qtype == "truefalse":
                text = c.text.lower()
            elif q.qtype in ("shortanswer", "numerical"):
                text = c.text.strip()
            else:
                text = text_to_html(c.text)
            plain = q.qtype in ("truefalse", "shortanswer", "numerical")
            ans = SubElement(node, "answer", fraction=_fmt(fraction), format="moodle_auto_format" if plain else "html")
            SubElement(ans, "text").text = text
            _add_text(ans, "feedback", text_to_html(c.feedback), fmt="html")
            if q.qtype == "numerical":
                SubElement(ans, "tolerance").text = _number_text(Decimal(c.tolerance or 0))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _fmt(value: Decimal) -> str:
    text = f"{Decimal(value):.5f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"
