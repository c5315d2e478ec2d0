"""District benchmark: the district page's query count and p95 for 5 and 50 schools.

The page reads only the pre-aggregated figure tables (districts/aggregates.py writes them
from learning's records in the worker), so the bench bulk-creates those rows as a district
of N schools × 2,000 students × 11 modules × 6 grades would have them. The page is cached
until the figures change (districts.selectors.cached_district_report): `cold` figures bump every
school's figures version before each request, as the first visit after an hourly rebuild would be. Seeds its own
throw-away database like bench/dashboards.py. Prints `name: value unit`.

    .venv/bin/python bench/district.py
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("NETWISE_CELERY_EAGER", "1")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

from bench.dashboards import configure_database, emit, timed_get  # noqa: E402

MODULES = 11
GRADES = range(1, 7)
STUDENTS_PER_SCHOOL = 2000


def build_modules():
    from courses.models import CoursePage
    from courses.seed import ensure_index

    index = ensure_index()
    dims = ["MLU", "SLU", "SU", "MSU", "LMU", "LS", "LMS", "SU", "LMS", "LMS", "LMU"]
    return [
        index.add_child(
            instance=CoursePage(
                title=f"Bench module {m + 1}",
                slug=f"bench-module-{m + 1}",
                module_code=f"M{m + 1}",
                summary="x",
                topic="privacy",
                dimensions=dims[m],
            )
        )
        for m in range(MODULES)
    ]


def build_district(n_schools, modules, rng):
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from districts.models import (
        District,
        DistrictOfficer,
        DistrictSchool,
        HelpFigure,
        ModuleFigure,
        SchoolSummary,
        WeekFigure,
    )
    from learning.dashboards.selectors import week_starts
    from schools.models import School

    district = District.objects.create(name=f"Bench district {n_schools}", slug=f"bench-district-{n_schools}")
    schools = School.objects.bulk_create(
        [School(name=f"Bench school {n_schools}-{i}", slug=f"bench-{n_schools}-{i}") for i in range(n_schools)]
    )
    DistrictSchool.objects.bulk_create([DistrictSchool(district=district, school=s) for s in schools])
    SchoolSummary.objects.bulk_create(
        [SchoolSummary(school=s, learners=STUDENTS_PER_SCHOOL, classes=48) for s in schools]
    )
    per_grade = STUDENTS_PER_SCHOOL // len(GRADES)
    rows = []
    for s in schools:
        for g in GRADES:
            for m in modules:
                if rng.random() < 0.3:
                    continue  # not every grade is assigned every module
                learners = rng.choice([3, per_grade // 2, per_grade])  # some small groups: suppressed
                done = int(learners * rng.uniform(0.3, 0.95))
                scored = int(learners * 0.9)
                rows.append(
                    ModuleFigure(
                        school=s,
                        grade=g,
                        course=m,
                        classes_assigned=rng.randint(1, 8),
                        learners=learners,
                        completed=done,
                        reached=int(done * 0.8),
                        scored=scored,
                        score_sum=scored * rng.uniform(50, 90),
                    )
                )
    ModuleFigure.objects.bulk_create(rows, batch_size=2000)
    weeks = week_starts(timezone.now())
    WeekFigure.objects.bulk_create(
        [
            WeekFigure(school=s, week=w, active_learners=rng.randint(0, 900), completions=rng.randint(0, 4000))
            for s in schools
            for w in weeks
        ],
        batch_size=2000,
    )
    today = timezone.localdate()
    HelpFigure.objects.bulk_create(
        [
            HelpFigure(school=s, term_start=today - timedelta(days=180 * t), reports=rng.randint(0, 12))
            for s in schools
            for t in range(4)
        ],
        batch_size=2000,
    )
    officer = User.objects.create(username=f"bench-officer-{n_schools}", role=Role.DISTRICT_OFFICER)
    DistrictOfficer.objects.create(district=district, user=officer)
    return district, officer, len(rows)


def cold_get(client, url, district, runs):
    """The first visit after the figures change: every school's figures version is bumped
    before each request (as an hourly rebuild does), so the cache misses. Returns
    (queries, p95 ms, median ms) like timed_get."""
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    from districts.models import SchoolSummary

    def rebuilt():
        SchoolSummary.objects.filter(school__district_membership__district=district).update(version=F("version") + 1)

    rebuilt()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    queries = len(ctx)  # read now: the next request's request_started empties the log
    times = []
    for _ in range(runs):
        rebuilt()
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return queries, times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], statistics.median(times)


def main():
    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    cleanup = configure_database()
    try:
        run()
    finally:
        cleanup()


def run():
    import random

    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(18)
    modules = build_modules()
    results = {}
    for n in (5, 50):
        district, officer, n_rows = build_district(n, modules, rng)
        client = Client()
        client.force_login(officer)
        url = reverse("districts:report", args=[district.pk])
        queries, p95, median = timed_get(client, url, 30)
        results[n] = (queries, p95, median, n_rows, cold_get(client, url, district, 20))
    emit("district_setup_s", round(time.perf_counter() - t0, 1), "s")
    for n, (queries, p95, median, n_rows, cold) in results.items():
        emit(f"district_overview_queries_{n}", queries, "queries")
        emit(f"district_overview_p95_ms_{n}", round(p95, 1), "ms")
        emit(f"district_overview_median_ms_{n}", round(median, 1), "ms")
        emit(f"district_overview_cold_queries_{n}", cold[0], "queries")
        emit(f"district_overview_cold_p95_ms_{n}", round(cold[1], 1), "ms")
        emit(f"district_overview_cold_median_ms_{n}", round(cold[2], 1), "ms")
        emit(f"district_figure_rows_{n}", n_rows, "rows")
    emit("district_overview_p95_ms", round(max(r[1] for r in results.values()), 1), "ms")


if __name__ == "__main__":
    main()
