"""A class or school export reads in the requesting teacher's language."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from learning.models import Export
from tests.learning.factories import assign, make_course
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


def _export(client, user, kind, scope_id, fmt, capture):
    client.force_login(user)
    with capture(execute=True):
        client.post(reverse("learning:export_request"), {"kind": kind, "scope_id": scope_id, "format": fmt})
    export = Export.objects.get(requested_by=user)
    assert export.status == Export.Status.DONE, export.error
    if fmt == "xlsx":
        return [list(r) for r in load_workbook(export.file.path, read_only=True).active.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig"))))


def _by_item(rows):
    return {row[3]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


@pytest.mark.parametrize(
    "language,header,words",
    [
        ("en", ["Class", "Student", "Username", "Course, lesson or quiz", "Kind", "Due"], ["Course", "Not started"]),
        (
            "zh-hans",
            [
                "班级",
                "学生",
                "用户名",
                "课程、课时或测验",
                "类型",
                "截止日期",
                "状态",
                "得分（%）",
                "尝试次数",
                "已完成",
                "分钟",
            ],
            ["课程", "未开始", "课时"],
        ),
    ],
)
def test_class_export_reads_in_the_teachers_language(
    client, teacher, classroom, django_capture_on_commit_callbacks, language, header, words
):
    teacher.language = language
    teacher.save(update_fields=["language"])
    make_student(classroom, display_name="Li Na")
    course, lessons = make_course(title="Passwords")
    assign(classroom, course, teacher=teacher)
    assign(classroom, lessons[0], teacher=teacher)
    rows = _export(client, teacher, "class", classroom.pk, "csv", django_capture_on_commit_callbacks)
    assert rows[0][: len(header)] == header
    assert "score_percent" not in rows[0] and "minutes" not in rows[0]
    cells = {cell for row in rows[1:] for cell in row}
    assert set(words) <= cells
    assert not {"course", "lesson", "not_started"} & cells
