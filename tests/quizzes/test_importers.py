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
    assert {(s.title, s.source_type) for s in result.skipped} == {("Reflect", "essay")}
    assert all(s.reason and s.line for s in result.skipped)
    number = by_title["How many"]
    assert number.qtype == "numerical"
    assert [(c.text, c.correct, c.tolerance) for c in number.choices] == [("12", True, Decimal(0))]


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
    assert set(skipped) == {"Essay"} and skipped["Essay"].line == 27
    assert by_title["Numbers"].qtype == "numerical" and by_title["Numbers"].choices[0].text == "4"
    assert [(c.text, c.match) for c in by_title["Match"].choices] == [("a", "1"), ("b", "2"), ("c", "3")]
    assert [(c.text, c.correct) for c in by_title["Short"].choices] == [("WeChat", True), ("Weixin", True)]


@pytest.mark.parametrize(
    "source,line,needle",
    [
        ("::A::ok {=a ~b}\n\n::Broken::No close {=a ~b\n", 3, "never closed"),
        ("::A::ok {=a ~b}\n\n::Bad weight::Q {~%abc%a ~%50%b}\n", 3, "weight"),
        ("::No right::Pick {~a ~b}\n", 1, "weights"),
    ],
)
def test_gift_unreadable_question_is_skipped_with_line_and_name(source, line, needle):
    result = importers.parse(source, "gift")
    assert result.errors == []
    [skipped] = [s for s in result.skipped if s.line == line]
    assert needle in skipped.reason and skipped.title
    assert needle in importers.describe_skip(skipped) and f"line {line}" in importers.describe_skip(skipped)
    assert [q.title for q in result.questions] == (["A"] if line == 3 else [])


def test_malformed_xml_names_the_line():
    result = importers.parse('<?xml version="1.0"?>\n<quiz>\n<question type="multichoice">\n</quiz>', "moodle-xml")
    assert result.errors[0].line == 4


def test_xml_entities_are_refused():
    evil = '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>'
    result = importers.parse(evil, "moodle-xml")
    assert result.errors and "entities" in str(result.errors[0]) and not result.questions


def test_xml_question_without_correct_answer_is_skipped_and_the_rest_imports(db):
    xml = (
        (DATA / "moodle_export.xml")
        .read_text()
        .replace('fraction="100" format="moodle_auto_format"', 'fraction="0" format="moodle_auto_format"')
    )
    result = importers.parse(xml, "moodle-xml")
    assert result.errors == []
    assert any(s.title == "Incognito" and s.line and "exactly one correct" in s.reason for s in result.skipped)
    importers.save(result)
    assert not Question.objects.filter(title="Incognito").exists()
    assert Question.objects.count() == 3


def test_bad_base64_image_is_dropped_with_a_warning_and_the_question_kept():
    xml = (DATA / "moodle_export.xml").read_text().replace('encoding="base64">', 'encoding="base64">!!!', 1)
    result = importers.parse(xml, "moodle-xml")
    assert any("base64" in str(w) and w.question == "Strong password" for w in result.warnings)
    strong = next(q for q in result.questions if q.title == "Strong password")
    assert strong.image is None


@pytest.mark.django_db
def test_command_dry_run_imports_nothing_and_reports_by_type():
    out = StringIO()
    call_command("import_questions", str(DATA / "teacher.gift"), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "would import 3 single" in text and "would import 1 multiple" in text
    assert "would import 1 numerical" in text and "would import 1 matching" in text
    assert "skipped line 27, 'Essay' (essay)" in text
    assert "would import 8, skipped 1 (line 27, 'Essay' (essay): essays need a person to mark them)" in text
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_and_creates_revisions(tmp_path):
    out = StringIO()
    call_command("import_questions", str(DATA / "moodle_export.xml"), stdout=out)
    assert "imported 4, skipped 1" in out.getvalue()
    q = Question.objects.get(title="Strong password")
    assert q.image is not None and q.revisions.count() == 1
    assert q.choices.count() == 3


@pytest.mark.django_db
def test_command_skips_a_bad_question_and_imports_the_rest(tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_text("::Good::ok {=a ~b}\n\n::Bad::oops {=a ~b\n")
    out = StringIO()
    call_command("import_questions", str(bad), stdout=out)
    assert "skipped line 3, 'Bad' (unreadable)" in out.getvalue()
    assert "imported 1, skipped 1" in out.getvalue()
    assert list(Question.objects.values_list("title", flat=True)) == ["Good"]


@pytest.mark.django_db
def test_command_fails_only_for_an_unreadable_file(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<quiz><question type='multichoice'>")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_questions", str(bad), stderr=err)
    assert "malformed XML" in err.getvalue() and "line 1" in err.getvalue()
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
