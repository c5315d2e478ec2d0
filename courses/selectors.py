"""Reads for the learner pages, each a fixed number of queries whatever the catalogue size."""

from wagtail.models import Page

from .i18n import in_active_language, source_ids, source_page
from .models import AgeBand, CoursePage, LessonCompletion, LessonPage, Topic


def completed_lesson_ids(*, user, lessons=None) -> set[int]:
    """Ids of the lessons `user` marked as done (optionally only among `lessons`, which may
    be translations: a zh-hans lesson is done when its English source is)."""
    if not user.is_authenticated:
        return set()
    qs = LessonCompletion.objects.filter(user=user)
    if lessons is None:
        return set(qs.values_list("lesson_id", flat=True))
    to_source = source_ids(lessons)
    done = set(qs.filter(lesson_id__in=set(to_source.values())).values_list("lesson_id", flat=True))
    return {pk for pk, source in to_source.items() if source in done}


def catalogue(*, index, topic=None, band=None) -> dict:
    """Live courses under the catalogue `index`, filtered by topic value and band letter.

    A translated catalogue lists every English course, each in the catalogue's language
    where it has been translated (the others in English, marked by their `locale`)."""
    source_index = source_page(index)
    courses = CoursePage.objects.child_of(source_index).live().public().select_related("cover_image").order_by("path")
    topic = topic if topic in Topic.values else ""
    band = band if band in AgeBand.values else ""
    if topic:
        courses = courses.filter(topic=topic)
    if band:
        courses = courses.filter(age_bands__contains=band)
    courses = list(courses)
    if source_index.pk != index.pk:
        courses = in_active_language(courses, index.locale, related=["cover_image"])
    return {
        "courses": courses,
        "topics": Topic.choices,
        "bands": AgeBand.choices,
        "selected_topic": topic,
        "selected_band": band,
    }


def course_outline(*, course, user) -> dict:
    """The course's lessons with the learner's status on each, plus other activities
    (quizzes) under the course."""
    lessons = list(
        LessonPage.objects.child_of(course)
        .live()
        .public()
        .order_by("path")
        .only(
            "id", "title", "slug", "url_path", "path", "depth", "objective", "minutes", "translation_key", "locale_id"
        )
    )
    done = completed_lesson_ids(user=user, lessons=lessons)
    rows = [{"lesson": lesson, "done": lesson.pk in done} for lesson in lessons]
    others = list(
        Page.objects.child_of(course)
        .live()
        .public()
        .exclude(content_type__model="lessonpage", content_type__app_label="courses")
        .order_by("path")
    )
    return {
        "lesson_rows": rows,
        "activities": others,
        "done_count": len(done),
        "lesson_count": len(lessons),
        "percent_done": round(100 * len(done) / len(lessons)) if lessons else 0,
    }


def lesson_navigation(*, lesson, user) -> dict:
    """Previous and next live lessons in the same course, and whether `user` is done."""
    siblings = list(
        LessonPage.objects.sibling_of(lesson)
        .live()
        .public()
        .order_by("path")
        .only("id", "title", "slug", "url_path", "path", "depth", "translation_key", "locale_id")
    )
    ids = [s.pk for s in siblings]
    position = ids.index(lesson.pk) if lesson.pk in ids else None
    previous_lesson = next_lesson = None
    if position is not None:
        previous_lesson = siblings[position - 1] if position > 0 else None
        next_lesson = siblings[position + 1] if position + 1 < len(siblings) else None
    next_activity = None
    if position is not None and next_lesson is None:
        # The last lesson leads on to the course's quiz (or other activity), never a dead end.
        next_activity = (
            Page.objects.child_of(lesson.get_parent())
            .live()
            .public()
            .exclude(content_type__model="lessonpage", content_type__app_label="courses")
            .order_by("path")
            .first()
        )
    return {
        "course": lesson.course,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "next_activity": next_activity,
        "lesson_position": (position or 0) + 1,
        "lesson_total": len(siblings),
        "is_done": lesson.pk in completed_lesson_ids(user=user, lessons=[lesson]),
    }
