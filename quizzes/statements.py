"""The quiz engine's hot-path statements, written out once.

Building a query with the ORM costs about a millisecond of CPU on every request, before the
database sees it (bench/_profile_quiz_submit.py): five of them were most of what a quiz
submit cost the server. These are the same statements the ORM built for services.py (same
tables, same row lock, same upsert), with their SQL fixed when the module loads and their
values prepared by the model fields, so a submit pays only for running them.

Kept to what the submit and autosave paths need; everything else in the engine uses the ORM.
The tests run every statement on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from functools import cache

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .models import Attempt, Response

_ATTEMPT_COLUMNS = ", ".join(f'a."{field.column}"' for field in Attempt._meta.concrete_fields)
_ATTEMPT_NAMES = [field.attname for field in Attempt._meta.concrete_fields]
_RESPONSE = {name: Response._meta.get_field(name) for name in ("answer", "score", "max_score", "updated_at")}
_ATTEMPT = {field.name: field for field in Attempt._meta.concrete_fields}


def _db():
    """This thread's default connection, looked up once per statement (each attribute read
    through django.db.connection is a lookup of its own)."""
    return connections[DEFAULT_DB_ALIAS]


def _cursor(db):
    """Django's cursor (query logging, error translation and all). On PostgreSQL one that binds
    its parameters on the server rather than quoting them into the text, so PostgreSQL can
    keep these few statements prepared (parsed and planned once per connection) wherever the
    settings allow it: OPTIONS["prepare_threshold"], which production sets."""
    if db.vendor != "postgresql":
        return db.cursor()
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors:
        return db._prepare_cursor(psycopg.Cursor(db.connection))


def exact(value) -> Fraction:
    """A number read without the ORM's converters, exactly: PostgreSQL returns Decimal,
    SQLite an int or a float whose shortest repr is the stored decimal."""
    return Fraction(value if isinstance(value, (int, Decimal)) else str(value))


@cache
def _locked_sql(for_update: str) -> str:
    # The quiz's pass mark and purpose ride along; its Wagtail page (dozens of columns and
    # indexes that cost PostgreSQL more to plan than the rest of the statement) is not joined.
    # Only the attempt row is locked: the quiz row is shared by every learner of the quiz, and
    # locking it would queue all their submits.
    return (
        f'SELECT {_ATTEMPT_COLUMNS}, q."pass_mark", q."purpose" '
        f'FROM "quizzes_attempt" a JOIN "quizzes_quizpage" q ON q."page_ptr_id" = a."quiz_id" '
        f'WHERE a."id" = %s AND a."student_id" = %s {for_update}'
    )


@cache
def _attempt_converters(vendor: str) -> list[tuple[int, list, object]]:
    """The model fields' own conversions of the attempt's columns (JSON, and on SQLite dates,
    decimals and booleans), as the ORM applies them to a row."""
    db, converters = _db(), []
    for i, field in enumerate(Attempt._meta.concrete_fields):
        column = field.get_col(Attempt._meta.db_table)
        found = db.ops.get_db_converters(column) + column.get_db_converters(db)
        if found:
            converters.append((i, found, column))
    return converters


def locked_attempt(attempt_id, student_id) -> Attempt:
    """The student's own attempt, its row locked until the transaction ends, with its quiz's
    `quiz_pass_mark` (a Fraction) and `quiz_purpose`. Attempt.DoesNotExist otherwise (someone
    else's attempt looks the same as none)."""
    db = _db()
    return _own_attempt(db, attempt_id, student_id, lock=db.features.has_select_for_update)


def own_attempt(attempt_id, student_id) -> Attempt:
    """As locked_attempt, without the lock (for a caller whose write checks the status itself)."""
    return _own_attempt(_db(), attempt_id, student_id, lock=False)


def _own_attempt(db, attempt_id, student_id, *, lock: bool) -> Attempt:
    for_update = db.ops.for_update_sql(of=("a",)) if lock else ""
    try:
        pk = int(attempt_id)
    except (TypeError, ValueError):
        raise Attempt.DoesNotExist from None
    with _cursor(db) as cursor:
        cursor.execute(_locked_sql(for_update), [pk, student_id])
        row = cursor.fetchone()
    if row is None:
        raise Attempt.DoesNotExist
    *values, pass_mark, purpose = row
    for i, converters, column in _attempt_converters(db.vendor):
        for convert in converters:
            values[i] = convert(values[i], column, db)
    attempt = Attempt.from_db(db.alias, _ATTEMPT_NAMES, values)
    attempt.quiz_pass_mark = exact(pass_mark)
    attempt.quiz_purpose = purpose
    return attempt


def key_rows(question_ids: list[int], text_types: tuple[str, ...]) -> list[tuple]:
    """One row per option of each question (a question with no option yet: one row of
    Nones), in option order: (question id, type, points, case sensitive, option id, correct,
    weight, text, match text, tolerance). Option texts are read only for `text_types`."""
    db = _db()
    if not question_ids:
        return []
    ids = ", ".join(["%s"] * len(question_ids))
    types = ", ".join(["%s"] * len(text_types))
    sql = (
        'SELECT q."id", q."qtype", q."points", q."case_sensitive", c."id", c."correct", c."weight", '
        f'CASE WHEN q."qtype" IN ({types}) THEN c."text" ELSE \'\' END, '
        f'CASE WHEN q."qtype" IN ({types}) THEN c."match_text" ELSE \'\' END, '
        'c."tolerance" '
        'FROM "quizzes_question" q LEFT JOIN "quizzes_choice" c ON c."question_id" = q."id" '
        f'WHERE q."id" IN ({ids}) ORDER BY q."id", c."sort_order", c."id"'
    )
    with _cursor(db) as cursor:
        cursor.execute(sql, [*text_types, *text_types, *question_ids])
        return cursor.fetchall()


def stored_answers(attempt_id: int, question_ids: list[int]) -> dict[int, object]:
    """{question id: answer} of what autosave stored for these questions."""
    if not question_ids:
        return {}
    db = _db()
    ids = ", ".join(["%s"] * len(question_ids))
    sql = f'SELECT "question_id", "answer" FROM "quizzes_response" WHERE "attempt_id" = %s AND "question_id" IN ({ids})'
    answer = _RESPONSE["answer"]
    with _cursor(db) as cursor:
        cursor.execute(sql, [attempt_id, *question_ids])
        return {qid: answer.from_db_value(value, None, db) for qid, value in cursor.fetchall()}


def _answered(db, rows: list[dict], fields: tuple[str, ...]) -> tuple[str, list]:
    """The rows as a subquery with the columns (question, *fields), typed as the response's
    columns, and its parameters. On PostgreSQL every row rides in one JSON parameter
    (jsonb_to_recordset): one statement text whatever the quiz size, kept prepared, and one
    value for psycopg to send instead of a few per row. Elsewhere a VALUES list."""
    if db.vendor == "postgresql":
        return _answered_json_sql(fields), [_rows_json(rows, fields)]
    return _answered_values_sql(fields, len(rows)), _response_params(db, rows, fields)


@cache
def _answered_json_sql(fields: tuple[str, ...]) -> str:
    columns = ", ".join(f'"{name}" {_RESPONSE[name].db_type(_db())}' for name in fields)
    return f'SELECT * FROM jsonb_to_recordset(%s::jsonb) AS answered("question" bigint, {columns})'


def _rows_json(rows: list[dict], fields: tuple[str, ...]) -> str:
    """The rows as one JSON array of objects: answers as the JSON they are stored as (None is
    SQL NULL, as the field stores it), decimals as exact text (numeric reads it as written)."""
    encoder = _RESPONSE["answer"].encoder
    return json.dumps(
        [{"question": row["question"], **{name: _json_value(row[name]) for name in fields}} for row in rows],
        cls=encoder,
    )


def _json_value(value):
    return str(value) if isinstance(value, Decimal) else value


@cache
def _answered_values_sql(fields: tuple[str, ...], count: int) -> str:
    """SQLite: `SELECT column1 AS question, CAST(column2 AS …) AS … FROM (VALUES …)`, `count`
    responses, each its question id and then `fields`, typed as the columns are (a VALUES
    column of NULLs only would otherwise be text)."""
    values = ", ".join(
        [
            "column1 AS question",
            *(f'CAST(column{i + 2} AS {_RESPONSE[name].db_type(_db())}) AS "{name}"' for i, name in enumerate(fields)),
        ]
    )
    one = "(" + ", ".join(["%s"] * (1 + len(fields))) + ")"
    return f"SELECT {values} FROM (VALUES {', '.join([one] * count)})"


def _response_columns(fields: tuple[str, ...]) -> tuple[str, str]:
    """The upsert's column list and its ON CONFLICT assignments."""
    names = [_RESPONSE[name].column for name in fields]
    columns = ", ".join(f'"{name}"' for name in ["attempt_id", "question_id", *names, "updated_at"])
    updates = ", ".join(f'"{name}" = EXCLUDED."{name}"' for name in [*names, "updated_at"])
    return columns, updates


@cache
def _upsert_sql(answered: str, fields: tuple[str, ...]) -> str:
    """The response upsert: parameters the attempt id, the stamp, then the rows'. A row for a
    question no longer in the bank is left out (autosave from a page drawn before an editor
    deleted it; the submit has checked its questions already). SQLite needs a WHERE anyway, to
    tell the upsert's ON CONFLICT from a join."""
    columns, updates = _response_columns(fields)
    return (
        f'INSERT INTO "quizzes_response" ({columns}) '
        f"SELECT %s, answered.*, %s FROM ({answered}) AS answered "
        'WHERE EXISTS (SELECT 1 FROM "quizzes_question" q WHERE q."id" = answered."question") '
        f'ON CONFLICT ("attempt_id", "question_id") DO UPDATE SET {updates}'
    )


def _response_params(db, rows: list[dict], fields: tuple[str, ...]) -> list:
    """The rows' values in statement order, prepared as the fields would prepare them: the answer
    as JSON (None as SQL NULL), scores as the Decimals they already are."""
    encoder = _RESPONSE["answer"].encoder
    prepare = {
        "answer": lambda value: None if value is None else db.ops.adapt_json_value(value, encoder),
        "score": lambda value: value,
        "max_score": lambda value: value,
    }
    params = []
    for row in rows:
        params += [row["question"], *(prepare[name](row[name]) for name in fields)]
    return params


def _stamp(db, now):
    return _RESPONSE["updated_at"].get_db_prep_save(now, db)


def upsert_responses(attempt_id: int, rows: list[dict], fields: list[str], now) -> None:
    """Insert or update one response per question of the attempt, in one statement, stamped
    `now`. Each row holds "question" and a value for every name in `fields` (of answer, score,
    max_score); an existing response gets those fields and the stamp, and keeps the rest."""
    if not rows:
        return
    db, fields = _db(), tuple(fields)
    answered, params = _answered(db, rows, fields)
    with _cursor(db) as cursor:
        cursor.execute(_upsert_sql(answered, fields), [attempt_id, _stamp(db, now), *params])


@cache
def _close_sql(names: tuple[str, ...]) -> str:
    assignments = ", ".join(f'"{_ATTEMPT[name].column}" = %s' for name in names)
    return f'UPDATE "quizzes_attempt" SET {assignments} WHERE "id" = %s AND "status" = %s AND "layout_version" = %s'


@cache
def _close_with_responses_sql(names: tuple[str, ...], fields: tuple[str, ...]) -> str:
    """PostgreSQL: the close and the responses' upsert as one statement. The attempt is closed
    only if it is in progress and every answered question is still in the bank (the responses'
    foreign key would refuse the write otherwise); the responses are written only if it was.
    Parameters: the rows' JSON, then the close's, then the stamp."""
    columns, updates = _response_columns(fields)
    return (
        f"WITH answered AS ({_answered_json_sql(fields)}), "
        f"closed AS ({_close_sql(names)} AND NOT EXISTS ("
        'SELECT 1 FROM answered LEFT JOIN "quizzes_question" q ON q."id" = answered."question" '
        'WHERE q."id" IS NULL) RETURNING "id"), '
        f'saved AS (INSERT INTO "quizzes_response" ({columns}) '
        'SELECT closed."id", answered.*, %s FROM answered CROSS JOIN closed '
        f'ON CONFLICT ("attempt_id", "question_id") DO UPDATE SET {updates}) '
        "SELECT count(*) FROM closed"
    )


def close_attempt(
    attempt_id: int, fields: dict, *, layout_version: int, responses=(), response_fields=(), now=None
) -> int:
    """Set `fields` on the attempt if it is still in progress with the layout it was graded
    against (`layout_version`, as read) and every question in `responses` is still in the bank
    and, if so, store `responses` with it (as upsert_responses would, with `response_fields`
    and the stamp `now`); returns the attempts closed (0 or 1). All or nothing: on PostgreSQL
    one statement, which needs no transaction around it; elsewhere the update and the upsert in
    a transaction (a savepoint in the caller's)."""
    db = _db()
    names, response_fields, responses = tuple(fields), tuple(response_fields), list(responses)
    params = [_ATTEMPT[name].get_db_prep_save(value, db) for name, value in fields.items()]
    params += [attempt_id, Attempt.Status.IN_PROGRESS, layout_version]
    if responses and db.vendor == "postgresql":
        with _cursor(db) as cursor:
            cursor.execute(
                _close_with_responses_sql(names, response_fields),
                [_rows_json(responses, response_fields), *params, _stamp(db, now)],
            )
            return cursor.fetchone()[0]
    questions = [row["question"] for row in responses]
    sql = _close_sql(names)
    if questions:
        sql += (
            f' AND (SELECT count(*) FROM "quizzes_question" WHERE "id" IN ({", ".join(["%s"] * len(questions))})) = %s'
        )
        params += [*questions, len(set(questions))]
    with transaction.atomic(using=db.alias), _cursor(db) as cursor:
        cursor.execute(sql, params)
        closed = cursor.rowcount
        if closed:
            upsert_responses(attempt_id, responses, list(response_fields), now)
    return closed
