"""No hidden figure on the district page (or in its files, built from the same report) can be
worked out from the figures shown.

The officer is taken to know the district's structure (which school has which grades, which
module each grade was given) and every group's size, and to do any arithmetic on what is
shown. A completion, average-score, objectives-reached or Art. 13 figure is then the sum of
the module rows (school × grade × module) it pools, so a hidden figure can be worked out
exactly when its rows are a linear combination of shown figures' rows: the check solves that
with exact fractions, over every table at once (schools and district total, by grade, each
school by grade, by module, module × school, the Art. 13 columns). Learner and report counts
are checked the same way against every sum the officer could see hold between them.
"""

import random
from fractions import Fraction

import pytest

from courses.models import CoursePage
from districts import exports, selectors
from districts.models import HelpFigure, ModuleFigure, SchoolSummary
from districts.suppression import count
from schools.models import School
from tests.districts.factories import make_district
from tests.learning.factories import make_course
from tests.schools.factories import SchoolFactory

MEASURES = {"completion": "completion", "score": "score", "reached": "reached"}


# --- exact linear algebra ----------------------------------------------------------------


class _Span:
    """The span of 0/1 vectors (dicts key -> coefficient), in echelon form: each basis vector
    is zero at the pivots of those before it, so reducing in order leaves zero at every pivot."""

    def __init__(self):
        self.basis = []  # (pivot, vector)

    def reduce(self, vector):
        v = {k: Fraction(c) for k, c in vector.items() if c}
        for pivot, b in self.basis:
            factor = v.get(pivot)
            if factor:
                for k, c in b.items():
                    v[k] = v.get(k, 0) - factor * c
                    if not v[k]:
                        del v[k]
        return v

    def add(self, vector):
        v = self.reduce(vector)
        if v:
            pivot = min(v, key=repr)
            scale = v[pivot]
            self.basis.append((pivot, {k: c / scale for k, c in v.items()}))

    def holds(self, vector) -> bool:
        return not self.reduce(vector)


# --- the figures of a report, each with the module rows it pools --------------------------


def _rows(district):
    school_ids = district.memberships.values("school_id")
    return list(
        ModuleFigure.objects.filter(school_id__in=school_ids).values(
            "school_id", "grade", "course_id", "learners", "scored"
        )
    )


def _pooled_figures(report, rows):
    """(label, measure, rows' keys, cell) for every pooled figure the report shows."""
    courses = list(
        CoursePage.objects.live().filter(locale__language_code="en").order_by("path").values("pk", "dimensions")
    )
    dims_of = {c["pk"]: set(c["dimensions"] or "") for c in courses}
    school_of = dict(School.objects.values_list("name", "pk"))

    def keys(measure, where):
        base = "scored" if measure == "score" else "learners"
        return frozenset((r["school_id"], r["grade"], r["course_id"]) for r in rows if r[base] and where(r))

    out = []

    def add(label, row, measures, where):
        for m in measures:
            out.append((f"{label} {m}", m, keys(m, where), row[m]))

    codes = [d["code"] for d in report["dimensions"]]
    for r in report["schools"]:
        s = school_of[r["school"]]
        add(r["school"], r, MEASURES, lambda x, s=s: x["school_id"] == s)
        for code, cell in zip(codes, r["dimensions"]):
            where = lambda x, s=s, code=code: x["school_id"] == s and code in dims_of[x["course_id"]]  # noqa: E731
            out.append((f"{r['school']} Art. 13 {code}", "reached", keys("reached", where), cell))
    t = report["total"]
    add("District total", t, MEASURES, lambda x: True)
    for code, cell in zip(codes, t["dimensions"]):
        where = lambda x, code=code: code in dims_of[x["course_id"]]  # noqa: E731
        out.append((f"District total Art. 13 {code}", "reached", keys("reached", where), cell))
    for r in report["grades"]:
        add(f"grade {r['grade']}", r, MEASURES, lambda x, g=r["grade"]: x["grade"] == g)
    for r in report["school_grades"]:
        add(
            f"{r['school']} grade {r['grade']}",
            r,
            MEASURES,
            lambda x, s=r["school_id"], g=r["grade"]: (x["school_id"], x["grade"]) == (s, g),
        )
    for course, r in zip(courses, report["modules"]):
        c = course["pk"]
        add(r["module"], r, MEASURES, lambda x, c=c: x["course_id"] == c)
        for name, cell in zip(report["school_names"], r["by_school"]):
            s = school_of[name]
            where = lambda x, s=s, c=c: (x["school_id"], x["course_id"]) == (s, c)  # noqa: E731
            out.append((f"{r['module']} at {name} completion", "completion", keys("completion", where), cell))
    return out


