"""Imports per question from Moodle-style files; bad input gets a clear message and imports
nothing; export -> import round-trips all eight types (property-based)."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes import importers, scoring
from quizzes.importers.base import ParsedChoice, default_weight
from quizzes.models import Choice, Question

DATA = Path(__file__).parent / "data"


# --------------------------------------------------------------------------- real-looking files


def test_moodle_style_gift_reads_types_as_moodle_does():
    result = importers.parse((DATA / "moodle_style.gift").read_bytes(), "gift")
    assert result.errors == []
    q = {p.title: p for p in result.questions}
    assert {t: p.qtype for t, p in q.items()} == {
        "Q1": "truefalse",
        "Q2": "single",
        "Q3": "shortanswer",
        "Q4": "matching",
        "Q5": "numerical",
        "Q6": "numerical",
        "Q7": "numerical",
        "Q9": "shortanswer",
        "Q10": "shortanswer",
        "Q11": "single",  # any ~ makes it multiple choice, as in Moodle
        "Q12": "multiple",
        "Q13": "shortanswer",
        "Q15": "numerical",
    }
    assert all(p.category == "Default for NetWise/GIFT" for p in q.values())
    assert q["Q3"].text == "Two plus _____ equals four."
    assert [(c.text, c.correct) for c in q["Q3"].choices] == [("two", True), ("2", True)]
    assert [(c.text, c.match) for c in q["Q4"].choices] == [
        ("cat", "cat food"),
        ("dog", "dog food"),
        ("", "bird seed"),
    ]
    assert [(c.text, c.tolerance) for c in q["Q5"].choices] == [("3", Decimal(2))]
    assert [(c.text, c.tolerance) for c in q["Q6"].choices] == [("3", Decimal(2))]
    q7 = q["Q7"].choices
    assert [(c.text, c.tolerance, c.correct, c.weight) for c in q7] == [
        ("1822", Decimal(0), True, None),
        ("1822", Decimal(2), False, Decimal(50)),
    ]
    assert q7[1].feedback == "He was born in 1822. Half credit for being close."
    assert [(c.text, c.feedback) for c in q["Q9"].choices] == [("5", "")]  # {5}
    assert q["Q10"].text == "¿Tomás es de España?"
    assert [(c.text, c.feedback) for c in q["Q10"].choices] == [("t", "bien")]  # {t#bien}
    assert q["Q11"].text == "What is the **report** number?"  # markdown kept as written
    assert [(c.text, c.feedback) for c in q["Q13"].choices] == [("a=b", "Right: escaped"), ("~tilde", "")]
    assert [(c.text, c.weight, c.feedback) for c in q["Q15"].choices][1] == (
        "*",
        None,
        "Look again: it has five digits.",
    )
    skipped = {s.title: s for s in result.skipped}
    assert set(skipped) == {"Q8", "Q14"}
    assert skipped["Q8"].source_type == "essay" and skipped["Q8"].line == 30
    assert "between -10^15 and 10^15" in skipped["Q14"].reason and skipped["Q14"].source_type == "numerical"


def test_moodle_xml_keeps_images_drops_media_and_names_skipped_types():
    result = importers.parse((DATA / "moodle_media_and_types.xml").read_bytes(), "moodle-xml")
    assert result.errors == []
    q = {p.title: p for p in result.questions}
    assert {t: p.qtype for t, p in q.items()} == {
        "Spot the fake prize": "multiple",
        "Report number": "shortanswer",
        "Year of the first email": "numerical",
        "Scam and its sign": "matching",
        "Report a scam (legacy order type)": "ordering",
    }
    prize = q["Spot the fake prize"]
    assert prize.category == "Default for NetWise/Scams & fraud"
    name, payload = prize.image
    assert name == "prize banner.png" and payload.startswith(b"\x89PNG")
    assert prize.image_alt == "A flashing banner: YOU WON!"
    assert "@@PLUGINFILE@@" not in prize.text and "voicemail.mp3" in prize.text
    assert [c.weight for c in prize.choices] == [None, None, None, Decimal(-100)]  # 33.33333 = the default third
    assert prize.choices[1].text == '"Reply within 1 hour"'
    warnings = [str(w) for w in result.warnings]
    assert any("'voicemail.mp3' dropped: only images are kept" in w for w in warnings)
    assert any("'logo.jpg' dropped: a question keeps one image" in w for w in warnings)
    assert any("'hint.png' dropped" in w for w in warnings)
    assert any("units are ignored" in w and "Year of the first email" in w for w in warnings)
    report = q["Report number"]
    assert report.points == Decimal(2) and not report.case_sensitive
    assert [(c.text, c.correct, c.weight) for c in report.choices] == [
        ("12377", True, None),
        ("*report*", False, Decimal(50)),
        ("*", False, None),
    ]
    assert [(c.text, c.tolerance) for c in q["Year of the first email"].choices] == [("1971", 1), ("*", None)]
    assert [(c.text, c.match) for c in q["Scam and its sign"].choices][-1] == ("", "Uses correct spelling")
    assert [c.text for c in q["Report a scam (legacy order type)"].choices] == [
        "Take a screenshot",
        "Block the sender",
        "Tell a trusted adult",
    ]
    skipped = {s.title: (s.source_type, s.line) for s in result.skipped}
    assert set(skipped) == {"Cloze about passwords", "Read this first", "Data cost", "Drag the words"}
    assert all(line for _, line in skipped.values())
    summary = result.summary()
    assert summary.startswith("imported 5, skipped 4 (line ")
    assert "'Cloze about passwords' (multianswer): embedded-answer (cloze)" in summary


@pytest.mark.django_db
def test_command_imports_the_media_file_with_images_as_wagtail_images():
    out = StringIO()
    call_command("import_questions", str(DATA / "moodle_media_and_types.xml"), stdout=out)
    text = out.getvalue()
    assert "imported 5, skipped 4" in text and "warning" in text and "voicemail.mp3" in text
    prize = Question.objects.get(title="Spot the fake prize")
    assert prize.image is not None and prize.image.width == 24 and prize.image_alt.startswith("A flashing")
    assert Question.objects.get(title="Year of the first email").choices.first().tolerance == 1
    assert Question.objects.get(qtype="matching").choices.filter(text="").count() == 1


@pytest.mark.django_db
def test_dry_run_prints_what_a_real_run_imports():
    dry, real = StringIO(), StringIO()
    call_command("import_questions", str(DATA / "moodle_style.gift"), "--dry-run", stdout=dry)
    assert Question.objects.count() == 0
    call_command("import_questions", str(DATA / "moodle_style.gift"), stdout=real)
    assert dry.getvalue().replace("would import", "imported") == real.getvalue()
    assert Question.objects.count() == 13


# --------------------------------------------------------------------------- bad input


@pytest.mark.django_db
def test_a_50_mb_file_is_refused_with_a_clear_message(tmp_path):
    big = tmp_path / "big.xml"
    with open(big, "wb") as fh:
        fh.write(b'<?xml version="1.0"?><quiz>')
        fh.truncate(50 * 1024 * 1024)  # sparse: the command reads only the limit + 1 byte
    err = StringIO()
    with pytest.raises(CommandError, match="larger than 5 MB"):
        call_command("import_questions", str(big), stderr=err)
    assert Question.objects.count() == 0


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<quiz><question type="shortanswer"><name><text>&lol9;</text></name></question></quiz>"""


