"""A review whose correct answers are held back (QuizPage.answers_shown) shows the learner's
score and whether each of their answers was right, and nothing that tells which option is
right: no per-choice feedback, no "Why", no marks on single options, no key."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from quizzes import selectors, services
from quizzes.models import Choice
from tests.quizzes.factories import make_all_types, make_new_types, make_question, make_quiz, perfect_answers

pytestmark = pytest.mark.django_db

CHOICES = [
    {"text": "Ask a trusted adult first", "correct": True, "feedback": "KEY-A: an adult can check it."},
    {"text": "Pay to unlock the prize", "correct": False, "feedback": "KEY-B: prizes you pay for are scams."},
    {"text": "Tell nobody about it", "correct": True, "feedback": "KEY-C: secrets help the scammer."},
    {"text": "Send the code they ask for", "correct": False, "feedback": "KEY-D: codes are keys."},
]
WHY = "WHY-TEXT: a payment, a code or a secret is the scam pattern."


def _multiple_choice():
    question = make_question("multiple", text="Which of these keep you safe?", explanation=WHY, choices=CHOICES)
    Choice.objects.filter(question=question, text=CHOICES[0]["text"]).update(feedback_zh="钥匙甲：大人可以帮你看。")
    return question


def _review_html(client, student, quiz, answers):
    attempt = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student, answers=answers(attempt))
    client.force_login(student)
    response = client.get(reverse("quizzes:review", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode(), response.context


def _picked(question, *texts):
    return lambda attempt: {question.pk: list(question.choices.filter(text__in=texts).values_list("pk", flat=True))}


def _assert_no_key(html):
    for secret in ("KEY-", "钥匙甲", "WHY-TEXT", "Why:", "a correct answer", "quiz-feedback"):
        assert secret not in html, secret
    # The question's own result is there; no option carries a right/wrong mark of its own.
    assert not re.search(r"✓ right|✗ wrong", html)


@pytest.mark.parametrize(
    "rules",
    [
        {"answers_shown": "never"},
        {"answers_shown": "after_last", "attempts_allowed": 3},
        {"answers_shown": "after_due", "due_at": timezone.now() + timedelta(days=3)},
    ],
    ids=["never", "after-last-with-attempts-left", "after-due-before-due"],
)
def test_held_back_review_of_a_multiple_choice_question_gives_no_answer_away(client, student, rules):
    """One right and one wrong option ticked: the page gives the score and which options
    the learner ticked, but neither the per-choice feedback nor the explanation, nor which of
    the ticks was the right one."""
    question = _multiple_choice()
    quiz = make_quiz(questions=[question], slug="held", **rules)
    html, context = _review_html(client, student, quiz, _picked(question, CHOICES[0]["text"], CHOICES[1]["text"]))
    assert context["show_feedback"] and not context["show_answers"]
    assert f"quiz-question--{context['questions'][0].result}" in html and html.count("— your answer") == 2
    _assert_no_key(html)
    # Nor is the key in what the page was given to render.
    [view] = context["questions"]
    assert {(o.correct, o.learner_right, o.feedback) for o in view.options} == {(None, None, "")}


def test_held_back_review_in_chinese_gives_no_answer_away(client, student):
    question = _multiple_choice()
    quiz = make_quiz(questions=[question], slug="held-zh", answers_shown="never")
    with translation.override("zh-hans"):
        html, _context = _review_html(client, student, quiz, _picked(question, CHOICES[0]["text"]))
    _assert_no_key(html)


def test_held_back_review_of_every_question_type_gives_no_answer_away(client, student):
    """Red flags, ordering and matching are marked in parts; a mark on each part would be the
    key. The learner sees their own marks, order and matches, and each question's result."""
    quiz = make_quiz(questions=make_all_types() + make_new_types(), slug="held-all", answers_shown="never")
    html, _context = _review_html(client, student, quiz, lambda attempt: {})
    _assert_no_key(html)
    for secret in ("Feedback", "Because.", "it is a red flag", "it is safe", "correct position", "right match"):
        assert secret not in html, secret
    assert "Accepted answers" not in html and "12377" not in html


