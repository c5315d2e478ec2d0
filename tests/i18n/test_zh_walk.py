"""NetWise in Simplified Chinese, walked page by page for every role (issue 13): a reader who
chose 简体中文 meets no English sentence on the way — not in the menus, the curriculum, the
quizzes, the dashboards or Get help. Names and codes may stay as they are."""

import re
import shutil
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from courses import seed
from courses import services as course_services
from courses.curriculum import HERE, ZH_DIR
from courses.models import CoursePage, LessonPage
from learning.assignments import services
from quizzes import seed as quiz_seed
from quizzes.models import QuizPage
from safeguarding.services import ensure_default_contacts
from tests.safeguarding.factories import designate
from tests.schools.factories import build_world
from tests.shared_db import module_transaction

# Under pytest-xdist (--dist loadgroup) the four walks share one worker, so one world.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("zh-walk")]

# Words that are names or codes, not English prose.
ALLOWED = {"NetWise", "Wagtail", "Moodle", "XML", "GIFT", "CSV", "XLSX", "PDF", "PNG", "OK", "ID", "App", "AI"}
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]*(?:['’][a-z]+)?(?:[ ,]+[A-Za-z][a-z]*(?:['’][a-z]+)?)+\b")


class _Text(HTMLParser):
    """Visible text and the texts people read without seeing them (alt, aria-label, title,
    placeholder); never script or style."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "aria-label", "title", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


class _Flow(_Text):
    """Visible text as it flows on the page (no attribute texts): a block element's edge is a
    break (NUL), not a gap."""

    BLOCKS = {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "legend", "li", "main", "nav", "ol", "p", "section", "summary", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }  # fmt: skip

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, [])
        self._break(tag)

    def handle_endtag(self, tag):
        super().handle_endtag(tag)
        self._break(tag)

    def _break(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\0")


SPACED_COLON = re.compile(r"[^\0\s]{0,12}[：。，；！？]\s+[^\0\s*]{1,12}")  # "*": a required field's mark


def spaced_colons(html: str) -> list[str]:
    """Places where a full-width colon or stop is followed by a space before the text it
    introduces ("目标： …", "…关联。 每位…"): the mark carries its own space in Chinese."""
    parser = _Flow()
    parser.feed(html)
    return SPACED_COLON.findall("".join(parser.parts))


HALF_WIDTH_COLON = re.compile(r"[^\0\s]{0,12}[\u4e00-\u9fff][:;](?:\s|$)[^\0]{0,12}")


def half_width_colons(html: str) -> list[str]:
    """Places where Chinese text runs into an English colon or semicolon ("学校概览: Riverside"):
    a template that glued a translated label to a value with ": " instead of translating both."""
    parser = _Flow()
    parser.feed(html)
    return HALF_WIDTH_COLON.findall("".join(parser.parts))


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.refs = set(), []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("aria-describedby", "aria-labelledby") and value:
                self.refs += [(name, ref) for ref in value.split()]
            elif name == "for" and tag == "label" and value:
                self.refs.append((name, value))


def dangling_references(html: str) -> list[str]:
    """aria-describedby, aria-labelledby and label-for that name no element on the page: the
    help or the name a screen reader should read with a field is silently lost."""
    parser = _Ids()
    parser.feed(html)
    return [f'{name}="{ref}"' for name, ref in parser.refs if ref not in parser.ids]


def english_runs(html: str, names) -> list[str]:
    parser = _Text()
    parser.feed(html)
    # A glossary term may give the English in brackets: 数字公民（Digital citizenship）.
    text = re.sub(r"（[A-Za-z ,'’-]+）", " ", "\n".join(parser.parts))
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    found = []
    for match in ENGLISH_RUN.finditer(text):
        # Single capitals are codes (age bands A-D, dimensions M L U S), not words.
        words = [w for w in re.split(r"[ ,]+", match.group()) if w not in ALLOWED and not re.fullmatch(r"[A-Z]", w)]
        if len(words) >= 2:
            found.append(match.group())
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the four roles' walks (the seeds cost seconds each), in a transaction
    rolled back after the module (tests/shared_db.py); each walk runs in its own savepoint."""
    target = tmp_path_factory.mktemp("zh-walk") / "curriculum"
    (target / ZH_DIR).mkdir(parents=True)
    for name in ("m01-digital-citizenship.yaml", "m07-cyberbullying.yaml"):
        shutil.copy(HERE / name, target / name)
        shutil.copy(HERE / ZH_DIR / name, target / ZH_DIR / name)
    with module_transaction(django_db_blocker, tmp_path_factory.mktemp("zh-walk-media")) as writing:
        with writing():
            seed.run(directory=target)
            quiz_seed.run(directory=target)
            w = build_world()
            # Get help names who will read a report ("…负责老师（王老师、李老师）。").
            designate(w.school, w.teacher)
            designate(w.school, w.school_admin)
            ensure_default_contacts(w.school)  # the help lines, as the school admin manages them
            # Something assigned, so dashboards, My learning and the family page list items by title.
            course = CoursePage.objects.filter(locale__language_code="en").get(slug="digital-citizenship")
            services.create_assignment(teacher=w.teacher, classroom=w.classroom, item=course.page_ptr)
            # A finished lesson, so the family page and the digest show the course's conversation prompts.
            lesson = LessonPage.objects.filter(locale__language_code="en").descendant_of(course).first()
            course_services.mark_lesson_done(user=w.student, lesson=lesson)
            for user in w.__dict__.values():
                if hasattr(user, "language"):
                    user.language = "zh-hans"
                    user.save(update_fields=["language"])
        yield w


