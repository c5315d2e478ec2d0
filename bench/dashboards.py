"""Dashboard benchmark: query counts and timings for the learning dashboards and exports.

Seeds its own throw-away database (SQLite under var/bench/, or a temporary PostgreSQL
database next to DATABASE_URL's when that is set): a class of 40 students × 60 items,
classes of 10 and 400, and a school of 2,000 students × 60 items. Prints `name: value unit`.

    .venv/bin/python bench/dashboards.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("NETWISE_CELERY_EAGER", "1")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

from config.runtime import settle_garbage_collector  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)
PG_NAME = f"netwise_bench_{os.getpid()}"


def configure_database():
    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        import psycopg

        admin = psycopg.connect(
            dbname=db["NAME"],
            user=db.get("USER"),
            password=db.get("PASSWORD"),
            host=db.get("HOST"),
            port=db.get("PORT") or None,
            autocommit=True,
        )
        admin.execute(f'CREATE DATABASE "{PG_NAME}"')
        admin.close()
        db["NAME"] = PG_NAME
        return lambda: _drop_pg(db)
    path = BENCH_DIR / f"bench-{os.getpid()}.sqlite3"
    db.update({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)})
    return lambda: path.unlink(missing_ok=True)


def _drop_pg(db):
    import psycopg
    from django.db import connections

    connections.close_all()
    admin = psycopg.connect(
        dbname="postgres",
        user=db.get("USER"),
        password=db.get("PASSWORD"),
        host=db.get("HOST"),
        port=db.get("PORT") or None,
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}"')
    admin.close()


def emit(name, value, unit):
    print(f"{name}: {value} {unit}", flush=True)


def build_items(n_courses=10, lessons_per=5):
    """60 assignable items: 10 courses × (5 lessons + 1 quiz with 2 questions)."""
    from courses.models import CoursePage, LessonPage
    from courses.seed import ensure_index
    from quizzes.models import Choice, Question, QuizPage, QuizQuestion

    index = ensure_index()
    topics = ["privacy", "scams", "passwords", "rumours", "cyberbullying"]
    items, quizzes, questions = [], [], []
    for c in range(n_courses):
        course = index.add_child(
            instance=CoursePage(title=f"Bench course {c}", slug=f"bench-course-{c}", summary="x", topic=topics[c % 5])
        )
        for i in range(lessons_per):
            items.append(
                course.add_child(
                    instance=LessonPage(
                        title=f"Lesson {c}.{i}",
                        slug=f"bench-lesson-{c}-{i}",
                        objective="o",
                        body=[("text", "<p>x</p>")],
                    )
                )
            )
        qs = []
        for k in range(2):
            q = Question.objects.create(title=f"Q{c}.{k}", qtype="single", text="Which?", topic=topics[c % 5])
            Choice.objects.create(question=q, sort_order=0, text="Right", correct=True)
            Choice.objects.create(question=q, sort_order=1, text="Wrong", correct=False)
            qs.append(q)
        quiz = QuizPage(title=f"Quiz {c}", slug=f"bench-quiz-{c}", pass_mark=60)
        for k, q in enumerate(qs):
            quiz.quiz_questions.add(QuizQuestion(question=q, sort_order=k))
        course.add_child(instance=quiz)
        items.append(quiz)
        quizzes.append(quiz)
        questions += qs
    return items, quizzes, questions


def make_students(school, n, prefix):
    from accounts.models import User
    from accounts.roles import Role
    from schools.models import StudentProfile

    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{i}", display_name=f"Student {prefix}{i}", role=Role.STUDENT, password="!")
            for i in range(n)
        ],
        batch_size=1000,
    )
    StudentProfile.objects.bulk_create([StudentProfile(user=u, school=school, grade=7) for u in users], batch_size=1000)
    return users


def make_class(school, teacher, students, name, items, quizzes, questions, rng):
    from learning.models import Assignment, ClassItemStatistic, ItemKind, Progress, ProgressStatus
    from schools.models import Classroom, Enrollment

    classroom = Classroom.objects.create(school=school, name=name, grade=7)
    classroom.teachers.add(teacher)
    Enrollment.objects.bulk_create([Enrollment(student=s, classroom=classroom) for s in students], batch_size=2000)
    quiz_ids = {q.pk for q in quizzes}
    Assignment.objects.bulk_create(
        [
            Assignment(
                classroom=classroom, item_id=it.pk, item_kind=ItemKind.QUIZ if it.pk in quiz_ids else ItemKind.LESSON
            )
            for it in items
        ]
    )
    now = django.utils.timezone.now()
    rows = []
    for s in students:
        for it in items:
            r = rng.random()
            if r < 0.2:
                continue
            done = r > 0.5
            is_quiz = it.pk in quiz_ids
            score = rng.randint(20, 100) if is_quiz else None
            rows.append(
                Progress(
                    student=s,
                    page_id=it.pk,
                    kind=ItemKind.QUIZ if is_quiz else ItemKind.LESSON,
                    status=ProgressStatus.COMPLETED if done else ProgressStatus.IN_PROGRESS,
                    percent=100 if done else 40,
                    started_at=now,
                    completed_at=now - django.utils.timezone.timedelta(days=rng.randint(0, 55)) if done else None,
                    last_seen_at=now,
                    seconds_spent=rng.randint(60, 900),
                    attempts=1 if is_quiz else 0,
                    best_score=score,
                    grade_score=score,
                    failed_attempts=3 if is_quiz and score < 40 else 0,
                    passed=(score or 0) >= 60 if is_quiz else None,
                )
            )
        if len(rows) > 20000:
            Progress.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Progress.objects.bulk_create(rows, batch_size=5000)
    choice = {}
    from quizzes.models import Choice

    for c in Choice.objects.filter(question__in=questions).values("pk", "question_id", "correct"):
        choice[(c["question_id"], c["correct"])] = c["pk"]
    stats = []
    for quiz, q in zip([qz for qz in quizzes for _ in range(2)], questions, strict=True):
        stats.append(
            ClassItemStatistic(
                question=q,
                quiz=quiz,
                classroom=classroom,
                responses=len(students),
                facility=rng.random(),
                option_counts={
                    str(choice[(q.pk, True)]): len(students) // 2,
                    str(choice[(q.pk, False)]): len(students) // 2,
                },
            )
        )
    ClassItemStatistic.objects.bulk_create(stats)
    return classroom


def _vm(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0


def measure_in_child(export_id):
    """Build one export in a forked process, as a worker would: wall time and the growth of
    its peak resident memory over its starting size (no tracing overhead)."""
    from django.db import connections

    connections.close_all()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        from learning.exports import build as exports
        from learning.models import Export

        start_rss = _vm("VmRSS:")
        t0 = time.perf_counter()
        export = Export.objects.get(pk=export_id)
        exports.write_file(export=export)
        elapsed = time.perf_counter() - t0
        peak = _vm("VmHWM:") - start_rss
        export.file.delete(save=False)
        os.write(write_fd, f"{elapsed} {peak}".encode())
        os._exit(0)
    os.close(write_fd)
    data = b""
    while chunk := os.read(read_fd, 1024):
        data += chunk
    os.waitpid(pid, 0)
    elapsed, peak = data.decode().split()
    return float(elapsed), float(peak)


def timed_get(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (session, site root paths) as a real server would be
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(ctx)
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    timed_get.cpu_median = statistics.median(cpu)  # this process's CPU: with SQLite, the queries too
    return queries, p95, statistics.median(times)


def main():
    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    cleanup = configure_database()
    try:
        run()
    finally:
        cleanup()


def seed_world():
    """The benches' school world, made in bulk: a teacher of a class of 10 and one of 400 at a
    small school and of 50 classes of 40 (2,000 students) at the main school, whose admin is
    `bench-admin`; 60 items assigned to every class. Returns (teacher, admin, the class of
    10, the class of 400, the first class of 40, the main school's students)."""
    from django.core.management import call_command

    from accounts.models import User
    from accounts.roles import Role
    from schools.models import School, SchoolMembership

    rng = random.Random(7)
    items, quizzes, questions = build_items()
    school = School.objects.create(name="Bench school", slug="bench")
    other = School.objects.create(name="Bench small", slug="bench-small")
    teacher = User.objects.create(username="bench-teacher", role=Role.TEACHER)
    SchoolMembership.objects.create(user=teacher, school=school, role=SchoolMembership.Role.TEACHER)
    SchoolMembership.objects.create(user=teacher, school=other, role=SchoolMembership.Role.TEACHER)
    admin = User.objects.create(username="bench-admin", role=Role.SCHOOL_ADMIN)
    SchoolMembership.objects.create(user=admin, school=school, role=SchoolMembership.Role.SCHOOL_ADMIN)

    small = make_class(other, teacher, make_students(other, 10, "s10-"), "Ten", items, quizzes, questions, rng)
    big = make_class(other, teacher, make_students(other, 400, "s400-"), "Four hundred", items, quizzes, questions, rng)
    school_students = make_students(school, 2000, "sch-")
    forty = None
    for k in range(50):
        c = make_class(
            school, teacher, school_students[k * 40 : (k + 1) * 40], f"Class {k:02d}", items, quizzes, questions, rng
        )
        forty = forty or c
    # The progress rows above were made in bulk, around the services: compute the school
    # overview's per-class figures from them as the migration and the nightly beat do.
    call_command("rebuild_class_item_figures", verbosity=0)
    return teacher, admin, small, big, forty, school_students


def run():
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from accounts.roles import Role
    from learning.models import Export
    from schools.models import GuardianLink

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    teacher, admin, small, big, forty, school_students = seed_world()
    guardian = User.objects.create(username="bench-guardian", role=Role.GUARDIAN)
    GuardianLink.objects.create(guardian=guardian, student=school_students[0], state=GuardianLink.State.ACTIVE)
    emit("bench_seed_s", round(time.perf_counter() - t0, 1), "s")

    # As config/wsgi.py does in every web process before its first request: what exists now (here
    # also the seeded world, which a web process would not hold at all) is left out of every
    # garbage collection, so a full collection's pause lands in no timed request.
    settle_garbage_collector()
    client = Client()
    client.force_login(teacher)
    q10, _, _ = timed_get(client, reverse("learning:class_dashboard", args=[small.pk]), 1)
    q400, p95_400, _ = timed_get(client, reverse("learning:class_dashboard", args=[big.pk]), 20)  # as Kolibri's 20
    q40, p95_40, med40 = timed_get(client, reverse("learning:class_dashboard", args=[forty.pk]), 30)
    emit("teacher_dashboard_queries_10", q10, "queries")
    emit("teacher_dashboard_queries_400", q400, "queries")
    emit("teacher_dashboard_queries_40x60", q40, "queries")
    emit("teacher_dashboard_p95_ms", round(p95_40, 1), "ms")
    emit("teacher_dashboard_median_ms", round(med40, 1), "ms")
    emit("teacher_dashboard_400_p95_ms", round(p95_400, 1), "ms")

    client.force_login(guardian)
    qg, p95g, _ = timed_get(client, reverse("learning:guardian_home"), 10)
    emit("guardian_view_queries", qg, "queries")
    emit("guardian_view_p95_ms", round(p95g, 1), "ms")

    client.force_login(admin)
    qs, p95s, meds = timed_get(client, reverse("learning:school_overview"), 20)
    emit("school_overview_queries", qs, "queries")
    emit("school_overview_p95_ms", round(p95s, 1), "ms")
    emit("school_overview_median_ms", round(meds, 1), "ms")
    emit("school_overview_cpu_median_ms", round(timed_get.cpu_median, 1), "ms")

    for fmt in ("csv", "xlsx"):
        export = Export.objects.create(
            requested_by=admin, kind=Export.Kind.SCHOOL, scope_id=forty.school_id, format=fmt
        )
        elapsed, peak_mb = measure_in_child(export.pk)
        suffix = "" if fmt == "xlsx" else "_csv"
        emit(f"school_export{suffix}_s", round(elapsed, 2), "s")
        emit(f"school_export{suffix}_peak_mb", round(peak_mb, 1), "MB")
    # Flat memory: a class export (40 × 60) for comparison with the 2,000 × 60 school export.
    export = Export.objects.create(requested_by=teacher, kind=Export.Kind.CLASS, scope_id=forty.pk, format="xlsx")
    elapsed, peak_mb = measure_in_child(export.pk)
    emit("class_export_s", round(elapsed, 2), "s")
    emit("class_export_peak_mb", round(peak_mb, 1), "MB")
    emit("school_export_rows", 2000 * 60, "rows")


if __name__ == "__main__":
    main()
