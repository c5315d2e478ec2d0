"""Regrading (quizzes.regrade): an editor's corrected key reaches the attempts already taken,
once, and only where the learners' answers still fit the question."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jobs.models import Job
from quizzes import regrade, services
from quizzes.models import Attempt, Choice, Regrade, Response
from quizzes.privacy import attempts_part
from quizzes.signals import attempts_regraded
from quizzes.statistics import recompute_for_quiz
from tests.accounts.factories import StudentFactory, TeacherFactory
from tests.quizzes.factories import fix_key, make_question, make_quiz

pytestmark = pytest.mark.django_db


def _submitted(student, quiz, answers):
    attempt = services.start_attempt(student=student, quiz=quiz)
    return services.submit_attempt(attempt_id=attempt.pk, student=student, answers=answers)


@pytest.fixture
def world(db):
    """A two-question quiz (pass mark 60%) taken by two learners, then a key found wrong."""
    wrong_key, fine = make_question("single", title="Wrong key"), make_question("truefalse", title="Fine")
    quiz = make_quiz(questions=[wrong_key, fine], pass_mark=60)
    was, now = wrong_key.choices.get(correct=True), wrong_key.choices.filter(correct=False).order_by("sort_order")[0]
    fine_right = fine.choices.get(correct=True).pk
    trusted, doubted = StudentFactory(), StudentFactory()
    # One learner went with the (wrong) key, the other with the truly right option.
    lucky = _submitted(trusted, quiz, {wrong_key.pk: was.pk, fine.pk: fine_right})
    unlucky = _submitted(doubted, quiz, {wrong_key.pk: now.pk, fine.pk: fine_right})
    assert (lucky.percent, lucky.passed, unlucky.percent, unlucky.passed) == (100, True, 50, False)
    fix_key(wrong_key)
    return {"quiz": quiz, "question": wrong_key, "lucky": lucky, "unlucky": unlucky}


def _result(attempt):
    attempt = Attempt.objects.get(pk=attempt.pk)
    return attempt.score, attempt.percent, attempt.passed


def test_the_preview_counts_what_would_change_and_writes_nothing(world):
    outcome = regrade.preview(world["quiz"])
    assert (outcome.checked, outcome.outdated, outcome.rescored, outcome.pass_changed) == (2, 2, 2, 2)
    assert outcome.questions == {world["question"].pk: 2} and outcome.kept == {}
    assert _result(world["lucky"]) == (Decimal("2.0000"), Decimal("100.00"), True)
    assert _result(world["unlucky"]) == (Decimal("1.0000"), Decimal("50.00"), False)


def test_a_regrade_marks_the_attempts_taken_with_the_corrected_key(world):
    heard = []
    attempts_regraded.connect(lambda **kw: heard.append(kw), weak=False, dispatch_uid="test-regrade")
    try:
        outcome = regrade.regrade(world["quiz"])
    finally:
        attempts_regraded.disconnect(dispatch_uid="test-regrade")
    assert (outcome.rescored, outcome.pass_changed) == (2, 2)
    assert _result(world["lucky"]) == (Decimal("1.0000"), Decimal("50.00"), False)
    assert _result(world["unlucky"]) == (Decimal("2.0000"), Decimal("100.00"), True)
    scores = {
        (r.attempt_id, r.question_id): r.score
        for r in Response.objects.filter(attempt__quiz=world["quiz"], question=world["question"])
    }
    assert scores == {
        (world["lucky"].pk, world["question"].pk): Decimal("0.0000"),
        (world["unlucky"].pk, world["question"].pk): Decimal("1.0000"),
    }
    for attempt in Attempt.objects.filter(quiz=world["quiz"]):
        assert attempt.regraded_at is not None
        assert services._drawn_keys(attempt) == services.bank_keys(attempt.question_ids)  # the review marks with it
    assert heard and heard[0]["quiz_id"] == world["quiz"].pk
    assert set(heard[0]["student_ids"]) == {world["lucky"].student_id, world["unlucky"].student_id}


def test_a_second_regrade_changes_nothing(world):
    regrade.regrade(world["quiz"])
    stamps = dict(Attempt.objects.values_list("pk", "regraded_at"))
    again = regrade.regrade(world["quiz"])
    assert (again.checked, again.outdated, again.rescored) == (2, 0, 0)
    assert dict(Attempt.objects.values_list("pk", "regraded_at")) == stamps


def test_an_open_attempt_is_graded_with_the_corrected_key_when_submitted(student):
    question = make_question("single")
    quiz = make_quiz(questions=[question])
    attempt = services.start_attempt(student=student, quiz=quiz)
    was, now = fix_key(question)
    outcome = regrade.regrade(quiz)
    assert (outcome.outdated, outcome.rescored) == (1, 0)
    done = services.submit_attempt(attempt_id=attempt.pk, student=student, answers={question.pk: now.pk})
    assert done.score == Decimal("1.0000") and done.regraded_at is None


def test_a_submit_graded_while_a_regrade_corrects_its_attempt_is_graded_again_with_the_correction(student, monkeypatch):
    # The submit reads the attempt and grades it without a lock. A regrade that replaces a key of
    # that open attempt in between used to lose to it: the close wrote the old key's result under
    # the corrected layout, and no later regrade saw anything to correct.
    question = make_question("single")
    quiz = make_quiz(questions=[question])
    attempt = services.start_attempt(student=student, quiz=quiz)
    was, now = fix_key(question)
    grade_and_close, regrades = services._grade_and_close, []

    def regrade_first(*args, **kwargs):
        if not regrades:
            regrades.append(regrade.regrade(quiz))  # lands between the submit's read and its write
        return grade_and_close(*args, **kwargs)

    monkeypatch.setattr(services, "_grade_and_close", regrade_first)
    done = services.submit_attempt(attempt_id=attempt.pk, student=student, answers={question.pk: now.pk})
    assert regrades[0].outdated == 1
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (done.score, stored.score, stored.layout_version) == (Decimal("1.0000"), Decimal("1.0000"), 1)
    assert Response.objects.get(attempt=attempt).score == Decimal("1.0000")
    assert regrade.preview(quiz).outdated == 0


def test_a_question_whose_options_changed_keeps_the_key_its_answers_were_graded_with(student):
    question, other = make_question("single", title="Reworded"), make_question("single", title="Fixed")
    quiz = make_quiz(questions=[question, other])
    right, other_right = question.choices.get(correct=True), other.choices.get(correct=True)
    done = _submitted(student, quiz, {question.pk: right.pk, other.pk: other_right.pk})
    # The editor added an option to one question (answers to it no longer fit) and fixed the other.
    Choice.objects.create(question=question, text="A new option", correct=False, sort_order=9)
    fix_key(other)
    outcome = regrade.regrade(quiz)
    assert outcome.kept == {question.pk: 1} and outcome.questions == {other.pk: 1}
    assert _result(done) == (Decimal("1.0000"), Decimal("50.00"), False)  # only the fixed question moved
    kept = {entry["q"]: entry["k"] for entry in Attempt.objects.get(pk=done.pk).layout}
    assert len(kept[question.pk][3]) == 3  # still the three options it was answered with


def test_the_learners_progress_follows_a_regrade(world):
    from learning.models import Progress
    from learning.progress import services as progress

    for attempt in (world["lucky"], world["unlucky"]):
        progress.sync_quiz_by_id(student_id=attempt.student_id, quiz_id=world["quiz"].pk)
    regrade.regrade(world["quiz"])
    best = dict(Progress.objects.filter(page_id=world["quiz"].pk).values_list("student_id", "best_score"))
    assert best == {world["lucky"].student_id: Decimal("50.00"), world["unlucky"].student_id: Decimal("100.00")}


def test_the_learner_is_told_on_the_result_page(client, world):
    regrade.regrade(world["quiz"])
    client.force_login(world["unlucky"].student)
    page = client.get(reverse("quizzes:review", args=[world["unlucky"].pk])).content.decode()
    assert 'data-testid="regraded"' in page and "answer key" in page
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("quizzes:review", args=[world["unlucky"].pk])).content.decode()
    assert "参考答案有错误，现在已经改正" in chinese
    client.cookies["django_language"] = "en"
    # "Everything we hold about you" says so too.
    exported = attempts_part(world["unlucky"].student, viewer=world["unlucky"].student)["quiz_attempts"]
    assert [row["regraded_at"] is not None for row in exported] == [True]
    other = _submitted(world["unlucky"].student, world["quiz"], {})
    assert 'data-testid="regraded"' not in client.get(reverse("quizzes:review", args=[other.pk])).content.decode()


def test_a_moderator_previews_then_asks_a_worker_to_regrade(
    moderator_client, world, django_capture_on_commit_callbacks
):
    editor_client = moderator_client
    url = reverse("quizzes_regrade", args=[world["quiz"].pk])
    recompute_for_quiz(quiz_id=world["quiz"].pk)
    assert url in editor_client.get(reverse("quizzes_stats")).content.decode()  # "Check the grading"
    page = editor_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 attempts were graded with an earlier answer key" in html and "Wrong key" in html
    assert "2 of them would change between passed and not passed" in html
    with django_capture_on_commit_callbacks(execute=True):
        done = editor_client.post(url)
    assert done.status_code == 302
    run = Regrade.objects.get(quiz=world["quiz"])
    job = Job.objects.get(task_name="quizzes.regrade_quiz")
    assert job.args == [run.pk] and job.requested_by == run.requested_by
    # The test settings run tasks eagerly once the request's transaction commits: the run has
    # finished and says what it changed.
    run.refresh_from_db()
    assert (run.checked, run.outdated, run.rescored, run.pass_changed) == (2, 2, 2, 2) and run.finished_at
    after = editor_client.get(url).content.decode()
    assert "Nothing to regrade: all 2 attempts" in after and "Regrades of this quiz" in after


def test_a_run_whose_job_failed_for_good_is_tried_again_when_asked(
    moderator_client, world, django_capture_on_commit_callbacks
):
    """A worker gave up on the run (its retries spent): the waiting run no longer blocks the quiz.
    The page says it failed and offers to try again, even once the attempts show nothing left to
    change (it failed after writing them); asking again hands the same run to a worker."""
    url = reverse("quizzes_regrade", args=[world["quiz"].pk])
    moderator_client.post(url)  # on_commit not run here: the run waits, as if its worker died
    run = Regrade.objects.get(quiz=world["quiz"])
    job = Job.objects.get(task_name="quizzes.regrade_quiz", args=[run.pk])
    waiting = moderator_client.get(url).content.decode()
    assert "Waiting for a worker" in waiting and "Try the regrade again" not in waiting

    regrade._run(world["quiz"], write=True, now=run.requested_at, run=run)  # the tries wrote it all...
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, last_error="OperationalError")  # ...then died
    page = moderator_client.get(url).content.decode()
    assert "Nothing to regrade" in page and "The last regrade failed" in page and "Try the regrade again" in page
    assert "Failed before it finished" in page and "Waiting for a worker" not in page

    with django_capture_on_commit_callbacks(execute=True):
        answer = moderator_client.post(url, follow=True).content.decode()
    assert "Regrading has started" in answer and "already waiting" not in answer
    run.refresh_from_db()
    assert run.finished_at is not None and (run.rescored, run.pass_changed) == (2, 2)
    assert Regrade.objects.filter(quiz=world["quiz"]).count() == 1
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE
    assert "Try the regrade again" not in moderator_client.get(url).content.decode()


def test_a_finished_run_is_not_run_again(world, editor):
    run, _ = regrade.request(quiz=world["quiz"], user=editor)
    regrade.perform(run.pk)
    first = Regrade.objects.get(pk=run.pk).finished_at
    Attempt.objects.filter(pk=world["lucky"].pk).update(score=Decimal("7"))  # would show a rerun
    regrade.perform(run.pk)
    assert Regrade.objects.get(pk=run.pk).finished_at == first
    assert Attempt.objects.get(pk=world["lucky"].pk).score == Decimal("7")


@pytest.mark.parametrize("who", ["student", "teacher", "anonymous", "question editor"])
def test_only_those_who_may_publish_reach_a_regrade(request, client, world, who):
    """A question editor without the right to publish (add_regrade: Moderators) cannot regrade."""
    if who == "question editor":
        client = request.getfixturevalue("editor_client")
        recompute_for_quiz(quiz_id=world["quiz"].pk)
        stats = client.get(reverse("quizzes_stats")).content.decode()
        assert "Wrong key" in stats and "Check the grading" not in stats
    elif who == "student":
        client.force_login(world["lucky"].student)
    elif who == "teacher":
        client.force_login(TeacherFactory())
    url = reverse("quizzes_regrade", args=[world["quiz"].pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert not Regrade.objects.exists() and not Job.objects.filter(task_name="quizzes.regrade_quiz").exists()
    assert _result(world["lucky"])[2] is True  # nothing regraded


def test_a_run_cut_short_then_retried_counts_every_change_once_and_brings_progress_along(world, editor, monkeypatch):
    """A worker's first try dies after the attempts were written (SQLite's "database is locked",
    say): the retry finds nothing left to change, yet the run's figures and the learners'
    progress still account for everything the first try did."""
    from django.db import OperationalError

    from learning.models import Progress
    from learning.progress import services as progress

    for attempt in (world["lucky"], world["unlucky"]):
        progress.sync_quiz_by_id(student_id=attempt.student_id, quiz_id=world["quiz"].pk)
    run, _ = regrade.request(quiz=world["quiz"], user=editor)
    told, follow = [], regrade._follow

    def dies_first_time(quiz, student_ids):
        told.append(student_ids)
        if len(told) == 1:
            raise OperationalError("database is locked")
        follow(quiz, student_ids)

    monkeypatch.setattr(regrade, "_follow", dies_first_time)
    with pytest.raises(OperationalError):
        regrade.perform(run.pk)
    assert Regrade.objects.get(pk=run.pk).finished_at is None
    run = regrade.perform(run.pk)
    assert (run.checked, run.outdated, run.rescored, run.pass_changed) == (2, 2, 2, 2) and run.finished_at
    assert told[1] == sorted([world["lucky"].student_id, world["unlucky"].student_id])
    best = dict(Progress.objects.filter(page_id=world["quiz"].pk).values_list("student_id", "best_score"))
    assert best == {world["lucky"].student_id: Decimal("50.00"), world["unlucky"].student_id: Decimal("100.00")}


def _saved_by(user, question, change):
    """Run the question editor's hooks around `change`, as Wagtail's snippet edit view does around
    a save; the messages the editor would see."""
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from quizzes.wagtail_hooks import offer_a_regrade, remember_the_key

    request = RequestFactory().post("/admin/snippets/quizzes/question/edit/")
    request.user, request.session = user, {}
    request._messages = FallbackStorage(request)
    remember_the_key(request, question)
    change()
    assert offer_a_regrade(request, question) is None  # Wagtail's own redirect goes ahead
    return [str(m) for m in get_messages(request)]


def test_saving_a_changed_key_points_a_moderator_at_the_quizzes_to_regrade(world, editor):
    from django.contrib.auth.models import Permission

    question = world["question"]
    said = _saved_by(editor, question, lambda: None)
    assert said == []  # saved without a change to the key: nothing to say
    said = _saved_by(editor, question, lambda: fix_key(question))
    assert len(said) == 1 and "ask a moderator" in said[0] and "Test quiz" in said[0]
    editor.user_permissions.add(Permission.objects.get(codename="add_regrade"))
    editor = type(editor).objects.get(pk=editor.pk)
    said = _saved_by(editor, question, lambda: fix_key(question))
    assert f'<a href="{reverse("quizzes_regrade", args=[world["quiz"].pk])}">Test quiz</a>' in said[0]


def test_the_teacher_and_the_parent_see_that_a_result_was_regraded(client, world):
    from tests.accounts.factories import GuardianFactory
    from tests.schools.factories import ClassroomFactory, EnrollmentFactory, link_guardian

    teacher, parent = TeacherFactory(), GuardianFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    pupil = world["unlucky"].student
    EnrollmentFactory(classroom=classroom, student=pupil)
    link_guardian(pupil, parent)
    drill_down = reverse("learning:student_detail", args=[classroom.pk, pupil.pk])
    client.force_login(teacher)
    assert 'data-testid="regraded"' not in client.get(drill_down).content.decode()
    regrade.regrade(world["quiz"])
    html = client.get(drill_down).content.decode()
    assert 'data-testid="regraded"' in html and "after a correction to the quiz" in html
    client.force_login(parent)
    html = client.get(reverse("learning:guardian_child", args=[pupil.pk])).content.decode()
    assert 'data-testid="regraded"' in html


def test_a_preview_with_nothing_to_regrade_reads_no_answers(world, django_assert_num_queries):
    """Three queries a chunk at most (attempts, keys, answers), and no answers at all when no key
    reaches them: the ids, the attempts, the bank's keys."""
    regrade.regrade(world["quiz"])
    for _ in range(5):
        _submitted(StudentFactory(), world["quiz"], {})
    with django_assert_num_queries(3):
        outcome = regrade.preview(world["quiz"])
    assert (outcome.checked, outcome.outdated) == (7, 0)


def test_a_double_click_asks_for_one_run(moderator_client, world, editor):
    url = reverse("quizzes_regrade", args=[world["quiz"].pk])
    moderator_client.post(url)  # the worker never ran (on_commit not run here): it waits
    again = moderator_client.post(url, follow=True).content.decode()
    assert "already waiting for a worker" in again
    assert Regrade.objects.filter(quiz=world["quiz"]).count() == 1
    assert Job.objects.filter(task_name="quizzes.regrade_quiz").count() == 1
    # Once that run has finished, a new request makes a new run.
    regrade.perform(Regrade.objects.get().pk)
    run, started = regrade.request(quiz=world["quiz"], user=editor)
    assert started and Regrade.objects.filter(quiz=world["quiz"]).count() == 2
