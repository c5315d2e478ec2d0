"""Every role's main pages on a 390 px phone and a 1,280 px screen: the page never scrolls
sideways, the header stays compact (one row on the wide screen, brand + Get help + Menu on
the phone), axe finds nothing serious or critical, the main action is reachable with the
keyboard alone, and no page is a dead end (issue 14, "What they hit").

One small world per test (transactional database), one logged-in browser context per role,
both widths in the same context."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from learning.assignments import services as assignments
from learning.models import Export
from learning.progress import services as progress
from quizzes.services import record_attempt
from safeguarding.models import SafeguardingDesignation
from tests.accounts.factories import EditorFactory, GuardianFactory, TeacherFactory
from tests.districts.factories import make_district, make_officer
from tests.learning.factories import make_course
from tests.quizzes.factories import make_question, make_quiz
from tests.schools.factories import ClassroomFactory, link_guardian, make_school_admin, make_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = ((390, 844), (1280, 800))
AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


class World:
    pass


@pytest.fixture
def world():
    from wagtail.models import Locale, Page

    from courses.seed import ensure_index

    Locale.objects.get_or_create(language_code="en")
    if Page.get_first_root_node() is None:  # an earlier transactional test flushed the migration's root
        Page.add_root(instance=Page(title="Root", slug="root"))
    ensure_index()
    w = World()
    w.teacher = TeacherFactory(username="ms.chen", display_name="Ms Chen Jing")
    w.classroom = ClassroomFactory(teachers=[w.teacher], name="Class 7A", grade=7)
    w.school = w.classroom.school
    w.student = make_student(w.classroom, username="li.wei", display_name="Li Wei")
    for i in range(3):
        make_student(w.classroom, display_name=f"Classmate With A Rather Long Name {i}")
    w.course, w.lessons = make_course(lessons=2, title="Digital footprint and reputation")
    question = make_question("single", title="M2 Q1: Post?", text="Should you post your school name online?")
    w.quiz = make_quiz(questions=[question], pass_mark=60, course=w.course, slug="footprint-quiz")
    w.next_course, _ = make_course(lessons=1, title="Passwords and accounts")
    now = timezone.now()
    for n, item in enumerate((w.course, w.quiz, w.next_course, *w.lessons)):
        assignments.create_assignment(
            teacher=w.teacher, classroom=w.classroom, item=item.page_ptr, due_at=now + timedelta(days=7 + n)
        )
    for lesson in w.lessons:
        progress.complete_lesson(student=w.student, lesson=lesson)
    right = question.choices.get(correct=True).pk
    w.attempt = record_attempt(student=w.student, quiz=w.quiz, answers={question.pk: right})
    progress.sync_quiz(student=w.student, quiz=w.quiz)
    from quizzes.tasks import recompute_item_statistics

    recompute_item_statistics(w.quiz.pk)
    w.parent = GuardianFactory(username="li.hua", display_name="Li Hua")
    link_guardian(w.student, w.parent)
    w.young = make_student(w.classroom, under_14=True, display_name="Li Na")
    link_guardian(w.young, w.parent, active=False)  # waiting for consent
    w.head = make_school_admin(w.school, username="head", display_name="Principal Zhao Lan")
    SafeguardingDesignation.objects.create(school=w.school, staff=w.teacher)
    w.officer = make_officer(username="bureau", display_name="District Officer Gao")
    w.district = make_district(w.school, officer=w.officer)
    w.editor = EditorFactory(username="sun.yue", display_name="Curriculum Editor Sun Yue")
    w.export = Export.objects.create(
        requested_by=w.teacher, kind=Export.Kind.CLASS, scope_id=w.classroom.pk, format=Export.Format.CSV
    )
    return w


def pages_for(role, w):
    class_id = w.classroom.pk
    return {
        "student": [
            "/",
            w.course.url,
            w.lessons[-1].url,
            reverse("quizzes:review", args=[w.attempt.pk]),
            reverse("safeguarding:new_report"),
            reverse("safeguarding:my_reports"),
        ],
        "teacher": [
            "/",
            reverse("schools:class_list"),
            reverse("schools:class_detail", args=[class_id]),
            reverse("learning:class_dashboard", args=[class_id]),
            reverse("learning:assignment_create", args=[class_id]),
            reverse("learning:student_detail", args=[class_id, w.student.pk]),
            reverse("learning:class_question_statistics", args=[class_id, w.quiz.pk]),
            reverse("learning:export_status", args=[w.export.token]),
            reverse("safeguarding:case_list"),
        ],
        "guardian": ["/", reverse("learning:guardian_child", args=[w.student.pk]), reverse("schools:link_child")],
        "school_admin": [
            "/",
            reverse("schools:school_detail"),
            reverse("learning:class_dashboard", args=[class_id]),
            reverse("safeguarding:case_list"),
        ],
        "district": ["/", reverse("districts:report", args=[w.district.pk])],
        "editor": ["/", w.course.get_parent().url],
    }[role]


USERNAMES = {
    "student": "li.wei",
    "teacher": "ms.chen",
    "guardian": "li.hua",
    "school_admin": "head",
    "district": "bureau",
    "editor": "sun.yue",
}


def serious_axe_findings(page) -> list[str]:
    """axe-core's serious and critical findings (evaluated through the DevTools protocol, so
    the page's CSP, which forbids inline scripts, stays on)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check_layout(page, url, width):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{url} scrolls sideways at {width} px: {page.evaluate('document.documentElement.scrollWidth')} px wide"
    )
    header = page.locator(".site-header").bounding_box()["height"]
    limit = 80 if width < 500 else 72  # phone: brand, Get help, Menu; wide: one row
    assert header <= limit, f"{url}: header {header:.0f} px tall at {width} px"


