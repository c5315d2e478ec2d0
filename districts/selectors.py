"""Reads for the district pages and exports: only the pre-aggregated tables, with every
figure passed through districts/suppression.py. Five queries whatever the district's size
(six for a reader in Chinese: the modules' translated titles).

Nothing here names a learner or a teacher: the tables hold counts per school, grade,
module, week and term, and the rows returned carry school names, grades, module titles,
dates and suppressed figures only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.roles import Role
from courses.models import CoursePage
from courses.selectors import titles_in_active_language
from learning.dashboards import charts

from .models import District, DistrictSchool, HelpFigure, ModuleFigure, WeekFigure
from .suppression import THRESHOLD, Cell, Same, Total, count, percent, secure

# Art. 13, Regulations on the Protection of Minors Online (未成年人网络保护条例): the letters
# the curriculum files use in `dimensions` (docs in /courses/curriculum/SCHEMA.md).
DIMENSIONS = [
    ("M", gettext_lazy("Moral awareness online")),
    ("L", gettext_lazy("Rule-of-law awareness online")),
    ("U", gettext_lazy("Ability to use the internet")),
    ("S", gettext_lazy("Personal and property safety")),
]


def districts_of(user):
    """The districts `user` holds as an officer (empty for every other account)."""
    if not user.is_authenticated or user.role != Role.DISTRICT_OFFICER:
        return District.objects.none()
    return District.objects.filter(officers__user=user).distinct()


def _title(course) -> str:
    """The module's title in the reader's language: its translated page's, else the English
    page's Chinese title field, else the English title."""
    if get_language() and get_language().startswith("zh"):
        return course["translated"] or course["title_zh"] or course["title"]
    return course["title"]


