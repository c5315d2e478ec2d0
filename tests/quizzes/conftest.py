import pytest

from tests.quizzes.factories import make_quiz


@pytest.fixture
def quiz(db):
    return make_quiz()
