"""The class dashboard's "Hardest questions" and "Results per learning objective" tables read
on a phone (one card per row, each figure named) and name a question's topic in words."""

import re

import pytest
from django.urls import reverse

from quizzes import services as quiz_services
from quizzes.statistics import recompute_for_quiz
from tests.learning.factories import assign
from tests.quizzes.factories import make_question, make_quiz
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db


def _dashboard(client, teacher, classroom, *, topic="privacy", language="en"):
    question = make_question("single", title="Share your address?", topic=topic)
    quiz = make_quiz(questions=[question], pass_mark=60)
    assign(classroom, quiz, teacher=teacher)
    wrong = question.choices.get(text="Wrong").pk
    quiz_services.record_attempt(student=make_student(classroom), quiz=quiz, answers={question.pk: wrong})
    recompute_for_quiz(quiz_id=quiz.pk)
    teacher.language = language
    teacher.save(update_fields=["language"])
    client.force_login(teacher)
    return client.get(reverse("learning:class_dashboard", args=[classroom.pk])).content.decode()


def _section(html, heading_id):
    return re.search(rf'<section aria-labelledby="{heading_id}">.*?</section>', html, re.S).group(0)


def test_hardest_questions_stack_into_labelled_cards_on_a_phone(client, teacher, classroom):
    hard = _section(_dashboard(client, teacher, classroom), "hard-heading")
    assert 'class="table-stack"' in hard
    for column in ("Answered correctly", "Most chosen wrong answer", "Details"):
        assert f'data-label="{column}"' in hard
    assert hard.count('role="cell"') == 4 and hard.count('role="columnheader"') == 4


def test_objectives_name_the_topic_in_words_not_its_tag(client, teacher, classroom):
    objectives = _section(_dashboard(client, teacher, classroom), "obj-heading")
    assert 'class="table-stack"' in objectives and 'data-label="Class result"' in objectives
    assert "Privacy and personal information" in objectives
    assert not re.search(r">\s*privacy\s*<", objectives)


def test_objectives_name_the_topic_in_the_teachers_language(client, teacher, classroom):
    objectives = _section(_dashboard(client, teacher, classroom, language="zh-hans"), "obj-heading")
    assert "隐私" in objectives and not re.search(r">\s*privacy\s*<", objectives)


def test_a_topic_an_editor_typed_is_shown_as_typed(client, teacher, classroom):
    """Topics outside the curriculum's (an import takes its category's name) are the editor's
    own words; they have no other label."""
    objectives = _section(_dashboard(client, teacher, classroom, topic="Phishing drills"), "obj-heading")
    assert "Phishing drills" in objectives