def _names(w):
    names = set()
    for value in w.__dict__.values():
        for attr in ("username", "display_name", "name"):
            if getattr(value, attr, ""):
                names.add(getattr(value, attr))
    return names


def _pages(w):
    course = CoursePage.objects.filter(locale__language_code="en").get(slug="digital-citizenship")
    lesson = LessonPage.objects.filter(locale__language_code="en").descendant_of(course).first()
    quiz = QuizPage.objects.filter(locale__language_code="en").descendant_of(course).first()
    return {
        "student": [
            reverse("home"),
            reverse("courses:catalogue"),
            course.url,
            lesson.url,
            quiz.url,
            reverse("safeguarding:my_reports"),
            reverse("safeguarding:new_report"),
            reverse("schools:join_class"),
            reverse("notifications:list"),
            reverse("notifications:preferences"),
            reverse("accounts:password_change"),
        ],
        "teacher": [
            reverse("home"),
            reverse("schools:class_list"),
            reverse("schools:class_detail", args=[w.classroom.pk]),
            reverse("learning:class_dashboard", args=[w.classroom.pk]),
            reverse("learning:assignment_create", args=[w.classroom.pk]),
            reverse("safeguarding:case_list"),
            reverse("learning:family_letter_send", args=[w.classroom.pk]),
            reverse("learning:student_detail", args=[w.classroom.pk, w.student.pk]),
            reverse("schools:roster_import", args=[w.classroom.pk]),
        ],
        "guardian": [
            reverse("home"),
            reverse("learning:guardian_child", args=[w.student.pk]),
            reverse("schools:link_child"),
        ],
        "school_admin": [
            reverse("home"),
            reverse("schools:school_detail"),
            reverse("schools:audit_log"),
            reverse("safeguarding:designations"),
            reverse("learning:school_overview"),
            reverse("notifications:preferences"),
        ],
    }


@pytest.mark.parametrize("role", ["student", "teacher", "guardian", "school_admin"])
def test_every_main_page_reads_in_chinese(client, world, role):
    user = getattr(world, role)
    client.force_login(user)
    names = _names(world)
    problems = {}
    for url in _pages(world)[role]:
        response = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        html = response.content.decode()
        runs = english_runs(html, names)
        if runs:
            problems[url] = sorted(set(runs))[:15]
        gaps = spaced_colons(html)
        if gaps:
            problems[f"{url} (a space after a full-width colon)"] = gaps[:15]
        glued = half_width_colons(html)
        if glued:
            problems[f"{url} (an English colon after Chinese)"] = glued[:15]
        if ">---------<" in html:
            problems[f"{url} (a choice list that says ---------, not 请选择…)"] = ["---------"]
        dangling = dangling_references(html)
        if dangling:
            problems[f"{url} (references to no element)"] = dangling[:15]
    assert not problems, problems


