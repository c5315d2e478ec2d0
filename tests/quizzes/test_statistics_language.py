"""Question statistics name each option in the reader's language (issue 13): a teacher who
reads in 简体中文 sees the Chinese option texts, counted against the same English rows."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from quizzes.selectors import statistic_rows
from tests.quizzes.factories import make_question

pytestmark = pytest.mark.django_db


def _row_for(question):
    right, wrong = question.choices.order_by("sort_order")[:2]
    stat = SimpleNamespace(
        quiz=None,
        quiz_id=None,
        question=question,
        question_id=question.pk,
        responses=3,
        facility=2 / 3,
        discrimination=0.5,
        option_counts={str(right.pk): 2, str(wrong.pk): 1},
    )
    [row] = statistic_rows([stat])
    return row


def test_options_are_named_in_chinese_for_a_chinese_reader():
    question = make_question(
        "single",
        choices=[
            {"text": "Tell a trusted adult", "text_zh": "告诉信任的大人", "correct": True},
            {"text": "Reply angrily", "text_zh": "生气地回复", "correct": False},
        ],
    )
    with translation.override("zh-hans"):
        row = _row_for(question)
    assert [(o["text"], o["count"], o["correct"]) for o in row["options"]] == [
        ("告诉信任的大人", 2, True),
        ("生气地回复", 1, False),
    ]
    with translation.override("en"):
        assert [o["text"] for o in _row_for(question)["options"]] == ["Tell a trusted adult", "Reply angrily"]


def test_an_option_without_chinese_stays_in_english():
    question = make_question("single", choices=[{"text": "Right", "correct": True}, {"text": "Wrong"}])
    with translation.override("zh-hans"):
        assert [o["text"] for o in _row_for(question)["options"]] == ["Right", "Wrong"]
