"""Moodle XML and GIFT import/export: real-world edge cases, errors name the place, all or nothing."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quizzes import importers
from quizzes.importers import gift, moodle_xml
from quizzes.models import Question

DATA = Path(__file__).parent / "data"


def test_moodle_export_parses_categories_html_images_weights_and_skips():
    result = importers.parse((DATA / "moodle_export.xml").read_bytes(), "moodle-xml")
    assert result.errors == []
    by_title = {q.title: q for q in result.questions}
    strong = by_title["Strong password"]
    assert strong.qtype == "single"
    assert strong.text == "Which password is strongest?"
    assert strong.category == "Privacy/Passwords"
    assert strong.points == Decimal("2")
    assert strong.image[0] == "lock.png" and strong.image[1].startswith(b"\x89PNG")
    assert strong.explanation == "Long passphrases beat short symbol soup."
    assert [c.correct for c in strong.choices] == [True, False, False]
    assert strong.choices[0].feedback == "Four random words & long: great."
    assert strong.choices[2].weight == Decimal("50")  # partial credit kept
    personal = by_title["Personal information"]
    assert personal.qtype == "multiple"
    assert [c.correct for c in personal.choices] == [True, True, True, False]
    assert personal.choices[0].weight is None  # 33.33333 == the default 1/3
    assert personal.choices[3].weight == Decimal("-50")
    tf = by_title["Incognito"]
    assert tf.qtype == "truefalse"
    assert [(c.text, c.correct) for c in tf.choices] == [("True", False), ("False", True)]
    assert {(s.title, s.source_type) for s in result.skipped} == {
        ("How many", "numerical"),
        ("Reflect", "essay"),
    }
    assert all(s.reason and s.line for s in result.skipped)


def test_gift_titles_comments_escapes_multiline_and_skips():
    result = importers.parse((DATA / "teacher.gift").read_bytes(), "gift")
    assert result.errors == []
    by_title = {q.title: q for q in result.questions}
    phishing = by_title["Phishing sign"]
    assert phishing.text == "What is the {most} common sign of a phishing message?"
    assert phishing.category == "Scams"
    assert phishing.explanation == "Look for pressure, odd links and requests for secrets."
    assert phishing.choices[0].correct and phishing.choices[0].feedback.startswith("Scammers")
    steps = by_title["Safe steps"]
    assert steps.qtype == "multiple"
    assert steps.text == "Which steps keep your account safe? Choose all that apply."
    assert steps.choices[2].weight == Decimal("-100")
    tf = by_title["Tricky TF"]
    assert [(c.text, c.correct) for c in tf.choices] == [("True", False), ("False", True)]
    assert tf.choices[0].feedback == "Wrong: anyone can register one."
    assert by_title["Escapes"].text == "Type a=b, 1~2, #tag and a colon: here"
    assert by_title["Question 5"].text == "The scam arrived by _____ yesterday."
    skipped = {s.title: s for s in result.skipped}
    assert set(skipped) == {"Numbers", "Essay", "Match", "Short"}
    assert skipped["Numbers"].line == 25


@pytest.mark.parametrize(
    "source,line,needle",
    [
        ("::A::ok {=a ~b}\n\n::Broken::No close {=a ~b\n", 3, "never closed"),
        ("::A::ok {=a ~b}\n\n::Bad weight::Q {~%abc%a ~%50%b}\n", 3, "weight"),
        ("::No right::Pick {~a ~b}\n", 1, "weights"),
    ],
)
def test_gift_errors_name_line_and_question(source, line, needle):
    result = importers.parse(source, "gift")
    assert result.errors and result.errors[0].line == line
    assert needle in str(result.errors[0])
    assert result.errors[0].question in str(result.errors[0]) or result.errors[0].question


def test_malformed_xml_names_the_line():
    result = importers.parse('<?xml version="1.0"?>\n<quiz>\n<question type="multichoice">\n</quiz>', "moodle-xml")
    assert result.errors[0].line == 4


def test_xml_entities_are_refused():
    evil = '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>'
    result = importers.parse(evil, "moodle-xml")
    assert result.errors and "forbidden" in str(result.errors[0])


def test_xml_question_without_correct_answer_names_question(db):
    xml = (
        (DATA / "moodle_export.xml")
        .read_text()
        .replace('fraction="100" format="moodle_auto_format"', 'fraction="0" format="moodle_auto_format"')
    )
    result = importers.parse(xml, "moodle-xml")
    assert any(e.question == "Incognito" and e.line for e in result.errors)
    with pytest.raises(importers.ImportRejected):
        importers.save(result)
    assert Question.objects.count() == 0


def test_bad_base64_image_is_an_error():
    xml = (DATA / "moodle_export.xml").read_text().replace('encoding="base64">', 'encoding="base64">!!!', 1)
    result = importers.parse(xml, "moodle-xml")
    assert any("base64" in str(e) and e.question == "Strong password" for e in result.errors)


@pytest.mark.django_db
def test_command_dry_run_imports_nothing_and_reports_by_type():
    out = StringIO()
    call_command("import_questions", str(DATA / "teacher.gift"), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "would import 3 single" in text and "would import 1 multiple" in text
    assert "skipped line 25: 'Numbers' (numerical)" in text
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_and_creates_revisions(tmp_path):
    out = StringIO()
    call_command("import_questions", str(DATA / "moodle_export.xml"), stdout=out)
    assert "imported 3 question(s), skipped 2" in out.getvalue()
    q = Question.objects.get(title="Strong password")
    assert q.image is not None and q.revisions.count() == 1
    assert q.choices.count() == 3


@pytest.mark.django_db
def test_command_with_errors_imports_nothing(tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_text("::Good::ok {=a ~b}\n\n::Bad::oops {=a ~b\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_questions", str(bad), stderr=err)
    assert "line 3" in err.getvalue() and "'Bad'" in err.getvalue()
    assert Question.objects.count() == 0


def _snapshot(questions):
    return sorted(
        (
            q.title,
            q.qtype,
            q.text,
            q.scenario,
            q.explanation,
            q.category,
            q.points,
            tuple(
                (c.text, c.correct, None if c.weight is None else round(c.weight, 2), c.feedback)
                for c in q.choices.all()
            ),
        )
        for q in questions
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["moodle-xml", "gift"])
def test_export_reimports_to_the_same_questions(fmt):
    from tests.quizzes.factories import make_all_types

    originals = make_all_types()
    if fmt == "gift":  # GIFT has no points field
        Question.objects.update(points=1)
    exported = importers.export(Question.objects.prefetch_related("choices"), fmt)
    before = _snapshot(Question.objects.all())
    result = importers.parse(exported, fmt)
    assert result.errors == [] and result.skipped == []
    Question.objects.all().delete()
    importers.save(result)
    assert _snapshot(Question.objects.all()) == before
    assert len(originals) == 5


def test_gift_escape_round_trip():
    text = "a{b}c=d~e#f:g\\h\nnext"
    assert gift.unescape(gift.escape(text)) == text
    assert moodle_xml  # module imported
