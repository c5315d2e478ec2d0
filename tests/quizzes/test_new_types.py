"""Short answer, numerical and matching: scoring rules, the take form without JavaScript,
review feedback, autosave, exactly-once submit, statistics, random draw, admin authoring."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from quizzes import scoring, selectors, services, statistics
from quizzes.models import Attempt, ItemStatistic, Question
from tests.quizzes.factories import form_data, make_new_types, make_question, make_quiz, perfect_answers

C = scoring.ChoiceKey


def short(*choices, case_sensitive=False):
    return scoring.QuestionKey(scoring.SHORTANSWER, tuple(choices), case_sensitive=case_sensitive)


def numerical(*choices):
    return scoring.QuestionKey(scoring.NUMERICAL, tuple(choices))


# --------------------------------------------------------------------------- short answer


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("12377", 1),
        ("  12377 ", 1),  # surrounding whitespace ignored
        ("１２３７７", 1),  # full-width digits (NFKC)
        ("Report It", Fraction(1, 2)),  # case-insensitive by default, wildcard, partial credit
        ("please REPORT it now", Fraction(1, 2)),
        ("ｒｅｐｏｒｔ", Fraction(1, 2)),  # full-width letters
        ("call the police", 0),  # matches only the 0% catch-all
        ("", 0),
    ],
)
def test_short_answer_credit_wildcard_case_and_width(typed, expected):
    key = short(C(1, True, text="12377"), C(2, False, Fraction(1, 2), text="*report*"), C(3, False, text="*"))
    assert scoring.fraction(key, typed) == expected


def test_short_answer_best_credit_wins_whatever_the_order():
    key = short(C(1, False, Fraction(0), text="*"), C(2, True, text="block"))
    assert scoring.fraction(key, "Block") == 1
    assert scoring.matched_choice(key, "Block").id == 2
    assert scoring.choice_correct(key, 2, "block") is True and scoring.choice_correct(key, 1, "block") is None


def test_short_answer_case_sensitive_option():
    key = short(C(1, True, text="NetWise"), case_sensitive=True)
    assert scoring.fraction(key, "NetWise") == 1
    assert scoring.fraction(key, "netwise") == 0
    assert scoring.fraction(key, "ＮｅｔＷｉｓｅ") == 1  # width still normalised


def test_short_answer_escaped_star_is_literal_and_stars_do_not_backtrack():
    key = short(C(1, True, text=r"a\*b"))
    assert scoring.fraction(key, "a*b") == 1 and scoring.fraction(key, "axb") == 0
    # Many stars against a long near-miss: the greedy matcher answers (a regex would backtrack).
    many = short(C(1, True, text="*a" * 100 + "*b"))
    assert scoring.fraction(many, "a" * 255) == 0
    assert scoring.fraction(many, "a" * 120 + "b") == 1


def test_short_answer_length_cap_and_shape():
    key = short(C(1, True, text="x"))
    with pytest.raises(scoring.InvalidAnswer):
        scoring.normalise(key, "x" * 10_000)
    with pytest.raises(scoring.InvalidAnswer):
        scoring.normalise(key, {"1": "x"})
    assert scoring.normalise(key, "   ") is None


# --------------------------------------------------------------------------- numerical


@pytest.mark.parametrize(
    "typed,value",
    [
        ("12377", 12377),
        ("１２３７７", 12377),
        ("一二三七七", 12377),  # said digit by digit, like a phone number
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("两千零二十六", 2026),
        ("一万二千", 12000),
        ("三点五", Fraction(7, 2)),
        ("负十", -10),
        ("12,377", 12377),
        ("3,5", Fraction(7, 2)),
        ("１２．５", Fraction(25, 2)),
        ("−4", -4),
        ("1e3", 1000),
        ("1e309", None),  # out of range: not a number we mark
        ("twelve", None),
        ("十二三", None),
        ("负", None),
    ],
)
def test_parse_number(typed, value):
    assert scoring.parse_number(typed) == value


def test_numerical_tolerance_ranges_and_credit():
    key = numerical(
        C(1, True, text="1822", tolerance=Fraction(1)),  # GIFT 1821..1823
        C(2, False, Fraction(1, 2), text="1830", tolerance=Fraction(10)),
        C(3, False, Fraction(0), text="*"),
    )
    assert scoring.fraction(key, "1821") == 1
    assert scoring.fraction(key, "1823") == 1
    assert scoring.fraction(key, "一八二三") == 1
    assert scoring.fraction(key, "1824") == Fraction(1, 2)
    assert scoring.fraction(key, "1900") == 0
    assert scoring.matched_choice(key, "1900").id == 3  # the catch-all's feedback is shown
    assert scoring.fraction(key, "not a number") == 0
    assert scoring.matched_choice(key, "not a number") is None


def test_numerical_exact_decimal_tolerance():
    key = numerical(C(1, True, text="3.14159", tolerance=Fraction("0.0005")))
    assert scoring.fraction(key, "3.1420") == 1
    assert scoring.fraction(key, "3.1422") == 0


# --------------------------------------------------------------------------- matching


def matching_key():
    return scoring.QuestionKey(
        scoring.MATCHING,
        (
            C(1, text="Prize", match="Too good"),
            C(2, text="One hour", match="Pressure"),
            C(3, text="Urgent!", match="Pressure"),  # two left items may share a right item
            C(4, text="", match="Greeting"),  # distractor
        ),
    )


def test_matching_partial_credit_per_pair():
    key = matching_key()
    assert scoring.fraction(key, {1: 1, 2: 2, 3: 2}) == 1
    assert scoring.fraction(key, {"1": 1, "2": 3, "3": 3}) == 1  # same right text, another id
    assert scoring.fraction(key, {1: 4, 2: 2}) == Fraction(1, 3)
    assert scoring.fraction(key, {}) == 0
    assert scoring.choice_correct(key, 1, {1: 4}) is False
    assert scoring.choice_correct(key, 2, {1: 4}) is None


def test_matching_refuses_foreign_or_wrong_side_ids():
    key = matching_key()
    with pytest.raises(scoring.InvalidAnswer):
        scoring.normalise(key, {4: 1})  # a distractor is not a left item
    with pytest.raises(scoring.InvalidAnswer):
        scoring.normalise(key, {1: 99})
    with pytest.raises(scoring.InvalidAnswer):
        scoring.normalise(key, [1, 2])


# --------------------------------------------------------------------------- through the views


@pytest.fixture
def new_quiz(db):
    return make_quiz(questions=make_new_types(), slug="new-types")


@pytest.mark.django_db
def test_take_page_has_a_text_box_and_selects_and_leaks_no_key(client, student, new_quiz):
    attempt = services.start_attempt(student=student, quiz=new_quiz)
    client.force_login(student)
    html = client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    short_q, number_q, match_q = (Question.objects.get(title=t) for t in ("Short", "Number", "Match"))
    assert f'name="q-{short_q.pk}"' in html and f'name="q-{number_q.pk}"' in html
    assert "*report*" not in html and "12000" not in html  # accepted answers stay on the server
    lefts = [c for c in match_q.choices.all() if c.text]
    for c in lefts:
        assert f'<select id="q-{match_q.pk}-match-{c.pk}"' in html
        assert f'value="{c.pk}"' not in html  # positions, never option ids, in the selects
    entry = next(e for e in attempt.layout if e["q"] == match_q.pk)
    assert len(entry["r"]) == 4  # three right items + the distractor


@pytest.mark.django_db
def test_post_without_javascript_scores_every_new_type(client, student, new_quiz):
    attempt = services.start_attempt(student=student, quiz=new_quiz)
    client.force_login(student)
    data = form_data(attempt, perfect_answers(attempt))
    short_q = Question.objects.get(title="Short")
    data[f"q-{short_q.pk}"] = "  ＲＥＰＯＲＴ it  "  # 50%
    response = client.post(reverse("quizzes:submit", args=[attempt.pk]), {**data, "action": "submit"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_submitted
    scores = dict(attempt.responses.values_list("question__title", "score"))
    assert scores == {"Short": Decimal("0.5"), "Number": Decimal("1"), "Match": Decimal("1")}
    assert attempt.responses.get(question=short_q).answer == "ＲＥＰＯＲＴ it"
    # Exactly once: a replay changes nothing.
    again = client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    assert again.status_code == 302 and Attempt.objects.get(pk=attempt.pk).score == attempt.score


@pytest.mark.django_db
def test_partial_matching_and_review_feedback(client, student, new_quiz):
    attempt = services.start_attempt(student=student, quiz=new_quiz)
    match_q = Question.objects.get(title="Match")
    number_q = Question.objects.get(title="Number")
    pairs = {c.text: c for c in match_q.choices.all()}
    wrong = {
        str(pairs["Prize you never entered"].pk): pairs["Prize you never entered"].pk,
        str(pairs["Pay within one hour"].pk): pairs[""].pk,  # the distractor
    }
    client.force_login(student)
    data = form_data(attempt, {match_q.pk: wrong, number_q.pk: "一万二千"})
    client.post(reverse("quizzes:submit", args=[attempt.pk]), {**data, "action": "submit"})
    scores = dict(Attempt.objects.get(pk=attempt.pk).responses.values_list("question__title", "score"))
    assert scores["Match"] == Decimal("0.3333") and scores["Number"] == Decimal("0.25")
    html = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "Friendly greeting" in html and "Pressure" in html  # chosen and right matches
    assert "Feedback 1." in html  # the matched accepted answer's feedback (12000 ± 500)
    assert "12000 ± 500" in html  # accepted answers listed when answers are shown


@pytest.mark.django_db
def test_autosave_keeps_typed_text_and_matching_positions(client, student, new_quiz):
    attempt = services.start_attempt(student=student, quiz=new_quiz)
    short_q, match_q = Question.objects.get(title="Short"), Question.objects.get(title="Match")
    left = next(c for c in match_q.choices.all() if c.text)
    client.force_login(student)
    url = reverse("quizzes:autosave", args=[attempt.pk])
    assert client.post(url, {f"q-{short_q.pk}": "draft", f"q-{match_q.pk}-match-{left.pk}": "2"}).status_code == 200
    stored = dict(attempt.responses.values_list("question_id", "answer"))
    entry = next(e for e in attempt.layout if e["q"] == match_q.pk)
    assert stored == {short_q.pk: "draft", match_q.pk: {str(left.pk): entry["r"][1]}}
    html = client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    assert 'value="draft"' in html and '<option value="2" selected>' in html
    # A position outside the list, or text of 10,000 characters, is refused and changes nothing.
    assert client.post(url, {f"q-{match_q.pk}-match-{left.pk}": "9"}).status_code == 400
    assert client.post(url, {f"q-{short_q.pk}": "x" * 10_000}).status_code == 400
    assert dict(attempt.responses.values_list("question_id", "answer")) == stored


@pytest.mark.django_db
def test_item_statistics_count_matched_answers_and_pairs(student, new_quiz):
    from tests.accounts.factories import StudentFactory

    short_q = Question.objects.get(title="Short")
    for typed in ("12377", "report it", "no idea"):
        learner = StudentFactory()
        attempt = services.start_attempt(student=learner, quiz=new_quiz)
        services.submit_attempt(attempt_id=attempt.pk, student=learner, answers={short_q.pk: typed})
    statistics.recompute_for_quiz(quiz_id=new_quiz.pk)
    stat = ItemStatistic.objects.get(question=short_q, scope=f"quiz:{new_quiz.pk}")
    ids = {c.text: str(c.pk) for c in short_q.choices.all()}
    assert stat.option_counts == {ids["12377"]: 1, ids["*report*"]: 1, ids["*"]: 1}
    assert stat.facility == pytest.approx(0.5)
    rows = {r["question_title"]: r for r in selectors.item_statistics_overall(quiz_id=new_quiz.pk)}
    labels = {o["text"]: o["correct"] for o in rows["Short"]["options"]}
    assert labels == {"12377": True, "*report*": True, "*": False}
    # The per-class road (learning) gets the same counts through the public selectors.
    answers = selectors.scored_answers(quiz_id=new_quiz.pk)
    assert selectors.item_statistics_of(answers)[short_q.pk]["option_counts"] == stat.option_counts


@pytest.mark.django_db
def test_teacher_answer_text_for_new_types(student, new_quiz):
    attempt = services.start_attempt(student=student, quiz=new_quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    [done] = selectors.submitted_attempts_with_answers(student_id=student.pk)
    texts = {a.question_title: a.chosen_text for a in done.answers}
    assert texts["Short"] == "12377" and texts["Number"] == "12377"
    assert "Pay within one hour → Pressure" in texts["Match"]
    assert all(a.correct for a in done.answers)


@pytest.mark.django_db
def test_random_draw_includes_new_types(student):
    questions = make_new_types() + [make_question("single", title=f"S{i}") for i in range(5)]
    quiz = make_quiz(questions=questions, draw_count=4, slug="draw")
    attempt = services.start_attempt(student=student, quiz=quiz)
    assert len(attempt.layout) == 4
    done = services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    assert done.percent == 100


@pytest.mark.django_db
def test_review_hides_accepted_answers_when_the_quiz_says_so(client, student):
    quiz = make_quiz(questions=make_new_types(), slug="hidden", answers_shown="never")
    attempt = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student, answers={})
    client.force_login(student)
    html = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "12377" not in html
    assert "right match:" not in html


def _admin_post(qtype, choices, **extra):
    data = {
        "title": f"Authored {qtype}",
        "qtype": qtype,
        "text": "Match each scam to its warning sign.",
        "points": "1",
        "scenario_frame": "none",  # the form's select always posts its value
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "1",
        "choices-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, choice in enumerate(choices):
        data.update({f"choices-{i}-{k}": v for k, v in choice.items()})
        data[f"choices-{i}-ORDER"] = str(i + 1)
        data[f"choices-{i}-id"] = ""
    return data


@pytest.mark.django_db
def test_editor_authors_matching_and_numerical_in_the_wagtail_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "netwise-demo-pass")
    client.force_login(admin)
    url = reverse("wagtailsnippets_quizzes_question:add")
    pairs = [
        {"text": "Prize you never entered", "match_text": "Too good to be true"},
        {"text": "Pay within one hour", "match_text": "Pressure"},
        {"text": "", "match_text": "Friendly greeting"},
    ]
    response = client.post(url, _admin_post("matching", pairs))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    q = Question.objects.get(title="Authored matching")
    assert [(c.text, c.match_text) for c in q.choices.order_by("sort_order")] == [
        (p["text"], p["match_text"]) for p in pairs
    ]
    # The same rules as the importers: a number that is not one, or a lone pair, is refused.
    bad = client.post(url, _admin_post("numerical", [{"text": "twelve", "correct": "on"}]))
    assert bad.status_code == 200 and "is not a number" in bad.content.decode()
    lone = client.post(url, _admin_post("matching", pairs[:1]))
    assert lone.status_code == 200 and "at least two pairs" in lone.content.decode()
    ok = client.post(url, _admin_post("numerical", [{"text": "12377", "correct": "on", "tolerance": "0"}]))
    assert ok.status_code == 302
    assert Question.objects.filter(qtype="numerical").count() == 1
