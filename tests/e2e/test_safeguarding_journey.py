"""Getting help: a student reports, only the designated teacher sees it and replies, the
student reads the reply and the new status."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from demo.seeds import accounts as account_seed
from safeguarding.models import Attachment, SafeguardingDesignation
from safeguarding.services import ensure_default_contacts
from schools.models import SchoolMembership, StudentProfile
from tests.safeguarding.factories import jpeg_with_gps
from tests.schools.factories import SchoolFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def riverside(settings, tmp_path):
    settings.SAFEGUARDING_PRIVATE_ROOT = tmp_path / "private"
    account_seed.run()
    school = SchoolFactory(name="Riverside Middle School", slug="riverside")
    student, teacher, teacher2 = (User.objects.get(username=u) for u in ("student", "teacher", "teacher2"))
    StudentProfile.objects.create(user=student, school=school, grade=7)
    for t in (teacher, teacher2):
        SchoolMembership.objects.create(user=t, school=school, role=SchoolMembership.Role.TEACHER)
    SafeguardingDesignation.objects.create(school=school, staff=teacher)
    ensure_default_contacts(school)
    return school


def test_student_reports_and_designated_teacher_answers(page, live_server, login, logout, shot, riverside, tmp_path):
    shot_file = tmp_path / "screenshot.jpg"
    shot_file.write_bytes(jpeg_with_gps())

    login("student")
    page.get_by_role("link", name="Get help").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.locator("a[href='tel:12355']")).to_be_visible()
    page.get_by_label("Bullying or being picked on").check()
    page.get_by_label("Tell us about it").fill("Someone in my class keeps posting <b>mean</b> comments about me.")
    page.get_by_label("This is urgent").check()
    page.get_by_label("Screenshots (optional)").set_input_files(str(shot_file))
    shot("safeguarding-new-report")
    page.get_by_role("button", name="Send my report").click()
    expect(page.locator(".messages")).to_contain_text("Your report was sent")
    expect(page.locator("main")).to_contain_text("<b>mean</b>")  # shown as text, not markup
    expect(page.locator("main")).to_contain_text("New")
    assert Attachment.objects.count() == 1
    logout()

    # A teacher who is not designated sees no cases.
    login("teacher2")
    page.get_by_role("link", name="Help cases", exact=True).click()
    expect(page.locator("main")).to_contain_text("You are not designated")
    expect(page.locator("main")).not_to_contain_text("mean")
    logout()

    login("teacher")
    page.get_by_role("link", name="Help cases", exact=True).click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Urgent")
    page.locator("tbody tr a").first.click()
    expect(page.locator("main")).to_contain_text("mean</b> comments")
    expect(page.locator(".sg-attachments img")).to_have_count(1)
    page.get_by_label("Your message").fill("Thank you for telling me. Let's talk at break tomorrow, room 204.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".messages")).to_contain_text("Your reply was sent")
    page.get_by_label("Private note (only safeguarding staff see this)").fill("Check in with form tutor.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".sg-notes")).to_contain_text("Check in with form tutor.")
    shot("safeguarding-case-detail")
    logout()

    login("student")
    page.get_by_role("link", name="My reports").click()
    expect(page.locator("tbody")).to_contain_text("In progress")
    page.locator("tbody tr a").first.click()
    expect(page.locator(".sg-conversation")).to_contain_text("room 204")
    expect(page.locator("main")).not_to_contain_text("Check in with form tutor.")
    page.get_by_label("Your message").fill("Thank you, see you there.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".sg-conversation")).to_contain_text("see you there")
    shot("safeguarding-my-report")


def _age_stretch(page, minutes):
    """Pretend the current stretch of use began `minutes` ago (server-side session)."""
    import time

    from django.contrib.sessions.backends.db import SessionStore

    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    now = int(time.time())
    session["nw_use_start"] = now - int(minutes * 60)
    session["nw_use_last"] = now
    session["nw_break_after"] = 30
    session.pop("nw_break_nudged", None)
    session.save()


def test_break_dialog_appears_after_the_stretch_and_can_be_dismissed(page, live_server, login, shot, riverside):
    login("student")
    page.goto(f"{live_server.url}/help/reports/")
    _age_stretch(page, 30 - 4 / 60)  # due in about four seconds
    page.reload()
    dialog = page.locator("dialog.break-dialog")
    expect(dialog).to_be_visible(timeout=15000)
    expect(dialog).to_contain_text("Time for a short break?")
    shot("safeguarding-break-dialog")
    dialog.get_by_role("button", name="Not now").click()
    expect(dialog).to_have_count(0)


def test_without_javascript_a_banner_links_to_the_break_page(browser, live_server, riverside):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("student")
    page.get_by_label("Password").fill("netwise-demo")
    page.get_by_role("button", name="Log in").click()
    _age_stretch(page, 31)
    page.goto(f"{live_server.url}/help/reports/")
    banner = page.locator(".alert--break-banner")
    expect(banner).to_contain_text("A short break helps")
    banner.get_by_role("link", name="Take a break").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Time for a short break")
    page.get_by_role("button", name="I'm back, carry on").click()
    expect(page.locator(".messages")).to_contain_text("Welcome back")
    context.close()
