import pytest
from django.urls import reverse

from courses.services import mark_lesson_done
from learning.models import Progress, ProgressStatus
from quizzes import services as quiz_services
from quizzes.statistics import recompute_for_quiz
from tests.learning.factories import assign
from tests.quizzes.factories import make_question, make_quiz, taken_wrongly_in_two_languages
from tests.schools.factories import link_guardian, make_student

pytestmark = pytest.mark.django_db


def _quiz():
    q = make_question("single", title="Share your address?", explanation="Addresses help strangers find you.")
    return make_quiz(questions=[q], pass_mark=60), q


def _answer(student, quiz, question, right, capture):
    wrong = question.choices.get(text="Wrong").pk
    right_pk = question.choices.get(correct=True).pk
    with capture(execute=True):
        quiz_services.record_attempt(student=student, quiz=quiz, answers={question.pk: right_pk if right else wrong})


def test_submitted_attempts_flow_into_progress_and_complete_the_course(classroom, django_capture_on_commit_callbacks):
    quiz, question = _quiz()
    student = make_student(classroom)
    course = quiz.get_parent()
    _answer(student, quiz, question, False, django_capture_on_commit_callbacks)
    p = Progress.objects.get(student=student, page=quiz)
    assert (p.attempts, p.passed, p.status) == (1, False, ProgressStatus.IN_PROGRESS)
    _answer(student, quiz, question, True, django_capture_on_commit_callbacks)
    p.refresh_from_db()
    assert (p.attempts, p.failed_attempts, p.passed, p.best_score) == (2, 1, True, 100)
    # The course has no lessons: passing its only quiz completes it.
    assert Progress.objects.get(student=student, page=course).status == ProgressStatus.COMPLETED


def test_dashboard_flags_repeated_failures_and_hardest_question(
    client, teacher, classroom, django_capture_on_commit_callbacks
):
    quiz, question = _quiz()
    assign(classroom, quiz, teacher=teacher)
    strugglers = [make_student(classroom) for _ in range(2)]
    for _ in range(3):
        _answer(strugglers[0], quiz, question, False, django_capture_on_commit_callbacks)
    _answer(strugglers[1], quiz, question, True, django_capture_on_commit_callbacks)
    recompute_for_quiz(quiz_id=quiz.pk)  # the engine debounces this task; run it now
    client.force_login(teacher)
    response = client.get(reverse("learning:class_dashboard", args=[classroom.pk]))
    html = response.content.decode()
    assert [r.pk for r in response.context["needs_help"]] == [strugglers[0].pk]
    assert "failed “Test quiz” 3 times" in html
    hardest = response.context["hardest"]
    # Each student counts once (the attempt the grade stands on): one wrong, one right.
    assert hardest and hardest[0]["wrong_choice"] == "Wrong" and hardest[0]["wrong_count"] == 1
    assert hardest[0]["correct_pct"] == 50 and hardest[0]["answers"] == 2
    detail = client.get(reverse("learning:student_detail", args=[classroom.pk, strugglers[0].pk])).content.decode()
    assert question.text in detail and "Wrong" in detail  # the question as students read it


def test_hardest_question_names_the_wrong_answer_in_the_teachers_language(
    client, teacher, classroom, django_capture_on_commit_callbacks
):
    """A teacher reading 简体中文 saw the question in Chinese beside the most chosen wrong
    answer in English: the option is named by its Chinese twin where the bank has one."""
    quiz, question = _quiz()
    question.choices.filter(text="Wrong").update(text_zh="错误的选项")
    assign(classroom, quiz, teacher=teacher)
    _answer(make_student(classroom), quiz, question, False, django_capture_on_commit_callbacks)
    recompute_for_quiz(quiz_id=quiz.pk)
    teacher.language = "zh-hans"
    teacher.save(update_fields=["language"])
    client.force_login(teacher)
    response = client.get(reverse("learning:class_dashboard", args=[classroom.pk]))
    assert response.context["hardest"][0]["wrong_choice"] == "错误的选项"
    teacher.language = "en"
    teacher.save(update_fields=["language"])
    response = client.get(reverse("learning:class_dashboard", args=[classroom.pk]))
    assert response.context["hardest"][0]["wrong_choice"] == "Wrong"


def _guardian_page_after_a_wrong_answer(client, classroom, capture, **rules):
    quiz, question = _quiz()
    for name, value in rules.items():
        setattr(quiz, name, value)
    quiz.save()
    child = make_student(classroom)
    parent = link_guardian(child)
    _answer(child, quiz, question, False, capture)
    client.force_login(parent)
    return client.get(reverse("learning:guardian_home")).content.decode()


