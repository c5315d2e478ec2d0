"""Reads other apps use to show the curriculum (the learner pages build their own context
from page methods in courses/models.py)."""

import json
import re

from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from . import standards
from .blocks import SCENARIO_HEADING, ScenarioChoiceBlock, drop_repeat
from .models import CourseIndexPage, CoursePage, LessonPage, TranslationReview


def _active_content_language() -> str | None:
    """The active language's content locale when it is not the source language, else None."""
    try:
        code = get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return None
    return None if code == settings.LANGUAGE_CODE else code


def titles_in_active_language(translation_keys=None) -> dict:
    """{translation_key: title} of the live pages with these keys (None: every page) in the
    active language (one query); {} in the source language, whose titles the pages carry
    themselves."""
    code = _active_content_language()
    keys = None if translation_keys is None else set(translation_keys)
    if code is None or keys == set():
        return {}
    pages = Page.objects.live().filter(locale__language_code=code)
    if keys is not None:
        pages = pages.filter(translation_key__in=keys)
    return dict(pages.values_list("translation_key", "title"))


def show_in_active_language(pages) -> None:
    """For display only (never saved): copy the active language's titles (and course
    summaries) onto English page objects that views list, e.g. My learning. Two queries at
    most; nothing when the active language is the source language."""
    code = _active_content_language()
    pages = [p for p in pages if p is not None]
    if code is None or not pages:
        return
    keys = {p.translation_key for p in pages}
    titles = titles_in_active_language(keys)
    summaries = {}
    if any(isinstance(p, CoursePage) for p in pages):
        summaries = dict(
            CoursePage.objects.live()
            .filter(translation_key__in=keys, locale__language_code=code)
            .values_list("translation_key", "summary")
        )
    for page in pages:
        if page.translation_key in titles:
            page.title = titles[page.translation_key]
        if isinstance(page, CoursePage) and page.translation_key in summaries:
            page.summary = summaries[page.translation_key]


def family_prompts(course_ids, *, language: str | None = None) -> dict[int, list[dict]]:
    """{English course id: [{"course": title, "question", "action"}, …]} for the family pages
    and the weekly digest, each course read in `language` (default: the active language) where it
    has a live translation, else in English. Two queries whatever the number of courses."""
    course_ids = set(course_ids)
    if not course_ids:
        return {}
    code = language or get_language() or settings.LANGUAGE_CODE
    try:
        code = get_supported_content_language_variant(code)
    except LookupError:
        code = settings.LANGUAGE_CODE
    sources = list(
        CoursePage.objects.filter(pk__in=course_ids).only("pk", "title", "translation_key", "family_prompts")
    )
    read = {c.translation_key: c for c in sources}
    if code != settings.LANGUAGE_CODE:
        for page in (
            CoursePage.objects.live()
            .filter(translation_key__in=read.keys(), locale__language_code=code)
            .only("pk", "title", "translation_key", "family_prompts")
        ):
            if len(page.family_prompts):
                read[page.translation_key] = page
    prompts = {}
    for source in sources:
        page = read[source.translation_key]
        prompts[source.pk] = [
            {"course": page.title, "question": block.value.get("question"), "action": block.value.get("action")}
            for block in page.family_prompts
        ]
    return prompts


def standards_map(*, code: str) -> list[dict]:
    """Every mapped module with its live course page in language `code` (else English, else
    none) and its standards labels in that language: one row per module, in module order.
    One query for the pages."""
    pages = {}
    for page in (
        CoursePage.objects.live()
        .public()
        .filter(locale__language_code__in={code, settings.LANGUAGE_CODE})
        .select_related("locale")
        .only("id", "title", "module_code", "url_path", "locale__language_code")
    ):
        if page.module_code not in pages or page.locale.language_code == code:
            pages[page.module_code] = page
    return [
        {"module": module, "course": pages.get(module), "standards": standards.module_standards(module, code)}
        for module in standards.module_codes()
    ]


def present_steps(lesson, version=None) -> list[dict]:
    """The lesson's scenarios as steps for the classroom screen, in lesson order: for each
    scenario its situation, its choices lettered A, B, C in the authored order, then one step per
    choice revealing its verdict and feedback; finally "Talk about it" with the teacher guide's
    discussion questions when the lesson has a guide. Nothing about any learner. With an age
    `version` ("younger", "older") the lesson has, its scenario replaces the first one, as on
    the lesson page."""
    verdicts = dict(ScenarioChoiceBlock.VERDICTS)
    scenarios = [block.value for block in lesson.body if block.block_type == "scenario"]
    chosen = lesson.age_version_value(version) if version else None
    if chosen is not None and scenarios:
        scenarios[0] = chosen["scenario"]
    steps = []
    for number, scenario in enumerate(scenarios, 1):
        choices = [
            {
                "letter": chr(ord("A") + i),
                "text": choice["text"],
                "verdict": choice["verdict"],
                "verdict_label": str(verdicts.get(choice["verdict"], "")),
                "feedback": drop_repeat(choice["feedback"], verdicts.get(choice["verdict"], "")),
            }
            for i, choice in enumerate(scenario["choices"])
        ]
        base = {"scenario": number, "scenarios": len(scenarios)}
        # The screen heads each step "What would you do?": a prompt that starts or ends with it drops it.
        prompt = drop_repeat(drop_repeat(scenario["prompt"], SCENARIO_HEADING, at_end=True), SCENARIO_HEADING)
        steps.append({**base, "kind": "situation", "prompt": prompt})
        steps.append({**base, "kind": "choices", "prompt": prompt, "choices": choices})
        steps += [{**base, "kind": "verdict", "choice": choice} for choice in choices]
    guide = lesson.guide
    if guide and guide["discussion"]:
        steps.append({"kind": "talk", "questions": list(guide["discussion"])})
    return steps


