"""A red-flag question's scenario drawn in a phone frame on the quiz pages (issue 17)."""

import pytest
from django.urls import reverse
from django.utils import translation

from quizzes import services
from quizzes.models import Attempt, ScenarioFrame
from quizzes.templatetags.quiz_screens import scenario_screen
from tests.accounts.factories import StudentFactory
from tests.quizzes.factories import make_question, make_quiz, perfect_answers

SCENARIO = 'Messages from "Nova":\n"You\'re so mature for your age."\nme: Thanks?\n"Let\'s switch apps."'
SCENARIO_ZH = "“诺瓦”发来的消息：\n“你比同龄人成熟多了。”\n我：谢谢？\n“我们换个应用聊吧。”"


def _take(client, student, question):
    quiz = make_quiz(questions=[question])
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    return client.get(reverse("quizzes:take", args=[Attempt.objects.get(student=student).pk])).content.decode()


def test_a_framed_scenario_is_drawn_as_a_chat(client, db):
    question = make_question("redflags", scenario=SCENARIO, scenario_zh=SCENARIO_ZH, scenario_frame=ScenarioFrame.CHAT)
    html = _take(client, StudentFactory(language="en"), question)
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count('class="screen-drawing"') == 1 and 'role="img"' in main
    assert "A chat on a phone screen: Messages from &quot;Nova&quot;" in main
    assert "Me: Thanks?" in main  # the "me:" line is mine, in the transcript and on the right
    assert '<pre class="quiz-scenario"' not in main
    assert "诺瓦" not in main


def test_a_chinese_reader_sees_the_chinese_scenario_in_the_frame(client, db):
    question = make_question("redflags", scenario=SCENARIO, scenario_zh=SCENARIO_ZH, scenario_frame=ScenarioFrame.CHAT)
    html = _take(client, StudentFactory(language="zh-hans"), question)
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count('class="screen-drawing"') == 1
    assert "我们换个应用聊吧。" in main and "mature" not in main


def test_no_frame_keeps_the_plain_scenario(client, db):
    question = make_question("redflags", scenario=SCENARIO)
    assert question.scenario_frame == ScenarioFrame.NONE
    html = _take(client, StudentFactory(language="en"), question)
    main = html[html.index("<main") : html.index("</main>")]
    assert "screen-drawing" not in main and '<pre class="quiz-scenario"' in main


@pytest.mark.parametrize("qtype", ["single", "redflags"])
def test_only_a_red_flag_question_with_a_scenario_gets_a_frame(db, qtype):
    question = make_question(qtype, scenario="", scenario_frame=ScenarioFrame.POST)
    with translation.override("en"):
        assert scenario_screen(question) == ""


def test_the_review_page_draws_the_frame_too(client, db):
    student = StudentFactory(language="en")
    question = make_question("redflags", scenario=SCENARIO, scenario_frame=ScenarioFrame.CHAT)
    quiz = make_quiz(questions=[question])
    attempt = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    client.force_login(student)
    html = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count('class="screen-drawing"') == 1 and '<pre class="quiz-scenario"' not in main
