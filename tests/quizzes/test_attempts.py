"""Attempts: start, autosave, submit exactly once, review; bad input changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import selectors, services
from quizzes.models import Attempt, Response
from tests.accounts.factories import StudentFactory
from tests.quizzes.factories import form_data, make_question, make_quiz, perfect_answers

pytestmark = pytest.mark.django_db


def test_full_marks_and_pass(quiz, student):
    attempt = services.start_attempt(student=student, quiz=quiz)
    done = services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    assert done.status == Attempt.Status.SUBMITTED
    assert done.score == done.max_score and done.percent == 100 and done.passed


def test_resumed_attempt_shows_the_same_questions_and_order(student):
    questions = [make_question("single", title=f"Q{i}") for i in range(8)]
    quiz = make_quiz(questions=questions, draw_count=3)
    first = services.start_attempt(student=student, quiz=quiz)
    again = services.start_attempt(student=student, quiz=quiz)
    assert again.pk == first.pk and again.layout == first.layout
    assert len(first.layout) == 3


def test_ordering_never_starts_in_the_correct_order(student):
    q = make_question("ordering")
    quiz = make_quiz(questions=[q], shuffle_options=False)
    for _ in range(5):
        attempt = services.start_attempt(student=student, quiz=quiz)
        assert attempt.layout[0]["o"] != list(q.choices.values_list("pk", flat=True))
        services.submit_attempt(attempt_id=attempt.pk, student=student)


def test_submit_twice_returns_the_same_result_and_writes_nothing(quiz, student, django_assert_num_queries):
    attempt = services.start_attempt(student=student, quiz=quiz)
    first = services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    before = list(Response.objects.values_list("pk", "answer", "score"))
    second = services.submit_attempt(attempt_id=attempt.pk, student=student, answers={})
    assert (second.pk, second.score, second.submitted_at) == (first.pk, first.score, first.submitted_at)
    assert list(Response.objects.values_list("pk", "answer", "score")) == before
    assert Attempt.objects.count() == 1


def test_submitted_attempt_and_responses_refuse_changes(quiz, student):
    attempt = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student)
    attempt = Attempt.objects.get(pk=attempt.pk)
    attempt.score = 999
    with pytest.raises(ValueError):
        attempt.save()
    response = attempt.responses.first()
    response.answer = 1
    with pytest.raises(ValueError):
        response.save()
    with pytest.raises(services.AttemptClosed):
        services.save_answers(attempt_id=attempt.pk, student=student, answers={})


def test_one_open_attempt_per_student_and_quiz_is_a_db_constraint(quiz, student):
    from django.db import IntegrityError, transaction

    services.start_attempt(student=student, quiz=quiz)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(student=student, quiz=quiz, number=2, seed=1, layout=[])


def test_attempt_limit(student):
    quiz = make_quiz(attempts_allowed=1)
    attempt = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student)
    with pytest.raises(services.AttemptLimitReached):
        services.start_attempt(student=student, quiz=quiz)


def test_time_limit_enforced_on_the_server(student):
    quiz = make_quiz(time_limit_minutes=5)
    attempt = services.start_attempt(student=student, quiz=quiz)
    answers = perfect_answers(attempt)
    first_q = attempt.question_ids[0]
    services.save_answers(attempt_id=attempt.pk, student=student, answers={first_q: answers[first_q]})
    late = timezone.now() + timedelta(minutes=6)
    with pytest.raises(services.TimeLimitExceeded):
        services.save_answers(attempt_id=attempt.pk, student=student, answers=answers, now=late)
    # A submit this late is not accepted: the attempt is graded with what was saved in time
    # (as the take page promises), stamped as of the deadline and marked late.
    closed = services.submit_attempt(attempt_id=attempt.pk, student=student, answers=answers, now=late)
    assert closed.is_submitted and closed.late
    assert closed.submitted_at == attempt.deadline + services.GRACE
    # Only the answer saved in time counted.
    assert 0 < closed.score < closed.max_score
    assert Attempt.objects.get(pk=attempt.pk).score == closed.score


@pytest.mark.parametrize("grading,expected", [("highest", 100.0), ("last", 0.0), ("average", 50.0)])
def test_grade_follows_the_quiz_rule(student, grading, expected):
    quiz = make_quiz(grading=grading)
    a1 = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=a1.pk, student=student, answers=perfect_answers(a1))
    a2 = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=a2.pk, student=student)
    grade = selectors.grade_for(student=student, quiz=quiz)
    assert grade.grade == expected and grade.attempts_used == 2
    assert grade.passed == (expected >= quiz.pass_mark) and grade.ever_passed
    both = selectors.results_for(student_ids=[student.pk], quiz_ids=[quiz.pk])
    result = both[(student.pk, quiz.pk)]
    assert result.grade == expected and result.percents == [100.0, 0.0]
    assert (result.failed_attempts, result.first_pass_attempt_id) == (1, a1.pk)
    assert result.first_submitted_at < result.last_submitted_at


def test_results_for_is_bulk_and_query_bounded(student, django_assert_num_queries):
    from tests.accounts.factories import StudentFactory

    quizzes = [make_quiz(slug=f"q-{i}", grading=g) for i, g in enumerate(["highest", "last"])]
    students = [student, StudentFactory(), StudentFactory()]
    for quiz in quizzes:
        for i, learner in enumerate(students[:2]):
            attempt = services.start_attempt(student=learner, quiz=quiz)
            services.submit_attempt(
                attempt_id=attempt.pk, student=learner, answers=perfect_answers(attempt) if i else {}
            )
    ids = [s.pk for s in students]
    with django_assert_num_queries(2):  # the quizzes' rules, the attempts
        results = selectors.results_for(student_ids=ids, quiz_ids=[q.pk for q in quizzes])
    with django_assert_num_queries(1):  # given the loaded pages: the attempts only
        assert selectors.results_for(student_ids=ids, quizzes=quizzes) == results
    assert set(results) == {(s.pk, q.pk) for s in students[:2] for q in quizzes}
    assert results[(students[1].pk, quizzes[0].pk)].passed
    assert not results[(student.pk, quizzes[1].pk)].passed
    assert selectors.grade_for(student=students[2], quiz=quizzes[0]).attempts_used == 0


def test_submission_sends_signal_on_commit(quiz, student, django_capture_on_commit_callbacks):
    from quizzes.signals import attempt_submitted

    seen = []

    def receiver(sender, attempt, student, quiz_id, **kwargs):
        seen.append((attempt.pk, quiz_id))

    attempt_submitted.connect(receiver)
    try:
        attempt = services.start_attempt(student=student, quiz=quiz)
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_attempt(attempt_id=attempt.pk, student=student)
        assert seen == [(attempt.pk, quiz.pk)]
    finally:
        attempt_submitted.disconnect(receiver)


# --------------------------------------------------------------------------- views


def test_take_page_never_contains_the_key(client, quiz, student):
    client.force_login(student)
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    html = client.get(response.url).content.decode()
    assert "Feedback for" not in html  # per-choice feedback
    assert "Because." not in html  # explanation
    main = html[html.index("<main") : html.index("</main>")].lower()
    assert "correct" not in main and "weight" not in main and "explanation" not in main
    # Every option input looks alike apart from its value: nothing marks the right one.
    import re

    inputs = re.findall(r"<input [^>]*name=\"q-\d+\"[^>]*>", main)
    assert inputs and {re.sub(r'value="\d+"', "", i) for i in inputs} <= {
        f'<input type="radio" name="q-{e["q"]}" >' for e in attempt.layout
    } | {f'<input type="checkbox" name="q-{e["q"]}" >' for e in attempt.layout}
    assert 'name="q-' in html
    assert str(attempt.pk) in response.url


def test_full_journey_through_views(client, quiz, student):
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    data = form_data(attempt, perfect_answers(attempt))
    saved = client.post(reverse("quizzes:autosave", args=[attempt.pk]), data)
    assert saved.status_code == 200 and saved.json()["saved"]
    assert Response.objects.filter(attempt=attempt).count() == len(attempt.layout)
    submitted = client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    assert submitted.status_code == 302 and submitted.url.endswith("/review/")
    page = client.get(submitted.url).content.decode()
    assert "Your score: 100%" in page and "Feedback for" in page and "Because." in page
    # Replay / back button: same result, no new attempt.
    again = client.post(reverse("quizzes:submit", args=[attempt.pk]), data)
    assert again.status_code == 302 and Attempt.objects.count() == 1
    assert Attempt.objects.get().percent == 100


def test_plain_save_button_works_without_javascript(client, quiz, student):
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    data = {**form_data(attempt, perfect_answers(attempt)), "action": "save"}
    response = client.post(reverse("quizzes:submit", args=[attempt.pk]), data)
    assert response.status_code == 302 and Attempt.objects.get().status == "in_progress"
    assert Response.objects.count() == len(attempt.layout)


def _bad_inputs(attempt, other_question):
    q_single = next(e for e in attempt.layout if len(e["o"]) == 3)
    return [
        {f"q-{other_question.pk}": str(other_question.choices.first().pk)},
        {f"q-{q_single['q']}": str(other_question.choices.first().pk)},
        {f"q-{q_single['q']}": "not-a-number"},
        {"q-abc": "1"},
        {"unexpected": "1"},
    ]


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize("url_name", ["quizzes:autosave", "quizzes:submit"])
def test_bad_input_is_400_and_changes_nothing(client, quiz, student, index, url_name):
    other = make_question("single", title="Elsewhere")
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    response = client.post(reverse(url_name, args=[attempt.pk]), _bad_inputs(attempt, other)[index])
    assert response.status_code == 400
    assert Response.objects.count() == 0 and Attempt.objects.get().status == "in_progress"


def test_huge_payload_is_refused(client, quiz, student):
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    qid = attempt.layout[0]["q"]
    response = client.post(reverse("quizzes:submit", args=[attempt.pk]), {f"q-{qid}": "9" * 70_000})
    assert response.status_code == 400
    assert Attempt.objects.get().status == "in_progress"


def test_another_students_attempt_is_404_and_unchanged(client, quiz, student):
    attempt = services.start_attempt(student=student, quiz=quiz)
    intruder = StudentFactory()
    client.force_login(intruder)
    for name in ("quizzes:take", "quizzes:review"):
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    for name in ("quizzes:autosave", "quizzes:submit"):
        assert client.post(reverse(name, args=[attempt.pk]), {}).status_code == 404
    assert Attempt.objects.get().status == "in_progress" and Response.objects.count() == 0


def test_submit_after_attempt_limit_is_400(client, student):
    quiz = make_quiz(attempts_allowed=1)
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    assert client.post(reverse("quizzes:start", args=[quiz.pk])).status_code == 400
    assert Attempt.objects.count() == 1


@pytest.mark.parametrize("action", ["submit", "save"])
def test_late_submit_or_save_through_view_grades_what_was_saved_in_time(client, student, action):
    # The take page says: "Answers sent after the time limit are not accepted; what you saved by
    # then is graded." Submit (or Save) too late: the learner lands on their result, graded from
    # the answer saved in time, and told why; the answers posted late are not stored.
    quiz = make_quiz(time_limit_minutes=1)
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    answers = perfect_answers(attempt)
    first_q = attempt.question_ids[0]
    services.save_answers(attempt_id=attempt.pk, student=student, answers={first_q: answers[first_q]})
    Attempt.objects.update(deadline=timezone.now() - timedelta(minutes=5))
    data = {**form_data(attempt, answers), "action": action}
    response = client.post(reverse("quizzes:submit", args=[attempt.pk]), data, follow=True)
    assert response.redirect_chain == [(reverse("quizzes:review", args=[attempt.pk]), 302)]
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.late and 0 < attempt.score < attempt.max_score
    assert "The time limit ran out: the answers saved by then were graded." in response.content.decode()
    assert Response.objects.exclude(question_id=first_q).filter(answer__isnull=False).count() == 0


def _started_in_chinese(client, student, quiz):
    """`student`, reading Chinese, starts `quiz` through the page's Start button: the attempt."""
    student.language = "zh-hans"
    student.save(update_fields=["language"])
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    return Attempt.objects.get(quiz=quiz)


