"""Question bank import/export: Moodle XML and GIFT. `parse` never writes; `save` is all or
nothing (one transaction). Imports are per question: `parse` skips and names what it cannot
read or mark (ImportResult.skipped) and fails only for a file it cannot read at all."""

from __future__ import annotations

import codecs
import io
import re

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model

from ..models import Choice, Question
from . import gift, moodle_xml
from .base import ImportIssue, ImportResult, ParsedQuestion, Skipped, describe_skip  # noqa: F401

FORMATS = {"moodle-xml": moodle_xml, "gift": gift}
MAX_BYTES = 5 * 1024 * 1024


class ImportRejected(Exception):
    def __init__(self, result: ImportResult):
        super().__init__("; ".join(str(e) for e in result.errors))
        self.result = result


def detect_format(filename: str, data: bytes) -> str:
    name = (filename or "").lower()
    if name.endswith(".xml") or data.lstrip()[:5] in (b"<?xml", b"<quiz"):
        return "moodle-xml"
    return "gift"


_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _rejected(message: str, line=None) -> ImportResult:
    result = ImportResult()
    result.errors.append(ImportIssue(message, line=line))
    return result


def _decode(data: bytes, fmt: str) -> str | ImportResult:
    """UTF-8 (with or without BOM), or for XML the encoding its declaration names."""
    declared = _XML_ENCODING.match(data[:200]) if fmt == "moodle-xml" else None
    if declared and codecs_name(declared.group(1).decode()) not in ("utf-8", "utf-8-sig"):
        name = declared.group(1).decode()
        try:
            text = data.decode(name)
        except LookupError:
            return _rejected(f"the file declares an unknown encoding {name!r}", line=1)
        except UnicodeDecodeError as exc:
            return _rejected(f"the file is not valid {name}", line=data[: exc.start].count(b"\n") + 1)
        # The parser reads UTF-8 from here on: say so in the declaration.
        return re.sub(r"""(<\?xml[^>]*?encoding\s*=\s*["'])[A-Za-z0-9._-]+""", r"\1UTF-8", text, count=1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return _rejected("the file is not UTF-8 text and declares no other encoding", line=line)


def decode(data: bytes, fmt: str) -> str | ImportResult:
    """The file as text (see parse), or an ImportResult with the error."""
    if len(data) > MAX_BYTES:
        return _rejected(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files")
    return _decode(data, fmt)


def codecs_name(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


def parse(data: bytes | str, fmt: str) -> ImportResult:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if len(data) > MAX_BYTES:
        return _rejected(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files")
    if isinstance(data, bytes):
        data = _decode(data, fmt)
        if isinstance(data, ImportResult):
            return data
    if not data.strip():
        return _rejected("the file is empty")
    return FORMATS[fmt].parse(data)


def save(result: ImportResult, *, tags=(), topic: str = "", age_bands: str = ""):
    """Create every parsed question in one transaction (nothing half-imported); refused if
    the file had errors. Image files written before a failure are deleted again."""
    if result.errors:
        raise ImportRejected(result)
    images = []
    try:
        with transaction.atomic():
            return _save(result, images, tags=tags, topic=topic, age_bands=age_bands)
    except BaseException:
        for image in images:
            image.file.delete(save=False)
        raise


def _save(result: ImportResult, images: list, *, tags, topic, age_bands):
    created = []
    for pq in result.questions:
        question = Question(
            title=pq.title[:255],
            qtype=pq.qtype,
            text=pq.text,
            scenario=pq.scenario,
            explanation=pq.explanation,
            points=pq.points,
            case_sensitive=pq.case_sensitive,
            category=pq.category[:255],
            topic=topic or pq.category.split("/")[-1][:64],
            age_bands=age_bands,
            image_alt=pq.image_alt[:255],
        )
        if pq.image:
            name, payload = pq.image
            image = get_image_model()(title=name[:255], file=ImageFile(io.BytesIO(payload), name=name))
            image.save()
            images.append(image)
            question.image = image
        question.save()
        Choice.objects.bulk_create(
            Choice(
                question=question,
                sort_order=i,
                text=c.text,
                correct=c.correct,
                weight=c.weight,
                feedback=c.feedback,
                match_text=c.match,
                tolerance=c.tolerance,
            )
            for i, c in enumerate(pq.choices)
        )
        if tags:
            question.tags.add(*tags)
            question.save()  # modelcluster keeps tags in memory until save
        question.save_revision(log_action=False)
        created.append(question)
    return created


def export(questions, fmt: str) -> str:
    return FORMATS[fmt].export(questions)
