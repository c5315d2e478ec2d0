"""Reads for the role dashboards. Each builds its page from a fixed number of bulk queries
(`.values()`, no query per learner), so a class of 400 costs what a class of 10 does."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.models import CoursePage, LessonPage, Topic
from courses.selectors import family_prompts, show_in_active_language, titles_in_active_language
from schools.access import students_visible_to
from schools.models import Classroom, Enrollment, GuardianLink

from ..models import Assignment, Certificate, ClassItemFigures, ItemKind, Progress, ProgressStatus, StudyTime
from . import quizdata

WEEKS = 8
FAILS_BEFORE_HELP = 3  # failed attempts at a quiz, without a pass, before a student "needs help"
PROMPTS_SHOWN = 3  # conversation prompts for the week on a family page: two or three, not twelve
BEHIND_OVERDUE = 2  # overdue, unfinished items before a student is "well behind"

STATUS_ICON = {
    "completed": "✓",
    "in_progress": "◐",
    "not_started": "○",
    "overdue": "!",
    "not_assigned": "·",
}


def _name(row) -> str:
    return row.get("display_name") or row.get("username") or ""


def week_starts(now=None, weeks=WEEKS):
    today = timezone.localdate(now or timezone.now())
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]


@dataclass(slots=True)
class Cell:
    status: str
    score: float | None = None
    attempts: int = 0
    percent: int = 0

    @property
    def icon(self):
        return STATUS_ICON[self.status]

    @property
    def label(self):
        return {
            "completed": _("Completed"),
            "in_progress": _("In progress"),
            "not_started": _("Not started"),
            "overdue": _("Overdue"),
            "not_assigned": _("Not assigned"),
        }[self.status]


NOT_ASSIGNED = Cell(status="not_assigned")  # shared: cells are read, never changed, once built
NOT_STARTED = Cell(status=str(ProgressStatus.NOT_STARTED))
OVERDUE_NOT_STARTED = Cell(status="overdue")


@dataclass
class StudentRow:
    pk: int
    name: str
    cells: list = field(default_factory=list)
    done: int = 0
    assigned: int = 0
    overdue: int = 0
    scores: list = field(default_factory=list)
    help_reasons: list = field(default_factory=list)
    started: bool = False  # any assigned cell in progress or completed

    @property
    def completion(self) -> int:
        return int(100 * self.done / self.assigned) if self.assigned else 0

    @property
    def average(self):
        return round(sum(self.scores) / len(self.scores)) if self.scores else None

    @property
    def started_nothing(self) -> bool:
        return self.assigned > 0 and not self.started

    @property
    def behind(self) -> bool:
        return self.overdue > 0


# The grid's progress columns, fetched as tuples (no datetime is parsed per cell: the week a
# completion falls in is computed by the database, see _week_bucket).
_GRID_FIELDS = ("student_id", "page_id", "status", "percent", "attempts", "failed_attempts", "score", "passed", "week")
_COMPLETED = str(ProgressStatus.COMPLETED)
_IN_PROGRESS = str(ProgressStatus.IN_PROGRESS)


def _week_ends(now):
    """Aware datetimes at the end (next Monday 00:00, local time) of each of the chart's weeks."""
    tz = timezone.get_current_timezone()
    return [timezone.make_aware(datetime.combine(w + timedelta(days=7), time.min), tz) for w in week_starts(now)]


def _week_bucket(ends):
    """Index of the first chart week by whose end a completion happened (len(ends) if later or
    never): 'completed by the end of week i' is then 'bucket <= i'."""
    return Case(
        *(When(completed_at__lt=end, then=Value(i)) for i, end in enumerate(ends)),
        default=Value(len(ends)),
        output_field=IntegerField(),
    )


