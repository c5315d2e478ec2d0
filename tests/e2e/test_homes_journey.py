"""Issue 14: each role's home at 390 px (no sideways scrolling) and the teacher's one-click
reminder done with the keyboard alone."""

import shutil
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses import seed as course_seed
from courses.curriculum import HERE
from courses.models import CoursePage, LessonPage
from safeguarding.models import SafeguardingDesignation
from tests.accounts.factories import TeacherFactory
from tests.learning.factories import assign
from tests.safeguarding.factories import ReportFactory
from tests.schools.factories import ClassroomFactory, link_guardian, make_school_admin, make_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def lessons(tmp_path):
    """A real course (a transactional test starts without Wagtail's page tree)."""
    target = tmp_path / "curriculum"
    target.mkdir()
    shutil.copy(HERE / "m01-digital-citizenship.yaml", target / "m01-digital-citizenship.yaml")
    course_seed.run(directory=target)
    course = CoursePage.objects.get(slug="digital-citizenship")
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def _world(lessons):
    teacher = TeacherFactory(username="ms.chen", display_name="Ms Chen")
    classroom = ClassroomFactory(teachers=[teacher], name="Class 7A")
    li_na = make_student(classroom, username="li.na", display_name="Li Na")
    make_student(classroom, username="wang.fang", display_name="Wang Fang")
    parent = link_guardian(li_na)
    parent.username = "li.parent"
    parent.save()
    make_school_admin(classroom.school, username="head")
    SafeguardingDesignation.objects.create(school=classroom.school, staff=teacher)
    ReportFactory(school=classroom.school, student=li_na, urgent=True)
    assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() - timedelta(days=1))
    assign(classroom, lessons[1], teacher=teacher, due_at=timezone.now() + timedelta(days=3))
    return classroom


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_every_home_fits_a_phone(page, live_server, login, logout, shot, lessons):
    _world(lessons)
    page.set_viewport_size(PHONE)
    for username, testid in (
        ("ms.chen", "urgent-help"),
        ("li.na", "so-far"),
        ("li.parent", "children-glance"),
        ("head", "case-counts"),
    ):
        login(username)
        expect(page.get_by_test_id(testid)).to_be_visible()
        assert _fits(page), f"{username}'s home scrolls sideways at 390 px"
        shot(f"home-{username}-390")
        logout()


def test_teacher_reminds_students_with_the_keyboard(page, live_server, login, lessons):
    _world(lessons)
    login("ms.chen")
    expect(page.get_by_role("heading", name="Overdue assignments")).to_be_visible()
    button = page.get_by_role("button", name="Remind students")
    for _ in range(80):  # Tab through the page until the button has focus
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Remind students cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Reminded 2 students.")
