"""The submit path's hand-written statements (quizzes/statements.py) read and write what the ORM
would, on SQLite and on PostgreSQL (CI runs this file on both)."""

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes import services, statements
from quizzes.models import Attempt, Response
from tests.accounts.factories import StudentFactory
from tests.quizzes.factories import make_question, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt():
    quiz = make_quiz(questions=[make_question("single"), make_question("multiple")], pass_mark=62)
    student = StudentFactory()
    return services.start_attempt(student=student, quiz=quiz)


def test_the_locked_read_is_the_orm_row_plus_the_quiz_rules(attempt):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        read = statements.locked_attempt(attempt.pk, attempt.student_id)
    orm = Attempt.objects.get(pk=attempt.pk)
    for field in Attempt._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    assert read.layout == orm.layout and isinstance(read.layout, list)  # JSON decoded, not text
    assert read.quiz_pass_mark == Fraction(62) and read.quiz_purpose == "quiz"
    assert read._loaded_status == Attempt.Status.IN_PROGRESS  # the model's own save guard holds
    assert len([q for q in queries.captured_queries if q["sql"].startswith("SELECT")]) == 1
    if connection.features.has_select_for_update:
        assert "FOR UPDATE OF" in queries.captured_queries[-1]["sql"]


def test_the_unlocked_read_is_the_same_row_without_the_lock(attempt):
    with CaptureQueriesContext(connection) as queries:
        read = statements.own_attempt(attempt.pk, attempt.student_id)
    locked = statements.locked_attempt(attempt.pk, attempt.student_id)
    for field in Attempt._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(locked, field.attname), field.name
    assert (read.quiz_pass_mark, read.quiz_purpose) == (locked.quiz_pass_mark, locked.quiz_purpose)
    assert [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]] == []


@pytest.mark.parametrize("read", [statements.locked_attempt, statements.own_attempt])
@pytest.mark.parametrize("forged", [None, "x", "1 OR 1=1", 10**9])
def test_someone_elses_or_a_forged_attempt_is_none(attempt, forged, read):
    other = StudentFactory()
    with transaction.atomic(), pytest.raises(Attempt.DoesNotExist):
        read(attempt.pk, other.pk)
    with transaction.atomic(), pytest.raises(Attempt.DoesNotExist):
        read(forged, attempt.student_id)


def test_upsert_writes_sql_null_json_and_exact_scores_and_keeps_unnamed_fields(attempt):
    first, second = attempt.question_ids
    earlier = timezone.now() - timedelta(minutes=5)
    # Autosave: answers only (one of them blank: SQL NULL, not JSON null).
    statements.upsert_responses(
        attempt.pk, [{"question": first, "answer": [3, 1]}, {"question": second, "answer": None}], ["answer"], earlier
    )
    assert Response.objects.filter(attempt=attempt, answer__isnull=True).count() == 1
    assert statements.stored_answers(attempt.pk, [first, second]) == {first: [3, 1], second: None}
    # Submit: every field, the same rows updated in place (no second row per question).
    later = timezone.now()
    statements.upsert_responses(
        attempt.pk,
        [
            {"question": first, "answer": {"1": "risky"}, "score": Decimal("0.3333"), "max_score": Decimal("1.0000")},
            {"question": second, "answer": None, "score": Decimal("0.0000"), "max_score": Decimal("2.0000")},
        ],
        ["answer", "score", "max_score"],
        later,
    )
    rows = {r.question_id: r for r in Response.objects.filter(attempt=attempt)}
    assert len(rows) == 2
    assert rows[first].answer == {"1": "risky"} and rows[first].score == Decimal("0.3333")
    assert rows[second].answer is None and rows[second].max_score == Decimal("2.0000")
    assert abs(rows[first].updated_at - later) < timedelta(seconds=1)
    # An autosave after that names only the answer: the scores stay.
    statements.upsert_responses(attempt.pk, [{"question": first, "answer": 7}], ["answer"], later)
    assert Response.objects.get(attempt=attempt, question_id=first).score == Decimal("0.3333")


def test_close_flips_an_open_attempt_once(attempt):
    fields = {
        "status": Attempt.Status.SUBMITTED,
        "submitted_at": timezone.now(),
        "score": Decimal("1.0000"),
        "max_score": Decimal("2.0000"),
        "percent": Decimal("50.00"),
        "passed": False,
        "late": False,
    }
    assert statements.close_attempt(attempt.pk, fields, layout_version=0) == 1
    assert statements.close_attempt(attempt.pk, fields, layout_version=0) == 0  # already submitted: nothing changes
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.status == Attempt.Status.SUBMITTED and stored.percent == Decimal("50.00") and stored.passed is False


def _closing_fields(percent):
    return {
        "status": Attempt.Status.SUBMITTED,
        "submitted_at": timezone.now(),
        "score": Decimal("1.0000"),
        "max_score": Decimal("2.0000"),
        "percent": Decimal(percent),
        "passed": False,
        "late": False,
    }


