"""Curriculum trees and learning records for learning tests (pages built directly: fast).

Progress is built through the services that write it in production (`read`, `open_page`,
`fail_quiz`); `progress()` writes a row directly, for tests about the read model itself
(exports, digests, time zones) that need a given date or status."""

from django.utils import timezone
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from learning.models import Assignment, ItemKind, Progress, ProgressStatus
from learning.progress import services as progress_services
from quizzes import services as quiz_services
from tests.quizzes.factories import make_question, make_quiz

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
    defaults = {
        "kind": kind,
        "status": status,
        "started_at": now,
        "last_seen_at": now,
        "course": progress_services.course_of(page),
    }
    if status == ProgressStatus.COMPLETED:
        defaults["completed_at"] = now
        defaults["percent"] = 100
    defaults.update(extra)
    return Progress.objects.update_or_create(student=student, page=page, defaults=defaults)[0]


def open_page(student, page, *, at=None):
    """The student opened a course, lesson or quiz page (started, not finished)."""
    progress_services.record_visit(student=student, page=page, now=at)


def read(student, lesson, *, at=None):
    """The student read a lesson to the end (the course follows when all its parts are done)."""
    progress_services.record_visit(student=student, page=lesson, now=at)
    return progress_services.complete_lesson(student=student, lesson=lesson, at=at)


def add_quiz(course, *, slug=None, pass_mark=60):
    """A live one-question quiz, "Test quiz" (single choice: "Right" or "Wrong"), under `course`."""
    question = make_question("single", title="Share your address?")
    return make_quiz(questions=[question], slug=slug or f"quiz-{_next()}", course=course, pass_mark=pass_mark)


def answer_quiz(student, quiz, *, right: bool, times: int = 1):
    """Submit `times` attempts through the quiz engine, then let progress read the result
    (what the worker does after each submit; the values are absolute, so once is the same)."""
    question = quiz.quiz_questions.first().question
    choice = question.choices.get(correct=right) if right else question.choices.filter(correct=False).first()
    for _ in range(times):
        quiz_services.record_attempt(student=student, quiz=quiz, answers={question.pk: choice.pk})
    return progress_services.sync_quiz(student=student, quiz=quiz)
