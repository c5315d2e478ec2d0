"""Age versions of lessons (issue 17): the versions files, their reading levels, the seed, and
which version the lesson page shows to whom."""

import html as html_module
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from wagtail.models import Revision

from courses import seed
from courses.curriculum import HERE, CurriculumError, load_all, load_versions
from courses.curriculum.check import check_version_files, check_versions, version_text
from courses.models import LessonPage
from courses.readability import chinese_level, english_level
from tests.schools.factories import make_student

M01 = "m01-digital-citizenship.yaml"
VERSION_FILES = sorted((HERE / "versions").glob("m*.yaml"))
# A phrase of each version of disagree-well, and of its normal first scenario.
NORMAL, YOUNGER, OLDER = "lantern festival", "Blue Tigers", "ban phones in secondary schools"
ZH_NORMAL, ZH_YOUNGER, ZH_OLDER = "灯会", "蓝色老虎队", "禁止中学生带手机"


def versioned(path: Path):
    return [(path.name, lesson) for lesson in yaml.safe_load(path.read_text(encoding="utf-8"))["lessons"]]


# ------------------------------------------------------------------ the files


def test_there_are_versions_files_and_every_one_validates():
    assert VERSION_FILES, "no courses/curriculum/versions/*.yaml"
    assert check_version_files(sorted(HERE.glob("m*.yaml"))) == []


@pytest.mark.parametrize(
    "name,lesson",
    [item for path in VERSION_FILES for item in versioned(path)],
    ids=lambda v: getattr(v, "get", None) and v.get("slug") or str(v),
)
def test_reading_targets_hold_and_the_versions_differ(name, lesson):
    """Measured here independently of check.py, so a lenient checker cannot hide a miss."""
    for language in ("en", "zh-hans"):
        young, old = (version_text(lesson[age][language], language) for age in ("younger", "older"))
        assert (
            young != old
            and lesson["younger"][language]["scenario"]["prompt"] != lesson["older"][language]["scenario"]["prompt"]
        )
    young, old = (english_level(version_text(lesson[age]["en"], "en")).grade for age in ("younger", "older"))
    assert young <= 5.0, (name, lesson["slug"], "younger en", young)
    assert 7.0 <= old <= 11.0, (name, lesson["slug"], "older en", old)
    assert old - young >= 2.5, (name, lesson["slug"], young, old)
    young, old = (
        chinese_level(version_text(lesson[age]["zh-hans"], "zh-hans")).mean_sentence for age in ("younger", "older")
    )
    assert young <= 16, (name, lesson["slug"], "younger zh", young)
    assert old >= 20, (name, lesson["slug"], "older zh", old)
    for age in ("younger", "older"):
        en, zh = lesson[age]["en"]["scenario"]["choices"], lesson[age]["zh-hans"]["scenario"]["choices"]
        assert [c["verdict"] for c in en] == [c["verdict"] for c in zh]


def _m01():
    return next(data for data in load_all() if data["slug"] == "digital-citizenship")


def _versions():
    return yaml.safe_load((HERE / "versions" / M01).read_text(encoding="utf-8"))


def test_check_rejects_a_younger_version_that_reads_too_hard_naming_the_lesson_and_grade():
    versions = _versions()
    hard = (
        "Notwithstanding considerable institutional encouragement, participants frequently misinterpret "
        "deliberately ambiguous communications, consequently generating unnecessary interpersonal antagonism."
    )
    scenario = versions["lessons"][0]["younger"]["en"]["scenario"]
    scenario["prompt"] = hard
    for choice in scenario["choices"]:
        choice["text"] = choice["feedback"] = hard
    errors = check_versions(versions, _m01(), M01)
    assert len(errors) == 2, errors
    prefix = "versions/m01-digital-citizenship.yaml: lesson disagree-well"
    assert errors[0].startswith(f"{prefix}.younger.en: reads at grade ") and errors[0].endswith(", needs 3.0-5.0")
    measured = float(errors[0].split("reads at grade ")[1].split(",")[0])
    assert measured > 15, errors[0]
    assert errors[1].startswith(f"{prefix}: the older version reads only") and f"vs {measured})" in errors[1]


def test_check_rejects_unknown_slugs_changed_verdicts_and_wrong_bands():
    versions = _versions()
    course = _m01()
    choices = versions["lessons"][0]["older"]["zh-hans"]["scenario"]["choices"]
    choices[0], choices[1] = choices[1], choices[0]
    versions["lessons"][1]["slug"] = "no-such-lesson"
    next(lesson for lesson in course["lessons"] if lesson["slug"] == "disagree-well")["bands"] = ["A", "B"]
    text = "\n".join(check_versions(versions, course, M01))
    assert "lesson no-such-lesson: no lesson with this slug in m01-digital-citizenship.yaml" in text
    assert "lesson disagree-well.older.zh-hans: choices' verdicts ['partly', 'good', 'bad'] differ" in text
    assert "lesson disagree-well: its bands ['A', 'B'] include none for older learners (C/D)" in text


