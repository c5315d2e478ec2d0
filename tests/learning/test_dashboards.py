import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.exports import family_report
from learning.models import ItemKind, Progress, ProgressStatus
from tests.learning.factories import add_quiz, answer_quiz, assign, make_course, open_page, read
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


def _class_with(classroom, size, teacher, *, strugglers=None):
    """A class of `size` working on an overdue course: every other student has read its first
    lesson (the rest opened it), and the `strugglers` (default: all) failed its quiz 3 times.
    Built through the services, as in production."""
    course, lessons = make_course(lessons=2)
    quiz = add_quiz(course)
    students = [make_student(classroom) for _ in range(size)]
    assign(classroom, course, teacher=teacher, due_at=timezone.now() - timedelta(days=1))
    assign(classroom, lessons[0], teacher=teacher)
    assign(classroom, quiz, teacher=teacher)
    for i, s in enumerate(students):
        if i % 2:
            read(s, lessons[0])
        else:
            open_page(s, lessons[0])
    for s in students[: size if strugglers is None else strugglers]:
        answer_quiz(s, quiz, right=False, times=3)
    return course, lessons, students


def _summary(html):
    return " ".join(html.split('class="grid grid--3"')[1].split("</section>")[0].split())


def test_class_dashboard_summary_says_one_student_in_the_singular(client, teacher, classroom):
    """One behind and one not started: "1 student ...", not "1 students ..."; more: plural."""
    course, lessons = make_course(lessons=1)
    assign(classroom, course, teacher=teacher, due_at=timezone.now() - timedelta(days=1))
    read(make_student(classroom), lessons[0])
    make_student(classroom)  # has not opened anything
    client.force_login(teacher)
    url = reverse("learning:class_dashboard", args=[classroom.pk])
    summary = _summary(client.get(url).content.decode())
    assert "1</p><p>student behind (overdue work)" in summary
    assert "1</p><p>student who has not started" in summary
    make_student(classroom)  # a second idle student
    summary = _summary(client.get(url).content.decode())
    assert "2</p><p>students behind (overdue work)" in summary
    assert "2</p><p>students who have not started" in summary


@pytest.mark.parametrize("size", [10, 400])
def test_class_dashboard_queries_do_not_grow_with_class(
    client, teacher, classroom, size, django_assert_max_num_queries
):
    _class_with(classroom, size, teacher, strugglers=10)
    client.force_login(teacher)
    # 11 today (10 before pre-checks; + 1: the before -> after figures, see test_prechecks.py).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("learning:class_dashboard", args=[classroom.pk]))
    assert response.status_code == 200
    assert response.context["rows"].__len__() == size


def test_class_dashboard_shows_status_text_needs_help_and_overdue(client, teacher, classroom):
    course, lessons, students = _class_with(classroom, 3, teacher)
    client.force_login(teacher)
    html = client.get(reverse("learning:class_dashboard", args=[classroom.pk])).content.decode()
    assert "Needs help" in html
    assert "Overdue" in html and "Completed" in html and "In progress" in html
    assert "<svg" in html and "Show the data as a table" in html
    assert lessons[0].title in html


def test_the_needs_help_list_reads_with_the_readers_punctuation(client, teacher, classroom):
    _, _, students = _class_with(classroom, 2, teacher)
    client.force_login(teacher)
    url = reverse("learning:class_dashboard", args=[classroom.pk])
    name = students[0].get_display_name()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{name}</a>: " in english
    teacher.language = "zh-hans"
    teacher.save(update_fields=["language"])
    chinese = client.get(url).content.decode()
    assert f"{name}</a>：" in chinese and f"{name}</a>: " not in chinese


def test_dashboard_filter_and_sort(client, teacher, classroom):
    _class_with(classroom, 4, teacher)
    client.force_login(teacher)
    r = client.get(reverse("learning:class_dashboard", args=[classroom.pk]), {"show": "help", "sort": "completion"})
    assert len(r.context["rows"]) == 4
    completions = [row.completion for row in r.context["rows"]]
    assert completions == sorted(completions)


def test_another_teachers_class_dashboard_is_404(client, teacher, other_classroom):
    client.force_login(teacher)
    assert client.get(reverse("learning:class_dashboard", args=[other_classroom.pk])).status_code == 404
    assert client.get(reverse("learning:assignment_create", args=[other_classroom.pk])).status_code == 404