def versioned_lessons() -> list[dict]:
    """The live English lessons that have age versions, in curriculum order, each as
    {"lesson": page, "course": its course page, "versions": ["younger", "older"]}, titles in the
    active language (for the assign form). Three or four queries whatever the curriculum size."""
    lessons = [
        lesson
        for lesson in LessonPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
        .only("pk", "title", "path", "depth", "translation_key", "locale_id", "age_versions")
        if lesson.age_version_names
    ]
    parents = {lesson.path[: -LessonPage.steplen] for lesson in lessons}
    courses = {
        c.path: c for c in CoursePage.objects.filter(path__in=parents).only("pk", "title", "path", "translation_key")
    }
    show_in_active_language([*lessons, *courses.values()])
    return [
        {
            "lesson": lesson,
            "course": courses.get(lesson.path[: -LessonPage.steplen]),
            "versions": lesson.age_version_names,
        }
        for lesson in lessons
    ]


def untranslated_pages():
    """English curriculum pages (courses, lessons, quizzes) with no zh-hans translation."""
    index = CourseIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE, depth=2).first()
    if index is None:
        return Page.objects.none()
    translated = Page.objects.filter(locale__language_code="zh-hans").values("translation_key")
    return Page.objects.descendant_of(index).exclude(translation_key__in=translated).order_by("path")


def editor_overview() -> dict:
    """What waits for a curriculum editor (their home page; the admin dashboard lists the
    pages): Chinese pages whose English source changed since they were published, English
    pages with no Chinese version, and pages with changes not published yet (3 queries)."""
    return {
        "reviews": TranslationReview.objects.count(),
        "untranslated": untranslated_pages().count(),
        "drafts": Page.objects.filter(depth__gt=2, has_unpublished_changes=True).count(),
    }


# Han, kana and Hangul: scripts written without spaces between words.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def search_curriculum(query: str) -> list:
    """Live, public courses and lessons matching `query` (the site search), a page found in
    both languages listed once, in the active one (its URL is the same either way).

    Wagtail's database backend matches whole words, and to it (SQLite FTS5 and PostgreSQL
    alike) a run of Chinese is one word: 个人信息 never finds 什么是个人信息. A query with CJK
    characters therefore also finds the active language's pages whose title, search
    description, course summary or lesson goal contains each of its space-separated parts:
    title matches first (in tree order), then the backend's ranked results, then the rest
    (among them lessons whose text holds the words)."""
    pages = Page.objects.live().public().type(CoursePage, LessonPage)
    # A double quote or a NUL is syntax to SQLite's full-text search (an unclosed quote fails):
    # the words around it are what the reader is looking for.
    query = " ".join(query.replace('"', " ").replace("\x00", " ").split())
    if not query:
        return []
    found = list(pages.search(query, operator="and"))
    active = Locale.get_active().pk
    if CJK.search(query):
        found = _with_substring_matches(found, pages.filter(locale_id=active), query.split())
    preferred = {page.translation_key for page in found if page.locale_id == active}
    return [page for page in found if page.locale_id == active or page.translation_key not in preferred]


def _with_substring_matches(found: list, pages, terms: list[str]) -> list:
    """`found` merged with `pages` containing every term (one query), without repeats. A lesson's
    text counts too: its body is JSON, which PostgreSQL (jsonb) keeps as written and SQLite as
    json.dumps wrote it, with \\uXXXX escapes for Chinese, so the term is looked for both ways."""
    for term in terms:
        found_in = (
            Q(title__icontains=term)
            | Q(search_description__icontains=term)
            | Q(coursepage__summary__icontains=term)
            | Q(lessonpage__objective__icontains=term)
        )
        if CJK.search(term):  # a Latin part ("value", "type") would match the JSON's own keys
            found_in |= Q(lessonpage__body__icontains=term) | Q(lessonpage__body__icontains=json.dumps(term)[1:-1])
        pages = pages.filter(found_in)
    matches = list(pages.order_by("path"))
    in_title = [page for page in matches if all(term.casefold() in page.title.casefold() for term in terms)]
    merged, seen = [], set()
    for page in [*in_title, *found, *matches]:
        if page.pk not in seen:
            seen.add(page.pk)
            merged.append(page)
    return merged
