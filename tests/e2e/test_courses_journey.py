"""Curriculum journeys in a real browser: a learner reads and finishes a lesson; an editor
builds a lesson from blocks, a second editor approves it, and the learner sees it."""

import shutil

import pytest
from playwright.sync_api import expect

from accounts import seed as account_seed
from courses import seed as course_seed
from courses.curriculum import HERE
from courses.models import LessonCompletion

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def curriculum(tmp_path):
    """The demo accounts and two courses (the whole curriculum takes longer to load)."""
    target = tmp_path / "curriculum"
    target.mkdir()
    for name in ("m01-digital-citizenship.yaml", "m07-cyberbullying.yaml"):
        shutil.copy(HERE / name, target / name)
    account_seed.run()
    course_seed.run(directory=target)


def test_learner_browses_reads_a_lesson_and_marks_it_done(page, live_server, login, shot, curriculum):
    login("student")
    page.get_by_role("navigation").get_by_role("link", name="Courses").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    expect(page.locator(".course-card")).to_have_count(2)

    page.get_by_label("Topic").select_option("cyberbullying")
    page.get_by_role("button", name="Show courses").click()
    expect(page.locator(".course-card")).to_have_count(1)
    page.get_by_role("link", name="Clear filters").click()
    shot("courses-catalogue")

    page.get_by_role("link", name="Digital citizenship and civilised conduct").click()
    expect(page.get_by_role("heading", name="Lessons")).to_be_visible()
    expect(page.get_by_text("0 of 4 lessons done")).to_be_visible()
    page.get_by_role("link", name="Same me online").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Same me online")
    expect(page.get_by_role("heading", name="What would you do?")).to_be_visible()
    choice = page.locator("details.scenario__choice").first
    choice.locator("summary").click()
    expect(choice.locator(".scenario__verdict")).to_be_visible()
    shot("courses-lesson")

    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("status")).to_contain_text("marked as done")
    expect(page.get_by_role("button", name="Mark as not done")).to_be_visible()
    assert LessonCompletion.objects.filter(user__username="student", lesson__slug="same-me-online").exists()

    page.get_by_role("link", name="Next: Group-chat manners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Group-chat manners")
    page.get_by_role("link", name="All lessons").click()
    expect(page.get_by_text("1 of 4 lessons done")).to_be_visible()
    expect(page.locator(".badge--done")).to_have_count(1)
    shot("courses-course-progress")


def test_lesson_works_without_javascript(browser, live_server, curriculum):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/learn/digital-citizenship/same-me-online/")
    choice = page.locator("details.scenario__choice").first
    choice.locator("summary").click()
    expect(choice.locator(".scenario__verdict")).to_be_visible()
    context.close()
