"""Issue 17: a teacher sends a module's family letter to the guardians of one class, through
NetWise (in-app notice + e-mail if wanted), once per guardian × class × module, in each
guardian's language; only consented (ACTIVE) links get it."""

import pytest
from django.core import mail
from django.urls import reverse

from courses.models import CoursePage
from learning.family_mail import letters as family_letters
from notifications.models import Notification
from notifications.services import set_preferences
from tests.accounts.factories import GuardianFactory
from tests.schools.factories import build_world, link_guardian, make_student


@pytest.fixture
def world(catalogue):
    w = build_world()
    for guardian in (w.guardian, w.other_guardian):
        guardian.email = f"{guardian.username}@example.org"
        guardian.save()
    return w


@pytest.fixture
def course(catalogue):
    return CoursePage.objects.get(slug="digital-citizenship")


def url(classroom):
    return reverse("learning:family_letter_send", args=[classroom.pk])


def letters(user):
    return Notification.objects.filter(user=user)


def send(client, w, course):
    client.force_login(w.teacher)
    return client.post(url(w.classroom), {"course": course.pk}, follow=True)


def test_linked_guardians_get_the_letter_in_app_and_by_email(client, world, course, django_capture_on_commit_callbacks):
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        page = send(client, w, course).content.decode()
    assert "The letter was sent to 1 guardian." in page
    notice = letters(w.guardian).get()
    assert course.title in notice.title
    assert course.letter["prompts"][0] in notice.body and course.letter["greeting"] in notice.body
    assert not letters(w.other_guardian).exists()  # their child is in another class
    assert [m.to for m in mail.outbox] == [[w.guardian.email]]
    assert course.letter["prompts"][0] in mail.outbox[0].body
    assert reverse("notifications:unsubscribe", args=["x"]).rsplit("x", 1)[0] in mail.outbox[0].body


def test_a_second_click_says_already_sent(client, world, course, django_capture_on_commit_callbacks):
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        send(client, w, course)
    with django_capture_on_commit_callbacks(execute=True):
        page = send(client, w, course).content.decode()
    assert "already sent" in page
    assert letters(w.guardian).count() == 1 and len(mail.outbox) == 1


def test_a_guardian_linked_later_gets_it_on_the_next_click(client, world, course, django_capture_on_commit_callbacks):
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        send(client, w, course)
    late = link_guardian(make_student(w.classroom), GuardianFactory(email="late@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        send(client, w, course)
    assert letters(late).count() == 1 and letters(w.guardian).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.guardian.email, "late@example.org"])


def test_pending_links_get_nothing(client, world, course, django_capture_on_commit_callbacks):
    """An under-14 child without recorded consent: the link stays PENDING, the school shares
    nothing with that adult, not even that the class studied a module."""
    w = world
    child = make_student(w.classroom, under_14=True)
    waiting = link_guardian(child, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, w, course)
    assert not letters(waiting).exists()
    assert waiting.email not in [m.to[0] for m in mail.outbox]


def test_email_preference_off_means_in_app_only(client, world, course, django_capture_on_commit_callbacks):
    w = world
    set_preferences(user=w.guardian, family_letters=False)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, w, course)
    assert letters(w.guardian).count() == 1
    assert mail.outbox == []


def test_the_letter_is_in_the_guardians_language(client, world, course, django_capture_on_commit_callbacks):
    w = world
    w.guardian.language = "zh-hans"
    w.guardian.save()
    with django_capture_on_commit_callbacks(execute=True):
        send(client, w, course)
    notice = letters(w.guardian).get()
    assert "您孩子的老师" in notice.title  # Chinese frame; the module page falls back to English
    assert "什么" in notice.body or "孩子" in notice.body
    assert "您孩子的老师" in mail.outbox[0].subject


def test_another_teacher_cannot_send_to_a_class_they_do_not_teach(client, world, course):
    w = world
    client.force_login(w.other_teacher)
    assert client.get(url(w.classroom)).status_code == 404
    assert client.post(url(w.classroom), {"course": course.pk}).status_code == 404
    assert not Notification.objects.filter(user=w.guardian).exists()


def test_the_class_dashboard_links_to_the_letter_page(client, world):
    client.force_login(world.teacher)
    page = client.get(reverse("learning:class_dashboard", args=[world.classroom.pk])).content.decode()
    assert url(world.classroom) in page
    form = client.get(url(world.classroom)).content.decode()
    assert "1 guardian has an active link" in form


def test_the_mail_task_skips_guardians_never_notified(world, course):
    """A redelivered or late job mails only guardians whose in-app letter exists."""
    assert family_letters.send_mail(world.classroom.pk, course.pk) == 0
    assert mail.outbox == []
