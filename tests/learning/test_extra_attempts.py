""" "Give one more attempt": a teacher of the student's class gives a student who has used every
attempt at a quiz without passing another go (audited, the student told in their language);
anyone else, any forged id, is 404. The student's pages stop offering a quiz they cannot start."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from learning.models import ProgressStatus
from notifications.models import Notification
from quizzes import selectors as quiz_selectors
from quizzes.models import Attempt, AttemptAllowance
from schools.models import AuditEvent
from tests.learning.factories import answer_quiz, assign, make_course
from tests.quizzes.factories import make_question, make_quiz
from tests.schools.factories import build_world, make_student

pytestmark = pytest.mark.django_db


def _one_go_quiz(course=None, slug="one-go"):
    """A live one-question quiz with one attempt ("Test quiz", answer "Right" or "Wrong")."""
    course = course or make_course(lessons=0)[0]
    return make_quiz(questions=[make_question("single")], slug=slug, course=course, attempts_allowed=1)


def _out_of_attempts(student, quiz=None):
    """`student` has failed the quiz's only attempt (progress read, as the worker does)."""
    quiz = quiz or _one_go_quiz()
    answer_quiz(student, quiz, right=False)
    return quiz


def _url(classroom, student, quiz):
    return reverse("learning:give_another_attempt", args=[classroom.pk, student.pk, quiz.pk])


def _nothing_given():
    return (
        not AttemptAllowance.objects.exists()
        and not AuditEvent.objects.filter(action="quiz.attempt_given").exists()
        and not Notification.objects.exists()
    )


# --- the teacher ---------------------------------------------------------------------


def test_the_drill_down_lists_quizzes_out_of_attempts_with_the_form_for_the_teacher(
    client, teacher, classroom, pupil, head
):
    quiz = _out_of_attempts(pupil)
    detail = reverse("learning:student_detail", args=[classroom.pk, pupil.pk])
    client.force_login(teacher)
    html = client.get(detail).content.decode()
    section = html.split('data-testid="out-of-attempts"')[1].split("</section>")[0]
    assert "Test quiz" in section and "1 attempt, best 0%." in section
    assert f'action="{_url(classroom, pupil, quiz)}"' in section and "Give one more attempt" in section
    client.force_login(head)  # the school admin sees who is stuck, without the form
    html = client.get(detail).content.decode()
    assert 'data-testid="out-of-attempts"' in html and "Give one more attempt" not in html


def test_the_teacher_gives_one_more_attempt_audited_and_told(client, teacher, classroom, pupil):
    quiz = _out_of_attempts(pupil)
    last = Attempt.objects.get(student=pupil)
    client.force_login(teacher)
    response = client.post(_url(classroom, pupil, quiz), {"reason": "Was ill on the day"})
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:student_detail", args=[classroom.pk, pupil.pk])
    assert "Pupil One can take “Test quiz” once more" in [str(m) for m in get_messages(response.wsgi_request)][0]
    allowance = AttemptAllowance.objects.get(student=pupil, quiz=quiz)
    assert (allowance.extra_attempts, allowance.granted_by, allowance.reason) == (1, teacher, "Was ill on the day")
    event = AuditEvent.objects.get(action="quiz.attempt_given")
    assert (event.actor, event.school, event.target_type, event.target_id) == (
        teacher,
        classroom.school,
        "user",
        str(pupil.pk),
    )
    assert event.details == {
        "quiz_id": quiz.pk,
        "quiz": "Test quiz",
        "classroom_id": classroom.pk,
        "extra_attempts": 1,
        "reason": "Was ill on the day",
    }
    notice = Notification.objects.get(user=pupil)
    assert notice.title == "You have one more attempt at Test quiz" and notice.url == quiz.url
    assert quiz_selectors.can_start(student=pupil, quiz=quiz)
    # The drill-down no longer offers it; the student's last attempt is still theirs to review.
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="out-of-attempts"' not in html
    assert Attempt.objects.get(student=pupil).pk == last.pk


def test_the_notice_is_said_in_the_students_language(client, teacher, classroom):
    pupil = make_student(classroom, display_name="Pupil Zh", language="zh-hans")
    quiz = _one_go_quiz()
    zh = quiz.copy_for_translation(Locale.objects.get_or_create(language_code="zh-hans")[0], copy_parents=True)
    zh.title = "测验：密码"
    zh.save_revision().publish()
    _out_of_attempts(pupil, quiz)
    client.force_login(teacher)
    assert client.post(_url(classroom, pupil, quiz)).status_code == 302
    notice = Notification.objects.get(user=pupil)
    assert notice.title_text["m"] == "You have one more attempt at %(quiz)s"
    with translation.override("zh-hans"):
        assert "测验：密码" in notice.display_title
    assert "Test quiz" in notice.display_title  # read in English, it names the English quiz


