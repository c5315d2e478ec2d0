"""Per-class item statistics: learning groups the quiz engine's answers by its classes."""

import pytest
from django.urls import reverse

from learning.dashboards import class_statistics
from learning.models import ClassItemStatistic
from quizzes import services as quiz_services
from quizzes import tasks as quiz_tasks
from tests.quizzes.factories import make_quiz, perfect_answers
from tests.schools.factories import ClassroomFactory, make_student

pytestmark = pytest.mark.django_db


def _submit(student, quiz, capture, *, right):
    attempt = quiz_services.start_attempt(student=student, quiz=quiz)
    with capture(execute=True):
        quiz_services.submit_attempt(
            attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt) if right else {}
        )


def test_the_engines_recompute_fills_rows_per_class(classroom, other_classroom, django_capture_on_commit_callbacks):
    quiz = make_quiz()
    for right in (False, True, True):
        _submit(make_student(classroom), quiz, django_capture_on_commit_callbacks, right=right)
    _submit(make_student(other_classroom), quiz, django_capture_on_commit_callbacks, right=False)
    quiz_tasks.recompute_item_statistics(quiz.pk)  # the engine's task; learning's receiver follows
    n_questions = quiz.quiz_questions.count()
    mine = ClassItemStatistic.objects.filter(classroom=classroom, quiz=quiz)
    assert mine.count() == n_questions
    assert all(r.responses == 3 and abs(r.facility - 2 / 3) < 1e-9 for r in mine)
    theirs = ClassItemStatistic.objects.filter(classroom=other_classroom, quiz=quiz)
    assert theirs.count() == n_questions and all(r.responses == 1 and r.facility == 0 for r in theirs)
    rows = class_statistics.rows_for_class(quiz_ids=[quiz.pk], classroom_id=classroom.pk)
    assert len(rows) == n_questions and rows[0]["options"]


def test_recompute_is_idempotent_and_drops_classes_without_answers(classroom, django_capture_on_commit_callbacks):
    quiz = make_quiz()
    student = make_student(classroom)
    _submit(student, quiz, django_capture_on_commit_callbacks, right=True)
    gone = ClassroomFactory(school=classroom.school)
    ClassItemStatistic.objects.create(classroom=gone, quiz=quiz, question=quiz.quiz_questions.first().question)
    assert class_statistics.recompute_for_quiz(quiz_id=quiz.pk) == 1
    before = list(ClassItemStatistic.objects.values_list("classroom_id", "question_id", "responses", "facility"))
    assert class_statistics.recompute_for_quiz(quiz_id=quiz.pk) == 1
    after = list(ClassItemStatistic.objects.values_list("classroom_id", "question_id", "responses", "facility"))
    assert before == after
    assert not ClassItemStatistic.objects.filter(classroom=gone).exists()


def test_teacher_sees_class_statistics_only_for_own_class(client, teacher, classroom, other_classroom):
    quiz = make_quiz()
    client.force_login(teacher)
    ok = client.get(reverse("learning:class_question_statistics", args=[classroom.pk, quiz.pk]))
    assert ok.status_code == 200
    url = reverse("learning:class_question_statistics", args=[other_classroom.pk, quiz.pk])
    assert client.get(url).status_code == 404


def test_class_statistics_page_shows_the_classes_answers(
    client, teacher, classroom, django_capture_on_commit_callbacks
):
    quiz = make_quiz()
    _submit(make_student(classroom), quiz, django_capture_on_commit_callbacks, right=True)
    quiz_tasks.recompute_item_statistics(quiz.pk)
    client.force_login(teacher)
    response = client.get(reverse("learning:class_question_statistics", args=[classroom.pk, quiz.pk]))
    html = response.content.decode()
    question = quiz.quiz_questions.first().question
    assert response.status_code == 200 and len(response.context["rows"]) == quiz.quiz_questions.count()
    assert f'id="question-{question.pk}"' in html and question.text in html
    assert "100% answered correctly" in html and "(1 student)" in html
    assert "Facility" not in html and "Discrimination" not in html
    assert reverse("learning:class_dashboard", args=[classroom.pk]) in html  # a way back


@pytest.mark.parametrize(("grading", "second_right", "facility"), [("highest", False, 1), ("last", False, 0)])
def test_each_student_counts_once_with_the_attempt_their_grade_stands_on(
    classroom, django_capture_on_commit_callbacks, grading, second_right, facility
):
    """Two attempts by one student are one answer per question, not two: 'highest' keeps the
    right attempt, 'last' the later wrong one."""
    quiz = make_quiz(grading=grading, attempts_allowed=0)
    student = make_student(classroom)
    _submit(student, quiz, django_capture_on_commit_callbacks, right=True)
    _submit(student, quiz, django_capture_on_commit_callbacks, right=second_right)
    quiz_tasks.recompute_item_statistics(quiz.pk)
    rows = ClassItemStatistic.objects.filter(classroom=classroom, quiz=quiz)
    assert rows.count() == quiz.quiz_questions.count()
    assert all(r.responses == 1 and r.facility == facility for r in rows)


@pytest.mark.django_db(transaction=True)
def test_migration_copies_per_class_rows_out_of_the_quiz_engine(classroom):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    ContentType.objects.clear_cache()  # an earlier transactional test's flush recreated them
    quiz = make_quiz()
    question = quiz.quiz_questions.first().question
    before = [("learning", "0002_private_certificates_and_exports"), ("quizzes", "0004_question_chinese_text")]
    after = [("learning", "0003_class_item_statistics"), ("quizzes", "0005_itemstatistic_drop_classroom")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("quizzes", "ItemStatistic")
        common = {"question_id": question.pk, "responses": 4, "facility": 0.25, "option_counts": {"7": 3}}
        old.objects.create(scope=f"quiz:{quiz.pk}", quiz_id=quiz.pk, **common)
        old.objects.create(
            scope=f"quiz:{quiz.pk}:class:{classroom.pk}", quiz_id=quiz.pk, classroom_id=classroom.pk, **common
        )
        old.objects.create(scope=f"quiz:{quiz.pk}:class:999999", quiz_id=quiz.pk, classroom_id=999999, **common)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())  # whatever else the step back undid
    from quizzes.models import ItemStatistic

    copied = ClassItemStatistic.objects.get()
    assert (copied.classroom_id, copied.quiz_id, copied.question_id) == (classroom.pk, quiz.pk, question.pk)
    assert (copied.responses, copied.facility, copied.option_counts) == (4, 0.25, {"7": 3})
    assert list(ItemStatistic.objects.values_list("scope", flat=True)) == [f"quiz:{quiz.pk}"]
