"""Dashboards at scale: the class grid is paged (summary over the whole class) and the school
overview of 2,000 students makes the same fixed number of queries as a small school."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from learning.dashboards import selectors
from learning.models import Progress
from learning.progress import figures
from schools.models import Enrollment, StudentProfile
from tests.learning.factories import add_quiz, answer_quiz, assign, make_course, open_page, read
from tests.schools.factories import ClassroomFactory, make_student

pytestmark = pytest.mark.django_db


def _clone_students(template, classroom, n, prefix):
    """n more students in `classroom` whose progress rows are copies of `template`'s (rows the
    services wrote for a real student), made in bulk."""
    users = User.objects.bulk_create(
        [User(username=f"{prefix}{i}", display_name=f"Pupil {prefix}{i:04d}", role=Role.STUDENT) for i in range(n)]
    )
    StudentProfile.objects.bulk_create(
        [StudentProfile(user=u, school=classroom.school, grade=classroom.grade) for u in users]
    )
    Enrollment.objects.bulk_create([Enrollment(student=u, classroom=classroom) for u in users])
    rows = list(Progress.objects.filter(student=template))
    copies = []
    for u in users:
        for p in rows:
            p.pk = None
            p.student_id = u.pk
            copies.append(Progress(**{f.attname: getattr(p, f.attname) for f in Progress._meta.concrete_fields}))
    Progress.objects.bulk_create(copies, batch_size=2000)
    return users


def test_school_overview_of_2000_students_keeps_its_query_count(
    client, teacher, classroom, head, django_assert_num_queries
):
    course, lessons = make_course(lessons=2)
    quiz = add_quiz(course)
    for item in (course, lessons[0], lessons[1], quiz):
        assign(classroom, item, teacher=teacher)
    first = make_student(classroom)
    read(first, lessons[0])
    open_page(first, lessons[1])
    answer_quiz(first, quiz, right=True)
    client.force_login(head)
    client.get(reverse("learning:school_overview"))  # warm per-process caches
    with django_assert_num_queries(12):  # 11 + 1: before -> after (pre-checks); the count reuses its ids
        small = client.get(reverse("learning:school_overview"))

    # 49 more classes of 40 (2,000 students in all), everyone with the first student's progress.
    _clone_students(first, classroom, 39, "c0-")
    for k in range(1, 50):
        other = ClassroomFactory(school=classroom.school, name=f"Class {k:02d}", teachers=[teacher])
        for item in (course, lessons[0], lessons[1], quiz):
            assign(other, item, teacher=teacher)
        _clone_students(first, other, 40, f"c{k}-")
    assert StudentProfile.objects.filter(school=classroom.school).count() == 2000
    figures.rebuild_all()  # the copies were made in bulk, around the services
    with django_assert_num_queries(12):  # 11 + 1: before -> after (pre-checks); the count reuses its ids
        response = client.get(reverse("learning:school_overview"))
    assert small.status_code == response.status_code == 200
    assert response.context["student_count"] == 2000
    html = response.content.decode()
    assert "Class 49" in html
    # Every student read the first lesson and opened the second: 2 of the 4 assigned items done
    # (the lesson and the quiz), for every class.
    assert {row["completion"] for row in response.context["classes"]} == {50}


@pytest.fixture
def big_class(classroom, teacher):
    course, lessons = make_course(lessons=2)
    quiz = add_quiz(course)
    assign(classroom, course, teacher=teacher, due_at=timezone.now() - timedelta(days=1))
    assign(classroom, lessons[0], teacher=teacher)
    assign(classroom, quiz, teacher=teacher)
    reader = make_student(classroom, display_name="Aaa reader")
    read(reader, lessons[0])
    struggler = make_student(classroom, display_name="Aab struggler")
    answer_quiz(struggler, quiz, right=False, times=3)
    idle = make_student(classroom, display_name="Aac idle")
    _clone_students(idle, classroom, 250, "p-")  # 253 students, 250 of them like `idle`
    return classroom, reader, struggler


def test_large_class_grid_is_paged_with_figures_over_the_whole_class(
    client, teacher, big_class, django_assert_max_num_queries
):
    classroom, reader, struggler = big_class
    client.force_login(teacher)
    url = reverse("learning:class_dashboard", args=[classroom.pk])
    client.get(url)  # warm per-process caches (site root paths)
    with django_assert_max_num_queries(11):
        first = client.get(url)
    html = first.content.decode()
    assert len(first.context["rows"]) == 253  # everyone the filter keeps …
    assert len(first.context["page_rows"]) == selectors.MATRIX_PAGE  # … a page of them in the grid
    assert html.count('<th scope="row">') == selectors.MATRIX_PAGE
    assert "Students 1–100 of 253" in html and "Page 1 of 3" in html
    assert "?show=all&amp;sort=name&amp;page=2" in html
    # The summary is over the whole class: nobody finished the overdue course.
    assert first.context["behind_count"] == 253
    assert "Aab struggler" in html  # named in "Needs help" above the grid

    with django_assert_max_num_queries(11):
        last = client.get(url, {"page": 3, "show": "all", "sort": "name"})
    assert [r.pk for r in last.context["page_rows"]] == [r.pk for r in last.context["rows"][200:]]
    assert last.content.decode().count('<th scope="row">') == 53
    assert last.context["behind_count"] == 253
    # Every row on a page has its cells; the summary rows agree with them.
    for row in last.context["page_rows"]:
        assert len(row.cells) == 3 and row.assigned == 3
    assert client.get(url, {"page": "999"}).context["page_obj"].number == 3  # out of range: last page
    assert client.get(url, {"page": "x"}).context["page_obj"].number == 1


def test_grid_rows_match_the_cells_they_are_built_from(teacher, big_class):
    classroom, reader, struggler = big_class
    data = selectors.class_dashboard(classroom=classroom, per_page=None)
    rows = {r.pk: r for r in data["page_rows"]}
    assert len(rows) == 253
    r = rows[reader.pk]
    # Columns by due date, undated first: the lesson, the quiz, the overdue course.
    assert [c.status for c in r.cells] == ["completed", "not_started", "overdue"]
    assert (r.done, r.assigned, r.overdue, r.started_nothing) == (1, 3, 1, False)
    s = rows[struggler.pk]
    assert s.cells[1].score == 0 and s.cells[1].attempts == 3
    assert s.help_reasons and s.average == 0
    assert not rows[reader.pk].help_reasons
    # The "completed by the end of this week" bar counts the reader's lesson and the quiz.
    assert data["weeks"][-1]["value"] == int(100 * 2 / (253 * 3))