def test_review_with_answers_shown_still_explains_every_choice(client, student):
    question = _multiple_choice()
    quiz = make_quiz(questions=[question], slug="shown", answers_shown="after_attempt")
    html, context = _review_html(client, student, quiz, _picked(question, CHOICES[0]["text"], CHOICES[1]["text"]))
    assert context["show_answers"]
    assert all(choice["feedback"] in html for choice in CHOICES)
    assert WHY in html and html.count("a correct answer") == 2 and "✗ wrong" in html


def test_review_after_the_last_attempt_shows_the_answers(client, student):
    question = _multiple_choice()
    quiz = make_quiz(questions=[question], slug="last", answers_shown="after_last", attempts_allowed=1)
    html, context = _review_html(client, student, quiz, _picked(question, CHOICES[0]["text"]))
    assert context["show_answers"] and "KEY-C" in html and WHY in html


def test_selector_loads_the_key_only_when_asked_for_the_answers(student):
    question = _multiple_choice()
    quiz = make_quiz(questions=[question], slug="selector")
    attempt = services.start_attempt(student=student, quiz=quiz)
    attempt = services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    [held] = selectors.attempt_questions(attempt=attempt, review=True)
    assert held.result == "correct"
    assert all(o.correct is None and o.learner_right is None and not o.feedback for o in held.options)
    [shown] = selectors.attempt_questions(attempt=attempt, review=True, answers=True)
    assert {o.text for o in shown.options if o.correct} == {CHOICES[0]["text"], CHOICES[2]["text"]}


def test_autosave_answers_say_saved_and_nothing_about_the_key(client, student):
    question = _multiple_choice()
    quiz = make_quiz(questions=[question], slug="autosave", answers_shown="never", time_limit_minutes=5)
    attempt = services.start_attempt(student=student, quiz=quiz)
    client.force_login(student)
    right = question.choices.get(text=CHOICES[0]["text"]).pk
    saved = client.post(reverse("quizzes:autosave", args=[attempt.pk]), {f"q-{question.pk}": [str(right)]})
    assert saved.status_code == 200 and set(saved.json()) == {"saved", "saved_at"}
    type(attempt).objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    late = client.post(reverse("quizzes:autosave", args=[attempt.pk]), {f"q-{question.pk}": [str(right)]})
    assert late.status_code == 409 and set(late.json()) == {"error", "review"}
    for body in (saved.content.decode(), late.content.decode()):
        assert "KEY-" not in body and "WHY" not in body and "correct" not in body


def test_an_earlier_review_holds_the_answers_back_while_the_last_attempt_is_open(client, student):
    """ "After the last attempt": with the last attempt open (in another tab), an earlier
    attempt's review must not hand over the key to copy into it; once it is submitted, the
    answers show. The same holds for an attempt a teacher gave."""
    question = _multiple_choice()
    quiz = make_quiz(questions=[question], slug="last-open", answers_shown="after_last", attempts_allowed=2)
    wrong = _picked(question, CHOICES[1]["text"])
    first_html, context = _review_html(client, student, quiz, wrong)
    assert not context["show_answers"]
    first = selectors.grade_for(student=student, quiz=quiz).last_attempt_id
    last = services.start_attempt(student=student, quiz=quiz)
    response = client.get(reverse("quizzes:review", args=[first]))
    assert not response.context["show_answers"]
    _assert_no_key(response.content.decode())

    services.submit_attempt(attempt_id=last.pk, student=student, answers=wrong(last))
    response = client.get(reverse("quizzes:review", args=[first]))
    assert response.context["show_answers"] and "WHY-TEXT" in response.content.decode()

    services.grant_attempt(student=student, quiz=quiz, granted_by=None)
    given = services.start_attempt(student=student, quiz=quiz)
    response = client.get(reverse("quizzes:review", args=[first]))
    assert not response.context["show_answers"]
    _assert_no_key(response.content.decode())
    services.submit_attempt(attempt_id=given.pk, student=student, answers=wrong(given))
    assert client.get(reverse("quizzes:review", args=[first])).context["show_answers"]