def test_billion_laughs_is_refused_before_expansion():
    result = importers.parse(BILLION_LAUGHS.encode(), "moodle-xml")
    assert not result.questions and "billion laughs" in str(result.errors[0])


def test_100000_blank_lines_of_gift():
    blank = "\n" * 100_000
    result = importers.parse(blank.encode(), "gift")
    assert str(result.errors[0]) == "the file is empty"
    result = importers.parse((blank + "::Last::Still read? {T}\n").encode(), "gift")
    assert [q.title for q in result.questions] == ["Last"] and result.questions[0].line == 100_001


def test_a_10000_character_short_answer_is_skipped_and_named():
    result = importers.parse(f"::Long::Type it {{={'x' * 10_000}}}\n\n::Fine::Type 5 {{5}}\n", "gift")
    assert [q.title for q in result.questions] == ["Fine"]
    assert "longer than 255 characters" in result.skipped[0].reason and result.skipped[0].line == 1


@pytest.mark.parametrize(
    "source,fmt",
    [
        ("::Huge::How big? {#1e309}", "gift"),
        (
            '<quiz><question type="numerical"><name><text>Huge</text></name><questiontext><text>How big?</text>'
            '</questiontext><answer fraction="100"><text>1e309</text></answer></question></quiz>',
            "moodle-xml",
        ),
    ],
)
def test_1e309_is_not_a_number_we_mark(source, fmt):
    result = importers.parse(source.encode(), fmt)
    assert result.questions == [] and result.errors == []
    assert "not a number between -10^15 and 10^15" in result.skipped[0].reason


