"""The curriculum in two languages: zh-hans files checked and seeded as Wagtail translations,
served at the same URLs by the learner's language, with progress and attempts shared."""

import shutil

import pytest
import yaml
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Locale

from courses import seed
from courses.blocks import scenario_order
from courses.curriculum import HERE, CurriculumError
from courses.curriculum.check import STRUCTURAL_KEYS, check_zh_files
from courses.models import CoursePage, LessonCompletion, LessonPage
from quizzes import seed as quiz_seed
from quizzes.models import Attempt, Question, QuizPage
from tests.accounts.factories import StudentFactory
from tests.courses.zh_fixture import write_zh

M01 = "m01-digital-citizenship.yaml"


@pytest.fixture
def bilingual_dir(tmp_path):
    """One English module and its (test-only) zh-hans counterpart."""
    target = tmp_path / "curriculum"
    target.mkdir()
    shutil.copy(HERE / M01, target / M01)
    write_zh(target / M01)
    return target


@pytest.fixture
def seeded(db, bilingual_dir):
    seed.run(directory=bilingual_dir)
    quiz_seed.run(directory=bilingual_dir)
    en = CoursePage.objects.get(slug="digital-citizenship", locale__language_code="en")
    zh = CoursePage.objects.get(slug="digital-citizenship", locale__language_code="zh-hans")
    return en, zh


def zh_student(**kwargs):
    return StudentFactory(language="zh-hans", **kwargs)


# ------------------------------------------------------------------ check


def test_check_counts_lessons_and_items_and_reports_missing_files(bilingual_dir):
    shutil.copy(HERE / "m07-cyberbullying.yaml", bilingual_dir / "m07-cyberbullying.yaml")
    errors, summary = check_zh_files(sorted(bilingual_dir.glob("m*.yaml")))
    assert errors == []
    assert summary.startswith("4 zh-hans lessons, 10 translated quiz items")
    assert "1 of 2 files not translated yet: m07-cyberbullying.yaml" in summary


def test_check_names_file_and_path_of_a_structural_mismatch(bilingual_dir):
    zh_path = bilingual_dir / "zh-hans" / M01
    data = yaml.safe_load(zh_path.read_text(encoding="utf-8"))
    data["lessons"][1]["body"][0]["choices"][0]["verdict"] = "partly"
    data["lessons"][2]["body"].pop()
    data["quiz"]["questions"][0]["text"] = "Which one is kind?"
    zh_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    errors, _ = check_zh_files([bilingual_dir / M01])
    text = "\n".join(errors)
    assert "zh-hans/m01-digital-citizenship.yaml: lessons[1].body[0].choices[0].verdict" in text
    assert "lessons[2].body:" in text
    assert "quiz.questions[0].text: not translated" in text