def test_autosave_after_the_time_limit_grades_what_was_saved_and_sends_the_page_to_the_result(client, student):
    # A page left open past the limit (a phone asleep): its next autosave is not accepted. The
    # attempt is graded with what was saved in time, as a late Submit is, and the page is told
    # where the result is (autosave.js goes there), in the learner's language.
    attempt = _started_in_chinese(client, student, make_quiz(time_limit_minutes=1))
    answers = perfect_answers(attempt)
    first_q = attempt.question_ids[0]
    services.save_answers(attempt_id=attempt.pk, student=student, answers={first_q: answers[first_q]})
    Attempt.objects.update(deadline=timezone.now() - timedelta(minutes=5))
    response = client.post(reverse("quizzes:autosave", args=[attempt.pk]), form_data(attempt, answers))
    assert response.status_code == 409
    assert response.json() == {"error": "作答时间已经到了。", "review": reverse("quizzes:review", args=[attempt.pk])}
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.late and 0 < attempt.score < attempt.max_score
    assert Response.objects.exclude(question_id=first_q).filter(answer__isnull=False).count() == 0
    # Another learner's attempt, past its limit or not, is still not theirs to close.
    other = StudentFactory()
    client.force_login(other)
    assert client.post(reverse("quizzes:autosave", args=[attempt.pk]), {}).status_code == 404


