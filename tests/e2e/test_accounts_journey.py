import pytest
from playwright.sync_api import expect

from demo.seeds import accounts as account_seed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_every_demo_account_logs_in_sees_its_home_and_logs_out(page, live_server, login, logout, shot):
    account_seed.run()
    for username, display_name, role in account_seed.DEMO_ACCOUNTS:
        login(username)
        expect(page.locator(".account-menu summary")).to_contain_text(display_name)
        expect(page.locator("body")).to_have_attribute("data-role", role.value)
        expect(page.locator("main h1")).to_be_visible()
        shot(f"home-{username}")
        logout()
        expect(page.get_by_role("link", name="Log in").first).to_be_visible()


def test_wrong_password_shows_a_clear_error(page, live_server, login):
    account_seed.run()
    login("student", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
