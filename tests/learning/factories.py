"""Curriculum trees and learning records for learning tests (pages built directly: fast)."""

from django.utils import timezone
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from learning.models import Assignment, ItemKind, Progress, ProgressStatus

_counter = {"n": 0}


def _next():
    _counter["n"] += 1
    return _counter["n"]


def catalogue():
    index = CourseIndexPage.objects.first()
    if index:
        return index
    root = Page.get_first_root_node()
    home = root.get_children().first() or root
    return home.add_child(instance=CourseIndexPage(title="Courses", slug="courses-test"))


def make_course(*, lessons=2, topic="privacy", title=None, prompts=True):
    n = _next()
    course = catalogue().add_child(
        instance=CoursePage(
            title=title or f"Course {n}",
            slug=f"course-{n}",
            summary="A short course.",
            topic=topic,
            age_bands="BC",
            family_prompts=[
                ("prompt", {"question": "Which apps know where you are?", "action": "Check one app together."})
            ]
            if prompts
            else [],
        )
    )
    made = []
    for i in range(lessons):
        made.append(
            course.add_child(
                instance=LessonPage(
                    title=f"Lesson {n}.{i + 1}",
                    slug=f"lesson-{n}-{i + 1}",
                    objective=f"Objective {n}.{i + 1}",
                    body=[("text", "<p>Read me.</p>")],
                )
            )
        )
    return course, made


def assign(classroom, item, *, teacher=None, due_at=None, students=()):
    kind = {CoursePage: ItemKind.COURSE, LessonPage: ItemKind.LESSON}.get(type(item), ItemKind.QUIZ)
    a = Assignment.objects.create(classroom=classroom, item=item, item_kind=kind, due_at=due_at, assigned_by=teacher)
    if students:
        a.students.set(students)
    return a


def progress(student, page, *, status=ProgressStatus.COMPLETED, kind=ItemKind.LESSON, **extra):
    now = timezone.now()
    from learning.progress.services import course_of

    defaults = {"kind": kind, "status": status, "started_at": now, "last_seen_at": now, "course": course_of(page)}
    if status == ProgressStatus.COMPLETED:
        defaults["completed_at"] = now
        defaults["percent"] = 100
    defaults.update(extra)
    return Progress.objects.update_or_create(student=student, page=page, defaults=defaults)[0]
