"""Question bank import/export: Moodle XML and GIFT. `parse` never writes; `save` is all or nothing."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model

from ..models import Choice, Question
from . import gift, moodle_xml
from .base import ImportIssue, ImportResult, ParsedQuestion, Skipped  # noqa: F401

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


def parse(data: bytes | str, fmt: str) -> ImportResult:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if len(data) > MAX_BYTES:
        result = ImportResult()
        result.errors.append(ImportIssue("the file is larger than 5 MB"))
        return result
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            result = ImportResult()
            line = data[: exc.start].count(b"\n") + 1
            result.errors.append(ImportIssue("the file is not UTF-8 text", line=line))
            return result
    return FORMATS[fmt].parse(data)


@transaction.atomic
def save(result: ImportResult, *, tags=(), topic: str = "", age_bands: str = ""):
    """Create every parsed question, or none if the result has errors."""
    if result.errors:
        raise ImportRejected(result)
    created = []
    for pq in result.questions:
        question = Question(
            title=pq.title[:255],
            qtype=pq.qtype,
            text=pq.text,
            scenario=pq.scenario,
            explanation=pq.explanation,
            points=pq.points,
            category=pq.category[:255],
            topic=topic or pq.category.split("/")[-1][:64],
            age_bands=age_bands,
        )
        if pq.image:
            name, payload = pq.image
            image = get_image_model()(title=name[:255], file=ImageFile(io.BytesIO(payload), name=name))
            image.save()
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
