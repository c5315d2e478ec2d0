"""Demo learning history: assignments (some overdue) and 8 weeks of progress for every demo
class, made through the real services (lessons marked done as on the lesson page, which
records the completion the course page reads and, through learning's receiver, the
progress; quiz attempts answered and scored by the quiz engine). Idempotent: a class that
already has assignments is left alone, and a student who already has progress on an item is
not given more."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses import services as course_services
from courses.models import CoursePage, LessonCompletion, LessonPage
from learning.assignments import services as assignments
from learning.models import Assignment, ItemKind, Progress, ProgressStatus, StudyTime
from learning.progress import services as progress
from quizzes.models import Question, QuizPage
from quizzes.services import recompute_all_statistics, record_attempt, start_attempt
from schools.models import Classroom, GuardianLink

WEEKS = 8
# (course index in catalogue order, due in days from now: negative = overdue)
PLAN = [(0, -10), (1, 4), (2, 21)]


def _quizzes(course):
    """The course's quizzes that count (its pre-check is taken separately, see _precheck)."""
    return list(QuizPage.objects.child_of(course).live().exclude(purpose=QuizPage.Purpose.PRECHECK).order_by("path"))


def _precheck(course):
    return QuizPage.objects.child_of(course).live().filter(purpose=QuizPage.Purpose.PRECHECK).first()


PRECHECK_TAKERS = 0.75  # share of the students who start a course that take its pre-check first


def _take_precheck(student, course, rng, start):
    """Most students take the pre-check a little before their first lesson, knowing less than
    they will after it (so the teacher's dashboard shows a real before → after)."""
    precheck = _precheck(course)
    if precheck is None or rng.random() >= PRECHECK_TAKERS:
        return 0
    attempt = start_attempt(student=student, quiz=precheck)
    answers = _answers(attempt, rng, 0.2 + 0.4 * rng.random())
    record_attempt(student=student, quiz=precheck, answers=answers, submitted_at=start - timedelta(minutes=10))
    return 1


def _answers(attempt, rng, skill):
    """Chosen answers for an attempt: right with probability `skill`, else a wrong choice."""
    answers = {}
    for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices"):
        choices = list(q.choices.all())
        right = rng.random() < skill
        if q.qtype in ("single", "truefalse"):
            good = [c.pk for c in choices if c.correct]
            bad = [c.pk for c in choices if not c.correct]
            answers[q.pk] = (good if right or not bad else bad)[0 if right else rng.randrange(len(bad))]
        elif q.qtype == "multiple":
            picks = [c.pk for c in choices if c.correct] if right else [c.pk for c in choices if not c.correct]
            answers[q.pk] = picks or [choices[0].pk]
        elif q.qtype == "ordering":
            ids = [c.pk for c in choices]
            answers[q.pk] = ids if right else list(reversed(ids))
        else:
            answers[q.pk] = {str(c.pk): ("risky" if c.correct == right else "safe") for c in choices}
    return answers


