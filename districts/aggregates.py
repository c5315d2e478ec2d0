"""Rebuild the district figure tables from learning's progress, schools' classes and
safeguarding's report counts.

Runs in the worker (beat, hourly) and after bulk changes (the demo seed). Its cost grows
with a school's learners, the district pages' does not: they read only the rows written here.
Each school's rows are replaced in one transaction, so a page never sees half a school.

What a row counts (per school × grade × module):
- the module's classes: active classes of that grade with an active assignment of the
  module itself or of one of its lessons or quizzes;
- its learners: the students enrolled in those classes;
- completed: learners whose course progress is "completed";
- reached (the module's objectives): completed *and* passed every live quiz of the module;
- score: each learner's mean quiz score in the module (by the quiz's grading rule), summed
  with how many learners have one, so a mean can be formed across rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from wagtail.models import Page

from courses.models import CoursePage
from learning.dashboards.selectors import week_starts
from learning.models import Assignment, Progress, ProgressStatus
from quizzes.models import QuizPage
from safeguarding.models import Report
from schools.models import Classroom, Enrollment, School
from schools.terms import term_start

from .models import DistrictSchool, HelpFigure, ModuleFigure, SchoolSummary, WeekFigure

TERMS_SHOWN = 4


def _catalogue():
    """(course id -> path) and (course id -> number of live quizzes that count: not the
    optional pre-check): the whole curriculum."""
    courses = dict(CoursePage.objects.live().values_list("pk", "path"))
    quizzes = defaultdict(int)
    for path in QuizPage.objects.live().exclude(purpose=QuizPage.Purpose.PRECHECK).values_list("path", flat=True):
        for cid, cpath in courses.items():
            if path.startswith(cpath):
                quizzes[cid] += 1
                break
    return courses, quizzes


def _course_of_items(item_ids, courses) -> dict[int, int]:
    found = {}
    for pk, path in Page.objects.filter(pk__in=item_ids).values_list("pk", "path"):
        for cid, cpath in courses.items():
            if path.startswith(cpath):
                found[pk] = cid
                break
    return found


def _module_rows(school, courses, quiz_counts):
    classes = dict(Classroom.objects.active().filter(school=school).values_list("pk", "grade"))
    members = defaultdict(set)
    for cid, sid in Enrollment.objects.filter(classroom_id__in=classes).values_list("classroom_id", "student_id"):
        members[cid].add(sid)
    pairs = set(
        Assignment.objects.active().filter(classroom_id__in=classes).values_list("classroom_id", "item_id").distinct()
    )
    item_course = _course_of_items({item for _c, item in pairs}, courses)
    groups = defaultdict(lambda: (set(), set()))  # (grade, course) -> (class ids, learner ids)
    for class_id, item_id in pairs:
        course_id = item_course.get(item_id)
        if course_id is None:
            continue
        class_ids, learners = groups[(classes[class_id], course_id)]
        class_ids.add(class_id)
        learners |= members[class_id]
    learners_all = set().union(*members.values()) if members else set()
    completed, passed, scores = set(), defaultdict(int), defaultdict(list)
    if groups:
        rows = Progress.objects.filter(
            student_id__in=Enrollment.objects.filter(classroom_id__in=classes).values("student_id"),
            course_id__in={c for _g, c in groups},
        ).values_list("student_id", "course_id", "kind", "status", "passed", "grade_score", "best_score", "attempts")
        for sid, course_id, kind, status, ok, grade_score, best, attempts in rows.iterator(chunk_size=5000):
            if kind == "course":
                if status == ProgressStatus.COMPLETED:
                    completed.add((sid, course_id))
            elif kind == "quiz" and attempts:
                passed[(sid, course_id)] += bool(ok)
                score = grade_score if grade_score is not None else best
                if score is not None:
                    scores[(sid, course_id)].append(score)
    figures = []
    for (grade, course_id), (class_ids, learners) in groups.items():
        need = quiz_counts.get(course_id, 0)
        done = [s for s in learners if (s, course_id) in completed]
        mine = [scores[(s, course_id)] for s in learners if scores.get((s, course_id))]
        figures.append(
            ModuleFigure(
                school=school,
                grade=grade,
                course_id=course_id,
                classes_assigned=len(class_ids),
                learners=len(learners),
                completed=len(done),
                reached=sum(1 for s in done if passed[(s, course_id)] >= need),
                scored=len(mine),
                score_sum=sum(sum(xs) / len(xs) for xs in mine),
            )
        )
    return figures, len(learners_all), len(classes)


def _week_rows(school, now):
    weeks = week_starts(now)
    tz = timezone.get_current_timezone()
    bounds = [timezone.make_aware(datetime.combine(w, time.min), tz) for w in weeks]
    bounds.append(bounds[-1] + timedelta(days=7))
    learners = Enrollment.objects.filter(classroom__school=school, classroom__archived_at__isnull=True)
    agg = Progress.objects.filter(
        student_id__in=learners.values("student_id"),
        status=ProgressStatus.COMPLETED,
        completed_at__gte=bounds[0],
        completed_at__lt=bounds[-1],
    ).aggregate(
        **{
            key: fn
            for i in range(len(weeks))
            for key, fn in (
                (f"n{i}", Count("pk", filter=Q(completed_at__gte=bounds[i], completed_at__lt=bounds[i + 1]))),
                (
                    f"l{i}",
                    Count(
                        "student_id",
                        distinct=True,
                        filter=Q(completed_at__gte=bounds[i], completed_at__lt=bounds[i + 1]),
                    ),
                ),
            )
        }
    )
    return [
        WeekFigure(school=school, week=w, active_learners=agg[f"l{i}"] or 0, completions=agg[f"n{i}"] or 0)
        for i, w in enumerate(weeks)
    ]


def _help_rows(school, now):
    today = timezone.localdate(now)
    terms = [term_start(today)]
    while len(terms) < TERMS_SHOWN:
        terms.append(term_start(terms[-1] - timedelta(days=1)))
    counts = defaultdict(int)
    since = timezone.make_aware(datetime.combine(terms[-1], time.min))
    for created in Report.objects.filter(school=school, created__gte=since).values_list("created", flat=True):
        counts[term_start(timezone.localdate(created))] += 1
    return [HelpFigure(school=school, term_start=t, reports=counts[t]) for t in terms]


def refresh_school(school: School, *, now=None, catalogue=None) -> None:
    now = now or timezone.now()
    courses, quiz_counts = catalogue or _catalogue()
    modules, learners, classes = _module_rows(school, courses, quiz_counts)
    weeks = _week_rows(school, now)
    help_rows = _help_rows(school, now)
    with transaction.atomic():
        # Two refreshes of one school (beat and an assignment's) take turns, never interleave.
        School.objects.select_for_update().filter(pk=school.pk).first()
        ModuleFigure.objects.filter(school=school).delete()
        WeekFigure.objects.filter(school=school).delete()
        HelpFigure.objects.filter(school=school).delete()
        ModuleFigure.objects.bulk_create(modules)
        WeekFigure.objects.bulk_create(weeks)
        HelpFigure.objects.bulk_create(help_rows)
        SchoolSummary.objects.get_or_create(school=school)
        SchoolSummary.objects.filter(school=school).update(
            learners=learners, classes=classes, refreshed_at=now, version=F("version") + 1
        )


def refresh(*, school_ids=None, now=None) -> int:
    """Rebuild the figures of every school in a district (or of `school_ids`); returns how many."""
    schools = School.objects.filter(pk__in=DistrictSchool.objects.values("school_id"))
    if school_ids is not None:
        schools = schools.filter(pk__in=school_ids)
    catalogue = _catalogue()
    n = 0
    for school in schools.order_by("pk"):
        refresh_school(school, now=now, catalogue=catalogue)
        n += 1
    return n
