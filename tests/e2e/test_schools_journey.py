"""Browser journeys: a teacher makes a class and a student joins by code; a guardian links
with a code and gives consent."""

import re

import pytest
from playwright.sync_api import expect

from demo.seeds import accounts as account_seed
from demo.seeds import schools as school_seed
from schools.models import ConsentRecord, Enrollment, GuardianLink

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_teacher_creates_a_class_and_a_student_joins_by_code(page, live_server, login, logout, shot):
    account_seed.run()
    school_seed.run()
    login("teacher")
    page.get_by_role("link", name="My classes").first.click()
    expect(page.locator("h1")).to_have_text("My classes")
    page.get_by_role("link", name="Create a class").click()
    page.get_by_label("Class name").fill("7D Internet Safety")
    page.get_by_label("Grade").fill("7")
    page.get_by_role("button", name="Create class").click()
    expect(page.locator("h1")).to_contain_text("7D Internet Safety")
    code = page.get_by_test_id("join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    shot("schools-class-created")
    logout()

    login("student")
    page.goto(f"{live_server.url}/schools/join/")
    page.get_by_label("Code").fill(code.lower())
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You have joined 7D Internet Safety")).to_be_visible()
    assert Enrollment.objects.filter(student__username="student", classroom__name="7D Internet Safety").exists()
    logout()

    login("teacher")
    page.get_by_role("link", name="My classes").first.click()
    page.get_by_role("link", name="7D Internet Safety").click()
    expect(page.get_by_role("table")).to_contain_text("Li Wei")
    shot("schools-class-roster")

    # Roster import: one bad row means nothing is imported and the row is listed.
    page.get_by_role("link", name="Import a roster").click()
    bad = "name;grade\n王小红;7\n=cmd|' /C calc'!A0;7\n".encode()
    page.get_by_label("Roster file (CSV)").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported")
    expect(page.get_by_role("table")).to_contain_text("formula")
    shot("schools-roster-errors")
    good = "name,grade\n王小红,7\nTom Xu,7\n".encode("utf-16")
    page.get_by_label("Roster file (CSV)").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": good}]
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("h1")).to_contain_text("Sign-in sheet")
    expect(page.locator("table.credentials")).to_contain_text("s.tom.xu")
    shot("schools-credentials-sheet")
    assert Enrollment.objects.filter(classroom__name="7D Internet Safety").count() == 3


def test_guardian_links_with_a_code_and_gives_consent(page, live_server, login, logout, shot):
    account_seed.run()
    school_seed.run()
    login("teacher")
    page.get_by_role("link", name="My classes").first.click()
    page.get_by_role("link", name="Class 7A").click()
    page.get_by_role("link", name="Zhao Hao").click()
    page.get_by_role("button", name="Make a link code for a parent").click()
    code = page.get_by_test_id("link-code").inner_text().strip()
    shot("schools-link-code-letter")
    logout()

    page.goto(f"{live_server.url}/schools/guardians/sign-up/")
    page.get_by_label("Your name").fill("Zhao Min")
    page.get_by_label("Username").fill("zhao.min")
    page.get_by_label("Email").fill("zhao.min@example.com")
    page.get_by_label("Password").fill("kettle-moon-river")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Link a child")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Link").click()
    expect(page.locator("h1")).to_contain_text("Consent for Zhao Hao")
    page.get_by_role("button", name="I give consent").click()
    # The box must be ticked: the browser's own validation or the form error stops it.
    assert not ConsentRecord.objects.filter(guardian__username="zhao.min").exists()
    page.get_by_label(re.compile("I am this child's parent")).check()
    page.get_by_role("button", name="I give consent").click()
    expect(page.get_by_text("Your consent has been recorded")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Zhao Hao")
    shot("schools-guardian-linked")
    link = GuardianLink.objects.get(guardian__username="zhao.min")
    assert link.state == GuardianLink.State.ACTIVE
    assert ConsentRecord.objects.filter(guardian__username="zhao.min").count() == 1
