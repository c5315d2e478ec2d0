"""A learner's results read in the reader's language: a parent (or teacher) who reads 简体中文
sees the quiz's Chinese title, and the missed question, its explanation and the options chosen
in Chinese where the bank has them, though the attempt is on the English quiz."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from quizzes import services
from quizzes.selectors import submitted_attempts_with_answers
from tests.accounts.factories import StudentFactory
from tests.quizzes.factories import make_question, make_quiz

pytestmark = pytest.mark.django_db


def _taken_wrongly():
    question = make_question(
        "single",
        text="Someone you met in a game asks for your address. What do you do?",
        text_zh="游戏里认识的人问你的住址，你怎么办？",
        explanation="Never give your address to someone you only know online.",
        explanation_zh="不要把住址告诉只在网上认识的人。",
        choices=[
            {"text": "Tell a trusted adult", "text_zh": "告诉信任的大人", "correct": True},
            {"text": "Send it", "text_zh": "发给对方", "correct": False},
        ],
    )
    plain = make_question("single", text="Untranslated question", explanation="Untranslated why.")
    quiz = make_quiz(questions=[question, plain], slug="strangers")
    quiz.title = "Quiz: strangers online"
    quiz.save_revision().publish()
    zh = quiz.copy_for_translation(Locale.objects.get_or_create(language_code="zh-hans")[0], copy_parents=True)
    zh.title = "测验：网上的陌生人"
    zh.save_revision().publish()
    student = StudentFactory()
    wrong = question.choices.get(correct=False)
    plain_wrong = plain.choices.get(text="Wrong")
    services.record_attempt(student=student, quiz=quiz, answers={question.pk: wrong.pk, plain.pk: plain_wrong.pk})
    return student


def test_results_are_in_chinese_for_a_chinese_reader_and_english_otherwise():
    student = _taken_wrongly()
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
    from tests.schools.factories import link_guardian

    student = _taken_wrongly()
    parent = link_guardian(student)
    parent.language = "zh-hans"
    parent.save(update_fields=["language"])
    client.force_login(parent)
    html = client.get(reverse("learning:guardian_child", args=[student.pk])).content.decode()
    results = html.split('id="g-results-heading"')[1].split("</section>")[0]
    assert "测验：网上的陌生人" in results and "Quiz: strangers online" not in results
    assert "游戏里认识的人问你的住址，你怎么办？" in results and "不要把住址告诉只在网上认识的人。" in results