def test_check_counts_chinese_by_characters(bilingual_dir):
    zh_path = bilingual_dir / "zh-hans" / M01
    data = yaml.safe_load(zh_path.read_text(encoding="utf-8"))

    def shorten(value, key=""):
        if isinstance(value, dict):
            return {k: v if k in STRUCTURAL_KEYS else shorten(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [shorten(v) for v in value]
        return "<p>短。</p>" if key == "html" else "短。"

    data["lessons"][0]["body"] = shorten(data["lessons"][0]["body"])
    zh_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    errors, _ = check_zh_files([bilingual_dir / M01])
    assert any("lessons[0]" in e and "Chinese characters, needs 600+" in e for e in errors), errors


def test_true_false_options_are_dui_and_cuo(bilingual_dir):
    zh_path = bilingual_dir / "zh-hans" / M01
    data = yaml.safe_load(zh_path.read_text(encoding="utf-8"))
    question = next(q for q in data["quiz"]["questions"] if q["type"] == "truefalse")
    question["choices"][0]["text"] = "正确"
    zh_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    errors, _ = check_zh_files([bilingual_dir / M01])
    assert any("true/false options are '对', '错'" in e for e in errors)


# ------------------------------------------------------------------ seed


def test_seed_creates_translations_with_the_english_translation_keys(seeded):
    en, zh = seeded
    assert zh.translation_key == en.translation_key and zh.live
    assert zh.title == "数字公民：测试课程"
    assert zh.cover_image_id == en.cover_image_id and zh.cover_alt != en.cover_alt
    en_lessons, zh_lessons = list(en.lessons()), list(zh.lessons())
    assert [lesson.slug for lesson in zh_lessons] == [lesson.slug for lesson in en_lessons]
    assert [lesson.translation_key for lesson in zh_lessons] == [lesson.translation_key for lesson in en_lessons]
    assert all(lesson.locale.language_code == "zh-hans" for lesson in zh_lessons)
    en_quiz = QuizPage.objects.child_of(en).get()
    zh_quiz = QuizPage.objects.child_of(zh).get()
    assert zh_quiz.translation_key == en_quiz.translation_key and zh_quiz.live
    questions = list(Question.objects.filter(source_key__startswith="digital-citizenship:"))
    assert len(questions) == 10 and all(q.text_zh for q in questions)
    truefalse = next(q for q in questions if q.qtype == "truefalse")
    assert [c.text_zh for c in truefalse.choices.order_by("sort_order")] == ["对", "错"]


def test_reseeding_changes_nothing_and_a_changed_zh_file_updates_in_place(seeded, bilingual_dir):
    from wagtail.models import Revision

    en, zh = seeded
    revisions = Revision.objects.count()
    seed.run(directory=bilingual_dir)
    quiz_seed.run(directory=bilingual_dir)
    assert Revision.objects.count() == revisions

    zh_path = bilingual_dir / "zh-hans" / M01
    data = yaml.safe_load(zh_path.read_text(encoding="utf-8"))
    data["lessons"][0]["title"] = "同一个我：线上线下"
    data["quiz"]["questions"][0]["text"] = "哪一种做法最友善？"
    zh_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    seed.run(directory=bilingual_dir)
    quiz_seed.run(directory=bilingual_dir)
    first = zh.lessons().first()
    assert first.title == "同一个我：线上线下"
    assert LessonPage.objects.filter(locale__language_code="zh-hans").count() == 4  # in place, not a new page
    assert Question.objects.get(source_key="digital-citizenship:q1").text_zh == "哪一种做法最友善？"
    assert Revision.objects.count() == revisions + 1


def test_a_zh_file_that_breaks_parity_is_refused(db, bilingual_dir):
    zh_path = bilingual_dir / "zh-hans" / M01
    data = yaml.safe_load(zh_path.read_text(encoding="utf-8"))
    data["lessons"].pop()
    zh_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CurriculumError, match="lessons: 4 items in English, 3 in Chinese"):
        seed.run(directory=bilingual_dir)


def test_the_zh_locale_exists_after_migrations(db):
    assert Locale.objects.filter(language_code="zh-hans").exists()


# ------------------------------------------------------------------ serving


def test_the_learners_language_picks_the_tree_at_the_same_url(client, seeded):
    en, zh = seeded
    lesson = en.lessons().first()
    zh_lesson = zh.lessons().first()
    assert zh_lesson.url == lesson.url  # one URL scheme for both languages

    client.force_login(StudentFactory(language="en"))
    html = client.get(lesson.url).content.decode()
    assert lesson.title in html and "这是测试用的中文" not in html

    client.force_login(zh_student())
    html = client.get(lesson.url).content.decode()
    assert zh_lesson.title in html and "这是测试用的中文" in html
    assert "data-language-fallback" not in html
    # The way on reads as Chinese does: the title straight after the full-width colon.
    following = zh.lessons()[1].title
    assert f"下一课时：{following}" in html and "下一课时： " not in html
    # So does the lesson's goal (a bold label: the value right after its colon).
    assert f"<strong>目标：</strong>{zh_lesson.objective}" in html
    catalogue = client.get("/learn/").content.decode()
    assert "数字公民：测试课程" in catalogue and "课程" in catalogue


def test_a_page_missing_in_the_learners_language_falls_back_with_a_notice(client, seeded):
    en, zh = seeded
    missing = zh.lessons()[1]
    english = en.lessons()[1]
    missing.unpublish()
    client.force_login(zh_student())
    response = client.get(english.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert english.title in html and "data-language-fallback" in html


def test_a_lesson_not_yet_translated_is_listed_in_english_on_the_chinese_course_page(client, seeded):
    """Completion counts the English course's lessons: a new lesson an editor has not translated
    yet must not leave Chinese learners one lesson short with no way to see which."""
    en, zh = seeded
    extra = en.add_child(instance=LessonPage(title="Group chats and kindness", slug="group-chats", objective="Be kind"))
    extra.save_revision().publish()
    pupil = zh_student()
    client.force_login(pupil)
    response = client.get(zh.url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    rows = response.context["lesson_rows"]
    assert len(rows) == en.lessons().count() == zh.lessons().count() + 1
    assert [row["lesson"].translation_key for row in rows] == [lesson.translation_key for lesson in en.lessons()]
    assert [row["fallback"] for row in rows] == [False] * (len(rows) - 1) + [True]
    html = response.content.decode()
    assert 'lang="en">Group chats and kindness</a>' in html
    for row in rows:
        client.post(reverse("courses:lesson_done", args=[row["lesson"].pk]))
    response = client.get(zh.url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.context["done_count"] == response.context["lesson_count"] == len(rows)


def test_each_reader_sees_the_course_title_in_their_language_only(client, seeded):
    """The English course's `title_zh` (网络文明) is for Chinese readers of an untranslated course:
    an English page never shows it, and the Chinese page has its own title."""
    en, zh = seeded
    client.force_login(StudentFactory(language="en"))
    for url in (en.url, "/learn/"):
        html = client.get(url).content.decode()
        assert en.title in html and en.title_zh == "网络文明" and en.title_zh not in html, url
    client.force_login(zh_student())
    for url in (zh.url, "/learn/"):
        html = client.get(url).content.decode()
        assert zh.title in html and en.title_zh not in html and en.title not in html, url


def test_a_chinese_reader_of_an_untranslated_course_sees_both_titles_marked(client, catalogue):
    """No Chinese version yet: the English title is marked English and the Chinese title
    beside it Chinese, on the course page and the catalogue card."""
    course = CoursePage.objects.get(slug="digital-citizenship")
    client.force_login(zh_student())
    html = client.get(course.url).content.decode()
    assert f'<h1 lang="en">{course.title}</h1>' in html
    assert '<p class="muted" lang="zh-Hans">网络文明</p>' in html
    html = client.get("/learn/").content.decode()
    assert f'lang="en">{course.title}</a>' in html
    assert '<p class="muted" lang="zh-Hans">网络文明</p>' in html


def test_a_chinese_readers_previous_and_next_lead_through_a_lesson_not_yet_translated(client, seeded):
    """The lesson buttons follow the Chinese course page's outline: the lesson with no Chinese
    version is visited (in English) between its neighbours, not skipped."""
    en, zh = seeded
    english, chinese = list(en.lessons()), list(zh.lessons())
    chinese[1].unpublish()  # lesson 2 has no Chinese version yet
    client.force_login(zh_student())

    first = client.get(chinese[0].url).context
    assert first["next_lesson"].pk == english[1].pk
    assert (first["lesson_position"], first["lesson_total"]) == (1, 4)

    untranslated = client.get(english[1].url)
    html = untranslated.content.decode()
    assert "data-language-fallback" in html
    context = untranslated.context
    assert context["previous_lesson"].pk == chinese[0].pk and context["next_lesson"].pk == chinese[2].pk
    assert context["course"].pk == zh.pk  # the breadcrumb names the Chinese course
    assert (context["lesson_position"], context["lesson_total"]) == (2, 4)
    # The English title inside the Chinese "下一课时：…" says which language it is in.
    assert f'<span lang="en">{escape(english[1].title)}</span>' in client.get(chinese[0].url).content.decode()

    third = client.get(chinese[2].url).context
    assert third["previous_lesson"].pk == english[1].pk and third["next_lesson"].pk == chinese[3].pk


def test_a_chinese_course_without_its_quiz_translated_still_leads_on_to_the_quiz(client, seeded):
    """The course page lists the English quiz (marked English, "not translated yet") and the
    last lesson's button leads to it, as the outline does for an untranslated lesson; once the
    Chinese quiz is live, both lead to that one."""
    en, zh = seeded
    quiz = QuizPage.objects.child_of(en).get()
    chinese_quiz = QuizPage.objects.get(translation_key=quiz.translation_key, locale=zh.locale)
    chinese_quiz.unpublish()
    last = list(zh.lessons())[-1]
    client.force_login(zh_student())

    course = client.get(zh.url)
    assert [page.pk for page in course.context["activities"]] == [quiz.pk]
    assert f'href="{quiz.url}" lang="en">{escape(quiz.title)}</a> <span class="badge">' in course.content.decode()
    lesson = client.get(last.url)
    assert lesson.context["next_activity"].pk == quiz.pk
    assert f'<span lang="en">{escape(quiz.title)}</span>' in lesson.content.decode()

    chinese_quiz.save_revision().publish()
    assert [page.pk for page in client.get(zh.url).context["activities"]] == [chinese_quiz.pk]
    assert client.get(last.url).context["next_activity"].pk == chinese_quiz.pk


def test_a_private_chinese_lesson_is_not_shown_in_its_place(client, seeded):
    """A view-restricted translation (an editor's group only) is never put in the English
    lesson's place on the Chinese outline or behind "Next": the public English lesson is."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    en, zh = seeded
    english, chinese = list(en.lessons()), list(zh.lessons())
    restriction = PageViewRestriction.objects.create(page=chinese[1], restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Reviewers"))
    client.force_login(zh_student())
    rows = client.get(zh.url).context["lesson_rows"]
    assert [row["lesson"].pk for row in rows] == [chinese[0].pk, english[1].pk, chinese[2].pk, chinese[3].pk]
    assert client.get(chinese[0].url).context["next_lesson"].pk == english[1].pk


def test_a_chinese_lesson_keeps_its_place_while_its_english_lesson_is_unpublished(client, seeded):
    en, zh = seeded
    english, chinese = list(en.lessons()), list(zh.lessons())
    english[1].unpublish()
    client.force_login(zh_student())
    rows = client.get(zh.url).context["lesson_rows"]
    assert [row["lesson"].pk for row in rows] == [p.pk for p in chinese]
    assert client.get(chinese[0].url).context["next_lesson"].pk == chinese[1].pk
    last = client.get(chinese[3].url).context
    assert last["next_lesson"] is None and last["lesson_position"] == 4


def test_an_english_readers_previous_and_next_stay_in_english(client, seeded):
    en, _ = seeded
    english = list(en.lessons())
    client.force_login(StudentFactory(language="en"))
    context = client.get(english[1].url).context
    assert context["previous_lesson"].pk == english[0].pk and context["next_lesson"].pk == english[2].pk
    assert context["course"].pk == en.pk and context["lesson_total"] == 4


def test_switching_language_saves_it_on_the_account(client, seeded):
    student = StudentFactory(language="en")
    client.force_login(student)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    student.refresh_from_db()
    assert student.language == "zh-hans"


# ------------------------------------------------------------------ search


def _retitle(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def _result_ids(response) -> list[int]:
    return [page.pk for page in response.context["page_obj"]]


def test_a_chinese_search_finds_the_words_inside_titles(client, seeded):
    """Chinese is written without spaces, so the search backend takes 什么是个人信息 for one word:
    a part of it must still find the page, titles first, then a match in a lesson's goal."""
    en, zh = seeded
    chinese = list(zh.lessons())
    _retitle(chinese[2], title="什么是个人信息")
    _retitle(chinese[0], objective="学会保护自己的个人信息。")
    client.force_login(zh_student())
    response = client.get(reverse("courses:search"), {"q": "个人信息"})
    assert _result_ids(response) == [chinese[2].pk, chinese[0].pk]
    assert "什么是个人信息" in response.content.decode()
    # Each space-separated part must be there, as in the backend's "and" search.
    assert _result_ids(client.get(reverse("courses:search"), {"q": "什么 信息"})) == [chinese[2].pk]
    assert _result_ids(client.get(reverse("courses:search"), {"q": "个人 密码"})) == []
    # A Chinese lesson that is not live is not found.
    chinese[2].unpublish()
    assert _result_ids(client.get(reverse("courses:search"), {"q": "个人信息"})) == [chinese[0].pk]


def test_a_chinese_search_finds_words_in_a_lessons_text(client, seeded):
    """Words only the lessons' text holds (every test lesson's body has 字数足够, no title, goal
    or summary does) find those lessons, in the reader's language, live ones only."""
    en, zh = seeded
    chinese = list(zh.lessons())
    client.force_login(zh_student())
    assert set(_result_ids(client.get(reverse("courses:search"), {"q": "字数足够"}))) == {p.pk for p in chinese}
    assert set(_result_ids(client.get(reverse("courses:search"), {"q": "字数足够 双语课程"}))) == {
        p.pk for p in chinese
    }
    assert _result_ids(client.get(reverse("courses:search"), {"q": "字数足够 密码学"})) == []
    # A Latin part is not looked for in the text's JSON, whose keys ("type", "value") every
    # lesson has.
    assert _result_ids(client.get(reverse("courses:search"), {"q": "字数足够 value"})) == []
    chinese[1].unpublish()
    found = _result_ids(client.get(reverse("courses:search"), {"q": "字数足够"}))
    assert chinese[1].pk not in found and len(found) == len(chinese) - 1


def test_a_chinese_search_pages_its_results(client, seeded, monkeypatch):
    from courses import views

    _, zh = seeded
    monkeypatch.setattr(views, "SEARCH_PAGE_SIZE", 2)
    client.force_login(zh_student())
    first = client.get(reverse("courses:search"), {"q": "中文"})  # in every test lesson's title
    assert first.context["page_obj"].paginator.count >= 4 and len(_result_ids(first)) == 2
    second = client.get(reverse("courses:search"), {"q": "中文", "page": 2})
    assert not set(_result_ids(first)) & set(_result_ids(second))


@pytest.mark.parametrize("query", ['"', 'priv"acy', '"privacy', '个人"信息', "\x00"])
def test_a_quote_in_the_search_box_is_not_an_error(client, seeded, query):
    client.force_login(zh_student())
    assert client.get(reverse("courses:search"), {"q": query}).status_code == 200


def test_an_english_search_is_unchanged_by_chinese_matching(client, seeded):
    en, _ = seeded
    english = list(en.lessons())
    client.force_login(StudentFactory(language="en"))
    response = client.get(reverse("courses:search"), {"q": english[1].title})
    assert english[1].pk in _result_ids(response)
    assert all(page.locale_id == en.locale_id for page in response.context["page_obj"])


# ------------------------------------------------------------------ shared progress


def test_completing_the_zh_lesson_completes_the_english_one(client, seeded, teacher):
    from learning.models import Progress, ProgressStatus
    from tests.learning.factories import assign
    from tests.schools.factories import ClassroomFactory, make_student

    en, zh = seeded
    english, chinese = en.lessons().first(), zh.lessons().first()
    classroom = ClassroomFactory(teachers=[teacher])
    pupil = make_student(classroom)
    pupil.language = "zh-hans"
    pupil.save()
    assign(classroom, english, teacher=teacher)

    client.force_login(pupil)
    client.post(reverse("courses:lesson_done", args=[chinese.pk]))
    assert LessonCompletion.objects.filter(user=pupil, lesson=english).exists()
    assert not LessonCompletion.objects.filter(lesson=chinese).exists()
    assert Progress.objects.get(student=pupil, page=english).status == ProgressStatus.COMPLETED
    # The Chinese course page shows it done too.
    assert client.get(zh.url).context["done_count"] == 1

    client.force_login(teacher)  # the teacher reads English
    response = client.get(reverse("learning:class_dashboard", args=[classroom.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert english.title in html and chinese.title not in html


def test_a_quiz_started_in_chinese_continues_in_english(client, seeded):
    en, zh = seeded
    en_quiz = QuizPage.objects.child_of(en).get()
    zh_quiz = QuizPage.objects.child_of(zh).get()
    pupil = zh_student()
    client.force_login(pupil)
    response = client.post(reverse("quizzes:start", args=[zh_quiz.pk]))
    attempt = Attempt.objects.get(student=pupil)
    assert attempt.quiz_id == en_quiz.pk
    take = client.get(response["Location"]).content.decode()
    first = Question.objects.get(pk=attempt.layout[0]["q"])
    assert first.text_zh in take and zh_quiz.title in take
    option = first.choices.get(pk=attempt.layout[0]["o"][0])
    assert option.text_zh in take

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("quizzes:start", args=[en_quiz.pk]))
    assert Attempt.objects.filter(student=pupil).count() == 1
    take = client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    assert first.text in take and first.text_zh not in take


# ------------------------------------------------------------------ scenario order


def test_scenario_order_is_stable_per_learner_and_differs_between_learners():
    orders = {tuple(scenario_order(4, user_id=user, lesson_key="k", block_index=0)) for user in range(1, 30)}
    assert len(orders) > 5
    assert scenario_order(4, user_id=7, lesson_key="k", block_index=2) == scenario_order(
        4, user_id=7, lesson_key="k", block_index=2
    )
    assert sorted(scenario_order(3, user_id=7, lesson_key="k", block_index=2)) == [0, 1, 2]


def test_scenario_choices_render_in_the_learners_order(client, seeded):
    import re
    from html import unescape

    en, _ = seeded
    lesson = en.lessons().first()
    first_scenario = next(i for i, block in enumerate(lesson.body) if block.block_type == "scenario")
    texts = [c["text"] for c in lesson.body[first_scenario].value["choices"]]

    def shown(user):
        client.force_login(user)
        html = client.get(lesson.url).content.decode()
        summaries = [unescape(s) for s in re.findall(r"<summary>(.*?)</summary>", html, re.S)]
        return [s for s in summaries if s in texts][: len(texts)]

    users = [StudentFactory() for _ in range(6)]
    seen = [tuple(shown(user)) for user in users]
    assert all(sorted(order) == sorted(texts) for order in seen)
    assert len(set(seen)) > 1  # different learners, different orders
    assert tuple(shown(users[0])) == seen[0]  # the same learner, the same order
    for user, order in zip(users, seen, strict=True):
        expected = scenario_order(
            len(texts), user_id=user.pk, lesson_key=lesson.translation_key, block_index=first_scenario
        )
        assert list(order) == [texts[i] for i in expected]


# ------------------------------------------------------------------ editors


def test_publishing_the_english_page_marks_its_translation_for_review(client, seeded, editor):
    from courses.models import TranslationReview
    from courses.selectors import untranslated_pages

    en, zh = seeded
    assert not TranslationReview.objects.exists()
    english, chinese = en.lessons().first(), zh.lessons().first()
    english.objective = "A changed objective."
    english.save_revision().publish()
    review = TranslationReview.objects.get()
    assert review.page_id == chinese.pk and review.source_id == english.pk

    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 translation needing review" in html and chinese.title in html
    assert "0 pages without a Chinese translation" in html

    chinese.objective = "新的目标。"
    chinese.save_revision().publish()
    assert not TranslationReview.objects.exists()

    extra = LessonPage(title="Extra", slug="extra", objective="More.", body=[])
    en.add_child(instance=extra)
    assert [page.pk for page in untranslated_pages()] == [extra.pk]


def test_my_learning_lists_assignments_in_the_learners_language(client, seeded, teacher):
    from tests.learning.factories import assign
    from tests.schools.factories import ClassroomFactory, make_student

    en, zh = seeded
    classroom = ClassroomFactory(teachers=[teacher])
    pupil = make_student(classroom)
    assign(classroom, en, teacher=teacher)
    client.force_login(pupil)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert en.title in html and zh.title not in html
    pupil.language = "zh-hans"
    pupil.save()
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert zh.title in html and f">{en.title}<" not in html
    assert f'href="{en.url}"' in html  # the same URL: the language picks the page


def test_certificates_and_digests_name_the_course_in_chinese(seeded):
    from learning.certificates import services as certificates
    from learning.family_mail import digests

    en, zh = seeded
    assert certificates._course_title(en, "zh-hans") == zh.title
    assert certificates._course_title(en, "en") == en.title
    assert digests._titles([en.pk], "zh-hans") == {en.pk: zh.title}
    assert digests._titles([en.pk], "en") == {en.pk: en.title}


def test_the_editors_home_says_what_waits_for_them(client, seeded, editor, django_assert_max_num_queries):
    """An editor's day starts on NetWise's home: how many Chinese pages may be out of date, how
    many pages have no Chinese version and how many have unpublished changes, in their language."""
    en, zh = seeded
    client.force_login(editor)
    html = client.get("/").content.decode()
    assert "Nothing is waiting" in html
    english = en.lessons().first()
    english.objective = "A changed objective."
    english.save_revision().publish()  # its Chinese page now needs a look
    en.add_child(instance=LessonPage(title="Extra", slug="extra", objective="More.", body=[]))  # no Chinese yet
    draft = en.lessons().last()
    draft.objective = "Not ready yet."
    draft.save_revision()  # saved, not published
    with django_assert_max_num_queries(12):
        html = client.get("/").content.decode()
    waiting = html.split('data-testid="editor-waiting"')[1].split("</section>")[0]
    assert "1 Chinese page may be out of date" in waiting
    assert "1 course, lesson or quiz has no Chinese version yet." in waiting
    assert "1 page has changes that are not published yet." in waiting
    editor.language = "zh-hans"
    editor.save(update_fields=["language"])
    waiting = client.get("/").content.decode().split('data-testid="editor-waiting"')[1]
    assert "1 个中文页面可能已经过时" in waiting and "1 个页面有尚未发布的修改。" in waiting
