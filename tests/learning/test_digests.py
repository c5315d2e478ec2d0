from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from jobs.models import Job
from learning import tasks
from learning.family_mail import digests
from learning.models import ItemKind, ProgressStatus
from notifications.models import DeliveryLog
from notifications.services import set_preferences
from tests.accounts.factories import GuardianFactory
from tests.learning.factories import assign, make_course, progress
from tests.schools.factories import ClassroomFactory, link_guardian, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(classroom):
    """A guardian with two linked children and one under-14 child without consent."""
    parent = GuardianFactory(email="parent@example.org", display_name="Mei Parent")
    ann = make_student(classroom, display_name="Ann")
    bo = make_student(classroom, display_name="Bo")
    hidden = make_student(classroom, display_name="Hidden Child", under_14=True)
    for child in (ann, bo):
        link_guardian(child, parent)
    link_guardian(hidden, parent)  # ACTIVE link but no consent recorded: never reported
    course, lessons = make_course(title="Passwords that protect")
    now = timezone.now()
    progress(ann, course, kind=ItemKind.COURSE, course=course, completed_at=now)
    progress(bo, lessons[0], kind=ItemKind.QUIZ, attempts=2, grade_score=85.0, passed=True)
    progress(hidden, course, kind=ItemKind.COURSE, course=course, completed_at=now)
    soon, _ = make_course(title="Spotting rumours")
    assign(classroom, soon, due_at=now + timedelta(days=2))
    return {"parent": parent, "ann": ann, "bo": bo, "course": course}


def test_one_digest_per_guardian_covers_every_linked_consented_child(family):
    run = digests.send_weekly_digests()
    assert run.sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["parent@example.org"]
    text = message.body
    html = message.alternatives[0][0]
    for part in (text, html):
        assert "Ann" in part and "Bo" in part
        assert "Passwords that protect" in part  # finished
        assert "85%" in part  # quiz score
        assert "Spotting rumours" in part  # due soon
        assert "Which apps know where you are?" in part  # talk about it at home
        assert "Hidden Child" not in part
    assert "/notifications/unsubscribe/" in text
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_running_twice_in_the_same_week_sends_nothing_more(family):
    assert digests.send_weekly_digests().sent == 1
    again = digests.send_weekly_digests()
    assert again.sent == 0 and again.skipped == 1
    assert len(mail.outbox) == 1
    week = digests.week_label()
    assert DeliveryLog.objects.filter(key=f"digest:{family['parent'].pk}:{week}").count() == 1


def test_the_command_runs_the_same_code_and_is_idempotent(family, capsys):
    call_command("send_guardian_digests")
    call_command("send_guardian_digests")
    assert len(mail.outbox) == 1
    assert "0 sent, 1 already sent" in capsys.readouterr().out


def test_a_new_week_sends_again(family):
    digests.send_weekly_digests(week="2026-W10")
    digests.send_weekly_digests(week="2026-W11")
    assert len(mail.outbox) == 2


def test_digest_is_in_the_guardians_language(family):
    family["parent"].language = "zh-hans"
    family["parent"].save()
    course = family["course"]
    course.title_zh = "守护密码"
    course.save()
    digests.send_weekly_digests()
    message = mail.outbox[0]
    assert "守护密码" in message.body  # the course's Chinese title
    assert 'lang="zh-hans"' in message.alternatives[0][0]
    for part in (message.body, message.alternatives[0][0]):
        # The result and the due date follow their titles with a Chinese colon.
        assert "：" in part.split("85%")[0].rsplit("\n", 1)[-1] and ": " not in part.split("85%")[0].rsplit("\n", 1)[-1]


def test_unsubscribe_link_in_the_mail_works_without_login(client, family):
    digests.send_weekly_digests(week="2026-W10")
    body = mail.outbox[0].body
    link = next(w for w in body.split() if "/notifications/unsubscribe/" in w)
    path = link.split("testserver", 1)[1]
    assert client.post(path).status_code == 200
    assert digests.send_weekly_digests(week="2026-W11").sent == 0
    assert len(mail.outbox) == 1


def test_opted_out_guardians_and_guardians_without_children_get_nothing(family):
    set_preferences(user=family["parent"], weekly_digest=False)
    GuardianFactory(email="lonely@example.org")
    assert digests.send_weekly_digests().sent == 0
    assert mail.outbox == []