def test_student_detail_only_for_students_in_the_class(client, teacher, classroom, pupil, other_classroom):
    outsider = make_student(other_classroom)
    client.force_login(teacher)
    ok = client.get(reverse("learning:student_detail", args=[classroom.pk, pupil.pk]))
    assert ok.status_code == 200
    assert client.get(reverse("learning:student_detail", args=[classroom.pk, outsider.pk])).status_code == 404


def test_empty_class_says_what_to_do(client, teacher, classroom):
    client.force_login(teacher)
    html = client.get(reverse("learning:class_dashboard", args=[classroom.pk])).content.decode()
    assert "No students in this class yet" in html
    make_student(classroom)
    html = client.get(reverse("learning:class_dashboard", args=[classroom.pk])).content.decode()
    assert "Nothing assigned to this class yet" in html


def test_new_teacher_home_has_empty_state(client, teacher):
    client.force_login(teacher)
    html = client.get("/").content.decode()
    assert "You have no class yet" in html


def test_teacher_assigns_edits_and_withdraws(client, teacher, classroom, pupil, course_and_lessons):
    course, _ = course_and_lessons
    client.force_login(teacher)
    url = reverse("learning:assignment_create", args=[classroom.pk])
    r = client.post(url, {"item": course.pk, "due_at": "2030-01-02T10:00", "note": "Read it"})
    assert r.status_code == 302
    assignment = classroom.assignments.get()
    assert assignment.item_kind == ItemKind.COURSE
    client.force_login(pupil)
    assert course.title in client.get(reverse("learning:my_learning")).content.decode()
    client.force_login(teacher)
    client.post(reverse("learning:assignment_edit", args=[assignment.pk]), {"due_at": "", "note": "changed"})
    assignment.refresh_from_db()
    assert assignment.note == "changed" and assignment.due_at is None
    client.post(reverse("learning:assignment_withdraw", args=[assignment.pk]))
    client.force_login(pupil)
    assert course.title not in client.get(reverse("learning:my_learning")).content.decode().split("Open courses")[0]


def test_student_sees_overdue_first_with_text(client, classroom, pupil, teacher):
    course, lessons = make_course()
    assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() - timedelta(days=2))
    client.force_login(pupil)
    html = client.get("/").content.decode()
    assert "My learning" in html and "Overdue" in html and "overdue assignment" in html


def test_my_learning_query_count(client, classroom, pupil, teacher, django_assert_max_num_queries):
    for _ in range(3):
        course, lessons = make_course()
        assign(classroom, course, teacher=teacher)
        read(pupil, lessons[0])
    client.force_login(pupil)
    # 16: with curriculum i18n, Wagtail's site root paths (cold here, cached by a running
    # server) also load the catalogue's translations (docs/curriculum-i18n.md); +1 for the
    # replies to the student's Get help reports (home page, issue 14).
    with django_assert_max_num_queries(17):
        assert client.get(reverse("learning:my_learning")).status_code == 200