@pytest.mark.parametrize("role", list(USERNAMES))
def test_every_main_page_fits_the_phone_and_the_wide_screen(page, live_server, login, world, role):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(USERNAMES[role])
    findings = []
    for url in pages_for(role, world):
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(live_server.url + url)
            assert response.status < 400, (url, response.status)
            check_layout(page, url, width)
            if width == 1280:
                findings += [f"{url}: {f}" for f in serious_axe_findings(page)]
    # The phone menu opens and shows the navigation (and axe is content with it open).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    toggle = page.get_by_role("button", name=re.compile("^Menu"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    findings += [f"/ (menu open, 390 px): {f}" for f in serious_axe_findings(page)]
    assert not findings, "\n".join(findings)


def tab_to(page, locator, limit=60):
    """Press Tab from the top of the page until `locator` has the focus."""
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} not reached with {limit} presses of Tab")


def test_main_actions_are_reachable_with_the_keyboard_alone(page, live_server, login, world):
    page.set_viewport_size({"width": 390, "height": 844})
    login("ms.chen")
    # Phone: the menu opens from the keyboard and Escape folds it again.
    toggle = page.get_by_role("button", name=re.compile("^Menu"))
    tab_to(page, toggle)
    page.keyboard.press("Enter")
    classes = page.get_by_role("navigation", name="Main").get_by_role("link", name="My classes")
    expect(classes).to_be_visible()
    page.keyboard.press("Escape")
    expect(classes).to_be_hidden()
    expect(toggle).to_be_focused()
    # Teacher: home -> the class dashboard, then Assign.
    page.set_viewport_size({"width": 1280, "height": 800})
    tab_to(page, page.get_by_role("link", name="Dashboard for Class 7A"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Class dashboard: Class 7A")
    tab_to(page, page.get_by_role("link", name="Assign a course, lesson or quiz"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assign work to Class 7A")
    page.context.clear_cookies()

    login("li.wei")  # student: home -> next assignment, and the Get help button
    tab_to(page, page.get_by_role("link", name="Get help"))
    tab_to(page, page.get_by_role("link", name=re.compile("^(Start|Continue): ")))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(world.next_course.url)))  # its first lesson
    page.context.clear_cookies()

    login("head")  # school admin: overview -> a class dashboard
    tab_to(page, page.locator("main").get_by_role("link", name="Class 7A").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Class 7A")


def test_no_dead_ends(page, live_server, login, world):
    login("li.wei")
    # My learning never says "No course in progress" beside its "Continue"/"Start" button.
    main = page.locator("main")
    expect(main.get_by_role("link", name=re.compile("^(Start|Continue): "))).to_be_visible()
    expect(main).not_to_contain_text("No course in progress")
    # The last lesson leads to the course quiz.
    page.goto(live_server.url + world.lessons[-1].url)
    page.get_by_role("link", name=re.compile("Now check what you learnt: Test quiz")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test quiz")
    # The quiz result leads back to the course and on to the next assignment.
    page.goto(live_server.url + reverse("quizzes:review", args=[world.attempt.pk]))
    expect(page.get_by_role("link", name="Back to the course: Digital footprint and reputation")).to_be_visible()
    page.get_by_role("link", name=re.compile("My next assignment")).click()
    expect(page).to_have_url(re.compile(re.escape(world.next_course.url)))  # its first lesson
    page.context.clear_cookies()

    login("ms.chen")
    # A class just created links to Assign and its dashboard.
    page.goto(live_server.url + reverse("schools:class_create"))
    page.get_by_label("Class name").fill("7D Internet Safety")
    page.get_by_role("button", name="Create class").click()
    expect(page.locator("h1")).to_contain_text("7D Internet Safety")
    page.get_by_role("link", name="Class dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Class dashboard: 7D Internet Safety")
    page.go_back()
    page.get_by_role("link", name="Assign a course, lesson or quiz").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assign work to 7D Internet Safety")
    # Export status and question statistics lead back to the dashboard.
    for url in (
        reverse("learning:export_status", args=[world.export.token]),
        reverse("learning:class_question_statistics", args=[world.classroom.pk, world.quiz.pk]),
    ):
        page.goto(live_server.url + url)
        page.get_by_role("link", name=re.compile("Back to the class dashboard")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Class dashboard: Class 7A")
    # Statistics in words: no jargon, no bank labels, the whole question.
    page.goto(live_server.url + reverse("learning:class_question_statistics", args=[world.classroom.pk, world.quiz.pk]))
    main = page.locator("main")
    expect(main).to_contain_text("Should you post your school name online?")
    expect(main).to_contain_text("100% answered correctly")
    for jargon in ("Facility", "Discrimination", "M2 Q1"):
        expect(main).not_to_contain_text(jargon)
    page.get_by_text("What these figures mean").click()
    expect(main).to_contain_text("The share of students who got the question right")


def test_a_guardian_gives_consent_from_the_home_page_and_lands_on_the_childs_progress(page, live_server, login, world):
    page.set_viewport_size({"width": 390, "height": 844})
    login("li.hua")
    step = page.get_by_test_id("consent-step")
    expect(step).to_contain_text("Li Na is waiting for your consent")
    step.get_by_label(re.compile("I am this child's parent")).check()
    step.get_by_role("button", name="I give consent").click()
    expect(page.get_by_text("Your consent has been recorded")).to_be_visible()
    expect(page).to_have_url(re.compile(reverse("learning:guardian_child", args=[world.young.pk]) + "$"))
    expect(page.get_by_role("heading", name="Li Na", level=2)).to_be_visible()


def test_the_heatmap_is_one_scale_darker_for_more(page, live_server, login, world):
    login("head")
    page.goto(live_server.url + reverse("learning:school_overview"))
    legend = page.get_by_test_id("heat-legend")
    expect(legend).to_contain_text("0–24%")
    lightness = legend.locator(".nw-heat").evaluate_all(
        """els => els.slice(0, 5).map(el => {
            const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\\d+/g).map(Number);
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        })"""
    )
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == 5, lightness
    hues = legend.locator(".nw-heat").evaluate_all(
        """els => els.slice(0, 5).map(el => {
            const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\\d+/g).map(Number);
            return b >= r && b >= g;
        })"""
    )
    assert all(hues), "one blue scale, not a rainbow"
    expect(page.locator("table.nw-heatmap td.nw-heat").first).to_have_text(re.compile(r"\d+%|—"))


def test_get_help_shows_emergency_numbers_before_the_form_on_a_phone(page, live_server, login, world):
    page.set_viewport_size({"width": 390, "height": 844})
    login("li.wei")
    page.get_by_role("link", name="Get help").click()
    now = page.get_by_role("heading", name="Need help right now?").bounding_box()
    send = page.get_by_role("button", name="Send my report").bounding_box()
    assert now["y"] < send["y"]
    assert now["y"] < 844, "the emergency numbers are on the first screen"
    expect(page.locator(".sg-help-now")).to_contain_text("110")


def test_deactivating_a_teacher_needs_a_second_step(page, live_server, login, world):
    login("head")
    page.goto(live_server.url + reverse("schools:school_detail"))
    confirm = page.get_by_role("button", name="Yes, deactivate Ms Chen Jing")
    expect(confirm).to_be_hidden()
    page.get_by_text("Deactivate…").first.click()
    expect(confirm).to_be_visible()
    confirm.click()
    expect(page.get_by_text("can no longer sign in")).to_be_visible()
    world.teacher.refresh_from_db()
    assert not world.teacher.is_active


STACKED = """tables => tables.map(table => {
    // A column whose header only a screen reader reads (a row's link) names nothing on screen.
    const headers = [...table.querySelectorAll('thead th')].map(
        th => th.querySelector('.visually-hidden') ? '' : th.textContent.trim());
    return {
        fits: table.getBoundingClientRect().right <= window.innerWidth,
        rows: [...table.querySelectorAll('tbody tr')].map(tr => ({
            display: getComputedStyle(tr).display,
            role: tr.getAttribute('role'),
            cells: [...tr.children].map((td, i) => ({
                header: headers[i],
                label: td.dataset.label || null,
                drawn: getComputedStyle(td, '::before').content,
            })),
        })),
    };
})"""


def _stacked_rows(page, live_server, login, language, pages) -> int:
    """Open each page at 390 px as its user, in `language`: every table.table-stack is one card
    per row whose cells say their column's name (the reader's language and punctuation) and is
    still a table to a screen reader; at 1280 px it is an ordinary table. The rows seen."""
    colon = "：" if language == "zh-hans" else ": "
    seen = 0
    for username, urls in pages.items():
        page.context.clear_cookies()
        login(username)
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for url in urls:
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(live_server.url + url)
            tables = page.locator("table.table-stack").evaluate_all(STACKED)
            assert tables, f"{url}: no stacked table"
            for table in tables:
                assert table["fits"], url
                for row in table["rows"]:
                    assert row["display"] == "block" and row["role"] == "row", (url, row)
                    title, *named = row["cells"]
                    assert title["label"] is None and title["drawn"] == "none", (url, title)
                    for cell in named:
                        if not cell["header"]:
                            assert cell["label"] is None and cell["drawn"] == "none", (url, cell)
                            continue
                        assert cell["label"] == cell["header"], (url, cell)
                        assert cell["drawn"].startswith(f'"{cell["header"]}{colon}"'), (url, cell)
                    seen += 1
            page.set_viewport_size({"width": 1280, "height": 800})
            assert page.locator("table.table-stack tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == (
                "table-row"
            )
    return seen


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_students_and_parents_lists_are_one_card_per_row_on_a_phone(page, live_server, login, world, language):
    """My learning's assignments and quiz results, a quiz's attempts, My reports and a parent's
    view of the assignments: on a phone each row is a card whose cells say their column's name
    (in the reader's language and punctuation), and the table is still a table to a screen
    reader. On a wide screen they are ordinary tables."""
    from tests.safeguarding.factories import ReportFactory

    ReportFactory(school=world.school, student=world.student)
    pages = {
        "li.wei": [reverse("learning:my_learning"), world.quiz.url, reverse("safeguarding:my_reports")],
        "li.hua": [reverse("learning:guardian_child", args=[world.student.pk])],
    }
    seen = _stacked_rows(page, live_server, login, language, pages)
    assert seen >= 8, seen  # 5 assignments, 1 result, 1 attempt, 1 report, the parent's 5


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_lists_read_on_a_phone_are_one_card_per_row(page, live_server, login, world, language):
    """A teacher looking up one learner's timeline or their class's hardest questions, and
    designated staff answering Get help reports (the world designates the teacher), often do it
    from a phone: those lists are cards too, not seven columns squeezed to a character each (as
    the timeline and the hardest questions were in Chinese)."""
    from tests.safeguarding.factories import ReportFactory

    ReportFactory(school=world.school, student=world.student)
    pages = {
        "ms.chen": [
            reverse("learning:student_detail", args=[world.classroom.pk, world.student.pk]),
            reverse("learning:class_dashboard", args=[world.classroom.pk]),
            reverse("safeguarding:case_list"),
        ],
    }
    seen = _stacked_rows(page, live_server, login, language, pages)
    # The learner's opened lessons and quiz, the hardest question, 3 objectives, the report.
    assert seen >= 8, seen
