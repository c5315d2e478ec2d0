import pytest
from django.urls import reverse

from notifications import selectors, services
from notifications.models import DeliveryLog, EmailPreference, Notification
from tests.accounts.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_an_unread_notice(student):
    n = services.notify(user=student, kind="assignment", title="Passwords", url="/x/")
    assert n.is_unread
    assert selectors.unread_count(student) == 1


def test_header_shows_the_unread_count(client, student):
    services.notify(user=student, kind="general", title="One")
    services.notify(user=student, kind="general", title="Two")
    client.force_login(student)
    html = client.get(reverse("home")).content.decode()
    assert "Notifications (2)" in html
    assert reverse("notifications:list") in html


def test_list_shows_own_notices_and_marks_them_read(client, student):
    mine = services.notify(user=student, kind="general", title="Mine")
    other = services.notify(user=StudentFactory(), kind="general", title="Theirs")
    client.force_login(student)
    response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert "Mine" in html and "Theirs" not in html
    assert "New" in html  # unread when shown
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None
    assert other.read_at is None
    assert "Notifications (0)" in client.get(reverse("notifications:list")).content.decode()


def test_list_is_for_logged_in_people_only(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302


def test_opening_another_persons_notice_is_404(client, student):
    other = services.notify(user=StudentFactory(), kind="general", title="Theirs", url="/")
    client.force_login(student)
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404


def test_opening_a_notice_marks_it_read_and_follows_only_local_links(client, student):
    local = services.notify(user=student, kind="general", title="L", url="/learning/")
    remote = services.notify(user=student, kind="general", title="R", url="https://evil.example/")
    client.force_login(student)
    assert client.get(reverse("notifications:open", args=[local.pk]))["Location"] == "/learning/"
    assert client.get(reverse("notifications:open", args=[remote.pk]))["Location"] == reverse("notifications:list")
    assert not Notification.objects.filter(user=student, read_at__isnull=True).exists()


def test_mark_all_read(client, student):
    services.notify(user=student, kind="general", title="A")
    client.force_login(student)
    client.post(reverse("notifications:mark_all_read"))
    assert selectors.unread_count(student) == 0


def test_notify_once_creates_one_notice_per_key(student):
    first = services.notify_once(key="k:1", user=student, kind="general", title="A")
    second = services.notify_once(key="k:1", user=student, kind="general", title="A")
    assert first is not None and second is None
    assert Notification.objects.filter(user=student).count() == 1
    assert DeliveryLog.objects.filter(key="k:1").count() == 1


def test_deliver_once_rolls_back_the_log_when_the_send_fails():
    with pytest.raises(ConnectionError):
        with services.deliver_once("mail:1") as fresh:
            assert fresh
            raise ConnectionError("smtp down")
    assert not DeliveryLog.objects.filter(key="mail:1").exists()
    with services.deliver_once("mail:1") as fresh:
        assert fresh
    with services.deliver_once("mail:1") as fresh:
        assert not fresh


def test_preferences_page_saves_choices(client, guardian):
    client.force_login(guardian)
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 200
    client.post(url, {"due_reminders": "on"})
    pref = EmailPreference.objects.get(user=guardian)
    assert pref.weekly_digest is False and pref.due_reminders is True


def test_unsubscribe_link_works_without_login(client, guardian):
    token = services.unsubscribe_token(guardian, "weekly_digest")
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert services.wants_email(guardian, "weekly_digest")  # GET changes nothing
    client.post(url)
    guardian.refresh_from_db()
    assert not services.wants_email(guardian, "weekly_digest")
    assert not services.wants_email(guardian, "due_reminders")  # opt-in, untouched


def test_forged_unsubscribe_token_is_404(client, guardian):
    token = services.unsubscribe_token(guardian) + "x"
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 404
    assert client.get(reverse("notifications:unsubscribe", args=["nonsense"])).status_code == 404
    assert services.wants_email(guardian, "weekly_digest")
