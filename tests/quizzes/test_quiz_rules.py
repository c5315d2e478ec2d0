"""Quiz settings that teach: a new quiz allows a few attempts and keeps the correct answers
until the last one (or the due date), so submitting blank to read them and retrying to 100 %
does not work; curriculum quizzes move to these rules; teachers see attempt N of M."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import selectors, services
from quizzes.models import QuizPage
from tests.quizzes.factories import make_new_types, make_question, make_quiz, perfect_answers

pytestmark = pytest.mark.django_db


def test_a_new_quiz_starts_with_the_teaching_rules():
    quiz = QuizPage(title="New")
    assert {field: getattr(quiz, field) for field in QuizPage.TEACHING_RULES} == QuizPage.TEACHING_RULES
    assert quiz.attempts_allowed == 3 and quiz.answers_shown == QuizPage.AnswersShown.AFTER_LAST


def _review(client, attempt):
    return client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()


def test_blank_submit_and_retry_does_not_reveal_the_answers(client, student):
    single = make_question("single", title="Pick", choices=[("Lock your screen", True), ("Share it", False)])
    quiz = make_quiz(questions=[single, *make_new_types()], slug="teach", **QuizPage.TEACHING_RULES)
    client.force_login(student)
    for number in (1, 2):
        attempt = services.start_attempt(student=student, quiz=quiz)
        services.submit_attempt(attempt_id=attempt.pk, student=student, answers={})
        html = _review(client, attempt)
        assert "a correct answer" not in html and "12377" not in html and "right match:" not in html
        assert "The correct answers appear after your last attempt" in html
        assert selectors.grade_for(student=student, quiz=quiz).attempts_left == 3 - number
    last = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=last.pk, student=student, answers=perfect_answers(last))
    html = _review(client, last)
    assert "a correct answer" in html and "12377" in html and "right match:" in html
    with pytest.raises(services.AttemptLimitReached):
        services.start_attempt(student=student, quiz=quiz)


def test_answers_rule_per_setting():
    now = timezone.now()
    quiz = QuizPage(title="Q", due_at=now + timedelta(days=1))
    assert not quiz.answers_visible(attempts_left=2, now=now)
    assert quiz.answers_visible(attempts_left=0, now=now)
    assert quiz.answers_visible(attempts_left=2, now=now + timedelta(days=2))  # past due
    quiz.attempts_allowed, quiz.due_at = 0, None
    assert not quiz.answers_visible(attempts_left=None, now=now)  # unlimited, no due date: never
    quiz.answers_shown = QuizPage.AnswersShown.AFTER_ATTEMPT
    assert quiz.answers_visible(attempts_left=None, now=now)
    quiz.feedback_timing = QuizPage.FeedbackTiming.NEVER
    assert not quiz.answers_visible(attempts_left=0, now=now)


def test_curriculum_quizzes_move_to_the_teaching_rules_unless_an_editor_changed_them():
    from quizzes.seed import teach

    old = make_quiz(slug="old", attempts_allowed=0, answers_shown="after_attempt")
    assert teach(old) is old
    old = QuizPage.objects.get(pk=old.pk)
    assert (old.attempts_allowed, old.answers_shown) == (3, "after_last")
    assert old.get_latest_revision().as_object().attempts_allowed == 3  # published, not only the row
    edited = make_quiz(slug="edited", attempts_allowed=5, answers_shown="after_attempt")
    teach(edited)
    assert QuizPage.objects.get(pk=edited.pk).attempts_allowed == 5


def test_quiz_page_tells_learners_when_answers_appear(client, student):
    quiz = make_quiz(slug="rules", **QuizPage.TEACHING_RULES)
    client.force_login(student)
    html = client.get(quiz.url).content.decode()
    assert "3 attempts allowed" in html and "after the last attempt or the due date" in html
