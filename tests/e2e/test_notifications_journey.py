import pytest
from playwright.sync_api import expect

from notifications import services
from notifications.models import EmailPreference
from tests.accounts.factories import GuardianFactory, StudentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_student_sees_the_unread_count_opens_the_list_and_it_clears(page, live_server, login, shot):
    pupil = StudentFactory(username="notified")
    services.notify(user=pupil, kind="assignment", title="New assignment: Passwords", url="/")
    services.notify(user=pupil, kind="due_soon", title="Due tomorrow: Scams")
    login("notified")
    link = page.get_by_role("link", name="Notifications (2)")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator("main")).to_contain_text("Due tomorrow: Scams")
    expect(page.locator("main")).to_contain_text("New")
    shot("notifications-list")
    page.reload()
    expect(page.get_by_role("link", name="Notifications (0)")).to_be_visible()


def test_a_guardian_unsubscribes_from_the_mail_link_without_logging_in(page, live_server, shot):
    parent = GuardianFactory(username="mailparent", email="p@example.org")
    token = services.unsubscribe_token(parent, "weekly_digest")
    page.goto(f"{live_server.url}/notifications/unsubscribe/{token}/")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text("no longer get the weekly summary")
    shot("notifications-unsubscribed")
    assert EmailPreference.objects.get(user=parent).weekly_digest is False