def _fill_row(row, columns, progress, titles, texts, *, build_cells):
    """A student's counts, scores and reasons to help (and, with build_cells, the grid cells)
    from their progress tuples (_GRID_FIELDS). Sets every field afresh, so it can run twice."""
    pk = row.pk
    get = progress.get
    cells = row.cells = []
    scores = row.scores = []
    reasons = row.help_reasons = []
    assigned = done = overdue = 0
    started = False
    for item_id, past_due, only in columns:
        if only is not None and pk not in only:
            if build_cells:
                cells.append(NOT_ASSIGNED)
            continue
        assigned += 1
        p = get((pk, item_id))
        if p is None:
            if past_due:
                overdue += 1
            if build_cells:
                cells.append(OVERDUE_NOT_STARTED if past_due else NOT_STARTED)
            continue
        status = p[2]
        if status == _COMPLETED:
            done += 1
            started = True
        elif past_due:  # an overdue item counts as not started, as its cell says
            overdue += 1
            status = "overdue"
        elif status == _IN_PROGRESS:
            started = True
        attempts = p[4]
        score = round(p[6]) if attempts and p[6] is not None else None
        if score is not None:
            scores.append(score)
        if build_cells:
            cells.append(Cell(status, score, attempts, p[3]))
        if p[5] >= FAILS_BEFORE_HELP and not p[7]:
            reasons.append(texts[0] % {"quiz": titles[item_id], "n": p[5]})
    row.assigned, row.done, row.overdue, row.started = assigned, done, overdue, started
    if overdue >= BEHIND_OVERDUE:
        reasons.append(texts[1] % {"n": overdue})


MATRIX_PAGE = 100  # students per page of the class grid


def class_dashboard(
    *,
    classroom: Classroom,
    sort: str = "name",
    show: str = "all",
    page=1,
    per_page: int | None = MATRIX_PAGE,
    now=None,
) -> dict:
    """Students × assigned items for one class, with the figures a teacher acts on.

    One pass over the progress rows builds every student's row (cells, counts, reasons); cells
    for untouched items are shared constants, so a class of 400 × 60 costs little more than its
    rows. Summary figures are always over the whole class; "rows" are every student the filter
    keeps (sorted), "page_rows" the `per_page` of them on `page` — only those have their cells
    (per_page=None: one page of everyone)."""
    now = now or timezone.now()
    User = get_user_model()
    students = list(
        User.objects.filter(enrollments__classroom=classroom, is_active=True)
        .order_by("display_name", "username")
        .values("pk", "display_name", "username")
    )
    assignments = list(
        Assignment.objects.active()
        .filter(classroom=classroom)
        .select_related("item")
        .order_by(F("due_at").asc(nulls_first=True), "pk")
    )
    show_in_active_language([a.item for a in assignments])  # titles in the teacher's language
    targets = defaultdict(set)
    for assignment_id, user_id in Assignment.students.through.objects.filter(
        assignment__in=[a.pk for a in assignments]
    ).values_list("assignment_id", "user_id"):
        targets[assignment_id].add(user_id)
    item_ids = {a.item_id for a in assignments}
    ends = _week_ends(now)
    progress = {}
    if item_ids and students:
        qs = (
            Progress.objects.filter(student__enrollments__classroom=classroom, page_id__in=item_ids)
            .annotate(score=Coalesce("grade_score", "best_score"), week=_week_bucket(ends))
            .values_list(*_GRID_FIELDS)
        )
        for row in qs:
            progress[(row[0], row[1])] = row

    titles = {a.item_id: a.item.title for a in assignments}
    # Per assignment, once: is it overdue now, who is it for (None: the whole class).
    columns = [(a.item_id, bool(a.due_at and a.due_at < now), targets[a.pk] or None) for a in assignments]
    texts = (_("failed “%(quiz)s” %(n)s times"), _("%(n)s overdue items not finished"))
    rows = []
    for s in students:
        row = StudentRow(pk=s["pk"], name=_name(s))
        _fill_row(row, columns, progress, titles, texts, build_cells=False)
        rows.append(row)

    needs_help = [r for r in rows if r.help_reasons]
    behind = [r for r in rows if r.behind]
    not_started = [r for r in rows if r.started_nothing]
    if show == "behind":
        shown = behind
    elif show == "not_started":
        shown = not_started
    elif show == "help":
        shown = needs_help
    else:
        shown = rows
    if sort == "completion":
        shown = sorted(shown, key=lambda r: (r.completion, r.name))
    elif sort == "score":
        shown = sorted(shown, key=lambda r: (r.average is None, r.average or 0, r.name))
    # Only the rows on the page get their cells (a class of 400 × 60 is 24,000 cells; the
    # summary figures above are over the whole class all the same).
    paginator = Paginator(shown, per_page or max(len(shown), 1), allow_empty_first_page=True)
    page_obj = paginator.get_page(page)
    for row in page_obj.object_list:
        _fill_row(row, columns, progress, titles, texts, build_cells=True)

    # Completion over time: share of assigned cells completed by the end of each week.
    total_cells = sum(r.assigned for r in rows)
    per_bucket = [0] * (len(ends) + 1)
    for p in progress.values():
        if p[2] == _COMPLETED:
            per_bucket[p[8]] += 1
    weeks, done = [], 0
    for i, start in enumerate(week_starts(now)):
        done += per_bucket[i]
        weeks.append({"start": start, "value": int(100 * done / total_cells) if total_cells else 0})

    quiz_ids = [a.item_id for a in assignments if a.item_kind == ItemKind.QUIZ]
    student_ids = [s["pk"] for s in students]
    stats = quizdata.class_question_stats(student_ids=student_ids, quiz_ids=quiz_ids, classroom=classroom)
    before_after = quizdata.before_after(
        student_ids=student_ids, courses=[a.item for a in assignments if a.item_kind == ItemKind.COURSE]
    )
    lesson_objectives = _lesson_objectives(assignments, progress, student_ids)
    return {
        "classroom": classroom,
        "students": students,
        "assignments": assignments,
        "rows": shown,
        "all_rows": rows,
        "page_obj": page_obj,
        "page_rows": page_obj.object_list,
        "needs_help": needs_help,
        "behind_count": len(behind),
        "not_started_count": len(not_started),
        "weeks": weeks,
        "hardest": stats["hardest"],
        "before_after": before_after,
        "objectives": lesson_objectives + stats["objectives"],
        "sort": sort,
        "show": show,
        "class_completion": int(100 * sum(r.done for r in rows) / total_cells) if total_cells else 0,
    }