def _recoverable_pooled(report, rows) -> list[str]:
    """Labels of hidden pooled figures whose rows' sum follows from the shown figures."""
    figures = _pooled_figures(report, rows)
    leaks = []
    for measure in MEASURES:
        span = _Span()
        for _label, m, keys, cell in figures:
            if m == measure and keys and not cell.suppressed:
                span.add(dict.fromkeys(keys, 1))
        leaks += [
            label
            for label, m, keys, cell in figures
            if m == measure and cell.suppressed and span.holds(dict.fromkeys(keys, 1))
        ]
    return leaks


def _count_relations(report):
    """(name, total cell, part cells): every sum between the learner columns of the school,
    grade and school-by-grade tables, and between report counts, that holds for this district
    (learners there are 'largest module' counts, so some sums hold only in some districts).
    A module's learners are left out: which grades had a module is not on the page."""
    school_of = dict(School.objects.values_list("name", "pk"))
    a = {school_of[r["school"]]: r["learners"] for r in report["schools"]}
    b = {r["grade"]: r["learners"] for r in report["grades"]}
    c = {(r["school_id"], r["grade"]): r["learners"] for r in report["school_grades"]}
    t = report["total"]["learners"]
    relations = [("schools' learners", t, list(a.values()))]
    relations += [(f"school {s}'s grades", a[s], [v for k, v in c.items() if k[0] == s]) for s in a]
    relations += [(f"grade {g}'s schools", b[g], [v for k, v in c.items() if k[1] == g]) for g in b]
    relations += [("grades' learners", t, list(b.values()))]
    for i, term in enumerate(report["terms"]):
        relations.append((f"reports in {term}", report["help_total"][i], [r["cells"][i] for r in report["help"]]))
    return [(name, total, parts) for name, total, parts in relations if total.value == sum(p.value or 0 for p in parts)]


def _recoverable_counts(report) -> list[str]:
    relations = _count_relations(report)
    span = _Span()
    hidden = {}
    for _name, total, parts in relations:
        vector = {}
        for sign, cell in [(1, total), *((-1, p) for p in parts)]:
            if cell.suppressed:
                hidden[id(cell)] = cell
                vector[id(cell)] = vector.get(id(cell), 0) + sign
        span.add(vector)
    return [f"count {cell.value}" for key, cell in hidden.items() if span.holds({key: 1})]


def _assert_nothing_recoverable(district):
    report = selectors.district_report(district=district)
    rows = _rows(district)
    assert _recoverable_pooled(report, rows) == []
    assert _recoverable_counts(report) == []
    return report


# --- the QA case: Riverside's grade 7 and Hillside's grade 5 ------------------------------


def _courses(*specs):
    made = []
    for i, dims in enumerate(specs, start=1):
        course, _ = make_course(lessons=0, title=f"Differencing module {i}")
        CoursePage.objects.filter(pk=course.pk).update(module_code=f"M{i}", dimensions=dims)
        made.append(course)
    return made


def _figure(school, grade, course, learners, completed, reached=None, scored=None, score=70.0):
    reached = completed if reached is None else reached
    scored = learners if scored is None else scored
    return ModuleFigure(
        school=school,
        grade=grade,
        course=course,
        classes_assigned=1,
        learners=learners,
        completed=completed,
        reached=reached,
        scored=scored,
        score_sum=scored * score,
    )


@pytest.fixture
def riverside(db):
    """Riverside: grade 7 (6 learners), grade 8 (3), grade 9 (20); Hillside: grade 5 (5). Grade
    8 is hidden everywhere; what is hidden beside it decides whether it can be worked out."""
    m1, m2, m3 = _courses("LMU", "LSU", "SU")
    river = SchoolFactory(name="Riverside Middle School", slug="riverside-d")
    hill = SchoolFactory(name="Hillside Primary School", slug="hillside-d")
    ModuleFigure.objects.bulk_create(
        [
            _figure(river, 7, m1, 6, 2),
            _figure(river, 7, m2, 6, 3),
            _figure(river, 8, m1, 3, 1),
            _figure(river, 8, m3, 3, 2),
            _figure(river, 9, m2, 20, 6),
            _figure(river, 9, m3, 20, 5),
            _figure(hill, 5, m1, 5, 1),
            _figure(hill, 5, m2, 5, 2),
        ]
    )
    SchoolSummary.objects.bulk_create(
        [SchoolSummary(school=river, learners=29), SchoolSummary(school=hill, learners=5)]
    )
    return make_district(river, hill, name="Riverside District Education Bureau")


def test_a_grade_taught_at_one_school_is_hidden_by_grade_exactly_when_that_school_hides_it(riverside):
    """QA: "Each school by grade" hid Riverside's grade 7 (the complement of its grade 8) while
    "By grade" showed grade 7, which only Riverside teaches; and "By grade" hid grade 5 while
    the per-school table showed Hillside's grade 5, the same learners."""
    report = selectors.district_report(district=riverside)
    by_grade = {r["grade"]: r for r in report["grades"]}
    per_school = {r["grade"]: r for r in report["school_grades"]}  # each grade at one school here
    for grade in (5, 7, 8, 9):
        for measure in (*MEASURES, "learners"):
            assert by_grade[grade][measure].suppressed == per_school[grade][measure].suppressed, (grade, measure)
    assert per_school[8]["completion"].suppressed and per_school[7]["completion"].suppressed
    assert not by_grade[5]["completion"].suppressed  # nothing forces grade 5 away any more


