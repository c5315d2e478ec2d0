"""Pre-checks (issue 17): an optional quick check before a module's lessons. Its attempts are
scored and kept but never count (progress, completion, certificates, grades, statistics); the
class dashboard shows before -> after for students who took both."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.services import mark_lesson_done
from districts import aggregates as district_aggregates
from learning.assignments.forms import assignable_pages
from learning.models import Certificate, Progress, ProgressStatus
from learning.progress import services as progress_services
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from quizzes.models import Attempt, ItemStatistic, QuizPage
from quizzes.statistics import recompute_for_quiz
from tests.accounts.factories import EditorFactory
from tests.learning.factories import add_quiz, answer_quiz, assign, make_course, read
from tests.quizzes.factories import make_question, make_quiz
from tests.schools.factories import link_guardian, make_student

pytestmark = pytest.mark.django_db


def add_precheck(course, *, questions=4, slug=None):
    qs = [make_question("single", title=f"Pre {i}") for i in range(questions)]
    return make_quiz(questions=qs, slug=slug or f"{course.slug}-precheck", course=course, purpose="precheck")


def take_precheck(student, precheck, *, right: int, capture=None, at=None):
    """Submit one pre-check attempt with `right` questions answered correctly."""
    answers = {}
    for i, qq in enumerate(precheck.quiz_questions.order_by("sort_order")):
        q = qq.question
        answers[q.pk] = q.choices.get(correct=True).pk if i < right else q.choices.filter(correct=False).first().pk
    if capture is not None:
        with capture(execute=True):
            return quiz_services.record_attempt(student=student, quiz=precheck, answers=answers, submitted_at=at)
    return quiz_services.record_attempt(student=student, quiz=precheck, answers=answers, submitted_at=at)


# --- the model ---------------------------------------------------------------------------


def test_precheck_rules_are_enforced_on_save():
    course, _ = make_course(lessons=1)
    pre = add_precheck(course)
    assert pre.is_precheck
    assert (pre.answers_shown, pre.feedback_timing, pre.attempts_allowed) == ("never", "never", 1)
    pre.answers_shown = "after_attempt"
    pre.save()
    pre.refresh_from_db()
    assert pre.answers_shown == "never"
    assert pre.question_count == 4


def test_one_precheck_per_course_and_its_own_questions():
    course, _ = make_course(lessons=1)
    add_quiz(course)
    add_precheck(course)
    with pytest.raises(ValidationError, match="already has a pre-check"):
        add_precheck(course, questions=1, slug="second")
    other, _ = make_course(lessons=1)
    quiz = add_quiz(other)
    shared = make_quiz(questions=[quiz.quiz_questions.first().question], slug="shared", course=other)
    shared.purpose = QuizPage.Purpose.PRECHECK
    with pytest.raises(ValidationError, match="its own questions"):
        shared.full_clean()


# --- it never counts -----------------------------------------------------------------------


def test_only_the_precheck_gives_no_progress_no_completion_no_certificate(
    classroom, django_capture_on_commit_callbacks
):
    course = make_course(lessons=0)[0]
    pre = add_precheck(course)
    student = make_student(classroom)
    progress_services.record_visit(student=student, page=pre)
    take_precheck(student, pre, right=4, capture=django_capture_on_commit_callbacks)
    progress_services.sync_quiz(student=student, quiz=pre)  # what the worker would run
    assert not Progress.objects.filter(student=student, page=pre).exists()
    course_row = Progress.objects.filter(student=student, page=course).first()
    assert course_row is None or (course_row.percent, course_row.status) == (0, ProgressStatus.NOT_STARTED)
    assert not Certificate.objects.filter(student=student).exists()
    assert progress_services.course_parts(course) == ([], [])
    # The engine keeps the attempt, scored, but the shared reads leave it out.
    attempt = Attempt.objects.get(student=student, quiz=pre)
    assert attempt.is_submitted and float(attempt.percent) == 100
    assert quiz_selectors.results_for(student_ids=[student.pk], quiz_ids=[pre.pk]) == {}
    assert quiz_selectors.results_for(student_ids=[student.pk], quizzes=[pre]) == {}
    assert quiz_selectors.grade_for(student=student, quiz=pre).attempts_used == 1
    assert quiz_selectors.submission_counts(since=timezone.now() - timedelta(days=1)) == {}
    assert quiz_selectors.submitted_attempts_with_answers(student_id=student.pk) == []
    assert progress_services.quiz_progress_behind() == []


def test_course_completes_without_the_precheck(classroom, django_capture_on_commit_callbacks):
    course, lessons = make_course(lessons=1)
    quiz = add_quiz(course)
    add_precheck(course)
    student = make_student(classroom)
    read(student, lessons[0])
    with django_capture_on_commit_callbacks(execute=True):
        answer_quiz(student, quiz, right=True)
    assert Progress.objects.get(student=student, page=course).status == ProgressStatus.COMPLETED


def test_module_quiz_statistics_ignore_precheck_attempts(classroom, django_capture_on_commit_callbacks):
    course, _ = make_course(lessons=1)
    quiz = add_quiz(course)
    pre = add_precheck(course)
    students = [make_student(classroom) for _ in range(3)]
    for s in students:
        take_precheck(s, pre, right=1, capture=django_capture_on_commit_callbacks)
    answer_quiz(students[0], quiz, right=True)
    recompute_for_quiz(quiz_id=quiz.pk)
    quiz_question = quiz.quiz_questions.first().question
    stats = ItemStatistic.objects.filter(quiz=quiz)
    assert {s.question_id for s in stats} == {quiz_question.pk}
    assert stats.get().responses == 1
    assert not ItemStatistic.objects.filter(quiz=quiz, question__in=[qq.question for qq in pre.quiz_questions.all()])


# --- "before" ----------------------------------------------------------------------------


def test_before_means_before_any_lesson_or_quiz_of_the_course(classroom):
    course, lessons = make_course(lessons=2)
    quiz = add_quiz(course)
    pre = add_precheck(course)
    early, late, quizzer = (make_student(classroom) for _ in range(3))
    assert take_precheck(early, pre, right=2).before_lessons is True
    mark_lesson_done(user=late, lesson=lessons[0])
    assert take_precheck(late, pre, right=2).before_lessons is False
    answer_quiz(quizzer, quiz, right=False)
    assert take_precheck(quizzer, pre, right=2).before_lessons is False
    # Only one attempt: a pre-check is taken once.
    with pytest.raises(quiz_services.AttemptLimitReached):
        quiz_services.start_attempt(student=early, quiz=pre)


# --- teacher ---------------------------------------------------------------------------------


def _class_with_before_after(classroom, teacher, n_both):
    course, lessons = make_course(lessons=1)
    quiz = add_quiz(course)
    pre = add_precheck(course)
    assign(classroom, course, teacher=teacher)
    for i in range(n_both):
        s = make_student(classroom)
        take_precheck(s, pre, right=1 + (i % 2))  # 25 % or 50 %
        read(s, lessons[0])
        answer_quiz(s, quiz, right=True)  # 100 %
    late = make_student(classroom)  # took the pre-check after the lesson: not "before"
    mark_lesson_done(user=late, lesson=lessons[0])
    take_precheck(late, pre, right=0)
    answer_quiz(late, quiz, right=False)
    return course


def test_class_dashboard_shows_before_and_after(client, teacher, classroom, other_classroom):
    _class_with_before_after(classroom, teacher, 3)
    client.force_login(teacher)
    response = client.get(reverse("learning:class_dashboard", args=[classroom.pk]))
    (row,) = response.context["before_after"]
    assert (row["count"], row["before"], row["after"]) == (3, 33, 100)  # (25 + 50 + 25) / 3
    assert "Before → after: 33 % → 100 % (3 students took both)" in response.content.decode()
    # Another class's teacher sees nothing of it.
    assert client.get(reverse("learning:class_dashboard", args=[other_classroom.pk])).status_code == 404


def test_class_dashboard_too_few_students(client, teacher, classroom):
    _class_with_before_after(classroom, teacher, 2)
    client.force_login(teacher)
    html = client.get(reverse("learning:class_dashboard", args=[classroom.pk])).content.decode()
    assert "Too few students have taken both yet (2)" in html
    assert "Before → after:" not in html


def test_other_teacher_cannot_see_the_figures(client, classroom, other_classroom, teacher):
    _class_with_before_after(classroom, teacher, 3)
    other_teacher = other_classroom.teachers.first()
    client.force_login(other_teacher)
    assert client.get(reverse("learning:class_dashboard", args=[classroom.pk])).status_code == 404
    html = client.get(reverse("learning:class_dashboard", args=[other_classroom.pk])).content.decode()
    assert "Before → after" not in html and "Before and after" not in html


def test_before_after_is_one_query(teacher, classroom, django_assert_num_queries):
    course = _class_with_before_after(classroom, teacher, 3)
    student_ids = list(classroom.enrollments.values_list("student_id", flat=True))
    with django_assert_num_queries(1):
        found = quiz_selectors.before_after(student_ids=student_ids, course_paths=[course.path])
    assert found[course.path].count == 3


# --- student and guardian ---------------------------------------------------------------------


def test_course_page_offers_it_before_lesson_one_and_review_hides_answers(client, classroom):
    course, lessons = make_course(lessons=1)
    add_quiz(course)
    pre = add_precheck(course)
    student = make_student(classroom)
    client.force_login(student)
    html = client.get(course.url).content.decode()
    assert "Before you start: a quick check (optional, 4 questions, it does not count)" in html
    assert html.index("Before you start") < html.index(lessons[0].title)
    # The last lesson leads on to the module quiz, never to the pre-check.
    assert client.get(lessons[0].url).context["next_activity"].pk != pre.pk
    attempt = take_precheck(student, pre, right=1)
    review = client.get(reverse("quizzes:review", args=[attempt.pk]))
    body = review.content.decode()
    assert "You will learn about these in the lessons" in body
    assert "Question by question" not in body and "Feedback for Right." not in body
    assert lessons[0].title in body  # the link to the first lesson


def test_guardian_sees_nothing_of_prechecks(client, classroom):
    course, _ = make_course(lessons=1)
    pre = add_precheck(course)
    child = make_student(classroom)
    parent = link_guardian(child)
    take_precheck(child, pre, right=3)
    client.force_login(parent)
    response = client.get(reverse("learning:guardian_child", args=[child.pk]))
    assert response.status_code == 200
    assert response.context["recent_results"] == []
    assert "Test quiz" not in response.content.decode()


@pytest.mark.parametrize("size", [3, 12])
def test_class_dashboard_with_before_after_keeps_a_fixed_query_count(
    client, teacher, classroom, size, django_assert_num_queries
):
    """The before -> after figures are ONE query whatever the class size (the pin of
    test_dashboards.py::test_class_dashboard_queries_do_not_grow_with_class allows for it)."""
    _class_with_before_after(classroom, teacher, size)
    client.force_login(teacher)
    client.get(reverse("learning:class_dashboard", args=[classroom.pk]))  # warm per-process caches
    with django_assert_num_queries(10):  # 9 before pre-checks, + 1 for before -> after
        response = client.get(reverse("learning:class_dashboard", args=[classroom.pk]))
    assert response.context["before_after"][0]["count"] == size


def test_school_overview_shows_before_and_after_per_module(client, teacher, classroom, head):
    course = _class_with_before_after(classroom, teacher, 3)
    client.force_login(head)
    response = client.get(reverse("learning:school_overview"))
    (row,) = response.context["before_after"]
    assert row["course"]["title"] == course.title
    assert "Before → after: 33 % → 100 % (3 students took both)" in response.content.decode()


def test_a_precheck_cannot_be_assigned():
    course, _ = make_course(lessons=1)
    quiz = add_quiz(course)
    pre = add_precheck(course)
    ids = set(assignable_pages().values_list("pk", flat=True))
    assert quiz.pk in ids and course.pk in ids and pre.pk not in ids


def test_editors_see_the_purpose_field_with_its_help_text(client):
    course, _ = make_course(lessons=1)
    pre = add_precheck(course)
    client.force_login(EditorFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[pre.pk])).content.decode()
    assert 'name="purpose"' in html and "At most one pre-check per course." in html


def test_district_figures_do_not_wait_for_the_precheck():
    course, _ = make_course(lessons=1)
    add_quiz(course)
    add_precheck(course)
    _courses, quiz_counts = district_aggregates._catalogue()
    assert quiz_counts[course.pk] == 1


def test_class_dashboard_figures_in_chinese(client, teacher, classroom):
    _class_with_before_after(classroom, teacher, 3)
    teacher.language = "zh-hans"
    teacher.save(update_fields=["language"])
    client.force_login(teacher)
    html = client.get(reverse("learning:class_dashboard", args=[classroom.pk])).content.decode()
    assert "课前 → 课后：33% → 100%（3 名学生两项都完成了）" in html


def test_school_overview_names_the_module_in_the_readers_language(client, teacher, classroom, head):
    """The head reading 简体中文 sees the module's Chinese title beside its before -> after
    figures (the school overview reads the courses as rows, not pages)."""
    from wagtail.models import Locale

    course = _class_with_before_after(classroom, teacher, 3)
    zh = course.copy_for_translation(Locale.objects.get_or_create(language_code="zh-hans")[0], copy_parents=True)
    zh.title = "数字公民素养"
    zh.save_revision().publish()
    head.language = "zh-hans"
    head.save(update_fields=["language"])
    client.force_login(head)
    html = client.get(reverse("learning:school_overview")).content.decode()
    section = html.split('id="before-after-heading"')[1].split("</section>")[0]
    assert "<strong>数字公民素养：</strong>" in section  # with a Chinese colon
    assert course.title not in section
    head.language = "en"
    head.save(update_fields=["language"])
    html = client.get(reverse("learning:school_overview")).content.decode()
    assert f"<strong>{course.title}:</strong>" in html.split('id="before-after-heading"')[1]


def test_a_submitted_precheck_sends_no_progress_message_but_a_module_quiz_does(django_capture_on_commit_callbacks):
    from unittest import mock

    course, _ = make_course(lessons=1)
    pre = add_precheck(course)
    quiz = add_quiz(course)
    student = make_student()
    with mock.patch("jobs.services.publish_best_effort") as publish:
        take_precheck(student, pre, right=2, capture=django_capture_on_commit_callbacks)
        assert not publish.called  # a pre-check never counts: nothing for the worker to refresh
        question = quiz.quiz_questions.first().question
        with django_capture_on_commit_callbacks(execute=True):
            quiz_services.record_attempt(
                student=student, quiz=quiz, answers={question.pk: question.choices.get(correct=True).pk}
            )
    publish.assert_called_once_with("learning.sync_quiz_progress", student.pk, quiz.pk)


def _quiz_page_form(course, editor, *, purpose, question_ids, instance=None):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    data = nested_form_data(
        {
            "title": "Before we start",
            "slug": "before-we-start",
            "intro": "",
            "quiz_questions": inline_formset([{"question": pk, "ORDER": i} for i, pk in enumerate(question_ids)]),
            "shuffle_options": "on",
            "pass_mark": 60,
            "draw_count": 0,
            "attempts_allowed": 1,
            "grading": "highest",
            "feedback_timing": "never",
            "answers_shown": "never",
            "purpose": purpose,
        }
    )
    form_class = QuizPage.get_edit_handler().get_form_class()
    return form_class(data, instance=instance or QuizPage(), parent_page=course, for_user=editor)


def test_the_admin_form_refuses_a_new_precheck_that_reuses_a_quiz_question():
    course, _ = make_course(lessons=1)
    quiz = add_quiz(course)
    editor = EditorFactory()
    used = quiz.quiz_questions.first().question
    fresh = make_question("single", title="Fresh")
    form = _quiz_page_form(course, editor, purpose="precheck", question_ids=[fresh.pk, used.pk])
    assert not form.is_valid()
    assert "1 are in a quiz of this course" in str(form.errors["purpose"])
    # Its own questions only: valid, and the page saves as a pre-check.
    form = _quiz_page_form(course, editor, purpose="precheck", question_ids=[fresh.pk])
    assert form.is_valid(), form.errors
    # The same shared question on an ordinary quiz is fine.
    form = _quiz_page_form(course, editor, purpose="quiz", question_ids=[used.pk])
    assert form.is_valid(), form.errors
