from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from learning import tasks
from learning.family_mail import reminders
from learning.models import ItemKind
from notifications.models import Notification
from notifications.services import set_preferences
from tests.accounts.factories import GuardianFactory
from tests.learning.factories import assign, make_course, progress
from tests.schools.factories import link_guardian, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_tomorrow(classroom):
    course, _ = make_course(title="Healthy screen time")
    return assign(classroom, course, due_at=timezone.now() + timedelta(hours=20))


def due_notices(user):
    return Notification.objects.filter(user=user, kind=Notification.Kind.DUE_SOON)


def test_students_get_one_notice_the_day_before(pupil, due_tomorrow):
    run = reminders.send_due_reminders()
    assert run.notices == 1
    notice = due_notices(pupil).get()
    assert "Healthy screen time" in notice.title
    reminders.send_due_reminders()
    tasks.send_due_reminders.apply()
    assert due_notices(pupil).count() == 1  # once, however often the task runs


def test_not_reminded_too_early_or_after_finishing(classroom, pupil):
    later, _ = make_course(title="Later")
    assign(classroom, later, due_at=timezone.now() + timedelta(days=3))
    done, _ = make_course(title="Done already")
    assign(classroom, done, due_at=timezone.now() + timedelta(hours=5))
    progress(pupil, done, kind=ItemKind.COURSE)
    assert reminders.send_due_reminders().notices == 0
    assert not due_notices(pupil).exists()


def test_only_targeted_students_are_reminded(classroom, pupil):
    other = make_student(classroom, display_name="Other")
    course, _ = make_course()
    assign(classroom, course, due_at=timezone.now() + timedelta(hours=3), students=[other])
    reminders.send_due_reminders()
    assert due_notices(other).count() == 1
    assert not due_notices(pupil).exists()


def test_moving_the_due_date_earns_a_new_reminder(pupil, due_tomorrow):
    reminders.send_due_reminders()
    due_tomorrow.due_at += timedelta(hours=2)
    due_tomorrow.save()
    reminders.send_due_reminders()
    assert due_notices(pupil).count() == 2


def test_guardians_who_opted_in_get_one_email(pupil, due_tomorrow):
    keen = GuardianFactory(email="keen@example.org")
    quiet = GuardianFactory(email="quiet@example.org")
    link_guardian(pupil, keen)
    link_guardian(pupil, quiet)
    set_preferences(user=keen, due_reminders=True)
    reminders.send_due_reminders()
    reminders.send_due_reminders()
    assert [m.to for m in mail.outbox] == [["keen@example.org"]]
    assert "Healthy screen time" in mail.outbox[0].body
    assert "/notifications/unsubscribe/" in mail.outbox[0].body