def test_riverside_grade_8_cannot_be_worked_out_from_its_school_row(riverside):
    """Riverside's row minus its shown grades would give grade 8: at least two grades hidden."""
    report = selectors.district_report(district=riverside)
    river = [r for r in report["school_grades"] if r["school"] == "Riverside Middle School"]
    for measure in MEASURES:
        assert sum(r[measure].suppressed for r in river) >= 2, measure
    assert str(report["school_grades"][1]["completion"]) == str(count(1))  # the hidden text, whatever it says


def test_the_files_hide_riverside_grade_7_and_show_hillside_grade_5_alike(riverside):
    """The XLSX and PDF tables (exports.sections): grade 7 hidden in both tables, grade 5
    the same figure in both."""
    hidden = str(count(1))
    tables = {title: rows for title, _header, rows in exports.sections(selectors.district_report(district=riverside))}
    by_grade = {row[0]: row for row in tables["By grade"]}
    per_school = {(row[0], row[1]): row for row in tables["Each school by grade"]}
    assert by_grade["7"][2] == hidden and per_school[("Riverside Middle School", "7")][3] == hidden
    assert by_grade["5"][2:] == per_school[("Hillside Primary School", "5")][3:]
    assert hidden not in by_grade["5"]


def test_no_hidden_figure_on_the_riverside_page_can_be_worked_out(riverside):
    _assert_nothing_recoverable(riverside)


def test_no_hidden_figure_in_the_small_world_can_be_worked_out(district_world):
    _assert_nothing_recoverable(district_world.district)


def test_a_school_with_one_module_shows_its_row_and_the_modules_cell_alike(db):
    """A school given a single module: its row and its cell in "Completion by module and
    school" are the same figure, so one is never hidden while the other shows it."""
    (m1, m2) = _courses("M", "S")
    a = SchoolFactory(name="Only One Module School", slug="one-module")
    b = SchoolFactory(name="Two Module School", slug="two-module")
    ModuleFigure.objects.bulk_create(
        [
            _figure(a, 6, m1, 3, 1),
            _figure(a, 7, m1, 7, 3),
            _figure(b, 6, m1, 9, 4),
            _figure(b, 6, m2, 9, 5),
            _figure(b, 7, m2, 12, 6),
        ]
    )
    SchoolSummary.objects.bulk_create([SchoolSummary(school=a, learners=10), SchoolSummary(school=b, learners=21)])
    district = make_district(a, b)
    report = _assert_nothing_recoverable(district)
    row = next(r for r in report["schools"] if r["school"] == "Only One Module School")
    cell = report["modules"][0]["by_school"][report["school_names"].index("Only One Module School")]
    assert row["completion"].suppressed == cell.suppressed


# --- many districts ----------------------------------------------------------------------


def _random_district(rng, courses, n):
    schools = []
    figures, summaries, helps = [], [], []
    for i in range(rng.randint(1, 4)):
        school = SchoolFactory(name=f"Random {n}-{i}", slug=f"random-{n}-{i}")
        schools.append(school)
        learners = 0
        for grade in rng.sample([5, 6, 7, 8, 9], k=rng.randint(1, 3)):
            size = rng.choice([1, 2, 3, 4, 5, 6, 8, 12, 25])
            learners += size
            for course in rng.sample(courses, k=rng.randint(1, 3)):
                part = rng.choice([size, size, max(1, size // 2)])
                done = rng.randint(0, part)
                figures.append(
                    _figure(
                        school,
                        grade,
                        course,
                        part,
                        done,
                        reached=rng.randint(0, done),
                        scored=rng.randint(0, part),
                        score=rng.uniform(30, 95),
                    )
                )
        summaries.append(SchoolSummary(school=school, learners=learners + rng.choice([0, 0, 3])))
        for term in ("2026-09-01", "2026-03-01"):
            helps.append(HelpFigure(school=school, term_start=term, reports=rng.choice([0, 1, 2, 4, 5, 7, 12])))
    ModuleFigure.objects.bulk_create(figures)
    SchoolSummary.objects.bulk_create(summaries)
    HelpFigure.objects.bulk_create(helps)
    return make_district(*schools)


@pytest.mark.django_db
def test_no_hidden_figure_can_be_worked_out_in_many_random_districts():
    courses = _courses("LM", "S", "MSU", "L")
    rng = random.Random(20261207)
    leaks = {}
    for n in range(40):
        district = _random_district(rng, courses, n)
        report = selectors.district_report(district=district)
        rows = _rows(district)
        found = _recoverable_pooled(report, rows) + _recoverable_counts(report)
        if found:
            leaks[n] = found
    assert leaks == {}
