"""The parent's PDF: a learning report a family would keep.

The child's name, school and class; each course with a progress bar; recent quiz results in
words; time spent (from StudyTime, the daily minutes recorded while a page is open and the
learner active); this week's conversation prompts. Said in the active language (the worker
runs it in the requester's language, see build.write_file) and printed with Noto Sans CJK when
installed (scripts/ensure_fonts.sh), so Chinese names, titles and headings print.

`family_report()` gathers the words; `write_pdf()` only lays them out, so tests can read the
report as text without a PDF text extractor.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.selectors import family_prompts, show_in_active_language
from printing.pdf import new_pdf
from schools.models import Enrollment, StudentProfile

from ..dashboards import quizdata
from ..dashboards.selectors import recent_prompts
from ..models import ItemKind, Progress, ProgressStatus, StudyTime

PROMPTS_SHOWN = 3
RESULTS_SHOWN = 5
TIME_WEEKS = 4


def minutes_in_words(seconds: int) -> str:
    if not seconds:
        return _("no time recorded")
    if seconds < 60:
        return _("less than a minute")
    n = round(seconds / 60)
    if n < 120:
        return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}
    hours, mins = divmod(n, 60)
    return _("%(h)s h %(m)s min") % {"h": hours, "m": mins}


def family_report(*, student_id: int, now=None) -> dict:
    """Everything the parent's report says, as words in the active language."""
    now = now or timezone.now()
    student = get_user_model().objects.get(pk=student_id)
    profile = StudentProfile.objects.filter(user_id=student_id).select_related("school").first()
    classes = list(
        Enrollment.objects.filter(student_id=student_id, classroom__archived_at__isnull=True)
        .order_by("classroom__name")
        .values_list("classroom__name", flat=True)
    )
    courses = list(
        Progress.objects.filter(student_id=student_id, kind=ItemKind.COURSE)
        .select_related("page")
        .order_by("page__title")
    )
    show_in_active_language([p.page for p in courses])
    course_rows = []
    for p in courses:
        percent = 100 if p.status == ProgressStatus.COMPLETED else p.percent
        if p.status == ProgressStatus.COMPLETED and p.completed_at:
            state = _("finished on %(day)s") % {"day": date_format(timezone.localtime(p.completed_at), "DATE_FORMAT")}
        elif percent:
            state = _("%(p)s%% done") % {"p": percent}
        else:
            state = _("just started")
        course_rows.append({"title": p.page.title, "percent": percent, "state": state})

    results = []
    for r in quizdata.recent_results_with_misses(student_id=student_id, limit=RESULTS_SHOWN):
        words = (
            _("%(quiz)s: %(p)s%% of the answers right, passed.")
            if r["passed"]
            else _("%(quiz)s: %(p)s%% of the answers right, not passed yet (it can be tried again).")
        ) % {"quiz": r["quiz_title"], "p": r["percent"]}
        if r["submitted_at"]:
            words = f"{date_format(timezone.localtime(r['submitted_at']), 'DATE_FORMAT')} · {words}"
        results.append(words)

    today = timezone.localdate(now)
    since = today - timedelta(weeks=TIME_WEEKS)
    recent_seconds = (
        StudyTime.objects.filter(student_id=student_id, day__gt=since).aggregate(s=Sum("seconds"))["s"] or 0
    )
    total_seconds = StudyTime.objects.filter(student_id=student_id).aggregate(s=Sum("seconds"))["s"] or 0
    time_lines = [
        _("Last %(weeks)s weeks: %(time)s.") % {"weeks": TIME_WEEKS, "time": minutes_in_words(recent_seconds)},
        _("Since starting NetWise: %(time)s.") % {"time": minutes_in_words(total_seconds)},
    ]

    # As on the child's page: the latest finished course's first; else any course's.
    prompts = recent_prompts(student_id=student_id, now=now) or [
        p for ps in family_prompts({p.page_id for p in courses}).values() for p in ps
    ]
    prompts = prompts[:PROMPTS_SHOWN]

    return {
        "title": _("Learning report for %(name)s") % {"name": student.get_display_name()},
        "child": student.get_display_name(),
        "facts": [
            _("School: %(school)s") % {"school": profile.school.name if profile and profile.school else "—"},
            ngettext("Class: %(classes)s", "Classes: %(classes)s", len(classes) or 1)
            % {"classes": ", ".join(classes) or "—"},
            _("Report made on %(day)s") % {"day": date_format(today, "DATE_FORMAT")},
        ],
        "courses_heading": _("Courses"),
        "courses": course_rows,
        "no_courses": _("No course started yet."),
        "results_heading": _("Recent quiz results"),
        "results": results,
        "no_results": _("No quiz taken yet."),
        "time_heading": _("Time spent learning"),
        "time": time_lines,
        "time_note": _("Counted while a lesson or quiz is open and your child is active; idle time is not counted."),
        "prompts_heading": _("Talk about it at home this week"),
        "prompts": [
            {"course": p["course"], "question": p["question"], "action": _("Try together: %(a)s") % {"a": p["action"]}}
            for p in prompts
        ],
        "no_prompts": _("When your child finishes a lesson, ideas to talk about appear here."),
    }


def write_pdf(fh, *, student_id: int) -> None:
    """Lay the report out on A4 pages."""
    report = family_report(student_id=student_id)
    pdf, family, clean = new_pdf(title=report.get("title", ""), language=translation.get_language() or "")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text, size=13):
        pdf.ln(3)
        pdf.set_font(family, "B", size)
        pdf.multi_cell(width, 8, clean(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)

    def line(text, h=6):
        pdf.multi_cell(width, h, clean(text), new_x="LMARGIN", new_y="NEXT")

    pdf.set_font(family, "B", 18)
    pdf.multi_cell(width, 10, clean(report["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    for fact in report["facts"]:
        line(fact)

    heading(report["courses_heading"])
    if not report["courses"]:
        line(report["no_courses"])
    bar = 60
    for c in report["courses"]:
        line(c["title"])
        y = pdf.get_y() + 1
        pdf.set_draw_color(120, 120, 120)
        pdf.set_fill_color(230, 230, 230)
        pdf.rect(pdf.l_margin, y, bar, 4, style="DF")
        if c["percent"]:
            pdf.set_fill_color(31, 94, 168)
            pdf.rect(pdf.l_margin, y, bar * c["percent"] / 100, 4, style="F")
        pdf.set_xy(pdf.l_margin + bar + 3, y - 1)
        pdf.cell(width - bar - 3, 6, clean(c["state"]), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    heading(report["results_heading"])
    for r in report["results"] or [report["no_results"]]:
        line(r)

    heading(report["time_heading"])
    for t in report["time"]:
        line(t)
    pdf.set_font(family, "", 8)
    line(report["time_note"], h=5)
    pdf.set_font(family, "", 10)

    heading(report["prompts_heading"])
    if not report["prompts"]:
        line(report["no_prompts"])
    for p in report["prompts"]:
        pdf.set_font(family, "B", 10)
        line(p["course"])
        pdf.set_font(family, "", 10)
        line(p["question"])
        line(p["action"])
        pdf.ln(1)
    fh.write(bytes(pdf.output()))
