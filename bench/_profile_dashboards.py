"""Profile the teacher class dashboard (40 and 400 learners × 60 items) and the school overview
(2,000 students): where the time goes (SQL vs Python vs template). Seeds once into
var/bench/profile.sqlite3 (kept; delete it to seed again), then prints CPU times and the top
cProfile entries. Not part of `make bench` (the leading underscore keeps run_all.py off it).

    .venv/bin/python bench/_profile_dashboards.py [--top 25]
"""

import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("NETWISE_CELERY_EAGER", "1")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

DB = ROOT / "var" / "bench" / "profile.sqlite3"


def seed():
    import dashboards as d
    from django.core.management import call_command

    from accounts.models import User
    from accounts.roles import Role
    from schools.models import School, SchoolMembership

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(7)
    items, quizzes, questions = d.build_items()
    school = School.objects.create(name="Bench school", slug="bench")
    other = School.objects.create(name="Bench small", slug="bench-small")
    teacher = User.objects.create(username="bench-teacher", role=Role.TEACHER)
    SchoolMembership.objects.create(user=teacher, school=school, role=SchoolMembership.Role.TEACHER)
    SchoolMembership.objects.create(user=teacher, school=other, role=SchoolMembership.Role.TEACHER)
    admin = User.objects.create(username="bench-admin", role=Role.SCHOOL_ADMIN)
    SchoolMembership.objects.create(user=admin, school=school, role=SchoolMembership.Role.SCHOOL_ADMIN)
    d.make_class(other, teacher, d.make_students(other, 400, "s400-"), "Four hundred", items, quizzes, questions, rng)
    students = d.make_students(school, 2000, "sch-")
    for k in range(50):
        d.make_class(school, teacher, students[k * 40 : (k + 1) * 40], f"Class {k:02d}", items, quizzes, questions, rng)


def profile(client, url, label, runs, top):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.process_time()
        client.get(url)
        cpu = time.process_time() - t0
    sql_s = sum(float(q["time"]) for q in ctx.captured_queries)
    print(
        f"\n## {label}: {len(ctx)} queries, SQL {sql_s * 1000:.0f} ms (wall, debug cursor), "
        f"request CPU {cpu * 1000:.0f} ms"
    )
    cpus = []
    for _ in range(runs):
        t0 = time.process_time()
        client.get(url)
        cpus.append((time.process_time() - t0) * 1000)
    cpus.sort()
    print(f"   CPU ms over {runs} runs: min {cpus[0]:.0f} median {cpus[len(cpus) // 2]:.0f} max {cpus[-1]:.0f}")
    if top:
        pr = cProfile.Profile()
        pr.enable()
        client.get(url)
        pr.disable()
        st = pstats.Stats(pr)
        st.sort_stats("cumulative").print_stats(top)
        st.sort_stats("tottime").print_stats(top)


def main():
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 0
    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    settings.DATABASES["default"].update({"ENGINE": "django.db.backends.sqlite3", "NAME": str(DB)})
    if not DB.exists():
        t0 = time.perf_counter()
        seed()
        print(f"# seeded in {time.perf_counter() - t0:.0f} s")
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from schools.models import Classroom

    client = Client()
    client.force_login(User.objects.get(username="bench-teacher"))
    forty = Classroom.objects.get(name="Class 00")
    big = Classroom.objects.get(name="Four hundred")
    profile(client, reverse("learning:class_dashboard", args=[forty.pk]), "class dashboard 40x60", 10, top)
    profile(client, reverse("learning:class_dashboard", args=[big.pk]), "class dashboard 400x60", 5, top)
    client.force_login(User.objects.get(username="bench-admin"))
    profile(client, reverse("learning:school_overview"), "school overview 2000", 5, top)


if __name__ == "__main__":
    main()
