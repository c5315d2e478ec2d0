"""Weekly digests go out on Sunday evening in each school's own time zone."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from jobs.models import Job
from learning import tasks
from learning.family_mail import digests
from learning.models import ItemKind, ProgressStatus
from notifications.models import DeliveryLog
from schools.models import GuardianLink, School
from tests.accounts.factories import GuardianFactory
from tests.learning.factories import make_course, progress
from tests.schools.factories import ClassroomFactory, SchoolFactory, link_guardian, make_student

pytestmark = pytest.mark.django_db

# Sunday 29 November 2026 (ISO week 2026-W48). London is on GMT (UTC+0), Shanghai UTC+8.
SHANGHAI_SUNDAY_1830 = "2026-11-29 10:30:00"  # 10:30 in London
LONDON_SUNDAY_1830 = "2026-11-29 18:30:00"  # already Monday 02:30 (W49) in Shanghai


@pytest.fixture
def two_schools():
    london = ClassroomFactory(school=SchoolFactory(name="Thames", slug="thames", timezone="Europe/London"))
    shanghai = ClassroomFactory(school=SchoolFactory(name="Huangpu", slug="huangpu", timezone="Asia/Shanghai"))
    london_parent = link_guardian(make_student(london), GuardianFactory(email="london@example.org"))
    shanghai_parent = link_guardian(make_student(shanghai), GuardianFactory(email="shanghai@example.org"))
    return {
        "london": london,
        "shanghai": shanghai,
        "london_parent": london_parent,
        "shanghai_parent": shanghai_parent,
    }


def beat(when, capture):
    """One hourly beat at `when` (UTC), running whatever it enqueues (eager Celery)."""
    with freeze_time(when), capture(execute=True):
        tasks.schedule_weekly_digests.apply()


def digest_jobs():
    return Job.objects.filter(task_name="learning.send_weekly_digests")


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def test_sunday_1830_in_shanghai_schedules_only_shanghai(two_schools, settings, django_capture_on_commit_callbacks):
    settings.DIGEST_SHARDS = 2
    beat(SHANGHAI_SUNDAY_1830, django_capture_on_commit_callbacks)
    assert {(j.args[0], j.args[4]) for j in digest_jobs()} == {("2026-W48", "Asia/Shanghai")}
    assert sorted(j.dedupe_key for j in digest_jobs()) == [
        "digests:Asia/Shanghai:2026-W48:0/2",
        "digests:Asia/Shanghai:2026-W48:1/2",
    ]
    assert recipients() == ["shanghai@example.org"]
    parent = two_schools["shanghai_parent"]
    assert DeliveryLog.objects.filter(key=f"digest:{parent.pk}:2026-W48").exists()


def test_sunday_1830_in_london_schedules_only_london(two_schools, settings, django_capture_on_commit_callbacks):
    settings.DIGEST_SHARDS = 1
    beat(LONDON_SUNDAY_1830, django_capture_on_commit_callbacks)
    assert [(j.args[0], j.args[4], j.dedupe_key) for j in digest_jobs()] == [
        ("2026-W48", "Europe/London", "digests:Europe/London:2026-W48")
    ]
    assert recipients() == ["london@example.org"]


def test_nothing_is_scheduled_before_the_local_hour(two_schools, settings, django_capture_on_commit_callbacks):
    beat("2026-11-29 09:00:00", django_capture_on_commit_callbacks)  # 17:00 Shanghai, 09:00 London
    beat("2026-11-28 18:30:00", django_capture_on_commit_callbacks)  # Saturday evening in London
    assert not digest_jobs().exists()
    settings.DIGEST_LOCAL_HOUR = 17
    beat("2026-11-29 09:00:00", django_capture_on_commit_callbacks)
    assert {j.args[4] for j in digest_jobs()} == {"Asia/Shanghai"}


def test_hourly_reruns_enqueue_nothing_more_and_nobody_gets_two(
    two_schools, settings, django_capture_on_commit_callbacks
):
    settings.DIGEST_SHARDS = 3
    # Every hourly beat of the whole weekend, Saturday noon to Monday noon UTC.
    for day, hours in ((28, range(12, 24)), (29, range(24)), (30, range(12))):
        for hour in hours:
            beat(f"2026-11-{day} {hour:02d}:00:00", django_capture_on_commit_callbacks)
    # One run (three shards) per zone for the week, and one mail per guardian.
    assert sorted(j.dedupe_key for j in digest_jobs()) == sorted(
        f"digests:{tz}:2026-W48:{s}/3" for tz in ("Asia/Shanghai", "Europe/London") for s in range(3)
    )
    assert recipients() == ["london@example.org", "shanghai@example.org"]
    # The command later that Sunday in London: London is still in W48 and already has its
    # digest; Shanghai is in W49 by then, a new week.
    with freeze_time("2026-11-29 20:00:00"):
        call_command("send_guardian_digests", "--timezone", "Europe/London")
    assert len(mail.outbox) == 2


def test_the_command_sends_everyone_their_own_week_once(two_schools, capsys):
    with freeze_time(LONDON_SUNDAY_1830):
        call_command("send_guardian_digests")
        call_command("send_guardian_digests")
    out = capsys.readouterr().out.splitlines()
    # Everyone, each in their own week: London W48, Shanghai already W49.
    assert out[0] == "Week 2026-W48, 2026-W49: 2 sent, 0 already sent, 0 failed."
    assert out[1] == "Week 2026-W48, 2026-W49: 0 sent, 2 already sent, 0 failed."
    london, shanghai = two_schools["london_parent"], two_schools["shanghai_parent"]
    keys = set(DeliveryLog.objects.filter(key__startswith="digest:").values_list("key", flat=True))
    assert keys == {f"digest:{london.pk}:2026-W48", f"digest:{shanghai.pk}:2026-W49"}


def test_the_command_can_be_restricted_to_one_zone(two_schools, capsys):
    with freeze_time(SHANGHAI_SUNDAY_1830):
        call_command("send_guardian_digests", "--timezone", "Europe/London")
        call_command("send_guardian_digests", "--timezone", "Europe/London")
    assert recipients() == ["london@example.org"]
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Week 2026-W48 (Europe/London): 1 sent, 0 already sent, 0 failed.",
        "Week 2026-W48 (Europe/London): 0 sent, 1 already sent, 0 failed.",
    ]
    with pytest.raises(CommandError, match="not a known time zone"):
        call_command("send_guardian_digests", "--timezone", "Mars/Olympus")


def test_a_guardian_with_children_in_two_zones_follows_the_earliest_active_link(two_schools):
    parent = GuardianFactory(email="both@example.org")
    shanghai_child = make_student(two_schools["shanghai"], display_name="Xiaoming")
    london_child = make_student(two_schools["london"], display_name="Oliver")
    revoked_child = make_student(two_schools["shanghai"], display_name="Revoked Child")
    link_guardian(shanghai_child, parent)
    link_guardian(london_child, parent)
    link_guardian(revoked_child, parent)
    links = GuardianLink.objects.filter(guardian=parent)
    links.filter(student=revoked_child).update(
        state=GuardianLink.State.REVOKED, created_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    links.filter(student=london_child).update(created_at=datetime(2025, 6, 1, tzinfo=UTC))
    links.filter(student=shanghai_child).update(created_at=datetime(2025, 9, 1, tzinfo=UTC))

    def zone():
        return digests.guardians_for_digest().get(pk=parent.pk).digest_tz

    assert zone() == "Europe/London"  # the revoked older link does not count
    with freeze_time(SHANGHAI_SUNDAY_1830):
        assert digests.send_weekly_digests(tz="Asia/Shanghai").sent == 1  # the Shanghai parent only
        assert "both@example.org" not in recipients()
    with freeze_time(LONDON_SUNDAY_1830):
        run = digests.send_weekly_digests(tz="Europe/London")
    assert run.sent == 2 and "both@example.org" in recipients()
    # One digest covering both children, whatever their schools.
    message = next(m for m in mail.outbox if m.to == ["both@example.org"])
    assert "Xiaoming" in message.body and "Oliver" in message.body
    assert "Revoked Child" not in message.body

    links.filter(student=london_child).update(state=GuardianLink.State.REVOKED)
    assert zone() == "Asia/Shanghai"


def test_a_guardian_whose_children_have_no_school_is_in_the_site_zone(settings):
    from tests.accounts.factories import StudentFactory

    parent = link_guardian(StudentFactory(), GuardianFactory(email="p@example.org"))
    assert digests.guardians_for_digest().get(pk=parent.pk).digest_tz == settings.TIME_ZONE


def test_a_school_with_an_unknown_stored_zone_counts_as_the_site_zone(two_schools, caplog):
    # Saved before School.timezone was validated (queryset update skips validation).
    School.objects.filter(slug="thames").update(timezone="Europe/Atlantis")
    with freeze_time(SHANGHAI_SUNDAY_1830):
        assert [tz for tz, _ in digests.zones_due()] == ["Asia/Shanghai"]
        run = digests.send_weekly_digests(tz="Asia/Shanghai")
    assert run.sent == 2
    assert "Europe/Atlantis" in caplog.text


def test_week_label_and_bounds_are_in_the_given_zone():
    sunday_evening_utc = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    assert digests.week_label(sunday_evening_utc, "Europe/London") == "2026-W48"
    assert digests.week_label(sunday_evening_utc, "Asia/Shanghai") == "2026-W49"
    start, end = digests.week_bounds("2026-W48", "Europe/London")
    assert (start, end) == (datetime(2026, 11, 23, 0, 0, tzinfo=UTC), datetime(2026, 11, 30, 0, 0, tzinfo=UTC))
    start, _ = digests.week_bounds("2026-W48", "Asia/Shanghai")
    assert start == datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
    # A week with a clock change (London goes to summer time on Sunday 29 March 2026).
    assert digests.week_bounds("2026-W13", "Europe/London") == (
        datetime(2026, 3, 23, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 23, 0, tzinfo=UTC),
    )


def test_the_local_hour_follows_summer_time(two_schools):
    # 29 March 2026: London's clocks go forward at 01:00 UTC; 17:00 UTC is 18:00 BST.
    with freeze_time("2026-03-29 16:00:00"):
        assert digests.zones_due() == []
    with freeze_time("2026-03-29 17:00:00"):
        assert digests.zones_due() == [("Europe/London", "2026-W13")]


def _batch_queries(monkeypatch, **kwargs):
    """Queries of one run with the sending itself left out: the per-batch cost."""
    monkeypatch.setattr(digests.SendOnceMailer, "send_once", lambda self, key, build, *, recipient: False)
    with CaptureQueriesContext(connection) as ctx:
        run = digests.send_weekly_digests(**kwargs)
    return len(ctx.captured_queries), run


@pytest.mark.parametrize("tz", ["Europe/London", None])
def test_queries_per_batch_do_not_grow_with_guardians(two_schools, monkeypatch, tz):
    course, _ = make_course()
    done_at = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    count = iter(range(1000))

    def add_families(n):
        for _ in range(n):
            for zone in ("london", "shanghai"):
                child = make_student(two_schools[zone])
                link_guardian(child, GuardianFactory(email=f"{zone}{next(count)}@example.org"))
                progress(child, course, kind=ItemKind.COURSE, status=ProgressStatus.COMPLETED, completed_at=done_at)

    add_families(2)
    with freeze_time(SHANGHAI_SUNDAY_1830):
        few, run = _batch_queries(monkeypatch, tz=tz)
    assert run.guardians == (3 if tz else 6)
    add_families(20)
    with freeze_time(SHANGHAI_SUNDAY_1830):
        many, run = _batch_queries(monkeypatch, tz=tz)
    assert run.guardians == (23 if tz else 46)
    assert many == few


def test_building_one_zones_digests_takes_a_fixed_number_of_queries(two_schools, django_assert_max_num_queries):
    guardians = [two_schools["london_parent"]]
    for i in range(10):
        guardians.append(link_guardian(make_student(two_schools["london"]), GuardianFactory(email=f"x{i}@example.org")))
    with django_assert_max_num_queries(9):
        built = digests.build_digests(guardians, label="2026-W48", tz="Europe/London")
    assert all(d.children for d in built)
