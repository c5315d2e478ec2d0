"""A class or school export reads in the requesting teacher's language, and a course's
minutes are the time spent in it (its page, its lessons and its quizzes)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learning.models import Export
from tests.learning.factories import add_quiz, assign, make_course, open_page
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


def _spent_time(student):
    """15 minutes in a course: 10 on its first lesson, 2 on its quiz, 3 on its second lesson
    (time is credited to a page when the next one opens), nothing on the course page itself."""
    course, lessons = make_course(title="Passwords")
    quiz = add_quiz(course)
    start = timezone.now() - timedelta(hours=1)
    for minute, page in ((0, course), (0, lessons[0]), (10, quiz), (12, lessons[1]), (15, course)):
        open_page(student, page, at=start + timedelta(minutes=minute))
    return course, lessons


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


def test_course_minutes_count_the_time_in_its_lessons_and_quizzes(
    client, teacher, classroom, django_capture_on_commit_callbacks
):
    student = make_student(classroom, display_name="Li Na")
    course, lessons = _spent_time(student)
    assign(classroom, course, teacher=teacher)
    assign(classroom, lessons[0], teacher=teacher)
    rows = _by_item(_export(client, teacher, "class", classroom.pk, "csv", django_capture_on_commit_callbacks))
    assert rows["Passwords"]["Minutes"] == "15"
    assert rows[lessons[0].title]["Minutes"] == "10"  # a lesson's own time, as before


def test_school_xlsx_gives_course_minutes_too(client, head, teacher, classroom, django_capture_on_commit_callbacks):
    course, _lessons = _spent_time(make_student(classroom))
    assign(classroom, course, teacher=teacher)
    rows = _export(client, head, "school", classroom.school_id, "xlsx", django_capture_on_commit_callbacks)
    assert _by_item(rows)["Passwords"]["Minutes"] == 15


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


def test_parent_csv_gives_course_minutes_too(client, classroom, django_capture_on_commit_callbacks):
    from tests.schools.factories import link_guardian

    child = make_student(classroom)
    _course, lessons = _spent_time(child)
    parent = link_guardian(child)
    rows = _export(client, parent, "guardian", child.pk, "csv", django_capture_on_commit_callbacks)
    minutes = {row[0]: row[6] for row in rows[1:]}
    assert minutes["Passwords"] == "15"
    assert (minutes[lessons[0].title], minutes[lessons[1].title], minutes["Test quiz"]) == ("10", "3", "2")