@pytest.mark.parametrize(
    "rules",
    [
        {"answers_shown": "after_attempt"},
        {"answers_shown": "after_last", "attempts_allowed": 1},  # the last attempt is used
    ],
)
def test_guardian_sees_missed_questions_with_explanations_once_the_child_sees_the_answers(
    client, classroom, django_capture_on_commit_callbacks, rules
):
    html = _guardian_page_after_a_wrong_answer(client, classroom, django_capture_on_commit_callbacks, **rules)
    assert "Questions missed:" in html
    assert "Addresses help strangers find you." in html


@pytest.mark.parametrize(
    "rules",
    [
        {"answers_shown": "after_last", "attempts_allowed": 3},  # two attempts left
        {"answers_shown": "after_last", "attempts_allowed": 0},  # unlimited, no due date
        {"answers_shown": "never"},
    ],
)
def test_guardian_page_holds_the_explanation_back_while_the_quiz_holds_the_answers(
    client, classroom, django_capture_on_commit_callbacks, rules
):
    """The explanation says which answer is right: a parent reading it aloud would give the
    child the answer the quiz keeps back for their next attempt."""
    html = _guardian_page_after_a_wrong_answer(client, classroom, django_capture_on_commit_callbacks, **rules)
    assert "Questions missed:" in html  # the missed question is still listed
    assert "Addresses help strangers find you." not in html


def test_lesson_completion_plus_quiz_pass_completes_course(classroom, django_capture_on_commit_callbacks):
    from courses.models import LessonPage

    quiz, question = _quiz()
    course = quiz.get_parent()
    lesson = course.add_child(instance=LessonPage(title="L", slug="l-one", objective="o", body=[("text", "<p>x</p>")]))
    student = make_student(classroom)
    _answer(student, quiz, question, True, django_capture_on_commit_callbacks)
    assert Progress.objects.get(student=student, page=course).status == ProgressStatus.IN_PROGRESS
    mark_lesson_done(user=student, lesson=lesson)
    assert Progress.objects.get(student=student, page=course).status == ProgressStatus.COMPLETED


def test_teacher_sees_attempt_n_of_m_per_student(client, teacher, classroom):
    from quizzes.models import QuizPage
    from tests.quizzes.factories import make_new_types, perfect_answers

    quiz = make_quiz(questions=make_new_types(), slug="n-of-m", **QuizPage.TEACHING_RULES)
    pupil = make_student(classroom)
    for _ in range(2):
        attempt = quiz_services.start_attempt(student=pupil, quiz=quiz)
        quiz_services.submit_attempt(attempt_id=attempt.pk, student=pupil, answers=perfect_answers(attempt))
    client.force_login(teacher)
    html = client.get(reverse("learning:student_detail", args=[classroom.pk, pupil.pk])).content.decode()
    assert "attempt 1 of 3" in html and "attempt 2 of 3" in html
    assert "Prize you never entered → Too good to be true" in html  # matching answers as pairs


def test_a_chinese_reading_teachers_drill_down_names_pages_and_questions_in_chinese(client, teacher, classroom):
    """The teacher's view of one student: the timeline's quiz page and the attempt's
    questions as the student read them, in the teacher's language (not the bank's internal
    English titles)."""
    from learning.models import ItemKind
    from quizzes.models import QuizPage
    from tests.learning.factories import progress

    student = taken_wrongly_in_two_languages(student=make_student(classroom))
    quiz = QuizPage.objects.get(slug="strangers", locale__language_code="en")
    progress(student, quiz, kind=ItemKind.QUIZ, status=ProgressStatus.IN_PROGRESS)  # on the timeline
    teacher.language = "zh-hans"
    teacher.save(update_fields=["language"])
    client.force_login(teacher)
    html = client.get(reverse("learning:student_detail", args=[classroom.pk, student.pk])).content.decode()
    assert html.count("测验：网上的陌生人") >= 2  # the timeline row and the attempt's heading
    assert "Quiz: strangers online" not in html
    assert "游戏里认识的人问你的住址，你怎么办？" in html and "发给对方" in html


def test_a_chinese_reading_teachers_question_statistics_name_the_quiz_in_chinese(client, teacher, classroom):
    from learning.dashboards import class_statistics
    from quizzes.models import QuizPage

    taken_wrongly_in_two_languages(student=make_student(classroom))
    quiz = QuizPage.objects.get(slug="strangers", locale__language_code="en")
    class_statistics.recompute_for_quiz(quiz_id=quiz.pk)
    teacher.language = "zh-hans"
    teacher.save(update_fields=["language"])
    client.force_login(teacher)
    html = client.get(reverse("learning:class_question_statistics", args=[classroom.pk, quiz.pk])).content.decode()
    heading = html.split("<h1>")[1].split("</h1>")[0]
    assert "测验：网上的陌生人" in heading and "Quiz: strangers online" not in html
    assert "发给对方：" in html  # the option, with a Chinese colon, before its count