def _lesson_objectives(assignments, progress, student_ids):
    """Per assigned lesson's objective: how many of the class completed it (assigned lessons only)."""
    done_per_item = defaultdict(int)
    active = set(student_ids)
    for p in progress.values():
        if p[2] == _COMPLETED and p[0] in active:
            done_per_item[p[1]] += 1
    rows = []
    for a in assignments:
        if a.item_kind != ItemKind.LESSON:
            continue
        rows.append(
            {
                "objective": getattr(a.item, "title", ""),
                "source": _("lesson read"),
                "percent": int(100 * done_per_item[a.item_id] / len(student_ids)) if student_ids else 0,
            }
        )
    return rows


def _unfinished_quiz_ids(progress) -> list[int]:
    """The quizzes among progress rows that are not passed yet: those the student may be out of
    attempts at (quiz progress lags a submit by a moment; the quiz engine's results do not)."""
    return [p.page_id for p in progress if p.kind == ItemKind.QUIZ and p.status != ProgressStatus.COMPLETED]


def student_detail(*, classroom: Classroom, student) -> dict:
    """A teacher's drill-down: one student's timeline of lessons and attempts, with answers,
    and the quizzes they are out of attempts at (where a teacher can give one more)."""
    progress = list(Progress.objects.filter(student=student).select_related("page").order_by("-last_seen_at", "-pk"))
    show_in_active_language([p.page for p in progress])  # titles in the teacher's language
    attempts = quizdata.attempts_with_answers(student_id=student.pk)
    stuck = quizdata.quizzes_out_of_attempts(student_id=student.pk, quiz_ids=_unfinished_quiz_ids(progress))
    # Whether each quiz has shown the student its correct answers by now (a quiz set to show
    # them once no attempt is left has): the teacher weighs that before giving another go.
    seen = quizdata.answers_shown_when_out(quiz_ids=stuck)
    out_of_attempts = [
        {"quiz": p.page, "result": stuck[p.page_id], "answers_seen": p.page_id in seen}
        for p in progress
        if p.page_id in stuck
    ]
    for p in progress:
        p.out_of_attempts = p.page_id in stuck  # the timeline says so, not "In progress"
    return {
        "classroom": classroom,
        "student": student,
        "progress": progress,
        "attempts": attempts,
        "out_of_attempts": out_of_attempts,
    }


# --- student ------------------------------------------------------------------------


def _assignment_rows(student, statuses: dict[int, str], now) -> list[dict]:
    """The student's assignments (each with its item, status and whether it is overdue), most
    urgent first: not completed before completed, then by due date. `statuses`: page id -> the
    student's progress status there."""
    assignments = Assignment.objects.for_student(student).select_related("item", "classroom").order_by("due_at", "pk")
    rows = []
    for a in assignments:
        status = statuses.get(a.item_id, ProgressStatus.NOT_STARTED)
        overdue = status != ProgressStatus.COMPLETED and a.due_at is not None and a.due_at < now
        rows.append({"assignment": a, "status": status, "overdue": overdue})
    rows.sort(
        key=lambda r: (
            r["status"] == ProgressStatus.COMPLETED,
            r["assignment"].due_at is None,
            r["assignment"].due_at or now,
        )
    )
    return rows


