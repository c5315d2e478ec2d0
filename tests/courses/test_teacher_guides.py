"""Issue 17, part 1: the teacher guide per lesson and the family letter per module, stored on
the pages, seeded from courses/curriculum/guides/, checked, shown to staff only and printable."""

import html
import shutil

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses import seed
from courses.blocks import GUIDE_CLASS_MINUTES, TeacherGuideBlock
from courses.curriculum import HERE, CurriculumError, load_all
from courses.curriculum.check import GUIDE_MINUTES, check_guide_files
from courses.models import CoursePage, LessonPage
from tests.accounts.factories import EditorFactory, GuardianFactory, SchoolAdminFactory, StudentFactory, TeacherFactory

M01 = "m01-digital-citizenship.yaml"


def guide_file(name=M01, directory=HERE):
    return yaml.safe_load((directory / "guides" / name).read_text(encoding="utf-8"))


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# ------------------------------------------------------------------ the guide files


def test_every_module_has_a_valid_guide_file():
    files = sorted(HERE.glob("m*.yaml"))
    assert len(files) == 11
    assert check_guide_files(files) == []
    lessons = sum(len(guide_file(f.name)["lessons"]) for f in files)
    assert lessons == sum(len(d["lessons"]) for d in load_all()) == 45


def test_block_and_check_agree_on_a_40_minute_class():
    assert GUIDE_CLASS_MINUTES == GUIDE_MINUTES == 40


@pytest.fixture
def guide_dir(tmp_path):
    target = tmp_path / "curriculum"
    (target / "guides").mkdir(parents=True)
    shutil.copy(HERE / M01, target / M01)
    shutil.copy(HERE / "guides" / M01, target / "guides" / M01)
    return target


def rewrite(directory, change):
    path = directory / "guides" / M01
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_check_reports_each_broken_rule(guide_dir):
    def breaks(data):
        data["lessons"][0]["en"]["plan"][0]["minutes"] += 5  # 45 minutes
        data["lessons"][1]["zh-hans"]["discussion"].pop()  # 2 questions
        data["lessons"][2]["en"]["exit_ticket"].append("A fourth question?")  # 4 questions
        del data["lessons"][3]["zh-hans"]  # no Chinese
        data["family_letter"]["zh-hans"]["learned"] = "In this module your child learned"  # not translated

    rewrite(guide_dir, breaks)
    text = "\n".join(check_guide_files([guide_dir / M01]))
    assert "lesson same-me-online.en.plan: 45 minutes, must add to 40" in text
    assert "lesson group-chat-manners.zh-hans.discussion: needs 3 questions" in text
    assert "lesson disagree-well.en.exit_ticket: needs 2-3 questions" in text
    assert "lesson be-a-contributor.zh-hans: missing" in text
    assert "family_letter.zh-hans.learned: not translated" in text


def test_check_requires_every_lesson_and_the_file(guide_dir):
    rewrite(guide_dir, lambda data: data["lessons"].pop(1))
    assert "must be the module's lessons in order" in "\n".join(check_guide_files([guide_dir / M01]))
    (guide_dir / "guides" / M01).unlink()
    assert check_guide_files([guide_dir / M01]) == ["guides/m01-digital-citizenship.yaml: missing"]


def test_seed_refuses_a_broken_guide(db, guide_dir):
    rewrite(guide_dir, lambda data: data["lessons"][0]["en"]["discussion"].pop())
    with pytest.raises(CurriculumError, match="discussion: needs 3 questions"):
        seed.run(directory=guide_dir)


