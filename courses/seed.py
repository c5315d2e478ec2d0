"""Load the curriculum files into Wagtail and set up the editor groups and their workflow.

Idempotent: pages are found by slug; a page is rewritten (a new published revision) only
when its part of the file changed since it was last loaded, so edits made in the admin
survive reruns until the file itself changes. Course covers are drawn by covers.py and
stored once as Wagtail images in the "Course covers" collection.
The demo editor accounts join these groups in the demo app (demo/seeds/editors.py).
"""

import hashlib
import json
from io import BytesIO

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from . import covers
from .curriculum import load_all, load_guide, load_versions, load_zh
from .models import CourseIndexPage, CoursePage, LessonPage

INDEX_SLUG = "courses"
INDEX_TITLE = "Courses"
INDEX_INTRO = (
    "Short, practical courses on using the internet safely, correctly and kindly. "
    "Choose a topic or an age band, or search for a lesson."
)
# The Chinese catalogue: the index's zh-hans translation, a sibling under the root that
# Wagtail serves at the same /learn/ URLs when the active language is zh-hans.
ZH_LANGUAGE = "zh-hans"
ZH_INDEX_TITLE = "课程"
ZH_INDEX_INTRO = "简短实用的课程，教你安全、正确、友善地使用互联网。可以按主题或年龄段挑选，也可以搜索课时。"
WORKFLOW_NAME = "Moderators approval"
EDITOR_GROUPS = ("Editors", "Moderators")
COVER_COLLECTION = "Course covers"
# The cover renditions the catalogue card and the course page share (16:9 webp, phone and
# desktop widths), made when a cover is drawn so that no visitor waits for them.
# tests/courses/test_covers.py keeps these in step with the templates' {% srcset_image %} tags.
COVER_RENDITIONS = ("fill-{480x270,800x450}|format-webp",)

COURSE_FIELDS = (
    "module",
    "title",
    "title_zh",
    "topic",
    "dimensions",
    "age_bands",
    "estimated_minutes",
    "summary",
    "why_it_matters",
    "objectives",
    "family_prompts",
    "cover",
)


def fingerprint(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def stream_block(block: dict) -> dict:
    """One YAML body block as raw StreamField data (see courses/curriculum/SCHEMA.md)."""
    kind = block["type"]
    if kind == "text":
        return {"type": "text", "value": block["html"]}
    if kind == "scenario":
        value = {
            "prompt": block["prompt"].strip(),
            "choices": [
                {
                    "text": c["text"].strip(),
                    "verdict": c["verdict"],
                    "feedback": c["feedback"].strip(),
                }
                for c in block["choices"]
            ],
        }
    elif kind == "callout":
        value = {
            "kind": block["kind"],
            "title": block.get("title", ""),
            "text": block["text"].strip(),
        }
    elif kind == "checklist":
        value = {"title": block["title"], "items": [str(i) for i in block["items"]]}
    elif kind == "glossary":
        value = {"term": block["term"], "definition": block["definition"].strip()}
    elif kind == "takeaways":
        value = {"items": [str(i) for i in block["items"]]}
    elif kind == "family":
        value = {"question": block["question"].strip(), "action": block["action"].strip()}
    elif kind == "video":
        value = {"url": block["url"], "title": block["title"], "transcript": block["transcript"]}
    elif kind == "screen":
        value = {
            "kind": block["kind"],
            "title": str(block.get("title") or ""),
            "items": [
                {
                    "side": item.get("side") or "them",
                    "name": str(item.get("name") or ""),
                    "title": str(item.get("title") or ""),
                    "text": str(item["text"]).strip(),
                    "meta": str(item.get("meta") or ""),
                }
                for item in block["items"]
            ],
            "likes": block.get("likes"),
            "comments": block.get("comments"),
            "alt": block["alt"].strip(),
            "caption": str(block.get("caption") or "").strip(),
        }
    else:
        raise ValueError(f"block type {kind!r} cannot be loaded from a file")
    return {"type": kind, "value": value}


def ensure_index() -> CourseIndexPage:
    """The catalogue page, made the default Site's root (served at /learn/)."""
    index = CourseIndexPage.objects.filter(depth=2, slug=INDEX_SLUG).first()
    if index is None:
        # Wagtail's migrations make the locale and root page; a flushed test database
        # (transactional tests) has neither.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        # Wagtail's placeholder "Welcome" page has no purpose here.
        Page.objects.filter(depth=2, slug="home", numchild=0, content_type__app_label="wagtailcore").delete()
        root.refresh_from_db()
        index = root.add_child(instance=CourseIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, intro=INDEX_INTRO))
        index.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=index,
            is_default_site=True,
            site_name="NetWise",
        )
    elif site.root_page_id != index.pk:
        site.root_page = index
        site.site_name = site.site_name or "NetWise"
        site.save()
    return index