def _closed_with(attempt, answer, score, now):
    """What the submit does: close and store the responses (all or nothing, on its own)."""
    rows = [
        {"question": qid, "answer": answer, "score": Decimal(score), "max_score": Decimal("1.0000")}
        for qid in attempt.question_ids
    ]
    with CaptureQueriesContext(connection) as queries:
        closed = statements.close_attempt(
            attempt.pk,
            _closing_fields("50.00"),
            layout_version=attempt.layout_version,
            responses=rows,
            response_fields=("answer", "score", "max_score"),
            now=now,
        )
    return closed, [q["sql"] for q in queries.captured_queries]


def test_closing_with_responses_writes_the_attempt_and_every_response_once(attempt):
    now = timezone.now()
    closed, sql = _closed_with(attempt, [2], "1.0000", now)
    assert closed == 1
    writes = [q for q in sql if q.startswith(("INSERT", "UPDATE", "WITH"))]
    assert len(writes) == (1 if connection.vendor == "postgresql" else 2)  # one statement on PostgreSQL
    rows = Response.objects.filter(attempt=attempt)
    assert {r.question_id for r in rows} == set(attempt.question_ids)
    assert all(r.answer == [2] and r.score == Decimal("1.0000") for r in rows)
    assert all(abs(r.updated_at - now) < timedelta(seconds=1) for r in rows)
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED

    # Closed already (a second tab that read the attempt while it was open): nothing is closed
    # again and no response changes.
    closed, _ = _closed_with(attempt, [9], "0.0000", timezone.now())
    assert closed == 0
    assert all(r.answer == [2] and r.score == Decimal("1.0000") for r in Response.objects.filter(attempt=attempt))


def test_keys_read_exact_numbers(attempt):
    question = make_question("numerical")
    choice = question.choices.first()
    choice.tolerance = Decimal("0.1")
    choice.weight = Decimal("33.33333")
    choice.save()
    rows = statements.key_rows([question.pk], ("numerical",))
    _, qtype, points, _, cid, _, weight, text, _, tolerance = rows[0]
    assert qtype == "numerical" and cid == choice.pk and text == choice.text
    assert statements.exact(tolerance) == Fraction(1, 10)
    assert statements.exact(weight) == Fraction(3333333, 100000)
    assert statements.exact(points) == Fraction(1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_the_submit_statements_are_bound_on_the_server_and_kept_prepared(attempt):
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = 0  # what production's OPTIONS["prepare_threshold"] sets
    try:
        with transaction.atomic():
            statements.locked_attempt(attempt.pk, attempt.student_id)
            statements.key_rows(attempt.question_ids, ("shortanswer",))
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
    finally:
        raw.prepare_threshold = threshold
    # Parameters bound on the server ($1...), not quoted into the text: one plan for every learner.
    assert any('"quizzes_attempt" a' in sql and '"id" = $1' in sql for sql in prepared), prepared
    assert any('"quizzes_choice" c' in sql and "$1" in sql for sql in prepared), prepared


def test_any_stored_answer_reads_back_as_written(attempt):
    # The responses ride to PostgreSQL as one JSON document: text with quotes, backslashes and
    # Chinese, falsy values and nested shapes come back as written; a blank answer is SQL NULL.
    first, second = attempt.question_ids
    answers = ['他说 "别分享" \\ 密码 ✓', 0, False, {"12": [3, None]}, [], "", None]
    for answer in answers:
        rows = [
            {"question": first, "answer": answer, "score": Decimal("0.3333"), "max_score": Decimal("1.0000")},
            {"question": second, "answer": None, "score": Decimal("0.0000"), "max_score": Decimal("2.5000")},
        ]
        statements.upsert_responses(attempt.pk, rows, ["answer", "score", "max_score"], timezone.now())
        stored = {r.question_id: r for r in Response.objects.filter(attempt=attempt)}
        assert stored[first].answer == answer
        assert stored[first].score == Decimal("0.3333") and stored[second].max_score == Decimal("2.5000")
        assert Response.objects.filter(attempt=attempt, answer__isnull=True).count() == (2 if answer is None else 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the JSON parameter is PostgreSQL's")
def test_on_postgresql_the_close_is_one_statement_text_whatever_the_quiz_size():
    texts = set()
    for size in (2, 5):
        quiz = make_quiz(questions=[make_question("single") for _ in range(size)], slug=f"quiz-of-{size}")
        attempt = services.start_attempt(student=StudentFactory(), quiz=quiz)
        closed, sql = _closed_with(attempt, [1], "1.0000", timezone.now())
        assert closed == 1 and Response.objects.filter(attempt=attempt).count() == size
        texts.update(q for q in sql if q.startswith("WITH"))
    assert len(texts) == 1, texts  # kept prepared once per connection, not once per quiz size
