"""Issue 17: present mode (a lesson's scenarios on the classroom screen, one step at a time, no
learner data) and the standards map (what each module supports: the Art. 13 dimensions and the
national 信息科技 and 道德与法治 standards), on the course page, as a printable page and a PDF."""

import html
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from courses import documents, seed, selectors, standards
from courses.curriculum import HERE, load_all
from courses.curriculum.check import STANDARDS_FILE, check_standards_file
from courses.models import DIMENSIONS, CoursePage
from printing.pdf import page_count
from tests.accounts.factories import EditorFactory, GuardianFactory, SchoolAdminFactory, StudentFactory, TeacherFactory
from tests.districts.factories import make_officer
from tests.schools.factories import ClassroomFactory, EnrollmentFactory

M01 = "m01-digital-citizenship.yaml"


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def present_url(lesson, **query):
    url = reverse("courses:lesson_present", args=[lesson.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def lesson(lessons):
    return lessons[0]


def scenarios_of(lesson):
    return [block.value for block in lesson.body if block.block_type == "scenario"]


# ------------------------------------------------------------------ present mode: the steps


def test_steps_are_situation_choices_one_verdict_per_choice_then_talk(lesson):
    steps = selectors.present_steps(lesson)
    expected = []
    for scenario in scenarios_of(lesson):
        expected += ["situation", "choices"] + ["verdict"] * len(scenario["choices"])
    expected.append("talk")
    assert [step["kind"] for step in steps] == expected
    first = scenarios_of(lesson)[0]
    choices = steps[1]["choices"]
    assert [c["letter"] for c in choices] == ["A", "B", "C", "D"][: len(first["choices"])]
    assert [c["text"] for c in choices] == [c["text"] for c in first["choices"]]  # authored order
    assert [s["choice"]["letter"] for s in steps[2 : 2 + len(choices)]] == [c["letter"] for c in choices]
    assert steps[-1]["questions"] == list(lesson.guide["discussion"])


def test_the_screen_heading_is_not_repeated_in_the_situation():
    choice = {"text": "Ask first.", "verdict": "good", "feedback": "Good choice. Asking shows respect."}
    block = SimpleNamespace(
        block_type="scenario", value={"prompt": "What would you do? Your club built a rocket.", "choices": [choice]}
    )
    steps = selectors.present_steps(SimpleNamespace(body=[block], guide=None))
    assert steps[0]["prompt"] == "Your club built a rocket."
    assert steps[2]["choice"]["feedback"] == "Asking shows respect."
    assert [step["kind"] for step in steps] == ["situation", "choices", "verdict"]


def test_a_lesson_without_a_guide_ends_on_its_last_verdict(lesson):
    lesson.teacher_guide = []
    lesson.save()
    steps = selectors.present_steps(lesson)
    assert steps[-1]["kind"] == "verdict"


def test_teacher_walks_the_steps_without_javascript(client, lesson):
    client.force_login(TeacherFactory())
    steps = selectors.present_steps(lesson)
    count = len(steps)
    first = text_of(client.get(present_url(lesson)))
    assert f"1 / {count}" in first
    assert scenarios_of(lesson)[0]["prompt"].strip()[:40] in first
    assert 'rel="next" href="?step=2&lang=en"' in first
    assert 'rel="prev"' not in first
    second = text_of(client.get(present_url(lesson, step=2)))
    assert f"2 / {count}" in second and "A" in second
    assert steps[1]["choices"][1]["text"] in second
    verdict = text_of(client.get(present_url(lesson, step=3)))
    assert steps[2]["choice"]["feedback"][:40] in verdict
    assert steps[2]["choice"]["verdict_label"] in verdict
    last = text_of(client.get(present_url(lesson, step=count)))
    assert f"{count} / {count}" in last and "Talk about it" in last and 'rel="next"' not in last
    assert lesson.guide["discussion"][0] in last
    # Out-of-range and junk steps land on the first or last step, never an error.
    assert f"{count} / {count}" in text_of(client.get(present_url(lesson, step=999)))
    assert f"1 / {count}" in text_of(client.get(present_url(lesson, step="x")))
    exit_link = reverse("courses:teacher_guide", args=[lesson.pk]) + "?lang=en"
    assert exit_link in last


def test_present_page_has_no_site_chrome_and_a_keyboard_hint(client, lesson):
    client.force_login(TeacherFactory())
    page = client.get(present_url(lesson)).content.decode()
    assert 'class="site-header' not in page and 'class="site-footer' not in page
    assert "css/present.css" in page and "js/present.js" in page
    assert "Keys: → or Space for next, ← for back, F for full screen" in html.unescape(page)
    assert len(scenarios_of(lesson)) == 1 and "Scenario 1 of 1" not in page  # no count for a lone scenario


def test_no_student_data_on_the_screen(client, lesson):
    teacher = TeacherFactory(first_name="Wenjing", last_name="Teacherson")
    classroom = ClassroomFactory(teachers=[teacher], name="Class 7Q")
    names = []
    for first, last in (("Zephyrine", "Quillfeather"), ("Bartholomew", "Xanthopoulos")):
        student = StudentFactory(first_name=first, last_name=last, username=f"{first.lower()}.q")
        EnrollmentFactory(classroom=classroom, student=student)
        names += [first, last, student.username]
    client.force_login(teacher)
    for step in range(1, len(selectors.present_steps(lesson)) + 1):
        page = client.get(present_url(lesson, step=step)).content.decode()
        found = [name for name in [*names, "Class 7Q", "Wenjing", "Teacherson"] if name in page]
        assert not found, (step, found)


@pytest.mark.parametrize("make", [StudentFactory, GuardianFactory, make_officer])
def test_present_mode_is_404_for_students_guardians_and_officers(client, lesson, make):
    client.force_login(make())
    assert client.get(present_url(lesson)).status_code == 404


@pytest.mark.parametrize("make", [TeacherFactory, SchoolAdminFactory, EditorFactory])
def test_staff_may_present(client, lesson, make):
    client.force_login(make())
    assert client.get(present_url(lesson)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, lesson):
    response = client.get(present_url(lesson))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_guide_and_lesson_page_link_to_present_mode(client, lesson):
    client.force_login(TeacherFactory())
    url = reverse("courses:lesson_present", args=[lesson.pk])
    assert url in client.get(reverse("courses:teacher_guide", args=[lesson.pk])).content.decode()
    assert url in client.get(lesson.url).content.decode()
    client.force_login(StudentFactory())
    assert url not in client.get(lesson.url).content.decode()


@pytest.fixture
def bilingual(db, tmp_path):
    """M1 in English and its real Chinese translation, with its guide."""
    target = tmp_path / "curriculum"
    (target / "guides").mkdir(parents=True)
    (target / "zh-hans").mkdir()
    shutil.copy(HERE / M01, target / M01)
    shutil.copy(HERE / "guides" / M01, target / "guides" / M01)
    shutil.copy(HERE / "zh-hans" / M01, target / "zh-hans" / M01)
    seed.run(directory=target)
    return CoursePage.objects.get(slug="digital-citizenship", locale__language_code="en")


def test_present_mode_in_chinese(client, bilingual):
    lesson = bilingual.lessons().first()
    zh_guide = yaml.safe_load((HERE / "guides" / M01).read_text(encoding="utf-8"))["lessons"][0]["zh-hans"]
    zh_lesson = yaml.safe_load((HERE / "zh-hans" / M01).read_text(encoding="utf-8"))["lessons"][0]
    zh_scenario = next(b for b in zh_lesson["body"] if b["type"] == "scenario")
    client.force_login(TeacherFactory(language="zh-hans"))
    first = text_of(client.get(present_url(lesson)))
    assert '<html lang="zh-hans">' in first
    assert "你会怎么做" in first and zh_scenario["prompt"].strip()[:20] in first
    count = len(selectors.present_steps(lesson))
    last = text_of(client.get(present_url(lesson, step=count)))
    assert zh_guide["discussion"][0] in last
    # ?lang=en overrides the teacher's language, as for the family letter
    english = text_of(client.get(present_url(lesson, lang="en")))
    assert '<html lang="en">' in english and "What would you do?" in english


# ------------------------------------------------------------------ the standards file


def test_every_module_is_mapped_and_the_file_is_valid():
    files = sorted(HERE.glob("m*.yaml"))
    assert check_standards_file(files) == []
    assert standards.module_codes() == [d["module"] for d in load_all()] == [f"M{n}" for n in range(1, 12)]
    for data in load_all():
        entry = standards.module_standards(data["module"], "en")
        assert [d["code"] for d in entry["dimensions"]] == [d for d in "MLUS" if d in data["dimensions"]]
        assert entry["it"]["literacies"] and entry["it"]["modules"] and entry["me"]["literacies"]


def test_dimension_labels_match_the_rest_of_the_site():
    data = standards.load_standards()
    with translation.override("en"):
        assert {k: v["en"] for k, v in data["dimensions"].items()} == {k: str(v) for k, v in DIMENSIONS.items()}
    assert {k: v["zh"] for k, v in data["dimensions"].items()} == documents.DIMENSION_TERMS_ZH


@pytest.fixture
def standards_dir(tmp_path):
    target = tmp_path / "curriculum"
    target.mkdir()
    for path in HERE.glob("m*.yaml"):
        shutil.copy(path, target / path.name)
    shutil.copy(HERE / STANDARDS_FILE, target / STANDARDS_FILE)
    return target


def _rewrite(directory: Path, change):
    path = directory / STANDARDS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_check_reports_a_missing_module_unknown_keys_and_values(standards_dir):
    def breaks(data):
        del data["modules"]["M4"]
        data["modules"]["M1"]["it"]["modules"].append("robotics")
        data["modules"]["M2"]["dimensions"] = ["S"]
        data["me_themes"]["law"]["zh"] = "Rule of law"
        data["clauses"] = {}

    _rewrite(standards_dir, breaks)
    text = "\n".join(check_standards_file(sorted(standards_dir.glob("m*.yaml"))))
    assert "top-level keys must be" in text
    assert "modules must be exactly" in text and "M4" in text
    assert "modules.M1.it.modules: unknown ['robotics']" in text
    assert "modules.M2.dimensions ['S'] differ from the module file's" in text
    assert "me_themes.law.zh: needs Chinese text" in text


def test_check_requires_the_file(standards_dir):
    (standards_dir / STANDARDS_FILE).unlink()
    assert check_standards_file(sorted(standards_dir.glob("m*.yaml"))) == [f"{STANDARDS_FILE}: missing"]


# ------------------------------------------------------------------ the course page


def test_course_page_shows_what_the_module_supports_in_english(client, course):
    client.force_login(StudentFactory())
    page = text_of(client.get(course.url))
    assert "What this module supports" in page
    section = page[page.index("What this module supports") :]
    assert "moral awareness" in section and "rule-of-law awareness" in section
    assert "personal and property safety" not in section  # M1 is M, L, U
    assert "Compulsory Education Information Technology Curriculum Standard (2022)" in section
    assert "Responsibility in the information society" in section
    assert "Stage 2 (grades 3–4) “Online learning and life”" in section
    assert "Rule-of-law education" in section
    assert "NetWise's reading" in section


def test_course_page_shows_the_standards_in_chinese(client, bilingual):
    client.force_login(StudentFactory(language="zh-hans"))
    page = text_of(client.get(bilingual.url))
    section = page[page.index("<details") :]
    assert "《义务教育信息科技课程标准（2022年版）》" in section
    assert "《义务教育道德与法治课程标准（2022年版）》" in section
    assert "信息社会责任、信息意识" in section
    assert "第二学段（3–4年级）“在线学习与生活”" in section
    assert "网络道德意识" in section and "法治教育" in section


def test_course_page_links_staff_to_the_map(client, course):
    client.force_login(TeacherFactory())
    assert reverse("courses:standards_map") in client.get(course.url).content.decode()
    client.force_login(StudentFactory())
    assert reverse("courses:standards_map") not in client.get(course.url).content.decode()


# ------------------------------------------------------------------ the map page and PDF


@pytest.mark.parametrize("make", [TeacherFactory, SchoolAdminFactory, EditorFactory, make_officer])
def test_staff_and_officers_see_the_map(client, catalogue, make, django_assert_max_num_queries):
    client.force_login(make())
    with django_assert_max_num_queries(12):
        response = client.get(reverse("courses:standards_map"))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count('<th scope="row">') == 11
    assert "M1 " in page and "M11" in page and "Digital citizenship" in page
    assert "《义务教育信息科技课程标准（2022年版）》" not in page  # English labels for an English reader
    assert "Compulsory Education Morality and Rule of Law Curriculum Standard (2022)" in page
    assert "NetWise's reading of the standards" in page
    assert reverse("courses:standards_map_pdf") + "?lang=en" in page


def test_the_map_in_chinese_and_printable(client, catalogue):
    client.force_login(TeacherFactory())
    page = text_of(client.get(reverse("courses:standards_map") + "?lang=zh-hans&print=1"))
    assert 'lang="zh-hans"' in page and "人工智能与智慧社会" in page and "生命安全与健康教育" in page
    assert 'class="site-header' not in page and "css/print.css" in page


def test_print_css_lays_the_map_on_a4_landscape(settings):
    css = (Path(settings.BASE_DIR) / "site/static/css/print.css").read_text()
    assert re.search(r"@page standards-map \{ size: A4 landscape;", css)
    assert ".standards-map { page: standards-map;" in css


@pytest.mark.parametrize("make", [StudentFactory, GuardianFactory])
def test_students_and_guardians_get_404_for_the_map(client, db, make):
    client.force_login(make())
    assert client.get(reverse("courses:standards_map")).status_code == 404
    assert client.get(reverse("courses:standards_map_pdf")).status_code == 404


@pytest.mark.parametrize("code", ["en", "zh-hans"])
def test_the_map_pdf_fills_one_or_two_landscape_pages(client, catalogue, code):
    client.force_login(TeacherFactory())
    response = client.get(reverse("courses:standards_map_pdf") + f"?lang={code}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="netwise-standards-map-{code}.pdf"'
    assert 1 <= page_count(response.content) <= documents.STANDARDS_MAX_PAGES
    assert b"/MediaBox [0 0 841.89 595.28]" in response.content  # A4 landscape
    if code == "zh-hans":
        assert b"NotoSansCJK" in response.content


def test_the_map_pdf_holds_every_module(catalogue):
    with translation.override("zh-hans"):
        rows = selectors.standards_map(code="zh-hans")
        doc = documents.standards_document(rows=rows, code="zh-hans", size=9)
    text = "\n".join(doc.written)
    assert all(f"M{n}" in text for n in range(1, 12))
    assert "信息社会责任" in text and "法治观念" in text and "网络法治观念" in text


def test_teacher_home_links_to_the_map(client, db):
    client.force_login(TeacherFactory())
    assert reverse("courses:standards_map") in client.get(reverse("learning:teacher_home")).content.decode()