def test_check_rejects_keys_outside_the_format():
    versions = _versions()
    versions["lessons"][0]["younger"]["en"]["scenario"]["choices"].pop()
    versions["lessons"][1]["older"]["en"]["title"] = "extra"
    text = "\n".join(check_versions(versions, _m01(), M01))
    assert "lesson disagree-well.younger.en.scenario: needs exactly 3 choices" in text
    assert "lesson group-chat-manners.older.en: needs exactly 'scenario' and 'examples'" in text


def test_check_rejects_older_chinese_in_short_sentences():
    versions = _versions()
    older = versions["lessons"][1]["older"]["zh-hans"]
    older["examples"] = "<p>" + "。".join(["我们一起说短句"] * 80) + "。</p>"
    text = "\n".join(check_versions(versions, _m01(), M01))
    assert "lesson group-chat-manners.older.zh-hans: mean sentence " in text
    assert "characters, needs 20-30" in text


def test_check_rejects_older_chinese_in_long_comma_chains():
    versions = _versions()
    older = versions["lessons"][1]["older"]["zh-hans"]
    chain = "我们把很多句子用逗号连在一起，一口气说下去，中间不停下来，读起来很累，也很难记住前面说了什么"
    older["examples"] = "<p>" + "。".join([chain] * 80) + "。</p>"
    text = "\n".join(check_versions(versions, _m01(), M01))
    assert "lesson group-chat-manners.older.zh-hans: mean sentence " in text
    assert "characters, needs 20-30" in text


def test_check_rejects_younger_english_in_baby_talk():
    versions = _versions()
    younger = versions["lessons"][0]["younger"]["en"]
    younger["scenario"]["prompt"] = " ".join(["I am sad. It is bad."] * 20)
    for choice in younger["scenario"]["choices"]:
        choice["text"] = choice["feedback"] = "Go. Stop. Be kind."
    younger["examples"] = "<p>" + " ".join(["We can talk. It is fun."] * 20) + "</p>"
    errors = check_versions(versions, _m01(), M01)
    prefix = "versions/m01-digital-citizenship.yaml: lesson disagree-well"
    too_easy = [e for e in errors if e.startswith(f"{prefix}.younger.en: reads at grade ")]
    assert too_easy and too_easy[0].endswith(", needs 3.0-5.0"), errors
    assert float(too_easy[0].split("reads at grade ")[1].split(",")[0]) < 3.0


def test_loader_raises_on_a_broken_file(versions_dir):
    path = versions_dir / "versions" / M01
    path.write_text(path.read_text(encoding="utf-8").replace("verdict: partly", "verdict: maybe", 1), encoding="utf-8")
    data = next(d for d in load_all(versions_dir))
    with pytest.raises(CurriculumError, match="lesson disagree-well.younger.en.scenario.choices"):
        load_versions(data)


# ------------------------------------------------------------------ the seed


def test_seed_loads_versions_into_both_languages_and_reseeding_creates_nothing(versions_dir, versioned_lessons):
    english = versioned_lessons["disagree-well"]
    chinese = LessonPage.objects.get(translation_key=english.translation_key, locale__language_code="zh-hans")
    assert english.age_version_names == ["younger", "older"]
    assert YOUNGER in english.age_version_value("younger")["scenario"]["prompt"]
    assert ZH_OLDER in chinese.age_version_value("older")["scenario"]["prompt"]
    assert "<li>" in chinese.age_version_value("younger")["examples"].source
    assert versioned_lessons["same-me-online"].age_version_names == []
    pages, revisions = LessonPage.objects.count(), Revision.objects.count()
    seed.run(directory=versions_dir)
    assert (LessonPage.objects.count(), Revision.objects.count()) == (pages, revisions)


# ------------------------------------------------------------------ who sees what


def _html(client, user, lesson, **params):
    client.force_login(user)
    response = client.get(lesson.url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "grade,shown,hidden",
    [
        (4, YOUNGER, (NORMAL, OLDER)),
        (6, YOUNGER, (NORMAL, OLDER)),
        (8, OLDER, (NORMAL, YOUNGER)),
        (None, NORMAL, (YOUNGER, OLDER)),
    ],
)
def test_a_student_sees_the_version_for_their_grade(client, versioned_lessons, grade, shown, hidden):
    html = _html(client, make_student(grade=grade), versioned_lessons["disagree-well"])
    assert shown in html
    assert not any(text in html for text in hidden)
    if grade is None:
        assert "This lesson is shown for ages" not in html
    else:
        assert ("This lesson is shown for ages 9–12." in html) == (grade <= 6)
        assert ('class="age-version-examples"' in html) and "Examples" in html


def test_a_chinese_student_sees_the_chinese_version(client, versioned_lessons):
    html = _html(client, make_student(grade=4, language="zh-hans"), versioned_lessons["disagree-well"])
    assert ZH_YOUNGER in html and ZH_NORMAL not in html and ZH_OLDER not in html
    assert "本课时按 9–12 岁的版本显示。" in html