def _curriculum_order(course) -> tuple:
    """Modules by their code read as the curriculum numbers them (M2 before M10, where text
    puts M10 first), then by their place in the page tree; modules without a code last."""
    code = course["module_code"] or ""
    natural = [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", code)]
    return (not code, natural, course["path"])


LEAST_SHOWN = 5


def _least_assigned(module_rows) -> list:
    """The `LEAST_SHOWN` modules given to the fewest classes, in curriculum order within a
    count; modules tied with the last of them are listed too, never cut off at random."""
    ranked = sorted(module_rows, key=lambda r: (r["classes"], r["order"]))
    least = ranked[:LEAST_SHOWN]
    if least:
        least += [r for r in ranked[LEAST_SHOWN:] if r["classes"] == least[-1]["classes"]]
    return least


def _module_label(course) -> str:
    code = course["module_code"]
    return f"{code} {_title(course)}" if code else _title(course)


class _Pool:
    """Sums of ModuleFigure rows; `n` is the largest learner count of a single module in
    the pool, a lower bound of the distinct learners behind the figure (so a figure is
    never shown when it might rest on fewer than 5 people). `rows` and `scored_rows` name
    the rows that count towards its percentages and its score: two figures over the same
    rows are the same figure, wherever they are shown."""

    def __init__(self):
        self.learners = self.completed = self.reached = self.scored = 0
        self.score_sum = 0.0
        self.per_course = defaultdict(lambda: [0, 0])  # course -> [learners, scored]
        self.classes = 0
        self.rows, self.scored_rows = set(), set()

    def add(self, f):
        self.learners += f["learners"]
        self.completed += f["completed"]
        self.reached += f["reached"]
        self.scored += f["scored"]
        self.score_sum += f["score_sum"]
        self.classes += f["classes_assigned"]
        pc = self.per_course[f["course_id"]]
        pc[0] += f["learners"]
        pc[1] += f["scored"]
        row = (f["school_id"], f["grade"], f["course_id"])
        if f["learners"]:
            self.rows.add(row)
        if f["scored"]:
            self.scored_rows.add(row)

    @cached_property
    def n(self):
        return max((v[0] for v in self.per_course.values()), default=0)

    def completion(self) -> Cell:
        return percent(self.completed, self.learners, n=self.n)

    def reached_share(self) -> Cell:
        return percent(self.reached, self.learners, n=self.n)

    def score(self) -> Cell:
        n = max((v[1] for v in self.per_course.values()), default=0)
        return Cell(round(self.score_sum / self.scored) if self.scored else None, n, unit="%")


# The pooled measures, by the key their cells have in a row and the _Pool method making them.
MEASURES = (("completion", "completion"), ("score", "score"), ("reached", "reached_share"))


class _Figures:
    """Makes the pooled cells, noting which rows each one pools, so that the same figure
    shown in two tables (a grade taught at one school, a school given one module) is hidden
    in both or neither."""

    def __init__(self):
        self.by_rows = defaultdict(list)
        self.by_measure = defaultdict(list)

    def cell(self, pool: _Pool, method: str) -> Cell:
        cell = getattr(pool, method)()
        rows = frozenset(pool.scored_rows if method == "score" else pool.rows)
        if rows:
            self.by_rows[(method, rows)].append(cell)
            self.by_measure[method].append((cell, rows))
        return cell

    def row(self, pool: _Pool) -> dict:
        return {key: self.cell(pool, method) for key, method in MEASURES}

    def same(self) -> list[Same]:
        return [Same(cells) for cells in self.by_rows.values() if len(cells) > 1]

    def pooled(self) -> list[list]:
        """Each measure's cells with the rows they pool, for the exact check."""
        return list(self.by_measure.values())


def _if_it_adds_up(total: Cell, parts: list[Cell]) -> list[Total]:
    """A sum between learner counts that holds in this district: "largest module" counts add
    up only in some districts, and where they do, the officer can see it as well as anyone."""
    return [Total(total, parts)] if parts and total.value == sum(p.value for p in parts) else []


def _row_cells(r) -> list:
    """A school row's cells in column order (the objects, so suppression applied later shows)."""
    return [r["learners"], r["classes"], r["modules"], r["completion"], r["score"], r["reached"], *r["dimensions"]]


def _term_label(start) -> str:
    if start.month >= 9:
        return _("Autumn term %(year)s") % {"year": start.year}
    return _("Spring term %(year)s") % {"year": start.year}


REPORT_CACHE_SECONDS = 24 * 60 * 60


def report_version(district: District) -> str:
    """What the district page shows depends on: which schools are in the district, each
    school's rebuilt figures (SchoolSummary.version, bumped by every refresh) and the live
    catalogue (titles, dimensions). Two small aggregates, whatever the district's size."""
    schools = DistrictSchool.objects.filter(district=district).aggregate(
        n=Count("pk"), ids=Sum("school_id"), versions=Sum("school__district_summary__version")
    )
    catalogue = CoursePage.objects.live().aggregate(n=Count("pk"), published=Max("last_published_at"))
    published = catalogue["published"].isoformat() if catalogue["published"] else "-"
    return f"{schools['n']}.{schools['ids'] or 0}.{schools['versions'] or 0}.{catalogue['n']}.{published}"


def report_cache_key(district: District) -> str:
    """The district page's figures as the reader sees them: keyed by the district's state
    (report_version), and by language and time zone, since labels and dates are written for
    the reader."""
    return ":".join(
        [
            "districts.report",
            str(district.pk),
            get_language() or "",
            timezone.get_current_timezone_name(),
            report_version(district),
        ]
    )


def district_report(*, district: District) -> dict:
    members = list(
        DistrictSchool.objects.filter(district=district)
        .select_related("school", "school__district_summary")
        .order_by("school__name", "school_id")
    )
    schools = [m.school for m in members]
    school_ids = [s.pk for s in schools]
    figures = list(
        ModuleFigure.objects.filter(school_id__in=school_ids).values(
            "school_id",
            "grade",
            "course_id",
            "classes_assigned",
            "learners",
            "completed",
            "reached",
            "scored",
            "score_sum",
        )
    )
    # One row per module: the figures are kept against the English pages (assignments and
    # progress are), and a module's Chinese page is its translation, not a second module.
    courses = {
        c["pk"]: c
        for c in CoursePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
        .values("pk", "title", "title_zh", "module_code", "dimensions", "path", "translation_key")
    }
    translated = titles_in_active_language(c["translation_key"] for c in courses.values())
    for course in courses.values():
        course["translated"] = translated.get(course["translation_key"], "")
    weeks = list(
        WeekFigure.objects.filter(school_id__in=school_ids).values(
            "school_id", "week", "active_learners", "completions"
        )
    )
    helps = list(HelpFigure.objects.filter(school_id__in=school_ids).values("school_id", "term_start", "reports"))

    by_school = defaultdict(_Pool)
    by_grade = defaultdict(_Pool)
    by_school_grade = defaultdict(_Pool)
    by_course = defaultdict(_Pool)
    by_school_course = defaultdict(_Pool)
    by_school_dim = defaultdict(_Pool)
    by_dim = defaultdict(_Pool)
    total = _Pool()
    for f in figures:
        course = courses.get(f["course_id"])
        if course is None:
            continue
        total.add(f)
        by_school[f["school_id"]].add(f)
        by_grade[f["grade"]].add(f)
        by_school_grade[(f["school_id"], f["grade"])].add(f)
        by_course[f["course_id"]].add(f)
        by_school_course[(f["school_id"], f["course_id"])].add(f)
        for letter in set(course["dimensions"] or ""):
            by_school_dim[(f["school_id"], letter)].add(f)
            by_dim[letter].add(f)

    summaries = [s.district_summary for s in schools if hasattr(s, "district_summary")]
    dims = [{"code": code, "label": label} for code, label in DIMENSIONS]
    made = _Figures()

    # Schools side by side, with the district's total row.
    school_rows = []
    for s in schools:
        pool = by_school[s.pk]
        summary = s.district_summary if hasattr(s, "district_summary") else None
        school_rows.append(
            {
                "school": s.name,
                "learners": count(summary.learners if summary else 0),
                "classes": summary.classes if summary else 0,
                "modules": len(pool.per_course),
                **made.row(pool),
                "dimensions": [made.cell(by_school_dim[(s.pk, d["code"])], "reached_share") for d in dims],
            }
        )
    total_row = {
        "learners": count(sum(s.learners for s in summaries)),
        "classes": sum(s.classes for s in summaries),
        "modules": len(total.per_course),
        **made.row(total),
        "dimensions": [made.cell(by_dim[d["code"]], "reached_share") for d in dims],
    }

    grade_rows = [
        {"grade": g, "learners": count(pool.n), **made.row(pool)}
        for g, pool in sorted(by_grade.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]

    school_grade_rows = []
    grades_of = defaultdict(list)
    for sid, g in by_school_grade:
        grades_of[sid].append(g)
    for s in schools:
        for g in sorted(grades_of[s.pk], key=lambda g: (g is None, g or 0)):
            pool = by_school_grade[(s.pk, g)]
            school_grade_rows.append(
                {"school": s.name, "school_id": s.pk, "grade": g, "learners": count(pool.n), **made.row(pool)}
            )

    module_rows = []
    for cid, course in courses.items():
        pool = by_course.get(cid) or _Pool()
        module_rows.append(
            {
                "module": _module_label(course),
                "order": _curriculum_order(course),
                "dimensions": " ".join(sorted(set(course["dimensions"] or ""))),
                "classes": pool.classes,
                "learners": count(pool.n) if pool.learners else Cell(0, THRESHOLD),
                **made.row(pool),
                "by_school": [made.cell(by_school_course[(s.pk, cid)], "completion") for s in schools],
            }
        )
    least = _least_assigned(module_rows)

    # The weeks' trend (district total: distinct learners of different schools add up).
    week_totals = defaultdict(lambda: [0, 0])
    for w in weeks:
        week_totals[w["week"]][0] += w["active_learners"]
        week_totals[w["week"]][1] += w["completions"]
    trend = [
        {
            "week": day,
            "label": date_format(day, "SHORT_DATE_FORMAT"),
            "learners": count(v[0]),
            "completions": Cell(v[1], v[0]),
        }
        for day, v in sorted(week_totals.items())
    ]

    # Get help: counts per school per term (never by class), with the district total.
    terms = sorted({h["term_start"] for h in helps}, reverse=True)
    help_counts = {(h["school_id"], h["term_start"]): h["reports"] for h in helps}
    help_rows = [{"school": s.name, "cells": [count(help_counts.get((s.pk, t), 0)) for t in terms]} for s in schools]
    help_total = [count(sum(help_counts.get((s.pk, t), 0) for s in schools)) for t in terms]

    # Every sum and repeat the page shows, finer tables first (districts/suppression.py).
    modules_assigned = [r for r in module_rows if r["classes"]]
    serving = [
        [r["reached"] for cid, r in zip(courses, module_rows) if d["code"] in (courses[cid]["dimensions"] or "")]
        for d in dims
    ]
    relations = made.same()
    for key, _method in MEASURES:
        relations += [
            Total(row[key], [r[key] for r in school_grade_rows if r["school_id"] == s.pk])
            for s, row in zip(schools, school_rows)
        ]
        relations += [
            Total(row[key], [r[key] for r in school_grade_rows if r["grade"] == row["grade"]]) for row in grade_rows
        ]
    relations += [
        Total(row["completion"], [r["by_school"][i] for r in modules_assigned]) for i, row in enumerate(school_rows)
    ]
    relations += [Total(r["completion"], r["by_school"]) for r in modules_assigned]
    for i in range(len(dims)):
        relations.append(Total(total_row["dimensions"][i], [r["dimensions"][i] for r in school_rows]))
        relations.append(Total(total_row["dimensions"][i], serving[i]))
    for key, _method in MEASURES:
        relations.append(Total(total_row[key], [r[key] for r in school_rows]))
        relations.append(Total(total_row[key], [r[key] for r in grade_rows]))
        relations.append(Total(total_row[key], [r[key] for r in modules_assigned]))

    # Counts: the schools' learners add up to the district's, reports to each term's total,
    # and "largest module" learner counts across the school and grade tables where they do.
    # (Not a module's learners against its grades': which grades had a module is not shown.)
    counted = []
    for s, row in zip(schools, school_rows):
        counted += _if_it_adds_up(row["learners"], [r["learners"] for r in school_grade_rows if r["school_id"] == s.pk])
    for row in grade_rows:
        counted += _if_it_adds_up(
            row["learners"], [r["learners"] for r in school_grade_rows if r["grade"] == row["grade"]]
        )
    counted.append(Total(total_row["learners"], [r["learners"] for r in school_rows]))
    counted += _if_it_adds_up(total_row["learners"], [r["learners"] for r in grade_rows])
    counted += [Total(cell, [r["cells"][i] for r in help_rows]) for i, cell in enumerate(help_total)]
    secure(relations + counted, made.pooled(), counted=counted, block=lambda row: row[0])

    for r in school_rows:
        r["cells"] = _row_cells(r)
    total_row["cells"] = _row_cells(total_row)
    for r in school_grade_rows:
        r["cells"] = [
            r["grade"] if r["grade"] is not None else "—",
            r["learners"],
            r["completion"],
            r["score"],
            r["reached"],
        ]
    chart = charts.bar_chart(
        [charts.week_point(t["week"], t["learners"].number) for t in trend],
        unit="",
    )
    for bar, t in zip(chart["bars"], trend):
        bar["display"] = t["learners"]  # the Cell: a hidden week's row says so in full

    refreshed = [s.refreshed_at for s in summaries]
    return {
        "district": district,
        "schools": school_rows,
        "school_names": [s.name for s in schools],
        "total": total_row,
        "dimensions": dims,
        "grades": grade_rows,
        "school_grades": school_grade_rows,
        "modules": module_rows,
        "least_assigned": least,
        "trend": trend,
        "chart": chart,
        "terms": [_term_label(t) for t in terms],
        "help": help_rows,
        "help_total": help_total,
        "refreshed_at": date_format(timezone.localtime(min(refreshed)), "DATETIME_FORMAT") if refreshed else "",
    }