def ensure_workflow(index: CourseIndexPage) -> Workflow:
    """Submit -> Moderators approve -> publish, on the whole curriculum."""
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME, active=True)
        task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    zh_index = index.get_translation_or_none(zh_locale())
    if zh_index is not None:  # the Chinese tree goes through the same moderation
        WorkflowPage.objects.update_or_create(page=zh_index, defaults={"workflow": workflow})
    return workflow


def zh_locale() -> Locale:
    return Locale.objects.get_or_create(language_code=ZH_LANGUAGE)[0]


def ensure_zh_index(index: CourseIndexPage) -> CourseIndexPage:
    """The catalogue's zh-hans translation (same translation_key), created once."""
    locale = zh_locale()
    zh_index = index.get_translation_or_none(locale)
    if zh_index is None:
        zh_index = index.copy_for_translation(locale)
        zh_index.title = ZH_INDEX_TITLE
        zh_index.intro = ZH_INDEX_INTRO
        zh_index.save()
        zh_index.save_revision().publish()
    elif not zh_index.live:
        zh_index.save_revision().publish()
    return zh_index.specific


# What each editor group may do on the curriculum and with images (as Wagtail's defaults).
GROUP_PAGE_PERMISSIONS = {
    "Editors": ("add_page", "change_page"),
    "Moderators": ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
GROUP_IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
# The question bank (its import, export and statistics) for both; a regrade, which changes
# learners' results at once, only for those who may publish.
GROUP_QUIZ_PERMISSIONS = {
    "Editors": ("add_question", "change_question", "view_question"),
    "Moderators": ("add_question", "change_question", "delete_question", "view_question", "add_regrade"),
}


def ensure_editor_groups(index: CourseIndexPage) -> list[Group]:
    """Editors and Moderators with admin access and page rights on the catalogue."""
    # Admin access comes from a Wagtail data migration, which a flushed database (a transactional
    # test's teardown) no longer has: made here as that migration makes it.
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    groups = []
    for name, codenames in GROUP_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            for tree in index.get_translations(inclusive=True):  # the English and Chinese catalogues
                if not GroupPagePermission.objects.filter(
                    group=group, permission=permission, page__in=tree.get_ancestors(inclusive=True)
                ).exists():
                    GroupPagePermission.objects.create(group=group, page=tree, permission=permission)
        # Editors may start a translation ("Translate" in the page menu, simple_translation).
        group.permissions.add(
            Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation")
        )
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="quizzes", codename__in=GROUP_QUIZ_PERMISSIONS[name])
        )
        for codename in GROUP_IMAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
        groups.append(group)
    return groups


def cover_filter_specs() -> list[str]:
    return [spec for pattern in COVER_RENDITIONS for spec in Filter.expand_spec(pattern)]


def ensure_cover_collection() -> Collection:
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.get_children().filter(name=COVER_COLLECTION).first() or root.add_child(name=COVER_COLLECTION)


def cover_title(slug: str) -> str:
    return f"Course cover: {slug}"


def ensure_cover(slug: str, cover: dict):
    """The course's cover picture as a Wagtail image, found by its title in the "Course covers"
    collection. Drawn fresh from its motif; the stored file is kept while its hash matches and
    replaced in place (same image, renditions dropped) when the drawing changed."""
    Image = get_image_model()
    png = covers.render_png(cover["motif"])
    digest = hashlib.sha1(png, usedforsecurity=False).hexdigest()  # as Wagtail's Image.file_hash
    alt = cover["alt"].strip()
    collection = ensure_cover_collection()
    image = Image.objects.filter(collection=collection, title=cover_title(slug)).first()
    if image is not None and image.file_hash == digest:
        if image.description != alt:
            image.description = alt
            image.save(update_fields=["description"])
        return image
    old_file = image.file.name if image is not None else None
    image = image or Image(title=cover_title(slug), collection=collection)
    image.description = alt  # Wagtail's default alt text wherever the image is used
    image.file = ImageFile(BytesIO(png), name=f"cover-{slug}.png")
    image._set_image_file_metadata()
    image.save()
    if old_file:
        image.renditions.all().delete()
        storage = image.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    image.get_renditions(*cover_filter_specs())
    return image