def test_a_student_cannot_switch_with_the_parameter(client, versioned_lessons):
    html = _html(client, make_student(grade=4), versioned_lessons["disagree-well"], version="older")
    assert YOUNGER in html and OLDER not in html
    assert 'href="?version=older"' not in html  # no preview links for students


def test_a_lesson_without_versions_is_unchanged(client, versioned_lessons):
    html = _html(client, make_student(grade=4), versioned_lessons["same-me-online"])
    assert "age-version" not in html


@pytest.mark.parametrize("role", ["teacher", "school_admin", "editor"])
def test_staff_preview_each_version_on_the_page_and_in_print(client, versioned_lessons, role, request):
    user = request.getfixturevalue(role)
    lesson = versioned_lessons["disagree-well"]
    html = _html(client, user, lesson)
    assert NORMAL in html and YOUNGER not in html
    assert 'href="?version=younger"' in html and 'href="?version=older"' in html
    html = _html(client, user, lesson, version="older")
    assert OLDER in html and NORMAL not in html
    assert f"{reverse('courses:lesson_print', args=[lesson.pk])}?version=older" in html
    printed = client.get(reverse("courses:lesson_print", args=[lesson.pk]), {"version": "younger"}).content.decode()
    assert YOUNGER in printed and NORMAL not in printed
    printed = client.get(reverse("courses:lesson_print", args=[lesson.pk]), {"version": "bogus"}).content.decode()
    assert NORMAL in printed and YOUNGER not in printed


def test_a_guardian_cannot_preview(client, versioned_lessons, guardian):
    html = _html(client, guardian, versioned_lessons["disagree-well"], version="older")
    assert NORMAL in html and OLDER not in html


def test_a_version_costs_the_lesson_page_two_queries_at_most(client, versioned_lessons):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_student(grade=8))

    def count(lesson):
        client.get(lesson.url)  # settle first-visit side effects (progress rows)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(lesson.url).status_code == 200
        return len(ctx)

    plain = count(versioned_lessons["same-me-online"])
    with_version = count(versioned_lessons["disagree-well"])
    assert with_version <= plain + 2, (plain, with_version)
    assert with_version > plain  # the assignment and grade reads happen (the test can fail)


def test_editors_author_versions_in_their_own_admin_tab_and_the_chinese_page_holds_its_own(client, versioned_lessons):
    from tests.accounts.factories import EditorFactory

    english = versioned_lessons["disagree-well"]
    chinese = LessonPage.objects.get(translation_key=english.translation_key, locale__language_code="zh-hans")
    client.force_login(EditorFactory(is_staff=True, is_superuser=True))
    for page in (english, chinese):
        html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        assert "Age versions" in html and "age_versions" in html and "A version replaces" in html
    assert (ZH_YOUNGER in str(chinese.age_versions.raw_data)) and (ZH_YOUNGER not in str(english.age_versions.raw_data))


def test_at_most_one_version_of_each_age():
    from django.core.exceptions import ValidationError

    from courses.blocks import AgeVersionsBlock

    block = AgeVersionsBlock()
    value = {
        "scenario": {"prompt": "P", "choices": [{"text": "a", "verdict": "good", "feedback": "f"}] * 2},
        "examples": "<p>x</p>",
    }
    twice = block.to_python([{"type": "younger", "value": value}, {"type": "younger", "value": value}])
    with pytest.raises(ValidationError):
        block.clean(twice)
    block.clean(block.to_python([{"type": "younger", "value": value}, {"type": "older", "value": value}]))


def test_present_mode_shows_the_previewed_version_and_keeps_it_from_step_to_step(client, versioned_lessons, teacher):
    lesson = versioned_lessons["disagree-well"]
    client.force_login(teacher)
    page = client.get(lesson.url, {"version": "younger"}).content.decode()
    present = reverse("courses:lesson_present", args=[lesson.pk])
    assert f'href="{present}?version=younger"' in page  # "Present in class" carries the preview
    first = client.get(present, {"version": "younger"}).content.decode()
    assert YOUNGER in html_module.unescape(first) and "ages 9–12" in first
    assert 'href="?step=2&amp;lang=en&amp;version=younger"' in first
    as_written = html_module.unescape(client.get(present).content.decode())
    assert YOUNGER not in as_written and "ages 9–12" not in as_written
    # The choices of the younger scenario are the ones shown, not the lesson's own.
    younger_choice = lesson.age_version_value("younger")["scenario"]["choices"][0]["text"]
    second = html_module.unescape(client.get(present, {"version": "younger", "step": 2}).content.decode())
    assert younger_choice in second


def test_a_student_cannot_reach_present_mode_with_a_version(client, versioned_lessons):
    lesson = versioned_lessons["disagree-well"]
    client.force_login(make_student(grade=4))
    url = reverse("courses:lesson_present", args=[lesson.pk])
    assert client.get(url, {"version": "older"}).status_code == 404
