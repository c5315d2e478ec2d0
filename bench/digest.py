"""Weekly guardian digest benchmark: 10,000 guardians through a local SMTP sink.

Seeds a throw-away SQLite database under var/bench/ (10,000 guardians, each with a linked
child who finished a course, took a quiz and has something due), starts an aiosmtpd sink on
127.0.0.1 in a separate process, and runs the same code the Sunday beat task runs.
Prints `name: value unit` lines:

    .venv/bin/python bench/digest.py            # GUARDIANS=2000 for a quicker run
"""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)
DB_PATH = BENCH_DIR / f"digest-{os.getpid()}.sqlite3"
GUARDIANS = int(os.environ.get("GUARDIANS", 10_000))
CLASS_SIZE = 40

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
os.environ["NETWISE_CELERY_EAGER"] = "1"

SINK = r"""
import asyncio, signal, sys
from aiosmtpd.controller import Controller
count = 0
class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        return "250 OK"
c = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
def stop(*_):
    c.stop()
    print(count, flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.pause()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakRss(threading.Thread):
    """Samples this process's resident memory every 20 ms."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = rss_mb()
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def stop(self):
        self.running = False
        self.join()
        return self.peak


def seed(n_guardians: int):
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Page

    from accounts.models import User
    from accounts.roles import Role
    from courses.models import CourseIndexPage, CoursePage
    from learning.models import Assignment, ItemKind, Progress, ProgressStatus
    from schools.models import Classroom, Enrollment, GuardianLink, School, StudentProfile

    now = timezone.now()
    root = Page.get_first_root_node()
    home = root.get_children().first() or root
    index = home.add_child(instance=CourseIndexPage(title="Courses", slug="bench-courses"))
    courses = [
        index.add_child(
            instance=CoursePage(
                title=f"Course {i}",
                title_zh=f"课程 {i}",
                slug=f"bench-course-{i}",
                summary="Bench course.",
                topic="privacy",
                family_prompts=[("prompt", {"question": f"Question {i}?", "action": f"Do thing {i}."})],
            )
        )
        for i in range(6)
    ]
    school = School.objects.create(name="Bench School", slug="bench-school")
    n_classes = (n_guardians + CLASS_SIZE - 1) // CLASS_SIZE
    classes = Classroom.objects.bulk_create(
        [Classroom(school=school, name=f"Class {i}", grade=7) for i in range(n_classes)]
    )
    students = User.objects.bulk_create(
        [User(username=f"s{i}", display_name=f"学生 {i}", role=Role.STUDENT, password="!") for i in range(n_guardians)],
        batch_size=2000,
    )
    guardians = User.objects.bulk_create(
        [
            User(
                username=f"g{i}",
                display_name=f"Parent {i}",
                role=Role.GUARDIAN,
                email=f"g{i}@example.org",
                language="zh-hans" if i % 2 else "en",
                password="!",
            )
            for i in range(n_guardians)
        ],
        batch_size=2000,
    )
    StudentProfile.objects.bulk_create(
        [StudentProfile(user=s, school=school, grade=7) for s in students], batch_size=2000
    )
    Enrollment.objects.bulk_create(
        [Enrollment(student=s, classroom=classes[i // CLASS_SIZE]) for i, s in enumerate(students)],
        batch_size=2000,
    )
    GuardianLink.objects.bulk_create(
        [
            GuardianLink(guardian=g, student=s, state=GuardianLink.State.ACTIVE, activated_at=now)
            for g, s in zip(guardians, students, strict=True)
        ],
        batch_size=2000,
    )
    Assignment.objects.bulk_create(
        [
            Assignment(classroom=c, item=courses[i % 6], item_kind=ItemKind.COURSE, due_at=now + timedelta(days=3))
            for i, c in enumerate(classes)
        ]
    )
    rows = []
    for i, s in enumerate(students):
        done = courses[(i + 1) % 6]
        rows.append(
            Progress(
                student=s,
                page=done,
                course=done,
                kind=ItemKind.COURSE,
                status=ProgressStatus.COMPLETED,
                percent=100,
                started_at=now - timedelta(hours=2),
                completed_at=now - timedelta(hours=1),
                last_seen_at=now - timedelta(hours=1),
            )
        )
        rows.append(
            Progress(
                student=s,
                page=courses[(i + 2) % 6],
                kind=ItemKind.QUIZ,
                status=ProgressStatus.COMPLETED,
                attempts=1,
                best_score=80.0 + i % 20,
                grade_score=80.0 + i % 20,
                passed=True,
                started_at=now - timedelta(hours=1),
                last_seen_at=now - timedelta(minutes=30),
            )
        )
    Progress.objects.bulk_create(rows, batch_size=2000)


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False
    port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout.readline().strip() == "ready"
        settings.NETWISE_MAIL_URL = f"smtp://127.0.0.1:{port}"
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        with connection.cursor() as cur:  # a bench DB: durability does not matter
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        seed(GUARDIANS)
        seed_s = time.perf_counter() - t0

        import gc

        from learning.family_mail import digests

        gc.collect()
        before = rss_mb()
        sampler = PeakRss()
        sampler.start()
        import resource

        usage0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        if os.environ.get("PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            run = profile.runcall(digests.send_weekly_digests, week="2026-W48")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        else:
            run = digests.send_weekly_digests(week="2026-W48")
        send_s = time.perf_counter() - t0
        usage1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu_s = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
        peak = sampler.stop()

        t0 = time.perf_counter()
        rerun = digests.send_weekly_digests(week="2026-W48")
        rerun_s = time.perf_counter() - t0
    finally:
        sink.terminate()
        received = int((sink.communicate(timeout=30)[0] or "0").strip().splitlines()[-1] or 0)
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)

    print(f"digest_guardians: {GUARDIANS} guardians")
    print(f"digest_seed_s: {seed_s:.1f} s")
    print(f"digest_send_s: {send_s:.2f} s")
    print(f"digest_send_per_guardian_ms: {1000 * send_s / max(run.sent, 1):.2f} ms")
    print(f"digest_send_cpu_s: {cpu_s:.2f} s")
    print(f"digest_send_cpu_per_guardian_ms: {1000 * cpu_s / max(run.sent, 1):.2f} ms")
    print(f"digest_load_average: {os.getloadavg()[0]:.1f} (2 cores shared)")
    print(f"digest_throughput: {run.sent / send_s:.0f} mails/s")
    print(f"digest_sent: {run.sent} mails")
    print(f"digest_sink_received: {received} mails")
    print(f"digest_failed: {run.failed} mails")
    print(f"digest_rss_before_mb: {before:.1f} MB")
    print(f"digest_peak_rss_mb: {peak:.1f} MB")
    print(f"digest_rss_growth_mb: {peak - before:.1f} MB")
    print(f"digest_rerun_s: {rerun_s:.2f} s")
    print(f"digest_rerun_sent: {rerun.sent} mails")
    return 0 if run.sent == GUARDIANS and received == GUARDIANS and rerun.sent == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
