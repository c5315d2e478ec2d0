"""A student takes a quiz with the keyboard only, submits, and sees score and feedback."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Attempt, Question
from tests.accounts.factories import StudentFactory
from tests.quizzes.factories import make_question, make_quiz, perfect_answers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_student_takes_a_quiz_with_the_keyboard(page, live_server, login, shot):
    quiz = make_quiz()
    StudentFactory(username="quiztaker")
    login("quiztaker")
    page.goto(live_server.url + quiz.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Test quiz")
    start = page.get_by_role("button", name="Start the quiz")
    start.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/quizzes/attempts/\d+/$"))
    attempt = Attempt.objects.get()
    answers = perfect_answers(attempt)
    qtypes = dict(Question.objects.values_list("pk", "qtype"))
    # The key is not in the page before submission.
    assert "Feedback for" not in page.content()
    for qid, answer in answers.items():
        kind = qtypes[qid]
        if kind in ("single", "truefalse"):
            page.locator(f'input[name="q-{qid}"][value="{answer}"]').focus()
            page.keyboard.press("Space")
        elif kind == "multiple":
            for cid in answer:
                page.locator(f'input[name="q-{qid}"][value="{cid}"]').focus()
                page.keyboard.press("Space")
        elif kind == "ordering":
            for position, cid in enumerate(answer, start=1):
                page.locator(f"#q-{qid}-pos-{cid}").focus()
                page.keyboard.press(str(position))
                expect(page.locator(f"#q-{qid}-pos-{cid}")).to_have_value(str(position))
        else:
            for cid, mark in answer.items():
                page.locator(f'input[name="q-{qid}-item-{cid}"][value="{mark}"]').focus()
                page.keyboard.press("Space")
    # Autosave reports through a live region.
    expect(page.get_by_role("status")).to_have_text("Answers saved.")
    shot("quiz-take")
    submit = page.get_by_role("button", name="Submit answers")
    submit.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/review/$"))
    expect(page.get_by_role("heading", name="Your score: 100%")).to_be_visible()
    expect(page.get_by_text("✓ Passed").first).to_be_visible()
    expect(page.get_by_text("Feedback for Right.").first).to_be_visible()
    expect(page.get_by_text("Why:").first).to_be_visible()
    shot("quiz-review")
    # The back button and a resubmit change nothing.
    page.go_back()
    page.wait_for_load_state()
    assert Attempt.objects.count() == 1 and Attempt.objects.get().percent == 100


def _start_on_a_phone(page, live_server, login, quiz):
    """A new learner starts `quiz` at 390 px and lands on its take page."""
    StudentFactory(username="phonetaker")
    login("phonetaker")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + quiz.url)
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/quizzes/attempts/\d+/$"))


def test_a_timed_quiz_counts_down_and_sends_the_answers_when_time_is_up(page, live_server, login, shot):
    # The learner answers but never presses Submit: at the limit the page sends what is on it
    # (inside the server's grace, so it is accepted, not "late"), and shows the result.
    quiz = make_quiz(time_limit_minutes=10, questions=[make_question("single")])
    _start_on_a_phone(page, live_server, login, quiz)
    countdown = page.get_by_role("timer")
    expect(countdown).to_have_text("Time left: 10 min")
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    page.reload()
    expect(countdown).to_have_text("Less than a minute left: submit now.")
    shot("quiz-timed-last-minute")
    qid, right = next(iter(perfect_answers(attempt).items()))
    page.locator(f'input[name="q-{qid}"][value="{right}"]').check()
    page.wait_for_url(re.compile(r"/review/$"), timeout=15000)
    attempt.refresh_from_db()
    assert attempt.is_submitted and not attempt.late and attempt.percent == 100
    expect(page.get_by_role("heading", name="Your score: 100%")).to_be_visible()


def test_answer_boxes_keep_their_size_beside_long_answers_on_a_phone(page, live_server, login):
    # A long answer wrapped over lines used to squeeze its radio button smaller than its
    # neighbours' (the flex row shrank it): every box is the same 1.25rem.
    question = make_question("single")
    long = question.choices.get(text="Right")
    long.text = "没有信任的大人在场，不付款、不给验证码、不共享屏幕，也不点陌生链接、不扫陌生二维码。"
    long.save()
    _start_on_a_phone(page, live_server, login, make_quiz(questions=[question]))
    widths = page.locator(".quiz-option input").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert len(widths) == 3 and len(set(widths)) == 1 and widths[0] >= 19, widths


def test_an_autosave_after_the_limit_takes_the_page_to_the_result(page, live_server, login):
    # The page's clock said there was time (a phone asleep, a clock the server does not share),
    # but the server's limit and grace have passed: the next autosave is refused, the server
    # grades what was saved in time, and the page goes to the result instead of "Not saved".
    quiz = make_quiz(time_limit_minutes=10, questions=[make_question("single")])
    _start_on_a_phone(page, live_server, login, quiz)
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    qid, right = next(iter(perfect_answers(attempt).items()))
    page.locator(f'input[name="q-{qid}"][value="{right}"]').check()  # autosave after 0.4 s
    page.wait_for_url(re.compile(r"/review/$"), timeout=15000)
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.late and attempt.score == 0  # nothing was saved in time
    expect(page.get_by_text("The time limit ran out: the answers saved by then were graded.")).to_be_visible()


def test_submitting_with_blank_questions_asks_first_and_the_result_says_not_answered(page, live_server, login):
    # "Answer every question", the page says: a Submit with questions left blank asks before it
    # uses up an attempt; "Not now" keeps the learner on the questions with nothing sent.
    quiz = make_quiz(questions=[make_question("single"), make_question("single"), make_question("single")])
    _start_on_a_phone(page, live_server, login, quiz)
    attempt = Attempt.objects.get()
    qid, right = next(iter(perfect_answers(attempt).items()))
    page.locator(f'input[name="q-{qid}"][value="{right}"]').check()
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("button", name="Submit answers")).to_be_enabled()
    assert asked and asked[0].startswith("You have not answered 2 of the questions.")
    attempt.refresh_from_db()
    assert not attempt.is_submitted
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/review/$"))
    attempt.refresh_from_db()
    assert attempt.is_submitted and len(asked) == 2
    expect(page.get_by_text("Not answered")).to_have_count(2)
