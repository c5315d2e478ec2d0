"""Curriculum journeys in a real browser: a learner reads and finishes a lesson; an editor
builds a lesson from blocks, a second editor approves it, and the learner sees it."""

import re
import shutil

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from courses import seed as course_seed
from courses.curriculum import HERE
from courses.models import CoursePage, LessonCompletion, LessonPage
from demo.seeds import accounts as account_seed
from demo.seeds import editors as editor_seed

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
    editor_seed.run()


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


NEW_LESSON = "Spotting a fake giveaway"


def switch_user(page, login, username):
    page.context.clear_cookies()
    login(username)


def choose_from_more_actions(page, name):
    """Open the editor footer's "more actions" menu and press one of its buttons.

    The menu is a Stimulus-driven dropdown: a click that lands before its controller has
    connected opens nothing, so wait for the page to settle and re-open it if needed."""
    page.wait_for_load_state("networkidle")
    toggle = page.locator(".w-dropdown__toggle").last
    button = page.get_by_role("button", name=name, exact=True)
    for _ in range(5):
        if not button.is_visible():
            toggle.click()
        try:
            button.wait_for(state="visible", timeout=2000)
            break
        except PlaywrightTimeoutError:
            continue
    button.click()


def test_editor_builds_a_lesson_another_approves_and_the_learner_sees_it(
    page, live_server, login, shot, curriculum, settings
):
    # Wagtail's autosave posts the form in the background every 0.5 s; a script types
    # faster than a person and races it (a second "create"), so the journey saves by hand.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    course = CoursePage.objects.get(slug="digital-citizenship")
    page.set_default_timeout(10000)

    # An abandoned draft already holds the address the new lesson's title makes.
    course.add_child(
        instance=LessonPage(title="Old giveaway draft", slug="spotting-a-fake-giveaway", objective="x", live=False)
    )

    # 1. The editor builds a lesson from blocks in the Wagtail admin.
    login("editor")
    page.goto(f"{live_server.url}/admin/pages/{course.pk}/add_subpage/")
    page.get_by_role("link", name="Lesson", exact=True).click()
    page.locator("#id_title").fill(NEW_LESSON)
    page.locator("#id_objective").fill("Recognise the signs of a fake giveaway before you click.")
    expect(page.locator("#id_slug")).to_have_value("spotting-a-fake-giveaway")  # synced on blur

    page.locator("button[title='Insert a block']").first.click()
    page.get_by_text("Scenario: what would you do?", exact=True).click()
    page.locator("#body-0-value-prompt").fill(
        "A message says you won a free phone. You only need to pay the postage. What would you do?"
    )
    page.locator("#body-0-value-choices-0-value-text").fill("Pay the postage quickly before it runs out.")
    page.locator("#body-0-value-choices-0-value-verdict").select_option("bad")
    page.locator("#body-0-value-choices-0-value-feedback").fill(
        "Real prizes never ask you to pay first. This is how the scam takes your money."
    )
    page.locator("[data-contentpath='choices'] button[title='Add']").last.click()
    page.locator("#body-0-value-choices-1-value-text").fill("Show the message to a parent and do not reply.")
    page.locator("#body-0-value-choices-1-value-verdict").select_option("good")
    page.locator("#body-0-value-choices-1-value-feedback").fill(
        "Good thinking. An adult can help you check it, and not replying keeps you safe."
    )

    # The body's button, not the hidden one of the teacher-guide tab.
    page.locator("button[title='Insert a block']:visible").last.click()
    page.get_by_text("Text", exact=True).last.click()
    editor_box = page.locator("[data-contentpath='body'] [role='textbox']").last
    editor_box.click()
    editor_box.type("If a prize asks you to pay, it is not a prize.")
    expect(editor_box).to_contain_text("it is not a prize")
    # Draftail writes its content to a hidden input; wait until it has.
    expect(page.locator("input[name='body-1-value']")).to_have_value(re.compile("it is not a prize"))
    shot("courses-editor-building")

    # 2. ...saves a draft, then submits it for moderation.
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.locator(".messages")).to_contain_text(f"Page '{NEW_LESSON}' created")
    assert LessonPage.objects.get(title=NEW_LESSON).slug == "spotting-a-fake-giveaway-2"  # no Promote-tab error
    # The editor group cannot publish: no Publish action at all, only submitting for moderation.
    page.wait_for_load_state("networkidle")
    expect(page.locator("button[name='action-publish']")).to_have_count(0)
    choose_from_more_actions(page, "Submit to Moderators approval")
    expect(page.locator(".messages")).to_contain_text("submitted for moderation")
    lesson = LessonPage.objects.get(title=NEW_LESSON)
    assert not lesson.live
    assert lesson.current_workflow_state is not None

    # 3. A second editor approves it, which publishes it.
    switch_user(page, login, "editor2")
    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    shot("courses-editor-review")
    with page.expect_navigation():
        choose_from_more_actions(page, "Approve and Publish")
    expect(page.locator(".messages")).to_contain_text(NEW_LESSON)
    lesson.refresh_from_db()
    assert lesson.live and lesson.current_workflow_state is None
    assert lesson.live_revision.user.username == "editor"  # the author's draft went live

    # 4. The learner sees the new lesson.
    switch_user(page, login, "student")
    page.goto(f"{live_server.url}{course.url}")
    page.get_by_role("link", name=NEW_LESSON).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_LESSON)
    expect(page.get_by_text("If a prize asks you to pay, it is not a prize.")).to_be_visible()
    expect(page.get_by_role("heading", name="What would you do?")).to_be_visible()
    shot("courses-learner-sees-new-lesson")
