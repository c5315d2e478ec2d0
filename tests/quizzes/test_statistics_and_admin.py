"""Item statistics (the minute sweep after submits, per quiz/class/overall) and the editor admin views."""

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from quizzes import selectors, services, statistics, tasks
from quizzes.models import Attempt, ItemStatistic, Question
from tests.accounts.factories import StudentFactory
from tests.quizzes.factories import make_question, make_quiz, perfect_answers

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_compute_facility_discrimination_and_distractors():
    rows = [
        (1, "single", i, pct, frac, choice)
        for i, (pct, frac, choice) in enumerate(
            [(100, 1, 10), (90, 1, 10), (80, 1, 10), (40, 0, 11), (30, 0, 12), (20, 0, 11)]
        )
    ]
    stats = statistics.compute(rows)[1]
    assert stats["responses"] == 6 and stats["facility"] == 0.5
    assert stats["discrimination"] == 1.0
    assert stats["option_counts"] == {"10": 3, "11": 2, "12": 1}


def _submit(quiz, answers=perfect_answers):
    student = StudentFactory()
    attempt = services.start_attempt(student=student, quiz=quiz)
    return services.submit_attempt(attempt_id=attempt.pk, student=student, answers=answers(attempt))


def test_the_sweep_fills_quiz_and_overall_rows_for_quizzes_with_new_attempts():
    from quizzes.signals import item_statistics_updated

    quiz, untouched = make_quiz(), make_quiz(slug="untouched")
    for i in range(3):
        _submit(quiz, perfect_answers if i else (lambda attempt: {}))
    assert not ItemStatistic.objects.exists()  # a submit asks for nothing
    assert statistics.stale_quiz_ids() == [quiz.pk]
    told = []

    def listener(sender, quiz_id, **kwargs):
        told.append(quiz_id)

    item_statistics_updated.connect(listener)
    try:
        assert tasks.refresh_statistics() == 1  # eager here: the rebuild ran in the sweep's call
    finally:
        item_statistics_updated.disconnect(listener)
    assert told == [quiz.pk]  # other apps (learning: per class) rebuild theirs from here
    n_questions = quiz.quiz_questions.count()
    assert ItemStatistic.objects.filter(scope=f"quiz:{quiz.pk}").count() == n_questions
    assert ItemStatistic.objects.filter(scope="all").count() == n_questions
    assert ItemStatistic.objects.count() == 2 * n_questions  # nothing per class: the engine knows no classes
    row = ItemStatistic.objects.filter(scope=f"quiz:{quiz.pk}").first()
    assert row.responses == 3 and abs(row.facility - 2 / 3) < 1e-9
    rows = selectors.item_statistics_overall(quiz_id=quiz.pk)
    assert len(rows) == n_questions and rows[0]["options"]
    assert not ItemStatistic.objects.filter(quiz=untouched).exists()


def test_a_quiz_is_stale_until_its_statistics_count_its_newest_attempt():
    quiz = make_quiz()
    first = _submit(quiz)
    statistics.recompute_for_quiz(quiz_id=quiz.pk)
    # Just computed, but within the margin of the newest submit: one more rebuild, in case the
    # first read the responses before that attempt committed.
    assert statistics.stale_quiz_ids() == [quiz.pk]
    stamped = first.submitted_at + statistics.SWEEP_MARGIN + timedelta(seconds=1)
    ItemStatistic.objects.filter(quiz=quiz).update(computed_at=stamped)
    assert statistics.stale_quiz_ids(now=stamped) == []
    later = stamped + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        _submit(quiz)
    assert statistics.stale_quiz_ids(now=later) == [quiz.pk]
    assert statistics.stale_quiz_ids(now=later + statistics.SWEEP_WINDOW + timedelta(seconds=1)) == []