def _own_progress(student) -> dict[int, Progress]:
    """page id -> the student's progress row there, with its page."""
    return {p.page_id: p for p in Progress.objects.filter(student=student).select_related("page")}


def _in_progress_courses(progress: dict[int, Progress]) -> list[Progress]:
    return [p for p in progress.values() if p.kind == ItemKind.COURSE and p.status == ProgressStatus.IN_PROGRESS]


def _next_step(rows: list[dict], stuck=()) -> dict | None:
    """The first unfinished assignment row, never a quiz in `stuck` (out of attempts: the
    student cannot start it, only ask their teacher for another go)."""
    return next(
        (r for r in rows if r["status"] != ProgressStatus.COMPLETED and r["assignment"].item_id not in stuck), None
    )


def _next_page(rows: list[dict], progress: dict[int, Progress], in_progress: list[Progress], stuck=()):
    """The first unfinished assignment (_next_step; for a course, its first lesson not yet
    completed), else the first course in progress, else None."""
    step = _next_step(rows, stuck)
    page = step["assignment"].item if step else (in_progress[0].page if in_progress else None)
    if page is not None and step and step["assignment"].item_kind == ItemKind.COURSE:
        lesson = (
            LessonPage.objects.child_of(page)
            .live()
            .exclude(pk__in=[pid for pid, p in progress.items() if p.status == ProgressStatus.COMPLETED])
            .order_by("path")
            .first()
        )
        page = lesson or page
    return page


def _stuck(student, progress: dict[int, Progress]) -> dict:
    """Quiz id -> the student's result, for the quizzes they are out of attempts at (no query
    unless a quiz is under way)."""
    return quizdata.quizzes_out_of_attempts(student_id=student.pk, quiz_ids=_unfinished_quiz_ids(progress.values()))


def next_page(*, student, now=None):
    """Where "What to do next" on My learning points (see _next_page)."""
    progress = _own_progress(student)
    rows = _assignment_rows(student, {page_id: p.status for page_id, p in progress.items()}, now or timezone.now())
    return _next_page(rows, progress, _in_progress_courses(progress), _stuck(student, progress))


def my_learning(*, student, now=None) -> dict:
    now = now or timezone.now()
    progress = _own_progress(student)
    rows = _assignment_rows(student, {page_id: p.status for page_id, p in progress.items()}, now)
    stuck = _stuck(student, progress)
    for row in rows:
        row["progress"] = progress.get(row["assignment"].item_id)
        row["stuck"] = row["assignment"].item_id in stuck
    in_progress = _in_progress_courses(progress)
    results = sorted(
        (p for p in progress.values() if p.kind == ItemKind.QUIZ and p.attempts),
        key=lambda p: p.last_seen_at or now,
        reverse=True,
    )
    upcoming = _next_page(rows, progress, in_progress, stuck)
    # Assigned quizzes out of attempts: "What to do next" says so (and links the last result)
    # where it would otherwise offer them.
    out_of_attempts = {
        row["assignment"].item_id: {"quiz": row["assignment"].item, "result": stuck[row["assignment"].item_id]}
        for row in rows
        if row["assignment"].item_id in stuck
    }
    certificates = list(Certificate.objects.filter(student=student).select_related("course"))
    open_courses = list(
        CoursePage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .exclude(pk__in=[p.page_id for p in in_progress])
        .order_by("path")[:12]
    )
    return {
        "rows": rows,
        "in_progress": in_progress,
        "results": results[:10],
        "next_page": upcoming,
        "next_starts": (_next_step(rows, stuck) or {}).get("status") == ProgressStatus.NOT_STARTED,
        "out_of_attempts": list(out_of_attempts.values()),
        "no_attempts_left": set(stuck),  # quiz ids, for "My quiz results"
        "certificates": certificates,
        "open_courses": open_courses,
        "overdue_count": sum(1 for r in rows if r["overdue"]),
    }


# --- guardian -----------------------------------------------------------------------


def guardian_children(*, guardian):
    return list(students_visible_to(guardian).order_by("display_name", "username"))


def pending_children(*, guardian):
    return list(
        GuardianLink.objects.filter(guardian=guardian, state=GuardianLink.State.PENDING).select_related("student")
    )


