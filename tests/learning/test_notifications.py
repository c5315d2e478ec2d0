"""In-app notices learning sends: new assignments (bulk, after commit) and finished exports."""

import pytest
from django.urls import reverse

from jobs.models import Job
from learning.assignments import services
from learning.models import Export
from notifications.models import Notification
from tests.learning.factories import make_course
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


def test_whole_class_assignment_notifies_every_student_once_after_commit(
    teacher, classroom, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    students = [make_student(classroom) for _ in range(12)]
    outsider = make_student()
    course, _ = make_course()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.create_assignment(teacher=teacher, classroom=classroom, item=course.page_ptr)
    assert Notification.objects.count() == 0  # nothing before commit
    with django_assert_max_num_queries(5):  # assignment, students, the item's titles per language, one bulk INSERT
        for callback in callbacks:
            callback()
    notes = Notification.objects.filter(kind="assignment")
    assert sorted(notes.values_list("user_id", flat=True)) == sorted(s.pk for s in students)
    assert not notes.filter(user=outsider).exists() and not notes.filter(user=teacher).exists()
    note = notes.first()
    assert course.title in note.title and note.url == reverse("learning:my_learning")


def test_targeted_assignment_notifies_only_the_chosen_students(teacher, classroom, django_capture_on_commit_callbacks):
    chosen, other = make_student(classroom), make_student(classroom)
    course, lessons = make_course()
    with django_capture_on_commit_callbacks(execute=True):
        services.create_assignment(teacher=teacher, classroom=classroom, item=lessons[0].page_ptr, students=[chosen])
    assert list(Notification.objects.values_list("user_id", flat=True)) == [chosen.pk]
    assert not Notification.objects.filter(user=other).exists()


def test_query_count_does_not_grow_with_the_class(teacher, classroom, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course, _ = make_course()

    def count():
        with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
            services.create_assignment(teacher=teacher, classroom=classroom, item=course.page_ptr)
        return len(ctx)

    make_student(classroom)
    small = count()
    for _ in range(15):
        make_student(classroom)
    assert count() == small


def test_finished_export_notifies_requester_with_status_link(
    client, teacher, classroom, django_capture_on_commit_callbacks
):
    make_student(classroom)
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:export_request"), {"kind": "class", "scope_id": classroom.pk, "format": "csv"})
    export = Export.objects.get()
    assert export.status == Export.Status.DONE
    note = Notification.objects.get(user=teacher, kind="export")
    assert note.url == reverse("learning:export_status", args=[export.token])
    # The job row knows who asked (jobs outbox, requested_by).
    assert Job.objects.get(task_name="learning.tasks.build_export").requested_by == teacher
    # A re-run of the task does not notify twice.
    from learning.exports import build as exports

    Export.objects.filter(pk=export.pk).update(status=Export.Status.QUEUED)
    exports.build(export.pk)
    assert Notification.objects.filter(user=teacher, kind="export").count() == 1