def _history(student, course, lessons, quizzes, rng, now):
    """Work through (part of) a course at dates spread over the last 8 weeks."""
    if Progress.objects.filter(student=student, page=course).exists():
        return 0
    start = now - timedelta(days=rng.randint(7, WEEKS * 7 - 3))
    engagement = rng.random()
    made = 0
    if engagement < 0.12:
        return 0  # not started
    made += _take_precheck(student, course, rng, start)
    at = start
    n_lessons = len(lessons) if engagement > 0.4 else max(1, len(lessons) // 2)
    for lesson in lessons[:n_lessons]:
        at = min(at + timedelta(days=rng.randint(0, 4), minutes=rng.randint(5, 50)), now)
        progress.record_visit(student=student, page=lesson, now=at)
        minutes = rng.randint(4, 14)
        progress.add_study_time(
            student=student,
            page_progress=Progress.objects.get(student=student, page=lesson),
            seconds=minutes * 60,
            day=at,
        )
        course_services.mark_lesson_done(user=student, lesson=lesson, at=at + timedelta(minutes=minutes))
        made += 1
    if n_lessons < len(lessons):
        return made

    skill = 0.35 + 0.6 * rng.random()
    for quiz in quizzes:
        tries = 3 if skill < 0.5 else rng.randint(1, 2)
        for _ in range(tries):
            at = min(at + timedelta(days=rng.randint(0, 3), minutes=30), now - timedelta(minutes=5))
            try:
                attempt = start_attempt(student=student, quiz=quiz)
                answers = _answers(attempt, rng, skill)
                attempt = record_attempt(student=student, quiz=quiz, answers=answers, submitted_at=at)
            except Exception:  # noqa: BLE001 - attempt limit reached etc.: stop trying
                break
            progress.sync_quiz(student=student, quiz=quiz)
            made += 1
            if attempt.passed:
                break
            skill = min(0.95, skill + 0.1)
    return made


# What a teacher writes beside an assignment.
NOTES = [
    "Read the lessons before Thursday; we will talk through the scenarios in class.",
    "Take your time with the “What would you do?” questions and bring one to class.",
    "Please finish before parents' evening: your family will get the conversation prompts.",
]


def run(stdout=None):
    """Seed the demo's learning. It syncs quiz progress as it goes; seed_demo suppresses the
    per-submit progress messages, which would only queue that work again."""
    now = timezone.now()
    courses = list(
        CoursePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")[: max(i for i, _ in PLAN) + 2]
    )
    if not courses:
        if stdout:
            stdout.write("learning: no courses yet, nothing to seed")
        return
    assigned = made = 0
    for classroom in Classroom.objects.active().prefetch_related("teachers").order_by("pk"):
        teacher = classroom.teachers.order_by("pk").first()
        if teacher is None:
            continue
        offset = classroom.pk % len(courses)
        plan = [(courses[(i + offset) % len(courses)], due) for i, due in PLAN]
        if not Assignment.objects.filter(classroom=classroom).exists():
            for n, (course, due) in enumerate(plan):
                assignments.create_assignment(
                    teacher=teacher,
                    classroom=classroom,
                    item=course.page_ptr,
                    due_at=now + timedelta(days=due),
                    note=NOTES[n % len(NOTES)],
                )
                assigned += 1
            quiz = next((q for c, _ in plan for q in _quizzes(c)), None)
            if quiz is not None:
                assignments.create_assignment(
                    teacher=teacher, classroom=classroom, item=quiz.page_ptr, due_at=now + timedelta(days=2)
                )
                assigned += 1
        students = list(classroom.enrollments.select_related("student").order_by("student__username"))
        for course, _due in plan[:2]:
            lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
            quizzes = _quizzes(course)
            for enrollment in students:
                student = enrollment.student
                rng = random.Random(f"{student.username}:{course.slug}")
                made += _history(student, course, lessons, quizzes, rng, now)
    # The demo children finish one course this week, so their guardians see its prompts.
    _finish_recent(now)
    repaired = _record_missing_completions()
    _refresh_statistics()
    if stdout:
        stdout.write(f"learning: {assigned} assignments, {made} progress steps added")
        if repaired:
            stdout.write(f"learning: {repaired} lesson completions recorded that an earlier seed left out")


def _record_missing_completions() -> int:
    """A demo database seeded before the seed marked lessons done has completed lesson
    progress with no completion, so the course page said "0 of 4 lessons done": record each
    one, dated when the progress says the lesson was completed (nothing else changes: the
    progress is already completed). Nothing to do on a database seeded since."""
    missing = list(
        Progress.objects.filter(kind=ItemKind.LESSON, status=ProgressStatus.COMPLETED)
        .exclude(Exists(LessonCompletion.objects.filter(user=OuterRef("student_id"), lesson=OuterRef("page_id"))))
        .select_related("student")
        .order_by("pk")
    )
    lessons = LessonPage.objects.in_bulk({row.page_id for row in missing})
    for row in missing:
        if row.page_id in lessons:
            course_services.mark_lesson_done(user=row.student, lesson=lessons[row.page_id], at=row.completed_at)
    return len(missing)


def _refresh_statistics():
    """Item statistics are debounced background work; compute them now for a ready demo."""
    recompute_all_statistics()


def _finish_recent(now):
    course = CoursePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path").last()
    if course is None:
        return
    links = GuardianLink.objects.filter(
        guardian__username__in=["guardian", "guardian2"], state=GuardianLink.State.ACTIVE
    ).select_related("student")
    for link in links:
        _finish_course(link.student, course, now)


def _finish_course(student, course, now):
    if Progress.objects.filter(student=student, page=course).exists():
        return
    at = now - timedelta(days=2)
    for lesson in LessonPage.objects.child_of(course).live().order_by("path"):
        progress.record_visit(student=student, page=lesson, now=at)
        course_services.mark_lesson_done(user=student, lesson=lesson, at=at)
        at += timedelta(minutes=12)
    StudyTime.objects.get_or_create(student=student, day=timezone.localdate(at), defaults={"seconds": 1800})
    rng = random.Random(f"{student.username}-final")
    for quiz in _quizzes(course):
        attempt = start_attempt(student=student, quiz=quiz)
        record_attempt(student=student, quiz=quiz, answers=_answers(attempt, rng, 1.0), submitted_at=at)
        progress.sync_quiz(student=student, quiz=quiz)
