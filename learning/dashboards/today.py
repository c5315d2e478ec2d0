"""Each role's home page: what to do today. Bulk reads, a fixed number of queries however many
classes, students or children (tests/learning/test_homes.py pins them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone

from courses.selectors import show_in_active_language
from safeguarding import selectors as help_selectors
from schools import access
from schools.models import Enrollment, StudentProfile
from schools.terms import term_start

from ..models import Assignment, ItemKind, Progress, ProgressStatus
from .selectors import FAILS_BEFORE_HELP, my_learning, school_overview

DUE_SOON = timedelta(days=7)
BEHIND_SHOWN = 10  # students listed in full under "Who is behind" (all who need help, if more)
BEHIND_BELOW = 60  # a class with less than this percent of its assigned work done is falling behind


def _name(row) -> str:
    return row.get("student__display_name") or row.get("student__username") or ""


# --- teacher ------------------------------------------------------------------------


@dataclass
class Behind:
    pk: int
    name: str
    classroom: object
    overdue: list = field(default_factory=list)  # titles of overdue, unfinished items
    failed: list = field(default_factory=list)  # titles of quizzes failed FAILS_BEFORE_HELP times

    @property
    def needs_help(self) -> bool:
        return bool(self.failed)


@dataclass
class OverdueItem:
    assignment: Assignment
    unfinished: int


def _class_progress(classes, now):
    """For the given classes: (enrolled student rows, active assignments with targets,
    progress by (student, page)) in 4 queries."""
    class_ids = [c.pk for c in classes]
    enrolled = list(
        Enrollment.objects.filter(classroom_id__in=class_ids, student__is_active=True)
        .order_by("student__display_name", "student__username")
        .values("classroom_id", "student_id", "student__display_name", "student__username")
    )
    assignments = list(
        Assignment.objects.active()
        .filter(classroom_id__in=class_ids)
        .select_related("item", "classroom")
        .order_by("due_at", "pk")
    )
    targets = defaultdict(set)
    for aid, uid in Assignment.students.through.objects.filter(
        assignment_id__in=[a.pk for a in assignments]
    ).values_list("assignment_id", "user_id"):
        targets[aid].add(uid)
    progress = {}
    student_ids = {e["student_id"] for e in enrolled}
    if assignments and student_ids:
        for row in Progress.objects.filter(
            student_id__in=student_ids, page_id__in={a.item_id for a in assignments}
        ).values("student_id", "page_id", "status", "failed_attempts", "passed"):
            progress[(row["student_id"], row["page_id"])] = row
    return enrolled, assignments, targets, progress


def teacher_today(*, teacher, now=None) -> dict:
    """Who is behind across the teacher's classes, what is due this week, overdue work to
    nudge about, and new Get help cases when the teacher is designated staff."""
    now = now or timezone.now()
    classes = list(access.classrooms_taught_by(teacher).filter(archived_at__isnull=True).order_by("name"))
    by_class = {c.pk: c for c in classes}
    enrolled, assignments, targets, progress = _class_progress(classes, now)
    show_in_active_language([a.item for a in assignments])
    students_of = defaultdict(list)
    for e in enrolled:
        students_of[e["classroom_id"]].append(e)

    behind: dict[tuple[int, int], Behind] = {}
    due_soon, overdue_items = [], []
    for a in assignments:
        done = 0
        aimed = [e for e in students_of[a.classroom_id] if not targets[a.pk] or e["student_id"] in targets[a.pk]]
        is_overdue = a.due_at is not None and a.due_at < now
        for e in aimed:
            p = progress.get((e["student_id"], a.item_id))
            finished = p is not None and p["status"] == ProgressStatus.COMPLETED
            done += finished
            failed = p is not None and p["failed_attempts"] >= FAILS_BEFORE_HELP and not p["passed"]
            if (is_overdue and not finished) or failed:
                key = (a.classroom_id, e["student_id"])
                if key not in behind:
                    behind[key] = Behind(pk=e["student_id"], name=_name(e), classroom=by_class[a.classroom_id])
                if is_overdue and not finished:
                    behind[key].overdue.append(a.item.title)
                if failed:
                    behind[key].failed.append(a.item.title)
        if is_overdue and done < len(aimed):
            overdue_items.append(OverdueItem(assignment=a, unfinished=len(aimed) - done))
        elif a.due_at is not None and now <= a.due_at < now + DUE_SOON:
            due_soon.append({"assignment": a, "done": done, "total": len(aimed)})
    rows = sorted(behind.values(), key=lambda b: (not b.needs_help, -len(b.overdue), b.classroom.name, b.name))
    # On a phone the list is the first thing under the greeting: the first rows in full (everyone
    # who needs help among them, however many), the rest behind "Show n more".
    needs_help = sum(1 for b in rows if b.needs_help)
    shown = max(BEHIND_SHOWN, needs_help)
    return {
        "classes": classes,
        "behind": rows[:shown],
        "behind_more": rows[shown:],
        "needs_help_count": needs_help,
        "due_soon": due_soon,
        "overdue_items": sorted(overdue_items, key=lambda o: o.assignment.due_at, reverse=True),
        "help": help_selectors.new_cases_for(teacher),
    }


# --- student ------------------------------------------------------------------------


def student_today(*, student, now=None) -> dict:
    """My learning, plus courses done of assigned (no streaks) and replies to Get help reports."""
    context = my_learning(student=student, now=now)
    rows = context["rows"]
    assigned_courses = {r["assignment"].item_id for r in rows if r["assignment"].item_kind == ItemKind.COURSE}
    done_courses = {r["assignment"].item_id for r in context["rows"] if r["status"] == ProgressStatus.COMPLETED}
    context["courses_assigned"] = len(assigned_courses)
    context["courses_done"] = len(assigned_courses & done_courses)
    context["items_assigned"] = len(context["rows"])
    context["items_done"] = sum(1 for r in context["rows"] if r["status"] == ProgressStatus.COMPLETED)
    context["help_replies"] = help_selectors.replies_waiting_for(student)
    return context


# --- guardian -----------------------------------------------------------------------


def guardian_today(*, children, now=None) -> dict:
    """One line per child (overdue, next due, last active) and how to contact each child's
    school. A fixed number of queries however many children."""
    if not children:
        return {"lines": [], "schools": []}
    now = now or timezone.now()
    ids = [c.pk for c in children]
    # One row per assignment × enrolled child × targeted student (None: the whole class).
    rows = Assignment.objects.active().filter(classroom__enrollments__student_id__in=ids)
    aimed = defaultdict(dict)  # child id -> {assignment id: (item id, due)}
    for pk, item_id, due_at, child_id, target in rows.values_list(
        "pk", "item_id", "due_at", "classroom__enrollments__student_id", "students"
    ):
        if target is None or target == child_id:
            aimed[child_id][pk] = (item_id, due_at)
    done, seen = set(), {}
    for student_id, page_id, status, last_seen in Progress.objects.filter(student_id__in=ids).values_list(
        "student_id", "page_id", "status", "last_seen_at"
    ):
        if status == ProgressStatus.COMPLETED:
            done.add((student_id, page_id))
        if last_seen and (seen.get(student_id) is None or last_seen > seen[student_id]):
            seen[student_id] = last_seen
    lines = []
    for child in children:
        overdue, upcoming = 0, []
        for item_id, due_at in aimed[child.pk].values():
            if (child.pk, item_id) in done or due_at is None:
                continue
            if due_at < now:
                overdue += 1
            else:
                upcoming.append(due_at)
        lines.append(
            {
                "child": child,
                "overdue": overdue,
                "next_due": min(upcoming) if upcoming else None,
                "last_active": seen.get(child.pk),
            }
        )
    profiles = list(StudentProfile.objects.filter(user_id__in=ids).select_related("school"))
    schools = {p.school_id: p.school for p in profiles if p.school_id}
    contacts = defaultdict(list)
    for contact in help_selectors.school_contacts(schools):
        contacts[contact.school_id].append(contact)
    return {
        "lines": lines,
        "schools": [{"school": s, "contacts": contacts[s.pk]} for s in schools.values()],
    }


# --- school admin -------------------------------------------------------------------


def school_today(*, school, viewer, now=None) -> dict:
    """The school at a glance: completion by grade, classes falling behind, and Get help as
    `viewer` may see it (counts only for designated staff: safeguarding.selectors)."""
    now = now or timezone.now()
    data = school_overview(school=school, now=now)
    behind = sorted(
        (r for r in data["classes"] if r["completion"] is not None and r["completion"] < BEHIND_BELOW),
        key=lambda r: (r["completion"], r["class"].name),
    )
    since = timezone.make_aware(datetime.combine(term_start(timezone.localdate(now)), time.min))
    return {
        "school": school,
        "by_grade": data["by_grade"],
        "behind": behind,
        "unassigned": data["unassigned"],
        "student_count": data["student_count"],
        "class_count": len(data["classes"]),
        "cases": help_selectors.school_case_summary(school, viewer=viewer, since=since, now=now),
        "term_start": since.date(),
        "behind_below": BEHIND_BELOW,
    }