def test_an_ordinary_submit_asks_for_no_statistics_but_one_graded_after_its_deadline_does(
    django_capture_on_commit_callbacks,
):
    quiz = make_quiz(time_limit_minutes=5)
    with mock.patch("quizzes.services.publish_best_effort") as publish:
        with django_capture_on_commit_callbacks(execute=True):
            _submit(quiz)
    assert not any(c.args[0] == "quizzes.tasks.recompute_item_statistics" for c in publish.call_args_list)
    student = StudentFactory()
    attempt = services.start_attempt(student=student, quiz=quiz)
    later = attempt.deadline + services.GRACE + timedelta(minutes=10)
    with mock.patch("quizzes.services.publish_best_effort") as publish:
        with django_capture_on_commit_callbacks(execute=True):
            assert services.close_all_expired(now=later) == 1
    # Its submit time is the deadline, in the past: the sweep could sort it before statistics
    # computed since, so it asks for its quiz's rebuild itself.
    publish.assert_called_once_with("quizzes.tasks.recompute_item_statistics", quiz.pk)
    assert Attempt.objects.get(pk=attempt.pk).submitted_at < later - statistics.SWEEP_MARGIN


def test_scored_answers_carry_what_per_group_statistics_need():
    quiz = make_quiz()
    students = [StudentFactory() for _ in range(2)]
    for i, student in enumerate(students):
        attempt = services.start_attempt(student=student, quiz=quiz)
        services.submit_attempt(attempt_id=attempt.pk, student=student, answers=perfect_answers(attempt) if i else {})
    answers = selectors.scored_answers(quiz_id=quiz.pk)
    n_questions = quiz.quiz_questions.count()
    assert len(answers) == 2 * n_questions
    assert {a.student_id for a in answers} == {s.pk for s in students}
    mine = [a for a in answers if a.student_id == students[1].pk]
    assert all(a.fraction == 1.0 and a.attempt_percent == 100.0 for a in mine)
    single = [a for a in mine if a.qtype == "single"]
    assert single and all(len(a.chosen_ids) == 1 for a in single)
    stats = selectors.item_statistics_of(answers)
    assert set(stats) == {a.question_id for a in answers}
    assert all(s["responses"] == 2 and s["facility"] == 0.5 for s in stats.values())


def test_admin_upload_preview_confirm(editor_client):
    url = reverse("quizzes_import")
    with open(DATA / "teacher.gift", "rb") as fh:
        preview = editor_client.post(url, {"file": fh, "format": "", "tags": "scams"})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Phishing sign" in html and "numerical" in html
    assert "would import 8, skipped 1 (line 27, &#x27;Essay&#x27; (essay)" in html  # the dry-run summary
    assert Question.objects.count() == 0  # preview writes nothing
    token = preview.context["token"]
    done = editor_client.post(url, {"token": token})
    assert done.status_code == 302
    assert Question.objects.count() == 8
    assert set(Question.objects.first().tags.names()) == {"scams"}


def test_admin_preview_names_skipped_questions_and_offers_the_rest(editor_client, tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_text("::Good::ok {=a ~b}\n\n::Broken::oops {=a ~b\n")
    with open(bad, "rb") as fh:
        preview = editor_client.post(reverse("quizzes_import"), {"file": fh})
    html = preview.content.decode()
    assert "line 3" in html and "Broken" in html and "token" in preview.context
    assert Question.objects.count() == 0


def test_admin_preview_of_an_unreadable_file_offers_no_import(editor_client, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<?xml version='1.0'?>\n<quiz>\n<question>\n</quiz>")
    with open(bad, "rb") as fh:
        preview = editor_client.post(reverse("quizzes_import"), {"file": fh})
    assert "malformed XML" in preview.content.decode() and "token" not in preview.context


def test_admin_tampered_token_imports_nothing(editor_client):
    response = editor_client.post(reverse("quizzes_import"), {"token": "forged"})
    assert response.status_code == 302 and Question.objects.count() == 0


def test_admin_export_and_stats_pages(editor_client):
    make_question("redflags", title="Flags", scenario="Hi")
    xml = editor_client.get(reverse("quizzes_export") + "?format=moodle-xml")
    assert xml.status_code == 200 and b"netwise-type:redflags" in xml.content
    assert editor_client.get(reverse("quizzes_stats")).status_code == 200
    assert editor_client.get(reverse("wagtailsnippets_quizzes_question:list")).status_code == 200


def test_students_cannot_reach_admin_import(client, student):
    client.force_login(student)
    assert client.get(reverse("quizzes_import")).status_code in (302, 403)


def test_editor_can_build_a_quiz_page_from_the_bank_in_wagtail(client, django_user_model):
    from tests.quizzes.factories import make_course

    course = make_course()
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "netwise-demo-pass")
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", course.pk]))
    assert response.status_code == 200
    assert b"quiz_questions" in response.content