def test_timed_quiz_page_carries_its_countdown_in_the_learners_language(client, student):
    attempt = _started_in_chinese(client, student, make_quiz(time_limit_minutes=10))
    html = client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    assert 'data-minutes-text="剩余时间：__N__ 分钟"' in html
    assert 'data-last-minute-text="剩余不到一分钟：现在就提交吧。"' in html
    assert "quizzes/timer.js" in html
    seconds = int(html.split('data-seconds-left="')[1].split('"')[0])
    assert 590 <= seconds <= 600
    # Within the grace after the limit the page still opens, with nothing left on the clock:
    # the countdown submits at once, and the answers it sends are still accepted.
    Attempt.objects.update(deadline=timezone.now() - timedelta(seconds=10))
    html = client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    assert 'data-seconds-left="0"' in html
    # An untimed quiz has no countdown.
    untimed = make_quiz(slug="untimed")
    client.post(reverse("quizzes:start", args=[untimed.pk]))
    html = client.get(reverse("quizzes:take", args=[Attempt.objects.get(quiz=untimed).pk])).content.decode()
    assert "quiz-countdown" not in html and "quizzes/timer.js" not in html


def test_refusals_are_told_in_the_learners_language(client, student):
    # The service's own messages are English and name fields; the learner reads NetWise's words.
    student.language = "zh-hans"
    student.save(update_fields=["language"])
    quiz = make_quiz(attempts_allowed=1)
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    qid = attempt.layout[0]["q"]
    unreadable = client.post(reverse("quizzes:submit", args=[attempt.pk]), {f"q-{qid}-pos-1": "x"})
    assert unreadable.status_code == 400
    html = unreadable.content.decode()
    assert "有些答案无法读取" in html and "positions are numbers" not in html
    assert f'<a href="{reverse("quizzes:take", args=[attempt.pk])}">返回测验</a>' in html  # one step back
    autosave = client.post(reverse("quizzes:autosave", args=[attempt.pk]), {f"q-{qid}-pos-1": "x"})
    assert autosave.status_code == 400 and "有些答案无法读取" in autosave.json()["error"]
    client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    again = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert again.status_code == 400 and "你的作答次数已经用完了" in again.content.decode()
    assert f'<a href="{quiz.url}">返回测验</a>' in again.content.decode()