def recent_prompts(*, student_id, now) -> list[dict]:
    """Conversation prompts of the courses the child finished something in (a lesson, a quiz,
    the course) in the last 14 days, the course finished most recently first: cut to a few,
    they are about this week's learning. Three queries."""
    recent = (
        Progress.objects.filter(
            student_id=student_id,
            status=ProgressStatus.COMPLETED,
            completed_at__gte=now - timedelta(days=14),
            course__isnull=False,
        )
        .values("course_id")
        .annotate(last=Max("completed_at"))
        .order_by("-last", "course_id")
        .values_list("course_id", "last")
    )
    course_ids = [course_id for course_id, _last in recent]
    by_course = family_prompts(course_ids)
    return [p for course_id in course_ids for p in by_course.get(course_id, [])]


def guardian_child(*, child, now=None) -> dict:
    """One child's page for a guardian (the child was loaded through schools.access)."""
    now = now or timezone.now()
    # The assignments' statuses only: the student's own page (my_learning) also reads every
    # progress row's page, the open courses and the next lesson, none of which is shown here.
    rows = _assignment_rows(child, dict(Progress.objects.filter(student=child).values_list("page_id", "status")), now)
    # Assigned quizzes the child has used every attempt of without passing: "Out of attempts"
    # (their teacher can give another), not "In progress". No query unless one is under way.
    stuck = quizdata.quizzes_out_of_attempts(
        student_id=child.pk,
        quiz_ids=[
            r["assignment"].item_id
            for r in rows
            if r["assignment"].item_kind == ItemKind.QUIZ and r["status"] == ProgressStatus.IN_PROGRESS
        ],
    )
    for row in rows:
        row["stuck"] = row["assignment"].item_id in stuck
    completed_courses = [
        p
        for p in Progress.objects.filter(student=child, kind=ItemKind.COURSE, status=ProgressStatus.COMPLETED)
        .select_related("page")
        .order_by("-completed_at")
    ]
    prompts = recent_prompts(student_id=child.pk, now=now)[:PROMPTS_SHOWN]
    weeks = week_starts(now)
    seconds = defaultdict(int)
    for day, secs in StudyTime.objects.filter(student=child, day__gte=weeks[0]).values_list("day", "seconds"):
        seconds[day - timedelta(days=day.weekday())] += secs
    time_per_week = [{"start": w, "value": round(seconds.get(w, 0) / 60)} for w in weeks]
    return {
        "child": child,
        "rows": rows,
        "overdue_count": sum(1 for r in rows if r["overdue"]),
        "stuck_count": len(stuck),
        "completed_courses": completed_courses,
        "certificates": list(Certificate.objects.filter(student=child).select_related("course")),
        "recent_results": quizdata.recent_results_with_misses(student_id=child.pk),
        "prompts": prompts,
        "time_per_week": time_per_week,
    }


# --- school admin -------------------------------------------------------------------


def _item_topics(item_ids, assigned_courses=None):
    """item page id -> (topic value, course title) via the course above it (2 queries).
    With `assigned_courses` (a list), the courses among the items are appended to it."""
    items = list(Page.objects.filter(pk__in=item_ids).values("pk", "path"))
    courses = list(CoursePage.objects.values("pk", "path", "topic", "title", "translation_key"))
    topics = {}
    by_pk = {c["pk"]: c for c in courses}
    for item in items:
        if assigned_courses is not None and item["pk"] in by_pk:
            assigned_courses.append(by_pk[item["pk"]])
        for c in courses:
            if item["path"].startswith(c["path"]):
                topics[item["pk"]] = c["topic"]
                break
    return topics