def test_the_walk_finds_an_english_sentence():
    assert english_runs("<p>你好</p><p>Check your answers</p>", set()) == ["Check your answers"]
    assert english_runs('<img alt="A blue globe">', set()) == ["A blue globe"]
    assert english_runs("<p>NetWise 班级码 RVR7AK · Li Wei</p>", {"Li Wei"}) == []
    assert english_runs("<dt>数字公民（Digital citizenship）</dt>", set()) == []


def test_the_walk_finds_an_english_colon_after_chinese():
    assert half_width_colons("<h1>学校概览: Riverside</h1>") == ["学校概览: Riverside"]
    assert half_width_colons("<p>安全保护负责老师: Ms Chen</p>") == ["安全保护负责老师: Ms Chen"]
    assert half_width_colons("<h1>学校概览：Riverside</h1>") == []
    assert half_width_colons("<p>时间 10:30</p><p>Time: 10:30</p>") == []


def test_the_walk_finds_a_reference_to_no_element():
    html = '<textarea aria-describedby="id_a_helptext" id="id_a"></textarea><p id="id_a_help">…</p>'
    assert dangling_references(html) == ['aria-describedby="id_a_helptext"']
    assert dangling_references('<label for="x">X</label><input id="x">') == []


def test_the_walk_finds_a_space_after_a_full_width_colon():
    assert spaced_colons("<p><strong>目标：</strong> 认识隐私</p>") == ["目标： 认识隐私"]
    assert spaced_colons("<p>状态：\n    <span>已完成</span></p>") == ["状态：\n    已完成"]
    assert spaced_colons("<p><strong>目标：</strong>认识隐私</p>") == []
    assert spaced_colons("<dt>教师：</dt>\n<dd>王老师</dd>") == []
    assert spaced_colons("<p>已生效的关联。 每位家长</p>") == ["已生效的关联。 每位家长"]
    assert spaced_colons("<p>已生效的关联。</p>\n<p>每位家长</p>") == []


def test_family_prompts_come_from_the_course_in_the_readers_language(world):
    """The family page and the weekly digest (learning.family_mail.digests) read conversation prompts
    through courses.selectors.family_prompts, keyed by the English course."""
    from courses.selectors import family_prompts

    course = CoursePage.objects.filter(locale__language_code="en").get(slug="digital-citizenship")
    zh = family_prompts([course.pk], language="zh-hans")[course.pk]
    en = family_prompts([course.pk], language="en")[course.pk]
    assert len(zh) == len(en) == len(course.family_prompts) >= 2
    assert en[0]["question"] == course.family_prompts[0].value["question"]
    text = " ".join(f"{p['course']} {p['question']} {p['action']}" for p in zh)
    assert not english_runs(f"<p>{text}</p>", set()), text
    assert zh[0]["course"] != course.title
    # A course with no Chinese version falls back to English rather than showing nothing.
    CoursePage.objects.filter(translation_key=course.translation_key, locale__language_code="zh-hans").update(
        live=False
    )
    assert family_prompts([course.pk], language="zh-hans")[course.pk] == en


def test_an_assignment_notice_names_the_item_in_the_readers_language(world):
    from django.utils import translation

    from learning.models import Assignment
    from notifications.models import Notification

    assignment = Assignment.objects.get(classroom=world.classroom)
    services.notify_assigned(assignment_id=assignment.pk)
    notice = Notification.objects.get(user=world.student, kind="assignment")
    english = CoursePage.objects.filter(locale__language_code="en").get(slug="digital-citizenship")
    chinese = CoursePage.objects.get(translation_key=english.translation_key, locale__language_code="zh-hans")
    with translation.override("zh-hans"):
        assert notice.display_title == f"新的学习任务：{chinese.title}"
    with translation.override("en"):
        assert notice.display_title == f"New assignment: {english.title}"
