"""Un-marking a lesson: courses sends lesson_uncompleted, learning's progress follows.

Decision (docs/learning.md): an issued certificate is kept — it records an achievement at a
date and is never silently revoked — but the course shows as in progress again."""

import pytest
from django.urls import reverse

from courses.services import mark_lesson_not_done
from courses.signals import lesson_uncompleted
from learning.models import Certificate, Progress, ProgressStatus
from tests.learning.factories import assign

pytestmark = pytest.mark.django_db


def _done(client, lesson, capture, *, undo=False):
    with capture(execute=True):
        response = client.post(reverse("courses:lesson_done", args=[lesson.pk]), {"undo": "1"} if undo else {})
    assert response.status_code == 302


def _row(client, lesson):
    rows = client.get(reverse("learning:my_learning")).context["rows"]
    return next(r for r in rows if r["assignment"].item_id == lesson.pk)


def test_unmarking_a_lesson_updates_the_dashboard(
    client, teacher, classroom, pupil, course_and_lessons, django_capture_on_commit_callbacks
):
    _, lessons = course_and_lessons
    assign(classroom, lessons[0], teacher=teacher)
    client.force_login(pupil)
    client.get(lessons[0].url)
    _done(client, lessons[0], django_capture_on_commit_callbacks)
    assert _row(client, lessons[0])["status"] == ProgressStatus.COMPLETED
    _done(client, lessons[0], django_capture_on_commit_callbacks, undo=True)
    row = _row(client, lessons[0])
    assert row["status"] == ProgressStatus.IN_PROGRESS and row["progress"].completed_at is None
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "In progress" in html and "✓ Completed" not in html


def test_unmarking_sends_the_signal_once_and_only_when_there_was_a_completion(pupil, course_and_lessons):
    from courses.services import mark_lesson_done

    _, lessons = course_and_lessons
    seen = []

    def listener(sender, user, lesson, **kwargs):
        seen.append((user.pk, lesson.pk))

    lesson_uncompleted.connect(listener)
    try:
        assert mark_lesson_not_done(user=pupil, lesson=lessons[0]) is False
        mark_lesson_done(user=pupil, lesson=lessons[0])
        assert mark_lesson_not_done(user=pupil, lesson=lessons[0]) is True
        assert mark_lesson_not_done(user=pupil, lesson=lessons[0]) is False
    finally:
        lesson_uncompleted.disconnect(listener)
    assert seen == [(pupil.pk, lessons[0].pk)]


def test_unmarking_reopens_the_course_but_keeps_the_certificate(
    client, pupil, course_and_lessons, django_capture_on_commit_callbacks
):
    course, lessons = course_and_lessons
    client.force_login(pupil)
    for lesson in lessons:
        _done(client, lesson, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        pass  # the certificate job, enqueued on commit
    cert = Certificate.objects.get(student=pupil, course=course)
    issued_at = cert.issued_at
    assert Progress.objects.get(student=pupil, page=course).status == ProgressStatus.COMPLETED

    _done(client, lessons[1], django_capture_on_commit_callbacks, undo=True)
    course_p = Progress.objects.get(student=pupil, page=course)
    assert course_p.status == ProgressStatus.IN_PROGRESS and course_p.completed_at is None
    assert course_p.percent == 50
    assert Progress.objects.get(student=pupil, page=lessons[1]).status == ProgressStatus.IN_PROGRESS
    pdf = client.get(reverse("learning:certificate_pdf", args=[cert.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert (
        reverse("learning:certificate_pdf", args=[cert.pk])
        in client.get(reverse("learning:my_learning")).content.decode()
    )

    # Done again: complete again, and still the one certificate of the first completion.
    _done(client, lessons[1], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        pass
    assert Progress.objects.get(student=pupil, page=course).status == ProgressStatus.COMPLETED
    assert list(Certificate.objects.filter(student=pupil).values_list("pk", "issued_at")) == [(cert.pk, issued_at)]
