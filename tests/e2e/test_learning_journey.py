"""Learning journeys in a real browser: a teacher assigns a course and watches the class
dashboard fill as a student works through it; a guardian sees a child's results and
prompts; a school admin opens the overview."""

import shutil

import pytest
from playwright.sync_api import expect

from courses import seed as course_seed
from courses.curriculum import HERE
from courses.models import CoursePage, LessonPage
from learning.assignments import services as assignments
from learning.progress import services as progress
from tests.accounts.factories import GuardianFactory, TeacherFactory
from tests.quizzes.factories import make_question, make_quiz
from tests.schools.factories import ClassroomFactory, link_guardian, make_school_admin, make_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course(tmp_path):
    target = tmp_path / "curriculum"
    target.mkdir()
    shutil.copy(HERE / "m01-digital-citizenship.yaml", target / "m01-digital-citizenship.yaml")
    course_seed.run(directory=target)
    return CoursePage.objects.get(slug="digital-citizenship")


def test_teacher_assigns_a_course_and_the_dashboard_fills(page, live_server, login, logout, shot, course):
    teacher = TeacherFactory(username="ms.chen", display_name="Ms Chen")
    classroom = ClassroomFactory(teachers=[teacher], name="Class 7A")
    make_student(classroom, username="li.wei", display_name="Li Wei")

    login("ms.chen")
    page.get_by_role("link", name="Dashboard for Class 7A").click()
    expect(page.get_by_role("heading", name="Nothing assigned to this class yet")).to_be_visible()
    page.get_by_role("link", name="Assign a course, lesson or quiz").click()
    page.get_by_label("Course, lesson or quiz").select_option(str(course.pk))
    page.get_by_label("Due").fill("2030-06-01T09:00")
    page.get_by_label("Note for students").fill("Finish before the class talk.")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_contain_text("Assigned")
    matrix = page.locator("table.nw-matrix")
    expect(matrix).to_contain_text("Li Wei")
    expect(matrix).to_contain_text("Not started")
    logout()

    login("li.wei")
    expect(page.get_by_role("heading", name="My learning", level=1)).to_be_visible()
    expect(page.locator("table.nw-assignments")).to_contain_text(course.title)
    expect(page.locator("table.nw-assignments")).to_contain_text("Not started")
    shot("learning-my-learning")
    for lesson in LessonPage.objects.child_of(course).live().order_by("path"):
        page.goto(f"{live_server.url}{lesson.url}")
        page.get_by_role("button", name="Mark as done").click()
        expect(page.get_by_role("button", name="Mark as not done")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.locator("table.nw-assignments")).to_contain_text("Completed")
    logout()

    login("ms.chen")
    page.get_by_role("link", name="Dashboard for Class 7A").click()
    expect(matrix).to_contain_text("Completed")
    expect(page.get_by_text("100%").first).to_be_visible()
    expect(page.get_by_role("heading", name="Completion over time")).to_be_visible()
    page.get_by_text("Show the data as a table").first.click()
    shot("learning-class-dashboard")
    page.get_by_role("link", name="Li Wei").first.click()
    expect(page.get_by_role("heading", name="Timeline of lessons and quizzes")).to_be_visible()
    expect(page.locator("main")).to_contain_text(course.title)


def test_guardian_sees_results_missed_questions_and_prompts(page, live_server, login, shot, course):
    from quizzes.services import record_attempt

    classroom = ClassroomFactory(name="Class 8B")
    child = make_student(classroom, username="kid.one", display_name="Kid One")
    sibling = make_student(classroom, username="kid.two", display_name="Kid Two")
    parent = GuardianFactory(username="mum")
    link_guardian(child, parent)
    link_guardian(sibling, parent)
    question = make_question(
        "single",
        title="Post your school name?",
        text="Should you post your school name?",
        explanation="It tells strangers where to find you.",
    )
    quiz = make_quiz(questions=[question], pass_mark=60, course=course)
    course = CoursePage.objects.get(pk=course.pk)
    course.family_prompts = [
        ("prompt", {"question": "What would you never post?", "action": "Check your privacy settings together."})
    ]
    course.save_revision().publish()
    wrong = question.choices.get(text="Wrong").pk
    record_attempt(student=child, quiz=quiz, answers={question.pk: wrong})
    progress.sync_quiz(student=child, quiz=quiz)
    right = question.choices.get(correct=True).pk
    record_attempt(student=child, quiz=quiz, answers={question.pk: right})
    progress.sync_quiz(student=child, quiz=quiz)

    login("mum")
    expect(page.get_by_role("heading", name="My children", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Choose a child")
    nav.get_by_role("link", name="Kid One").click()
    main = page.locator("main")
    expect(main).to_contain_text("Should you post your school name?")
    expect(main).to_contain_text("It tells strangers where to find you.")
    expect(main).to_contain_text("What would you never post?")
    expect(page.get_by_role("heading", name="Time spent per week")).to_be_visible()
    shot("learning-guardian")
    nav.get_by_role("link", name="Kid Two").click()
    expect(page.get_by_role("heading", name="Kid Two")).to_be_visible()
    expect(main).to_contain_text("No quiz taken yet.")


def test_school_admin_opens_the_overview(page, live_server, login, shot, course):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher], name="Class 9C", grade=9)
    ClassroomFactory(school=classroom.school, name="Class 9D", grade=9)
    student = make_student(classroom)
    assignments.create_assignment(teacher=teacher, classroom=classroom, item=course.page_ptr)
    for lesson in LessonPage.objects.child_of(course).live():
        progress.complete_lesson(student=student, lesson=lesson)
    make_school_admin(classroom.school, username="head")

    login("head")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Our school today")
    expect(page.get_by_test_id("case-counts")).to_contain_text("Nobody is designated to read students")
    page.get_by_role("link", name="Open the full school overview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("School overview")
    expect(page.get_by_role("heading", name="Classes with nothing assigned")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Class 9D")
    heat = page.locator("table.nw-heatmap")
    expect(heat).to_contain_text("Class 9C")
    expect(heat).to_contain_text("100%")
    shot("learning-school-overview")
    page.get_by_role("button", name="CSV").click()
    expect(page.get_by_role("link", name="Download")).to_be_visible(timeout=15000)