def test_feedback_hidden_until_due_date(client, student):
    quiz = make_quiz(feedback_timing="after_due", due_at=timezone.now() + timedelta(days=1))
    attempt = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    client.force_login(student)
    html = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "Your score: 100%" in html and "Feedback for" not in html and "Because." not in html


def test_quiz_page_renders_for_student(client, quiz, student):
    client.force_login(student)
    html = client.get(quiz.url).content.decode()
    assert "Start the quiz" in html


def test_beat_grades_timed_attempts_left_open_with_the_answers_saved_in_time(django_capture_on_commit_callbacks):
    from learning.models import Progress
    from quizzes.tasks import close_expired_attempts

    quiz = make_quiz(time_limit_minutes=5)
    left, still_working, untimed_quiz = StudentFactory(), StudentFactory(), make_quiz(slug="untimed")
    gone = services.start_attempt(student=left, quiz=quiz)
    services.save_answers(attempt_id=gone.pk, student=left, answers=perfect_answers(gone))
    working = services.start_attempt(student=still_working, quiz=quiz)
    untimed = services.start_attempt(student=left, quiz=untimed_quiz)
    Attempt.objects.filter(pk=gone.pk).update(deadline=timezone.now() - timedelta(minutes=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert close_expired_attempts.apply().result == 1
    gone.refresh_from_db()
    assert gone.status == Attempt.Status.SUBMITTED and gone.late and gone.percent == 100
    assert gone.submitted_at <= gone.deadline + services.GRACE  # graded as of the deadline
    assert Attempt.objects.get(pk=working.pk).status == Attempt.Status.IN_PROGRESS
    assert Attempt.objects.get(pk=untimed.pk).status == Attempt.Status.IN_PROGRESS
    assert Progress.objects.get(student=left, page=quiz).passed  # teachers and guardians see it
    with django_capture_on_commit_callbacks(execute=True):
        assert close_expired_attempts.apply().result == 0  # a second run grades nothing twice


@pytest.mark.parametrize("url_name", ["quizzes:autosave", "quizzes:submit"])
def test_a_typed_answer_with_a_nul_character_is_400_and_changes_nothing(client, student, url_name):
    # Django's forms refuse NUL (PostgreSQL cannot store it in text or JSON); the quiz form is
    # parsed by hand, so validation refuses it too, rather than the database failing the request.
    quiz = make_quiz(questions=[make_question("shortanswer")], slug="typed-quiz")
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    qid = attempt.layout[0]["q"]
    response = client.post(reverse(url_name, args=[attempt.pk]), {f"q-{qid}": "12\x00377"})
    assert response.status_code == 400
    assert Response.objects.count() == 0 and Attempt.objects.get().status == "in_progress"


def test_a_translated_quiz_page_states_the_rules_its_attempts_follow(client, student):
    # An attempt started from the Chinese page follows the English quiz's rules
    # (services.start_attempt); the Chinese page used to state its own copy of them, which
    # nothing kept up to date when an editor changed the English quiz.
    from wagtail.models import Locale

    quiz = make_quiz(attempts_allowed=3, pass_mark=60)
    zh = quiz.copy_for_translation(Locale.objects.get_or_create(language_code="zh-hans")[0], copy_parents=True)
    zh.save_revision().publish()
    quiz.attempts_allowed, quiz.time_limit_minutes, quiz.pass_mark = 2, 10, 80
    quiz.save_revision().publish()
    student.language = "zh-hans"
    student.save(update_fields=["language"])
    client.force_login(student)
    html = client.get(zh.url).content.decode()
    assert "及格线：80%" in html and "可作答 2 次" in html and "时间限制：10 分钟" in html
    client.post(reverse("quizzes:start", args=[zh.pk]))
    attempt = Attempt.objects.get()
    assert attempt.quiz_id == quiz.pk and attempt.deadline is not None  # the rules it states