def test_a_student_with_attempts_left_is_given_nothing(client, teacher, classroom, pupil):
    quiz = make_quiz(questions=[make_question("single")], slug="two-goes", attempts_allowed=2)
    answer_quiz(pupil, quiz, right=False)
    client.force_login(teacher)
    response = client.post(_url(classroom, pupil, quiz))
    assert response.status_code == 302
    assert "nothing changed" in [str(m) for m in get_messages(response.wsgi_request)][0]
    assert _nothing_given()


# --- who may: only a teacher of the student's class ----------------------------------


@pytest.mark.parametrize(
    "role", ["student", "other_student", "other_teacher", "guardian", "school_admin", "other_admin", "far_teacher"]
)
def test_anyone_but_the_students_teacher_gets_404_and_changes_nothing(client, role):
    w = build_world()
    quiz = _out_of_attempts(w.student)
    client.force_login(getattr(w, role))
    assert client.post(_url(w.classroom, w.student, quiz)).status_code == 404
    assert _nothing_given()
    assert quiz_selectors.grade_for(student=w.student, quiz=quiz).out_of_attempts


def test_forged_class_student_or_quiz_ids_get_404(client):
    w = build_world()
    quiz = _out_of_attempts(w.student)
    other_quiz = _out_of_attempts(w.other_student, make_quiz(questions=[make_question("single")], slug="other"))
    precheck = make_quiz(questions=[make_question("single")], slug="precheck", purpose="precheck")
    answer_quiz(w.student, precheck, right=False)
    client.force_login(w.teacher)
    forged = [
        (w.other_classroom.pk, w.student.pk, quiz.pk),  # a class of the school they do not teach
        (w.far_classroom.pk, w.far_student.pk, quiz.pk),  # another school's class and student
        (w.classroom.pk, w.other_student.pk, other_quiz.pk),  # a student who is not in their class
        (w.classroom.pk, w.loose_student.pk, quiz.pk),  # a student in no class
        (w.classroom.pk, 987654, quiz.pk),  # no such student
        (w.classroom.pk, w.student.pk, 987654),  # no such quiz
        (w.classroom.pk, w.student.pk, w.classroom.pk),  # an id that is no quiz page
        (w.classroom.pk, w.student.pk, precheck.pk),  # a pre-check is taken once
    ]
    for classroom_id, student_id, quiz_id in forged:
        url = reverse("learning:give_another_attempt", args=[classroom_id, student_id, quiz_id])
        assert client.post(url).status_code == 404, url
    assert _nothing_given()


def test_only_a_post_with_its_csrf_token_gives(teacher, classroom, pupil):
    quiz = _out_of_attempts(pupil)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(teacher)
    assert strict.get(_url(classroom, pupil, quiz)).status_code == 405
    assert strict.post(_url(classroom, pupil, quiz)).status_code == 403
    assert _nothing_given()


# --- the student ---------------------------------------------------------------------


def test_my_learning_says_no_attempts_left_until_the_teacher_gives_one(client, teacher, classroom, pupil):
    course, lessons = make_course(lessons=1)
    quiz = _one_go_quiz(slug="assigned-quiz")
    assign(classroom, quiz, teacher=teacher)
    assign(classroom, lessons[0], teacher=teacher)  # no due date: after the quiz
    _out_of_attempts(pupil, quiz)
    last = Attempt.objects.get(student=pupil)
    client.force_login(pupil)
    html = client.get(reverse("learning:my_learning")).content.decode()
    block = html.split('data-testid="no-attempts-left"')[1].split("</div>")[0]
    assert "No attempts left" in block and "Test quiz" in block
    assert "Ask your teacher if you would like another go." in block
    assert reverse("quizzes:review", args=[last.pk]) in block
    # What to do next is the lesson, not the quiz the student cannot start.
    assert "Continue: Test quiz" not in html and "Start: Test quiz" not in html
    assert f"Start: {lessons[0].title}" in html
    assert client.get(reverse("learning:next_step"))["Location"] == lessons[0].url
    results = html.split('id="results-heading"')[1]
    assert "No attempts left" in results and "Not passed yet" not in results

    client.force_login(teacher)
    client.post(_url(classroom, pupil, quiz))
    client.force_login(pupil)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert 'data-testid="no-attempts-left"' not in html
    assert "Continue: Test quiz" in html
    assert client.get(reverse("learning:next_step"))["Location"] == quiz.url
    results = html.split('id="results-heading"')[1]
    assert "Not passed yet" in results and "No attempts left" not in results