@pytest.mark.parametrize("size", [10, 400])
def test_school_overview_queries_fixed(client, teacher, classroom, head, size, django_assert_max_num_queries):
    _class_with(classroom, size, teacher, strugglers=10)
    client.force_login(head)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("learning:school_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert classroom.name in html and "heatmap" in html


def test_school_overview_lists_classes_with_nothing_assigned(client, head, classroom):
    from tests.schools.factories import ClassroomFactory

    ClassroomFactory(school=classroom.school, name="Empty 7C")
    make_student(classroom)
    client.force_login(head)
    html = client.get(reverse("learning:school_overview")).content.decode()
    assert "Classes with nothing assigned" in html and "Empty 7C" in html


def test_guardian_sees_child_results_and_prompts(
    client, parent, pupil, classroom, teacher, django_assert_max_num_queries
):
    course, lessons = make_course()
    assign(classroom, course, teacher=teacher)
    for lesson in lessons:
        read(pupil, lesson)
    assert Progress.objects.get(student=pupil, page=course).status == ProgressStatus.COMPLETED
    client.force_login(parent)
    # 13 for the child's page, +4 for the line per child and the school contact (issue 14). The
    # child's page was 15 while it also read the student's own page's open courses and next lesson.
    with django_assert_max_num_queries(17):
        html = client.get(reverse("learning:guardian_home")).content.decode()
    assert pupil.get_display_name() in html
    assert "Which apps know where you are?" in html
    assert "Time spent per week" in html


def test_guardian_sees_the_prompts_of_the_course_finished_last_first(client, parent, pupil):
    """Three prompts at most: those of the most recently finished courses, not of the first
    courses in the catalogue (on the child's page and in the family report)."""
    now = timezone.now()
    courses = []
    for n in range(4):
        course, lessons = make_course(lessons=1)
        course.family_prompts = [("prompt", {"question": f"Question {n}?", "action": f"Action {n}."})]
        course.save_revision().publish()
        courses.append((course, lessons))
    # The last course in page order was finished today, the others earlier this fortnight.
    for days_ago, (_course, lessons) in zip([9, 8, 7, 0], courses):
        read(pupil, lessons[0], at=now - timedelta(days=days_ago))
    client.force_login(parent)
    html = client.get(reverse("learning:guardian_child", args=[pupil.pk])).content.decode()
    prompts = html.split('id="prompts-heading"')[1].split("</section>")[0]
    assert re.findall(r"Question (\d)\?", prompts) == ["3", "2", "1"]
    # The family's PDF report says the same.
    report = family_report.family_report(student_id=pupil.pk)
    assert [p["question"] for p in report["prompts"]] == ["Question 3?", "Question 2?", "Question 1?"]


def test_guardian_sees_each_assignment_status_most_urgent_first(client, parent, pupil, classroom, teacher):
    """The child's assignments with the status the child's own page shows, in the same order:
    overdue, then due soonest, then undated, completed last."""
    course, lessons = make_course(lessons=3)
    now = timezone.now()
    assign(classroom, lessons[0], teacher=teacher, due_at=now + timedelta(days=1))  # completed
    assign(classroom, lessons[1], teacher=teacher, due_at=now - timedelta(days=1))  # overdue
    assign(classroom, lessons[2], teacher=teacher)  # opened, no date
    read(pupil, lessons[0])
    open_page(pupil, lessons[2])
    client.force_login(parent)
    html = client.get(reverse("learning:guardian_child", args=[pupil.pk])).content.decode()
    table = html.split('id="g-assign-heading"')[1].split("</table>")[0]
    cells = [row.split("</tr>")[0] for row in re.split(r"<tr[ >]", table)[2:]]
    assert [lesson.title in cell for cell, lesson in zip(cells, [lessons[1], lessons[2], lessons[0]])] == [True] * 3
    assert "Overdue" in cells[0] and "In progress" in cells[1] and "Completed" in cells[2]
    client.force_login(pupil)
    own = client.get(reverse("learning:my_learning")).content.decode()
    assert own.index(lessons[1].title) < own.index(lessons[2].title) < own.index(lessons[0].title)


def test_guardian_cannot_open_unlinked_or_pending_child(client, guardian, pupil, classroom):
    from tests.schools.factories import link_guardian

    other = make_student(classroom)
    link_guardian(other, guardian, active=False)
    client.force_login(guardian)
    assert client.get(reverse("learning:guardian_child", args=[pupil.pk])).status_code == 404
    assert client.get(reverse("learning:guardian_child", args=[other.pk])).status_code == 404
    html = client.get(reverse("learning:guardian_home")).content.decode()
    assert "is waiting for your consent" in html and "No linked child yet" not in html


@pytest.mark.parametrize(
    "url_name", ["learning:my_learning", "learning:guardian_home", "learning:school_overview", "learning:teacher_home"]
)
def test_role_pages_404_for_other_roles(client, editor, url_name):
    client.force_login(editor)
    assert client.get(reverse(url_name)).status_code == 404


def test_editor_home_links_to_wagtail_admin(client, editor):
    client.force_login(editor)
    assert reverse("wagtailadmin_home") in client.get("/").content.decode()


def test_visitors_get_the_landing_page(client):
    assert reverse("accounts:login") in client.get("/").content.decode()


def test_a_guardian_waiting_for_consent_gives_it_from_the_home_page(client, classroom):
    """The consent step is on the guardian's home; consent leads on to the child's progress."""
    from schools.models import GuardianLink
    from tests.accounts.factories import GuardianFactory

    child = make_student(classroom, under_14=True)
    parent = GuardianFactory()
    link = GuardianLink.objects.create(guardian=parent, student=child, state=GuardianLink.State.PENDING)
    client.force_login(parent)
    html = client.get(reverse("learning:guardian_home")).content.decode()
    assert "is waiting for your consent" in html and "No linked child yet" not in html
    assert f'action="{reverse("schools:consent", args=[link.pk])}"' in html and 'name="agree"' in html
    done = client.post(reverse("schools:consent", args=[link.pk]), {"agree": "on"})
    assert done["Location"] == reverse("learning:guardian_child", args=[child.pk])
    assert child.get_display_name() in client.get(done["Location"]).content.decode()