def test_editor_block_rejects_a_plan_that_is_not_a_class():
    block = TeacherGuideBlock()
    value = block.to_python(
        {
            "essential_question": "Why?",
            "vocabulary": [{"term": "Tone", "meaning": "The feeling behind words."}],
            "plan": [
                {"phase": "warm-up", "minutes": 5, "activity": "a"},
                {"phase": "activity", "minutes": 30, "activity": "b"},
            ],
            "exit_ticket": ["One?", "Two?"],
            "discussion": ["A?", "B?", "C?"],
            "safeguarding": "Speak privately.",
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)
    value["plan"][1]["minutes"] = 35
    assert block.clean(value)["plan"][1]["minutes"] == 35


# ------------------------------------------------------------------ the seed


def test_seed_stores_guides_and_letters_in_the_english_pages(catalogue, course, lessons):
    data = guide_file()
    assert course.letter["learned"] == data["family_letter"]["en"]["learned"].strip()
    assert list(course.letter["prompts"]) == data["family_letter"]["en"]["prompts"]
    first = lessons[0]
    assert first.dimension_list == ["M", "L"] == data["lessons"][0]["dimensions"]
    assert first.guide["essential_question"] == data["lessons"][0]["en"]["essential_question"]
    assert sum(step["minutes"] for step in first.guide["plan"]) == 40
    assert len(first.guide["discussion"]) == 3
    assert all(lesson.guide for lesson in LessonPage.objects.all())


def test_seed_is_idempotent_and_rewrites_a_lesson_whose_guide_changed(catalogue, curriculum_dir):
    before = {p.pk: p.latest_revision_id for p in LessonPage.objects.all()}
    seed.run(directory=curriculum_dir)
    assert {p.pk: p.latest_revision_id for p in LessonPage.objects.all()} == before

    def change(data):
        data["lessons"][0]["en"]["essential_question"] = "What changes when nobody can see my face?"

    rewrite(curriculum_dir, change)
    seed.run(directory=curriculum_dir)
    after = {p.pk: p.latest_revision_id for p in LessonPage.objects.all()}
    changed = [pk for pk in after if after[pk] != before[pk]]
    lesson = LessonPage.objects.get(slug="same-me-online")
    assert changed == [lesson.pk]
    assert lesson.guide["essential_question"] == "What changes when nobody can see my face?"
    assert lesson.live and not lesson.has_unpublished_changes


def test_guide_and_letter_are_in_their_own_admin_tabs():
    def tabs(model):
        return [str(child.heading) for child in model.get_edit_handler().children]

    assert "Teacher guide" in tabs(LessonPage)
    assert "Family letter" in tabs(CoursePage)
    content = LessonPage.get_edit_handler().children[0]
    assert "teacher_guide" not in [getattr(p, "field_name", None) for p in content.children]


# ------------------------------------------------------------------ who sees it


@pytest.fixture
def lesson(lessons):
    return lessons[0]


def guide_url(lesson, **query):
    url = reverse("courses:teacher_guide", args=[lesson.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("make", [TeacherFactory, SchoolAdminFactory, EditorFactory])
def test_staff_see_the_whole_guide(client, lesson, make):
    client.force_login(make())
    response = client.get(guide_url(lesson))
    assert response.status_code == 200
    page = text_of(response)
    data = guide_file()["lessons"][0]["en"]
    assert lesson.objective in page
    assert "M · moral awareness (网络道德意识)" in page and "L · rule-of-law awareness (网络法治观念)" in page
    assert data["vocabulary"][0]["term"] in page
    assert all(step["activity"].split()[0] in page for step in data["plan"])
    assert all(q in page for q in data["exit_ticket"] + data["discussion"])
    assert "Safeguarding notes" in page and "The law and facts behind it" in page
    assert lesson.teacher_notes.split("\n")[0].strip()[:40] in page


@pytest.mark.parametrize("make", [StudentFactory, GuardianFactory])
def test_students_and_guardians_get_404_everywhere(client, lesson, course, make):
    client.force_login(make())
    assert client.get(guide_url(lesson)).status_code == 404
    assert client.get(reverse("courses:lesson_print", args=[lesson.pk])).status_code == 404
    assert client.get(reverse("courses:family_letter", args=[course.pk])).status_code == 404
    page = text_of(client.get(lesson.url))
    assert "Teacher guide" not in page and guide_url(lesson) not in page
    assert guide_file()["lessons"][0]["en"]["essential_question"] not in page


def test_lesson_and_course_pages_link_staff_to_their_material(client, lesson, course):
    client.force_login(TeacherFactory())
    assert guide_url(lesson) in client.get(lesson.url).content.decode()
    assert reverse("courses:family_letter", args=[course.pk]) in client.get(course.url).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, lesson):
    assert client.get(guide_url(lesson)).status_code == 302


def test_unpublished_lesson_is_404(client, lesson):
    lesson.unpublish()
    client.force_login(TeacherFactory())
    assert client.get(guide_url(lesson)).status_code == 404


# ------------------------------------------------------------------ printable


def test_print_views_have_no_site_chrome(client, lesson, course):
    client.force_login(TeacherFactory())
    for url in (
        guide_url(lesson, print=1),
        reverse("courses:lesson_print", args=[lesson.pk]),
        reverse("courses:family_letter", args=[course.pk]) + "?print=1",
    ):
        page = client.get(url).content.decode()
        assert 'class="site-header' not in page and 'class="site-footer' not in page, url
        assert "css/print.css" in page, url
    handout = text_of(client.get(reverse("courses:lesson_print", args=[lesson.pk])))
    assert lesson.title in handout and "What would you do?" in handout
    screen = client.get(guide_url(lesson)).content.decode()
    assert 'class="site-header' in screen and "css/print.css" in screen


def test_print_stylesheet_sets_a4_and_hides_chrome(settings):
    from pathlib import Path

    css = (Path(settings.BASE_DIR) / "site/static/css/print.css").read_text()
    assert "size: A4" in css
    assert ".site-header" in css and ".site-footer" in css


def test_guide_follows_the_readers_language(client, lesson):
    """Without Chinese pages seeded, a zh-hans reader gets the English guide under Chinese
    headings; the full-curriculum test below covers the translated pages."""
    client.force_login(TeacherFactory(language="zh-hans"))
    response = client.get(guide_url(lesson))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
    assert "网络道德意识" in text_of(response)


def test_editor_edits_the_guide_in_its_own_admin_tab(client, lesson, course):
    client.force_login(EditorFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).content.decode()
    assert "Teacher guide" in page and "teacher_guide" in page and "Essential question" in page
    page = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert "Family letter" in page and "family_letter" in page