def test_my_learning_with_a_quiz_out_of_attempts_keeps_its_query_budget(
    client, teacher, classroom, pupil, django_assert_max_num_queries
):
    for n in range(3):
        course, lessons = make_course()
        assign(classroom, course, teacher=teacher)
        quiz = _out_of_attempts(pupil, _one_go_quiz(course, slug=f"budget-{n}"))
        assign(classroom, quiz, teacher=teacher)
    client.force_login(pupil)
    # test_dashboards.test_my_learning_query_count's 17, +2 when a quiz is under way: its rules and
    # the attempts with what teachers gave (quizzes.selectors.results_for), whatever the number.
    with django_assert_max_num_queries(19):
        html = client.get(reverse("learning:my_learning")).content.decode()
    assert html.count('data-testid="no-attempts-left"') == 3
    assert ProgressStatus.COMPLETED not in {p.status for p in pupil.progress.filter(kind="quiz")}


# --- "Out of attempts" wherever the quiz's status is shown ---------------------------


def _timeline(html):
    return html.split("Timeline of lessons and quizzes")[1].split("Quiz attempts and answers")[0]


def test_the_timeline_says_out_of_attempts_and_warns_that_the_answers_were_shown(client, teacher, classroom, pupil):
    # Shown once no attempt is left (a new quiz's default): the student has seen the answers.
    quiz = _out_of_attempts(
        pupil, make_quiz(questions=[make_question("single")], attempts_allowed=1, answers_shown="after_last")
    )
    client.force_login(teacher)
    html = client.get(reverse("learning:student_detail", args=[classroom.pk, pupil.pk])).content.decode()
    timeline = _timeline(html)
    assert "Out of attempts" in timeline and "In progress" not in timeline
    section = html.split('data-testid="out-of-attempts"')[1].split("</section>")[0]
    assert 'data-testid="answers-seen"' in section and "already shown them its correct answers" in section

    client.post(_url(classroom, pupil, quiz))
    timeline = _timeline(client.get(reverse("learning:student_detail", args=[classroom.pk, pupil.pk])).content.decode())
    assert "In progress" in timeline and "Out of attempts" not in timeline


def test_no_warning_when_the_quiz_never_showed_its_answers(client, teacher, classroom, pupil):
    _out_of_attempts(pupil, make_quiz(questions=[make_question("single")], attempts_allowed=1, answers_shown="never"))
    client.force_login(teacher)
    html = client.get(reverse("learning:student_detail", args=[classroom.pk, pupil.pk])).content.decode()
    assert "Out of attempts" in _timeline(html)
    assert 'data-testid="out-of-attempts"' in html and 'data-testid="answers-seen"' not in html


def test_the_guardian_and_the_student_see_out_of_attempts_on_the_assigned_quiz(
    client, teacher, classroom, pupil, parent
):
    quiz = _one_go_quiz(slug="assigned-quiz")
    assign(classroom, quiz, teacher=teacher)
    _out_of_attempts(pupil, quiz)

    def assignments(user, url, heading):
        client.force_login(user)
        return client.get(url).content.decode().split(heading)[1].split("</section>")[0]

    family = reverse("learning:guardian_child", args=[pupil.pk])
    table = assignments(parent, family, 'id="g-assign-heading"')
    assert "Out of attempts" in table and "In progress" not in table
    assert 'data-testid="stuck-note"' in table and "Their teacher can give them one more attempt." in table
    mine = assignments(pupil, reverse("learning:my_learning"), 'id="assign-heading"')
    assert "Out of attempts" in mine and "In progress" not in mine

    client.force_login(teacher)
    client.post(_url(classroom, pupil, quiz))
    table = assignments(parent, family, 'id="g-assign-heading"')
    assert "In progress" in table and "Out of attempts" not in table and 'data-testid="stuck-note"' not in table


def test_a_teacher_of_an_archived_class_gives_nothing(client, teacher, classroom, pupil):
    """Last year's class: its teacher still reads it, but no longer gives its students attempts
    (their teacher now does)."""
    from django.utils import timezone

    quiz = _out_of_attempts(pupil)
    classroom.archived_at = timezone.now()
    classroom.save()
    client.force_login(teacher)
    html = client.get(reverse("learning:student_detail", args=[classroom.pk, pupil.pk])).content.decode()
    assert 'data-testid="out-of-attempts"' in html and "Give one more attempt" not in html
    assert client.post(_url(classroom, pupil, quiz)).status_code == 404
    assert _nothing_given()
