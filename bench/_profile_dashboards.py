"""Profile the teacher class dashboard (40 and 400 learners × 60 items) and the school overview
(2,000 students): where the time goes (SQL vs Python vs template). Seeds once into
var/bench/profile.sqlite3 (kept; delete it to seed again), then prints CPU times and the top
cProfile entries. Not part of `make bench` (the leading underscore keeps run_all.py off it).

    .venv/bin/python bench/_profile_dashboards.py [--top 25]
"""

import os
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

from bench.profiling import cpu_line, cpu_ms, print_profile  # noqa: E402

DB = ROOT / "var" / "bench" / "profile.sqlite3"


def seed():
    import dashboards as d
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    d.seed_world()


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
    cpus = cpu_ms(client, url, runs)
    print(f"   CPU ms over {runs} runs: {cpu_line(cpus)}")
    if top:
        print_profile(client, url, top)


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
