"""The quiz page shows the signed-in reader's grade, attempts and next step (quiz_reader tag)."""

import pytest

from quizzes import services
from tests.quizzes.factories import make_quiz, perfect_answers

pytestmark = pytest.mark.django_db


def test_quiz_page_shows_the_grade_and_attempts_after_a_submission(client, student):
    quiz = make_quiz(attempts_allowed=2)
    attempt = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    client.force_login(student)
    html = client.get(quiz.url).content.decode()
    assert "Your grade: 100% after 1 attempt(s)." in html
    assert "Your attempts" in html and "Review attempt 1" in html
    assert "Try again" in html and "Start the quiz" not in html


def test_quiz_page_says_when_every_attempt_is_used(client, student):
    quiz = make_quiz(attempts_allowed=1)
    attempt = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    client.force_login(student)
    html = client.get(quiz.url).content.decode()
    assert "You have used all your attempts." in html and "Try again" not in html


def test_quiz_page_asks_a_visitor_to_log_in(client):
    quiz = make_quiz()
    html = client.get(quiz.url).content.decode()
    assert "Log in to take the quiz." in html and "Your attempts" not in html