def test_pending_links_are_not_reported(classroom):
    parent = GuardianFactory(email="p@example.org")
    link_guardian(make_student(classroom, display_name="Pending Kid"), parent, active=False)
    digests.send_weekly_digests()
    assert mail.outbox == []


def test_a_mail_server_error_is_retried_and_nothing_is_sent_twice(family, monkeypatch, classroom):
    other = GuardianFactory(email="other@example.org")
    link_guardian(make_student(classroom, display_name="Cy"), other)
    real = digests.render_digest
    calls = {"n": 0}

    def flaky_render(digest):
        calls["n"] += 1
        if digest.guardian.pk == other.pk and calls["n"] <= 2:
            raise ConnectionRefusedError("smtp down")
        return real(digest)

    monkeypatch.setattr(digests, "render_digest", flaky_render)
    first = digests.send_weekly_digests(week="2026-W12")
    assert first.sent == 1 and first.failed == 1
    assert not DeliveryLog.objects.filter(key=f"digest:{other.pk}:2026-W12").exists()
    second = digests.send_weekly_digests(week="2026-W12")
    assert second.sent == 1 and second.skipped == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.org", "parent@example.org"]


def test_the_task_retries_with_backoff_until_the_mail_goes(family, monkeypatch):
    assert tasks.send_weekly_digests.retry_backoff and tasks.send_weekly_digests.max_retries
    real = digests.render_digest
    calls = {"n": 0}

    def flaky_render(digest):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionResetError("smtp went away")
        return real(digest)

    monkeypatch.setattr(digests, "render_digest", flaky_render)
    from jobs.services import enqueue

    job = enqueue("learning.send_weekly_digests", "2026-W13")
    from jobs.services import dispatch

    dispatch(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert len(mail.outbox) == 1


def test_beat_entry_queues_one_run_per_week(family, settings, django_capture_on_commit_callbacks):
    settings.DIGEST_SHARDS = 3
    # Sunday 18:30 in Shanghai (the family's school), then the next hourly beat.
    with freeze_time("2026-11-29 10:30:00"), django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_weekly_digests.apply()
    with freeze_time("2026-11-29 11:00:00"), django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_weekly_digests.apply()
    jobs = Job.objects.filter(task_name="learning.send_weekly_digests")
    assert jobs.count() == 3
    assert {tuple(j.args) for j in jobs} == {("2026-W48", 0, s, 3, "Asia/Shanghai") for s in range(3)}
    assert len(mail.outbox) == 1


def test_shards_together_reach_every_guardian_once(classroom):
    emails = []
    for i in range(7):
        g = GuardianFactory(email=f"s{i}@example.org")
        link_guardian(make_student(classroom), g)
        emails.append(g.email)
    sent = sum(digests.send_weekly_digests(week="2026-W20", shard=s, shards=3).sent for s in range(3))
    assert sent == 7
    assert sorted(m.to[0] for m in mail.outbox) == sorted(emails)


def test_beat_runs_the_scheduler_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["learning-weekly-guardian-digests"]
    assert entry["task"] == "learning.schedule_weekly_digests"
    assert entry["schedule"].minute == {0}
    assert entry["schedule"].hour == set(range(24)) and entry["schedule"].day_of_week == set(range(7))
    assert settings.DIGEST_LOCAL_HOUR == 18


def test_building_digests_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    classroom = ClassroomFactory()
    course, _ = make_course()
    guardians = []
    for i in range(12):
        g = GuardianFactory(email=f"g{i}@example.org")
        child = make_student(classroom)
        link_guardian(child, g)
        progress(child, course, kind=ItemKind.COURSE, status=ProgressStatus.COMPLETED, course=course)
        guardians.append(g)
    with django_assert_max_num_queries(9):
        built = digests.build_digests(guardians, label=digests.week_label())
    assert all(d.children and d.children[0].finished for d in built)


def test_week_label_uses_shanghai_time():
    # Sunday 20:00 UTC is already Monday in Shanghai: a new ISO week.
    sunday_evening_utc = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    assert digests.week_label(sunday_evening_utc) == "2026-W49"


def test_preferences_link_target_exists():
    assert reverse("notifications:preferences")
