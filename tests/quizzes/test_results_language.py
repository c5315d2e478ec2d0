"""A learner's results read in the reader's language: a parent (or teacher) who reads 简体中文
sees the quiz's Chinese title, and the missed question, its explanation and the options chosen
in Chinese where the bank has them, though the attempt is on the English quiz."""

import pytest
from django.urls import reverse
from django.utils import translation

from quizzes.selectors import submitted_attempts_with_answers
from tests.quizzes.factories import taken_wrongly_in_two_languages

pytestmark = pytest.mark.django_db


def test_results_are_in_chinese_for_a_chinese_reader_and_english_otherwise():
    student = taken_wrongly_in_two_languages()
    with translation.override("zh-hans"):
        [attempt] = submitted_attempts_with_answers(student_id=student.pk)
    assert attempt.quiz_title == "测验：网上的陌生人"
    first, second = attempt.answers
    assert (first.question_text, first.explanation, first.chosen_text) == (
        "游戏里认识的人问你的住址，你怎么办？",
        "不要把住址告诉只在网上认识的人。",
        "发给对方",
    )
    # A question without a Chinese twin stays in English.
    assert (second.question_text, second.explanation, second.chosen_text) == (
        "Untranslated question",
        "Untranslated why.",
        "Wrong",
    )
    with translation.override("en"):
        [attempt] = submitted_attempts_with_answers(student_id=student.pk)
    assert attempt.quiz_title == "Quiz: strangers online"
    assert (attempt.answers[0].question_text, attempt.answers[0].chosen_text) == (
        "Someone you met in a game asks for your address. What do you do?",
        "Send it",
    )


def test_a_chinese_reading_parent_sees_the_missed_question_in_chinese(client):
    from tests.accounts.factories import GuardianFactory
    from tests.schools.factories import link_guardian

    student = taken_wrongly_in_two_languages()
    client.force_login(link_guardian(student, GuardianFactory(language="zh-hans")))
    html = client.get(reverse("learning:guardian_child", args=[student.pk])).content.decode()
    results = html.split('id="g-results-heading"')[1].split("</section>")[0]
    assert "测验：网上的陌生人" in results and "Quiz: strangers online" not in results
    assert "游戏里认识的人问你的住址，你怎么办？" in results and "不要把住址告诉只在网上认识的人。" in results