def _publish(page):
    page.save_revision(log_action=True).publish()


def guide_stream(text: dict) -> list[dict]:
    """One language of a lesson's guide (guides/*.yaml) as raw teacher_guide StreamField data."""
    return [
        {
            "type": "guide",
            "value": {
                "essential_question": text["essential_question"].strip(),
                "vocabulary": [{"term": v["term"], "meaning": v["meaning"].strip()} for v in text["vocabulary"]],
                "plan": [
                    {"phase": s["phase"], "minutes": s["minutes"], "activity": s["activity"].strip()}
                    for s in text["plan"]
                ],
                "exit_ticket": [q.strip() for q in text["exit_ticket"]],
                "discussion": [q.strip() for q in text["discussion"]],
                "safeguarding": text["safeguarding"].strip(),
            },
        }
    ]


def letter_stream(text: dict) -> list[dict]:
    """One language of a module's family letter as raw family_letter StreamField data."""
    value = {key: text[key].strip() for key in ("greeting", "learned", "try_together", "help", "closing")}
    value["prompts"] = [p.strip() for p in text["prompts"]]
    return [{"type": "letter", "value": value}]


def versions_stream(versions: dict, language: str) -> list[dict]:
    """One language of a lesson's age versions (versions/*.yaml) as raw age_versions data."""
    stream = []
    for age in ("younger", "older"):
        text = versions[age][language]
        scenario = stream_block({"type": "scenario", **text["scenario"]})["value"]
        stream.append({"type": age, "value": {"scenario": scenario, "examples": text["examples"].strip()}})
    return stream


def upsert_course(
    index: CourseIndexPage,
    data: dict,
    *,
    source: CoursePage | None = None,
    guide: dict | None = None,
    versions: dict | None = None,
    language: str = "en",
) -> tuple[CoursePage, int]:
    """Create or update the course and its lessons; returns (course, pages written).

    `guide` (guides/<file>.yaml) gives the family letter and each lesson's teacher guide;
    `versions` (versions/<file>.yaml, by lesson slug) the age versions of some lessons; their
    `language` part ("en" or "zh-hans") goes into these pages.

    With `source` (the English course), `data` is its zh-hans file and `index` the Chinese
    catalogue: new pages take the locale of `index` and the translation_key of the English
    page with the same slug, so both versions are one course, lesson by lesson."""
    written = 0
    source_lessons = {}
    if source is not None:
        source_lessons = {lesson.slug: lesson for lesson in LessonPage.objects.child_of(source)}
    course_data = {k: data.get(k) for k in COURSE_FIELDS}
    letter = (guide or {}).get("family_letter", {}).get(language)
    lesson_guides = {g["slug"]: g for g in (guide or {}).get("lessons") or []}
    if letter:
        course_data["family_letter"] = letter
    if data.get("cover"):
        course_data["cover_drawing"] = covers.VERSION
    course_hash = fingerprint(course_data)
    course = CoursePage.objects.child_of(index).filter(slug=data["slug"]).first()
    if course is None or course.curriculum_hash != course_hash or not course.live:
        fresh = course is None
        course = course or CoursePage(slug=data["slug"])
        if fresh and source is not None:
            course.locale = index.locale
            course.translation_key = source.translation_key
        course.title = data["title"]
        course.title_zh = data.get("title_zh") or ""
        course.module_code = data["module"]
        course.topic = data["topic"]
        course.dimensions = "".join(sorted(set(data.get("dimensions") or [])))
        course.age_bands = "".join(sorted(set(data["age_bands"])))
        course.estimated_minutes = data["estimated_minutes"]
        course.summary = data["summary"].strip()
        course.why_it_matters = (data.get("why_it_matters") or "").strip()
        course.objectives = [{"type": "objective", "value": o} for o in data["objectives"]]
        course.family_prompts = [
            {"type": "prompt", "value": {"question": p["question"], "action": p["action"]}}
            for p in data["family_prompts"]
        ]
        course.family_letter = letter_stream(letter) if letter else []
        if data.get("cover"):
            # Without a `cover:` in the file, a cover chosen in the admin stays. A translation
            # shares the English picture (drawn from the same motif) with its own alt text.
            if source is None:
                course.cover_image = ensure_cover(data["slug"], data["cover"])
            else:
                course.cover_image_id = source.cover_image_id
            course.cover_alt = data["cover"]["alt"].strip()
        course.curriculum_hash = course_hash
        if fresh:
            index.add_child(instance=course)
        course.tags.set([data["topic"], slugify(data["module"])])
        _publish(course)
        written += 1

    existing = {lesson.slug: lesson for lesson in LessonPage.objects.child_of(course)}
    for item in data["lessons"]:
        lesson_guide = lesson_guides.get(item["slug"])
        guide_text = (lesson_guide or {}).get(language)
        lesson_versions = (versions or {}).get(item["slug"])
        hashed = item
        if guide_text:
            hashed = {**hashed, "guide": {"dimensions": lesson_guide.get("dimensions"), language: guide_text}}
        if lesson_versions:
            hashed = {**hashed, "age_versions": {age: lesson_versions[age][language] for age in lesson_versions}}
        lesson_hash = fingerprint(hashed)
        lesson = existing.get(item["slug"])
        if lesson is not None and lesson.curriculum_hash == lesson_hash and lesson.live:
            continue
        fresh = lesson is None
        lesson = lesson or LessonPage(slug=item["slug"])
        if fresh and item["slug"] in source_lessons:
            lesson.locale = course.locale
            lesson.translation_key = source_lessons[item["slug"]].translation_key
        lesson.title = item["title"]
        lesson.objective = item["objective"]
        lesson.bands = "".join(sorted(set(item["bands"])))
        lesson.minutes = item["minutes"]
        lesson.teacher_notes = (item.get("teacher_notes") or "").strip()
        lesson.body = [stream_block(b) for b in item["body"]]
        if guide_text:
            lesson.dimensions = "".join(d for d in "MLUS" if d in lesson_guide["dimensions"])
            lesson.teacher_guide = guide_stream(guide_text)
        if lesson_versions:
            lesson.age_versions = versions_stream(lesson_versions, language)
        lesson.curriculum_hash = lesson_hash
        if fresh:
            course.add_child(instance=lesson)
        _publish(lesson)
        existing[lesson.slug] = lesson
        written += 1
    _order_lessons(course, [item["slug"] for item in data["lessons"]])
    return course, written


