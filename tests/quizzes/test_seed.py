"""The demo quizzes: one per course, every type used, reruns add nothing."""

import pytest

from quizzes import seed, services
from quizzes.models import Question, QuizPage
from tests.accounts.factories import StudentFactory
from tests.quizzes.factories import perfect_answers

pytestmark = pytest.mark.django_db


def test_seed_creates_a_quiz_per_course_and_is_idempotent(catalogue, curriculum_dir):
    assert seed.run(directory=curriculum_dir) == (2, Question.objects.count())
    quizzes = list(QuizPage.objects.all())
    assert len(quizzes) == 2 and all(q.live for q in quizzes)
    for quiz in quizzes:
        types = set(quiz.quiz_questions.values_list("question__qtype", flat=True))
        assert types == {"single", "multiple", "truefalse", "ordering", "redflags"}
        assert 8 <= quiz.quiz_questions.count() <= 12
        assert quiz.get_parent().specific.__class__.__name__ == "CoursePage"
    counts = Question.objects.count()
    assert seed.run(directory=curriculum_dir) == (0, 0)
    assert Question.objects.count() == counts


def test_record_attempt_service_for_the_learning_seed(catalogue, curriculum_dir):
    seed.run(directory=curriculum_dir)
    quiz = QuizPage.objects.first()
    student = StudentFactory()
    probe = services.start_attempt(student=student, quiz=quiz)
    answers = perfect_answers(probe)
    services.submit_attempt(attempt_id=probe.pk, student=student)
    attempt = services.record_attempt(student=student, quiz=quiz, answers=answers)
    assert attempt.is_submitted and attempt.percent == 100 and attempt.number == 2