@pytest.mark.parametrize(
    "data,fmt,message,line",
    [
        (b"", "gift", "the file is empty", None),
        (b"::A::ok {T}\n\xff\xfe bad", "gift", "not UTF-8", 2),
        (b"<quiz><question>", "moodle-xml", "malformed XML", 1),
        (b'<?xml version="1.0" encoding="no-such-codec"?><quiz/>', "moodle-xml", "unknown encoding", 1),
    ],
)
def test_unreadable_files_fail_with_the_line(data, fmt, message, line):
    result = importers.parse(data, fmt)
    assert message in str(result.errors[0]) and result.errors[0].line == line


def test_xml_in_a_declared_legacy_encoding_is_read():
    xml = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><quiz><question type="shortanswer"><name><text>Café</text>'
        '</name><questiontext><text>Où?</text></questiontext><answer fraction="100"><text>là</text></answer>'
        "</question></quiz>"
    ).encode("latin-1")
    result = importers.parse(xml, "moodle-xml")
    assert [(q.title, q.choices[0].text) for q in result.questions] == [("Café", "là")]


@pytest.mark.django_db
def test_nothing_half_imported_when_saving_fails(monkeypatch):
    from wagtail.images import get_image_model

    result = importers.parse((DATA / "moodle_media_and_types.xml").read_bytes(), "moodle-xml")
    real = Choice.objects.bulk_create
    calls = []

    def failing(rows, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(rows, *args, **kwargs)

    monkeypatch.setattr(Choice.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        importers.save(result)
    assert Question.objects.count() == 0 and Choice.objects.count() == 0
    assert get_image_model().objects.count() == 0


# --------------------------------------------------------------------------- round trip

ALPHABET = "abcXYZ0189 {}=~#:<&'\"%/\\*中文é-"
word = st.text(alphabet=ALPHABET.replace(" ", ""), min_size=1, max_size=6)
phrase = st.lists(word, min_size=1, max_size=4).map(" ".join)
optional = st.one_of(st.just(""), phrase)
credits = st.sampled_from([Decimal(100), Decimal(50), Decimal("33.33333"), Decimal(0), Decimal(-25)])


def _typed(text, credit, feedback, tolerance=None):
    return Choice(
        text=text,
        correct=credit == 100,
        weight=None if credit in (0, 100) else credit,
        feedback=feedback,
        tolerance=tolerance,
    )


@st.composite
def choices_for(draw, qtype):
    if qtype == "truefalse":
        truth = draw(st.booleans())
        return [
            Choice(text="True", correct=truth, feedback=draw(optional)),
            Choice(text="False", correct=not truth, feedback=draw(optional)),
        ]
    if qtype in ("single", "multiple", "ordering", "redflags"):
        n = draw(st.integers(2, 5))
        texts = draw(st.lists(phrase, min_size=n, max_size=n))
        correct = [False] * n
        weights = [None] * n
        if qtype == "single":
            correct[draw(st.integers(0, n - 1))] = True
            weights = [None if c else draw(st.sampled_from([None, Decimal(50)])) for c in correct]
        elif qtype == "multiple":
            correct = draw(st.lists(st.booleans(), min_size=n, max_size=n))
            correct[0] = True
            if draw(st.booleans()):
                weights = [Decimal(50) if c else Decimal(-50) for c in correct]
        elif qtype == "redflags":
            correct = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        return [
            Choice(text=t, correct=c, weight=w, feedback=draw(optional))
            for t, c, w in zip(texts, correct, weights, strict=True)
        ]
    if qtype == "shortanswer":
        answers = draw(st.lists(st.tuples(phrase, credits, optional), min_size=1, max_size=4))
        return [_typed(t, Decimal(100), f) for t, _, f in answers[:1]] + [_typed(t, c, f) for t, c, f in answers[1:]]
    if qtype == "numerical":
        values = draw(
            st.lists(
                st.tuples(
                    st.decimals(-(10**6), 10**6, places=3),
                    st.decimals(0, 100, places=2),
                    credits,
                    optional,
                ),
                min_size=1,
                max_size=3,
            )
        )
        rows = [_typed(str(v), Decimal(100) if i == 0 else c, f, t) for i, (v, t, c, f) in enumerate(values)]
        if draw(st.booleans()):
            rows.append(_typed("*", Decimal(0), draw(phrase)))
        return rows
    pairs = draw(st.lists(st.tuples(phrase, phrase), min_size=2, max_size=4))
    extras = draw(st.lists(phrase, max_size=2))
    return [Choice(text=left, match_text=right) for left, right in pairs] + [
        Choice(text="", match_text=right) for right in extras
    ]


@st.composite
def questions(draw, with_points):
    qtype = draw(st.sampled_from(sorted(scoring.TYPES)))
    q = Question(
        title=draw(phrase),
        qtype=qtype,
        text=draw(st.lists(phrase, min_size=1, max_size=2).map("\n".join)),
        scenario=draw(phrase) if qtype == "redflags" else "",
        explanation=draw(optional),
        category=draw(st.sampled_from(["", "Bank", "Bank/Scams"])),
        points=draw(st.sampled_from([Decimal(1), Decimal("2.5")])) if with_points else Decimal(1),
        case_sensitive=qtype == "shortanswer" and draw(st.booleans()),
        choices=draw(choices_for(qtype)),
    )
    return q


def canonical(qtype, choices):
    """What must survive: texts, credits, feedback, matches, tolerances (how a credit is
    stored, correct flag or weight, may differ when it means the same)."""
    if qtype in ("single", "multiple"):
        parsed = [ParsedChoice(c.text, c.correct, c.weight) for c in choices]
        return [
            (c.text, round(default_weight(qtype, parsed, p) if p.weight is None else p.weight, 2), c.feedback)
            for c, p in zip(choices, parsed, strict=True)
        ]
    if qtype in ("truefalse", "redflags"):
        return [(c.text, c.correct, c.feedback) for c in choices]
    if qtype == "ordering":
        return [(c.text, c.feedback) for c in choices]
    if qtype in ("shortanswer", "numerical"):
        rows = []
        for c in choices:
            credit = c.weight if c.weight is not None else Decimal(100 if c.correct else 0)
            text = c.text if qtype == "shortanswer" or c.text == "*" else Decimal(c.text).normalize()
            tolerance = Decimal(c.tolerance or 0).normalize() if qtype == "numerical" and c.text != "*" else None
            rows.append((text, round(credit, 2), c.feedback, tolerance))
        return rows
    return [(c.text, getattr(c, "match_text", None) or c.match) for c in choices]


def snapshot(q, choices, with_points=True):
    return (
        q.title,
        q.qtype,
        q.text,
        q.scenario,
        q.explanation,
        q.category,
        q.points if with_points else None,
        q.case_sensitive,
        canonical(q.qtype, choices),
    )


@pytest.mark.parametrize("fmt", ["moodle-xml", "gift"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_export_then_import_gives_the_same_questions_for_all_eight_types(fmt, data):
    with_points = fmt == "moodle-xml"  # GIFT has no points
    originals = data.draw(st.lists(questions(with_points), min_size=1, max_size=4))
    exported = importers.export(originals, fmt)
    result = importers.parse(exported.encode(), fmt)
    assert result.errors == [] and result.skipped == [], exported
    assert [snapshot(p, p.choices, with_points) for p in result.questions] == [
        snapshot(q, list(q.choices.all()), with_points) for q in originals
    ], exported
