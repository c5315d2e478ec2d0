"""An attempt is graded against the keys it was drawn with, and a submit that loses a race to
close its attempt writes nothing (quizzes.services: build_layout, _submit)."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes import scoring, services
from quizzes.models import Attempt, Choice, QuizQuestion, Response
from quizzes.signals import attempt_submitted
from tests.quizzes.factories import fix_key, make_all_types, make_new_types, make_question, make_quiz, perfect_answers

pytestmark = pytest.mark.django_db


def test_a_key_survives_json_exactly():
    questions = [*make_all_types(), *make_new_types()]
    odd = make_question("numerical", choices=[{"text": "3.5", "correct": True, "tolerance": Decimal("0.1")}])
    odd.choices.update(weight=Decimal("33.33333"))
    for question in [*questions, odd]:
        key = question.key()
        assert scoring.key_from_json(json.loads(json.dumps(scoring.key_to_json(key)))) == key


def _answered_right_then_fixed(student):
    """A single-choice attempt drawn, the editor's fix made, then submitted with the option that
    was right when it was drawn: (question, quiz, the submitted attempt, old right, new right)."""
    question = make_question("single")
    quiz = make_quiz(questions=[question])
    drawn = services.start_attempt(student=student, quiz=quiz)
    old_right, new_right = fix_key(question)
    done = services.submit_attempt(attempt_id=drawn.pk, student=student, answers={question.pk: old_right.pk})
    return question, quiz, done, old_right, new_right


def test_an_editors_change_to_a_key_applies_from_the_next_attempt(student):
    question, quiz, done, old_right, new_right = _answered_right_then_fixed(student)
    assert (done.score, done.percent, done.passed) == (Decimal("1.0000"), Decimal("100.00"), True)
    assert Response.objects.get(attempt=done).score == Decimal("1.0000")

    following = services.start_attempt(student=student, quiz=quiz)
    again = services.submit_attempt(attempt_id=following.pk, student=student, answers={question.pk: old_right.pk})
    assert again.score == Decimal("0.0000")
    third = services.start_attempt(student=student, quiz=quiz)
    fixed = services.submit_attempt(attempt_id=third.pk, student=student, answers={question.pk: new_right.pk})
    assert fixed.score == Decimal("1.0000")


def test_an_attempt_started_before_keys_were_kept_is_graded_against_the_bank(student):
    question = make_question("single")
    quiz = make_quiz(questions=[question])
    attempt = services.start_attempt(student=student, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(layout=[{"q": e["q"], "o": e["o"]} for e in attempt.layout])
    old_right, new_right = fix_key(question)
    done = services.submit_attempt(attempt_id=attempt.pk, student=student, answers={question.pk: new_right.pk})
    assert done.score == Decimal("1.0000")


def test_an_old_attempts_saved_answer_to_a_deleted_option_earns_nothing_and_the_submit_works(student):
    # An attempt from before keys were kept is graded against the bank; an editor has deleted
    # the option the learner saved. That question earns nothing; the rest is graded.
    first, second = make_question("single"), make_question("single", title="Second")
    quiz = make_quiz(questions=[first, second])
    attempt = services.start_attempt(student=student, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(layout=[{"q": e["q"], "o": e["o"]} for e in attempt.layout])
    gone = first.choices.get(correct=True)
    right = second.choices.get(correct=True)
    services.save_answers(attempt_id=attempt.pk, student=student, answers={first.pk: gone.pk, second.pk: right.pk})
    gone.delete()
    done = services.submit_attempt(attempt_id=attempt.pk, student=student)
    assert done.is_submitted and (done.score, done.max_score) == (Decimal("1.0000"), Decimal("2.0000"))


def test_a_drawn_question_deleted_from_the_bank_since_is_left_out(student):
    kept, dropped = make_question("single"), make_question("truefalse")
    quiz = make_quiz(questions=[kept, dropped])
    attempt = services.start_attempt(student=student, quiz=quiz)
    assert set(attempt.question_ids) == {kept.pk, dropped.pk}
    dropped_id, dropped_right = dropped.pk, dropped.choices.get(correct=True).pk
    # An editor takes the question out of the quiz, then out of the bank (nobody has answered it).
    QuizQuestion.objects.filter(question=dropped).delete()
    dropped.delete()

    right = kept.choices.get(correct=True)
    # Posted from the page the learner had open, with an answer to the deleted question too.
    posted = {kept.pk: right.pk, dropped_id: dropped_right}
    done = services.submit_attempt(attempt_id=attempt.pk, student=student, answers=posted)
    assert done.status == Attempt.Status.SUBMITTED
    assert (done.score, done.max_score, done.percent) == (Decimal("1.0000"), Decimal("1.0000"), Decimal("100.00"))
    assert list(Response.objects.filter(attempt=attempt).values_list("question_id", flat=True)) == [kept.pk]
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.status, stored.score) == (Attempt.Status.SUBMITTED, Decimal("1.0000"))


def test_autosave_keeps_working_after_an_editor_changes_the_quiz_mid_attempt(client, student):
    # The learner's open page shows the questions as drawn. An editor then deletes one of them
    # and an option of another: autosave still saves everything it can (it used to refuse the
    # whole form, so nothing more was saved until the submit), as the submit grades it.
    kept, dropped = make_question("single"), make_question("truefalse")
    quiz = make_quiz(questions=[kept, dropped])
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    chosen = kept.choices.filter(correct=True).get()
    dropped_id, dropped_right = dropped.pk, dropped.choices.get(correct=True).pk
    QuizQuestion.objects.filter(question=dropped).delete()
    dropped.delete()
    Choice.objects.filter(pk=chosen.pk).delete()  # the option the learner is about to pick

    response = client.post(
        reverse("quizzes:autosave", args=[attempt.pk]), {f"q-{kept.pk}": chosen.pk, f"q-{dropped_id}": dropped_right}
    )
    assert response.status_code == 200, response.content
    assert list(Response.objects.values_list("question_id", "answer")) == [(kept.pk, chosen.pk)]
    done = services.submit_attempt(attempt_id=attempt.pk, student=student)
    assert (done.score, done.max_score) == (Decimal("1.0000"), Decimal("1.0000"))  # graded as drawn


def test_a_submit_that_loses_the_race_returns_the_winners_result_and_writes_nothing(
    student, monkeypatch, django_capture_on_commit_callbacks
):
    """The second tab reads the attempt while it is open; the first closes it before the second
    writes. The second's write changes nothing, and it returns the first one's result."""
    quiz = make_quiz()
    attempt = services.start_attempt(student=student, quiz=quiz)
    drawn_keys = services._drawn_keys
    winner = {}

    def other_tab_submits_first(read):
        if not winner:
            winner["attempt"] = None  # the other tab's own read goes straight through
            winner["attempt"] = services.submit_attempt(
                attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt)
            )
        return drawn_keys(read)

    sent = []
    attempt_submitted.connect(lambda sender, attempt, **kw: sent.append(attempt.pk), weak=False, dispatch_uid="race")
    monkeypatch.setattr(services, "_drawn_keys", other_tab_submits_first)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            loser = services.submit_attempt(attempt_id=attempt.pk, student=student, answers={})
    finally:
        attempt_submitted.disconnect(dispatch_uid="race")
    first = winner["attempt"]
    assert first.percent == Decimal("100.00")
    assert (loser.pk, loser.score, loser.percent, loser.submitted_at) == (
        first.pk,
        first.score,
        first.percent,
        first.submitted_at,
    )
    assert all(r.score == r.max_score for r in Response.objects.filter(attempt=attempt))  # the winner's
    assert sent == [attempt.pk]  # one attempt_submitted: progress and statistics hear of it once


def test_the_take_page_never_shows_the_drawn_keys(client, student):
    question = make_question("shortanswer", choices=[("phishing-key-9471", True), ("*wrongful-guess*", False)])
    quiz = make_quiz(questions=[question])
    attempt = services.start_attempt(student=student, quiz=quiz)
    assert any("phishing-key-9471" in json.dumps(entry) for entry in attempt.layout)  # kept server side
    client.force_login(student)
    page = client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    assert question.text in page
    assert "phishing-key-9471" not in page and "wrongful-guess" not in page


# --- The review marks against the key the attempt was graded with ---


def _review(attempt):
    from quizzes import selectors

    attempt = Attempt.objects.get(pk=attempt.pk)
    return {view.question.pk: view for view in selectors.attempt_questions(attempt=attempt, review=True, answers=True)}


def _options(view):
    return {opt.id: opt for opt in view.options}


def test_after_an_editors_fix_the_review_agrees_with_the_score(student):
    question, _, done, old_right, new_right = _answered_right_then_fixed(student)
    assert done.score == Decimal("1.0000")

    options = _options(_review(done)[question.pk])
    assert (options[old_right.pk].selected, options[old_right.pk].learner_right) == (True, True)
    assert options[old_right.pk].correct is True and options[new_right.pk].correct is False


def test_after_an_editor_reorders_the_steps_the_review_shows_the_order_graded(student):
    question = make_question("ordering")
    quiz = make_quiz(questions=[question])
    attempt = services.start_attempt(student=student, quiz=quiz)
    first, second, third = question.choices.order_by("sort_order")
    for choice, order in ((first, 2), (second, 1)):  # the editor swaps the first two steps
        Choice.objects.filter(pk=choice.pk).update(sort_order=order)
    done = services.submit_attempt(
        attempt_id=attempt.pk, student=student, answers={question.pk: [first.pk, second.pk, third.pk]}
    )
    assert done.percent == Decimal("100.00")

    options = _options(_review(done)[question.pk])
    assert [options[c.pk].correct_position for c in (first, second, third)] == [1, 2, 3]
    assert all(options[c.pk].learner_right is True for c in (first, second, third))


def test_after_an_editor_changes_an_accepted_answer_the_review_lists_the_one_graded(student):
    question = make_question("shortanswer", choices=[("phishing", True), ("*", False)])
    quiz = make_quiz(questions=[question])
    attempt = services.start_attempt(student=student, quiz=quiz)
    accepted = question.choices.get(correct=True)
    Choice.objects.filter(pk=accepted.pk).update(text="smishing")
    done = services.submit_attempt(attempt_id=attempt.pk, student=student, answers={question.pk: "Phishing"})
    assert done.percent == Decimal("100.00")

    view = _review(done)[question.pk]
    options = _options(view)
    assert options[accepted.pk].text == "phishing"  # as drawn and graded, not the bank's new text
    assert (options[accepted.pk].selected, options[accepted.pk].learner_right) == (True, True)
    assert view.typed_feedback == accepted.feedback


def test_after_an_editor_changes_a_pair_the_review_marks_the_pairs_graded(student):
    question = make_question("matching")
    quiz = make_quiz(questions=[question])
    attempt = services.start_attempt(student=student, quiz=quiz)
    answers = perfect_answers(attempt)[question.pk]
    prize = question.choices.get(text="Prize you never entered")
    Choice.objects.filter(pk=prize.pk).update(match_text="Pressure")  # the editor re-pairs one item
    done = services.submit_attempt(attempt_id=attempt.pk, student=student, answers={question.pk: answers})
    assert done.percent == Decimal("100.00")

    options = _options(_review(done)[question.pk])
    assert all(opt.learner_right is True for opt in options.values())
    assert options[prize.pk].correct_text == "Too good to be true"


def test_the_review_page_marks_an_answer_graded_right_as_right(client, student):
    done = _answered_right_then_fixed(student)[2]
    client.force_login(student)
    page = client.get(reverse("quizzes:review", args=[done.pk])).content.decode()
    assert "✓" in page and "✗" not in page
