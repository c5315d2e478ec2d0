"""Extra attempts a teacher gives (AttemptAllowance): the limit a learner meets is the quiz's
own plus those, wherever it is applied (start, attempts left, the quiz page); a grant is only
for a learner out of attempts who has not passed, and counts once however often it is sent."""

from unittest import mock

import pytest
from django.urls import reverse
from wagtail.models import Locale

from quizzes import privacy, selectors, services
from quizzes.models import Attempt, AttemptAllowance
from tests.accounts.factories import TeacherFactory
from tests.quizzes.factories import make_question, make_quiz, perfect_answers

pytestmark = pytest.mark.django_db


def _fail(student, quiz):
    attempt = services.start_attempt(student=student, quiz=quiz)
    return services.submit_attempt(attempt_id=attempt.pk, student=student, answers={})


@pytest.fixture
def one_go():
    return make_quiz(questions=[make_question("single")], attempts_allowed=1, slug="one-go")


def test_without_a_grant_the_quiz_limit_stands(student, one_go):
    _fail(student, one_go)
    with pytest.raises(services.AttemptLimitReached):
        services.start_attempt(student=student, quiz=one_go)
    result = selectors.grade_for(student=student, quiz=one_go)
    assert (result.attempts_allowed, result.attempts_left, result.extra_attempts) == (1, 0, 0)
    assert result.out_of_attempts and result.needs_another_go


def test_a_grant_opens_exactly_one_more_attempt(student, teacher, one_go):
    first = _fail(student, one_go)
    services.grant_attempt(student=student, quiz=one_go, granted_by=teacher, reason="Was ill")
    result = selectors.grade_for(student=student, quiz=one_go)
    assert (result.attempts_allowed, result.attempts_left, result.extra_attempts) == (2, 1, 1)
    assert not result.out_of_attempts and result.last_attempt_id == first.pk
    assert selectors.can_start(student=student, quiz=one_go)
    second = services.start_attempt(student=student, quiz=one_go)
    assert second.number == 2 and second.pk != first.pk
    services.submit_attempt(attempt_id=second.pk, student=student, answers={})
    with pytest.raises(services.AttemptLimitReached):  # the limit is now 2, and used
        services.start_attempt(student=student, quiz=one_go)
    services.grant_attempt(student=student, quiz=one_go, granted_by=teacher)  # another grant: one more again
    assert AttemptAllowance.objects.get(student=student, quiz=one_go).extra_attempts == 2
    assert services.start_attempt(student=student, quiz=one_go).number == 3


def test_results_for_reads_the_grant_with_the_attempts_in_one_query(
    student, teacher, one_go, django_assert_num_queries
):
    _fail(student, one_go)
    services.grant_attempt(student=student, quiz=one_go, granted_by=teacher)
    with django_assert_num_queries(1):
        result = selectors.results_for(student_ids=[student.pk], quizzes=[one_go])[(student.pk, one_go.pk)]
    assert (result.attempts_allowed, result.attempts_left) == (2, 1)


def test_the_teachers_view_of_attempts_counts_the_grant(student, teacher, one_go):
    _fail(student, one_go)
    services.grant_attempt(student=student, quiz=one_go, granted_by=teacher)
    _fail(student, one_go)
    latest = selectors.submitted_attempts_with_answers(student_id=student.pk)[0]
    assert (latest.number, latest.attempts_allowed) == (2, 2)  # "attempt 2 of 2", not "of 1"


def test_nothing_is_given_to_a_learner_who_can_still_start_or_has_passed(student, teacher):
    quiz = make_quiz(questions=[make_question("single")], attempts_allowed=2, slug="two-goes")
    with pytest.raises(services.NothingToGive):  # never started
        services.grant_attempt(student=student, quiz=quiz, granted_by=teacher)
    _fail(student, quiz)
    with pytest.raises(services.NothingToGive):  # one attempt left
        services.grant_attempt(student=student, quiz=quiz, granted_by=teacher)
    attempt = services.start_attempt(student=student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt))
    with pytest.raises(services.NothingToGive):  # out of attempts, but passed
        services.grant_attempt(student=student, quiz=quiz, granted_by=teacher)
    unlimited = make_quiz(questions=[make_question("single")], attempts_allowed=0, slug="unlimited")
    _fail(student, unlimited)
    with pytest.raises(services.NothingToGive):
        services.grant_attempt(student=student, quiz=unlimited, granted_by=teacher)
    assert not AttemptAllowance.objects.exists()