def _order_lessons(course: CoursePage, slugs: list[str]):
    """Keep the lessons in file order (other pages, e.g. quizzes, stay where they are)."""
    current = list(LessonPage.objects.child_of(course).order_by("path"))
    ordered = [slug for slug in (page.slug for page in current) if slug in slugs]
    wanted = [slug for slug in slugs if slug in ordered]
    if ordered == wanted:
        return
    by_slug = {page.slug: page for page in current}
    previous = None
    for slug in wanted:
        page = LessonPage.objects.get(pk=by_slug[slug].pk)
        if previous is None:
            page.move(course, pos="first-child")
        else:
            page.move(LessonPage.objects.get(pk=previous.pk), pos="right")
        previous = page


def run(stdout=None, *, directory=None):
    """Load every curriculum file (from `directory`, default courses/curriculum/)."""
    with transaction.atomic():
        index = ensure_index()
        ensure_editor_groups(index)
        ensure_workflow(index)
        written = courses = lessons = zh_courses = zh_lessons = 0
        zh_index = None
        for data in load_all(directory):
            guide = load_guide(data)
            versions = load_versions(data)
            course, count = upsert_course(index, data, guide=guide, versions=versions)
            written += count
            courses += 1
            lessons += len(data["lessons"])
            zh = load_zh(data)
            if zh is not None:
                zh_index = zh_index or ensure_zh_index(index)
                _, count = upsert_course(
                    zh_index, zh, source=course, guide=guide, versions=versions, language=ZH_LANGUAGE
                )
                written += count
                zh_courses += 1
                zh_lessons += len(zh["lessons"])
        if zh_index is not None:
            ensure_editor_groups(index)
            ensure_workflow(index)
    if stdout:
        stdout.write(
            f"courses: {courses} courses, {lessons} lessons; in zh-hans {zh_courses} courses, "
            f"{zh_lessons} lessons ({written} pages created or updated)"
        )
