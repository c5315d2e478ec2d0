"""Module pre-checks (issue 17): the curriculum files are valid and in both languages, and the
seed makes one pre-check per course from its own questions, idempotently."""

import copy
import shutil

import pytest
import yaml

from courses.curriculum import HERE, curriculum_files
from courses.curriculum.check import PRECHECKS_DIR, check_precheck, check_precheck_files
from quizzes import seed
from quizzes.models import Question, QuizPage


def test_every_module_has_a_valid_bilingual_precheck():
    files = curriculum_files()
    assert len(files) == 11
    assert check_precheck_files(files) == []
    for path in files:
        pre = yaml.safe_load((path.parent / PRECHECKS_DIR / path.name).read_text(encoding="utf-8"))
        assert len(pre["en"]) == len(pre["zh-hans"]) == 4
        assert {q["type"] for q in pre["en"]} <= {"single", "truefalse", "multiple"}


def test_check_catches_a_repeated_quiz_question_and_a_zh_mismatch():
    path = HERE / "m01-digital-citizenship.yaml"
    course = yaml.safe_load(path.read_text(encoding="utf-8"))
    pre = yaml.safe_load((HERE / PRECHECKS_DIR / path.name).read_text(encoding="utf-8"))
    bad = copy.deepcopy(pre)
    bad["en"][0]["text"] = course["quiz"]["questions"][0]["text"]
    bad["zh-hans"][1]["choices"].pop()
    errors = check_precheck(bad, course, "x.yaml")
    assert any("repeats a module quiz question" in e for e in errors)
    assert any("zh-hans question 2 differs" in e for e in errors)


@pytest.mark.django_db
def test_seed_makes_one_precheck_per_course_from_its_own_questions(catalogue, curriculum_dir):
    (curriculum_dir / PRECHECKS_DIR).mkdir()
    for path in curriculum_dir.glob("m*.yaml"):
        shutil.copy(HERE / PRECHECKS_DIR / path.name, curriculum_dir / PRECHECKS_DIR / path.name)
    seed.run(directory=curriculum_dir)
    prechecks = list(QuizPage.objects.filter(purpose=QuizPage.Purpose.PRECHECK, locale__language_code="en"))
    assert len(prechecks) == 2
    for pre in prechecks:
        assert pre.live and pre.answers_shown == "never" and pre.attempts_allowed == 1
        own = set(pre.quiz_questions.values_list("question_id", flat=True))
        assert len(own) == 4
        quiz = QuizPage.objects.child_of(pre.get_parent()).get(purpose=QuizPage.Purpose.QUIZ)
        assert own.isdisjoint(quiz.quiz_questions.values_list("question_id", flat=True))
        assert all(q.text_zh for q in Question.objects.filter(pk__in=own))
    counts = (QuizPage.objects.count(), Question.objects.count())
    seed.run(directory=curriculum_dir)
    assert (QuizPage.objects.count(), Question.objects.count()) == counts