def school_overview(*, school, now=None) -> dict:
    now = now or timezone.now()
    classes = list(
        Classroom.objects.active()
        .filter(school=school)
        .annotate(n_students=Count("enrollments", distinct=True))
        .order_by("grade", "name")
    )
    class_ids = [c.pk for c in classes]
    assignments = list(
        Assignment.objects.active()
        .filter(classroom_id__in=class_ids)
        .values("classroom_id", "item_id", "item_kind")
        .distinct()
    )
    item_ids = {a["item_id"] for a in assignments}
    assigned_courses = []
    topics = _item_topics(item_ids, assigned_courses)
    # The school's students, once: their count, and the learners of before -> after per
    # assigned module with a pre-check (one query).
    student_ids = list(
        Enrollment.objects.filter(classroom_id__in=class_ids).values_list("student_id", flat=True).distinct()
    )
    titles = titles_in_active_language(c["translation_key"] for c in assigned_courses)
    for course in assigned_courses:  # named in the reader's language
        course["title"] = titles.get(course["translation_key"], course["title"])
    before_after = quizdata.before_after(
        student_ids=student_ids, courses=sorted(assigned_courses, key=lambda c: c["path"])
    )
    # Completions and quiz grades per (class, item), pre-aggregated (learning.progress.figures
    # keeps them exact): classes × items rows, not one per student and item.
    done = defaultdict(int)
    scores = defaultdict(list)
    for classroom_id, page_id, completed, scored, score_sum in ClassItemFigures.objects.filter(
        classroom_id__in=class_ids, page_id__in=item_ids
    ).values_list("classroom_id", "page_id", "completed", "scored", "score_sum"):
        done[(classroom_id, page_id)] = completed
        if scored:
            scores[(classroom_id, page_id)].append(score_sum / scored)
    by_class = {
        c.pk: {"class": c, "expected": 0, "done": 0, "scores": [], "topics": defaultdict(lambda: [0, 0, []])}
        for c in classes
    }
    for a in assignments:
        entry = by_class[a["classroom_id"]]
        key = (a["classroom_id"], a["item_id"])
        n = entry["class"].n_students
        entry["expected"] += n
        entry["done"] += min(done[key], n)
        entry["scores"] += scores[key]
        t = entry["topics"][topics.get(a["item_id"], "")]
        t[0] += n
        t[1] += min(done[key], n)
        t[2] += scores[key]

    def pct(d, e):
        return int(100 * d / e) if e else None

    def avg(xs):
        return round(sum(xs) / len(xs)) if xs else None

    topic_values = sorted({t for e in by_class.values() for t in e["topics"] if t})
    topic_labels = dict(Topic.choices)
    class_rows, heat = [], []
    by_grade = defaultdict(lambda: [0, 0, []])
    for c in classes:
        e = by_class[c.pk]
        class_rows.append(
            {
                "class": c,
                "completion": pct(e["done"], e["expected"]),
                "score": avg(e["scores"]),
                "assigned": e["expected"] > 0,
            }
        )
        g = by_grade[c.grade]
        g[0] += e["expected"]
        g[1] += e["done"]
        g[2] += e["scores"]
        heat.append(
            {
                "class": c,
                "cells": [
                    {"topic": t, "value": pct(e["topics"][t][1], e["topics"][t][0]) if t in e["topics"] else None}
                    for t in topic_values
                ],
            }
        )
    topic_rows = []
    for t in topic_values:
        exp = sum(by_class[c]["topics"][t][0] for c in class_ids if t in by_class[c]["topics"])
        dn = sum(by_class[c]["topics"][t][1] for c in class_ids if t in by_class[c]["topics"])
        sc = [s for c in class_ids if t in by_class[c]["topics"] for s in by_class[c]["topics"][t][2]]
        topic_rows.append({"topic": t, "label": topic_labels.get(t, t), "completion": pct(dn, exp), "score": avg(sc)})
    weeks = week_starts(now)
    # One aggregate: completions per week, counted in the database (no row per learner here).
    tz = timezone.get_current_timezone()
    bounds = [timezone.make_aware(datetime.combine(w, time.min), tz) for w in weeks]
    bounds.append(bounds[-1] + timedelta(days=7))
    weekly_counts = Progress.objects.filter(
        student__student_profile__school=school,
        status=ProgressStatus.COMPLETED,
        completed_at__gte=bounds[0],
    ).aggregate(
        **{
            f"w{i}": Count("pk", filter=Q(completed_at__gte=bounds[i], completed_at__lt=bounds[i + 1]))
            for i in range(len(weeks))
        }
    )
    weekly = {w: weekly_counts[f"w{i}"] for i, w in enumerate(weeks)}
    return {
        "school": school,
        "classes": class_rows,
        "by_grade": [
            {"grade": g, "completion": pct(v[1], v[0]), "score": avg(v[2])}
            for g, v in sorted(by_grade.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
        ],
        "topics": topic_rows,
        "topic_labels": [topic_labels.get(t, t) for t in topic_values],
        "heatmap": heat,
        "weekly": [{"start": w, "value": weekly.get(w, 0)} for w in weeks],
        "unassigned": [r["class"] for r in class_rows if not r["assigned"]],
        "before_after": before_after,
        "student_count": len(student_ids),
    }