def test_two_grants_from_one_reading_give_one_attempt(student, teacher, one_go):
    """A double click, or two teachers at once: both read "out of attempts, none given", and the
    database lets one of them through (the unique row, then the conditional raise)."""
    _fail(student, one_go)
    stale = selectors.grade_for(student=student, quiz=one_go)
    services.grant_attempt(student=student, quiz=one_go, granted_by=teacher)
    with mock.patch.object(selectors, "grade_for", return_value=stale), pytest.raises(services.NothingToGive):
        services.grant_attempt(student=student, quiz=one_go, granted_by=TeacherFactory())
    assert AttemptAllowance.objects.get().extra_attempts == 1
    _fail(student, one_go)  # the one given, used
    stale = selectors.grade_for(student=student, quiz=one_go)
    services.grant_attempt(student=student, quiz=one_go, granted_by=teacher)
    with mock.patch.object(selectors, "grade_for", return_value=stale), pytest.raises(services.NothingToGive):
        services.grant_attempt(student=student, quiz=one_go, granted_by=teacher)
    assert AttemptAllowance.objects.get().extra_attempts == 2


def test_a_grant_on_the_translated_page_counts_on_the_english_quiz(student, teacher, one_go):
    zh = one_go.copy_for_translation(Locale.objects.get_or_create(language_code="zh-hans")[0], copy_parents=True)
    zh.save_revision().publish()
    _fail(student, zh)  # attempts are on the English quiz, whichever page starts them
    with pytest.raises(services.AttemptLimitReached):
        services.start_attempt(student=student, quiz=zh)
    allowance = services.grant_attempt(student=student, quiz=zh, granted_by=teacher)
    assert allowance.quiz_id == one_go.pk
    assert services.start_attempt(student=student, quiz=zh).quiz_id == one_go.pk


def test_a_pre_check_is_never_given_another_attempt(student, teacher):
    precheck = make_quiz(questions=[make_question("single")], slug="precheck", purpose="precheck")
    _fail(student, precheck)
    with pytest.raises(services.NothingToGive):
        services.grant_attempt(student=student, quiz=precheck, granted_by=teacher)


def test_quiz_page_says_no_attempts_left_and_links_the_last_result_until_a_grant(client, student, teacher, one_go):
    last = _fail(student, one_go)
    client.force_login(student)
    html = client.get(one_go.url).content.decode()
    block = html.split('data-testid="no-attempts-left"')[1].split("</div>")[0]
    assert "No attempts left" in block and "Ask your teacher if you would like another go." in block
    assert reverse("quizzes:review", args=[last.pk]) in block
    assert reverse("quizzes:start", args=[one_go.pk]) not in html and "Try again" not in html
    services.grant_attempt(student=student, quiz=one_go, granted_by=teacher)
    html = client.get(one_go.url).content.decode()
    assert 'data-testid="no-attempts-left"' not in html
    assert reverse("quizzes:start", args=[one_go.pk]) in html and "Try again" in html
    assert "Your teacher gave you 1 more attempt." in html
    response = client.post(reverse("quizzes:start", args=[one_go.pk]))
    assert response.status_code == 302 and Attempt.objects.filter(student=student).count() == 2


def test_the_privacy_export_holds_the_grant(student, teacher, one_go):
    _fail(student, one_go)
    services.grant_attempt(student=student, quiz=one_go, granted_by=teacher, reason="Was ill")
    [row] = privacy.attempts_part(student, viewer=None)["quiz_extra_attempts"]
    assert (row["quiz__title"], row["extra_attempts"], row["reason"]) == ("Test quiz", 1, "Was ill")
    assert row["granted_by__username"] == teacher.username


def test_the_grant_goes_with_the_student_and_outlives_the_teacher(student, teacher, one_go):
    _fail(student, one_go)
    services.grant_attempt(student=student, quiz=one_go, granted_by=teacher)
    teacher.delete()
    assert AttemptAllowance.objects.get().granted_by is None
    student.delete()
    assert not AttemptAllowance.objects.exists()
