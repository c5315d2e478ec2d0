"""Browser journeys: pytest-playwright driving Debian's Chromium against a live server.

Never `playwright install`: the browser is /usr/bin/chromium (scripts/ensure_chromium.sh).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts" / "screenshots"
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("NETWISE_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"Browser journeys required but {CHROMIUM} is missing (apt-get install chromium).")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed: run 'apt-get install chromium' to run browser journeys")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture
def shot(page):
    """Save a full-page screenshot under var/artifacts/screenshots/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def login(page, live_server):
    def do(username: str, password: str = "netwise-demo"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return do


@pytest.fixture
def logout(page):
    def do():
        toggle = page.locator("[data-menu-toggle]")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
            toggle.click()  # a phone-sized page folds the account menu behind "Menu"
        page.locator("details.account-menu summary").click()
        page.get_by_role("button", name="Log out").click()
        page.wait_for_load_state()

    return do


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A content type created inside an earlier, rolled-back test stays in Django's cache
    with an id this test's database never had (Wagtail then refuses the page)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
