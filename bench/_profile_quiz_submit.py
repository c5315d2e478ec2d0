"""Profile quiz submits in-process (Django test client, bench/_quiz_settings.py, PostgreSQL),
posted as bench/quiz_submit.py posts them (form-urlencoded, many learners, several quizzes):
CPU per bare POST vs per submit POST, measured in turn, this process and its PostgreSQL backend
counted apart, then the submit's top cProfile entries (PROFILE_BARE=1: the bare POST's too).
Creates and drops netwise_profile_quiz_<pid> next to DATABASE_URL's database. Not part of
`make bench`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/_profile_quiz_submit.py
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_CLIENTS", "24")
os.environ.setdefault("BENCH_QUIZZES", "8")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench._quiz_settings"
os.environ.setdefault("NETWISE_CELERY_EAGER", "0")

import psycopg  # noqa: E402

from config.runtime import settle_garbage_collector  # noqa: E402

NAME = f"netwise_profile_quiz_{os.getpid()}"
FORM = "application/x-www-form-urlencoded"


def main():
    base = os.environ["DATABASE_URL"]
    admin = psycopg.connect(base, autocommit=True)
    admin.execute(f'CREATE DATABASE "{NAME}"')
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + NAME
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')


def backend_cpu(pid) -> float:
    """CPU seconds the PostgreSQL backend serving this process has used so far (schedstat:
    nanoseconds, fine enough to read per request)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def run():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)
    from bench import quiz_submit as qs

    quiz_ids, sessions = qs.seed("bench._quiz_settings")
    from django.test import Client

    from quizzes.models import Attempt

    clients = []
    for _, key in sessions:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        clients.append(client)
        for quiz_id in quiz_ids:
            client.post(f"/quizzes/{quiz_id}/start/")
    by_student = {pk: i for i, (pk, _) in enumerate(sessions)}
    open_attempts = Attempt.objects.filter(status="in_progress").order_by("pk").values_list("pk", "student_id")
    jobs = [
        (clients[by_student[student_id]], pk, urlencode(qs.answers_for(pk), doseq=True))
        for pk, student_id in open_attempts
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pg_pid = cursor.fetchone()[0]

    def post(job):
        client, attempt_id, body = job
        response = client.post(f"/quizzes/attempts/{attempt_id}/submit/", data=body, content_type=FORM)
        assert response.status_code == 302, response.status_code

    profiled = jobs[: len(jobs) // 4]
    timed = jobs[len(jobs) // 4 :]
    # Warm, as bench/quiz_submit.py's warm-up round is: a process's first submit loads the
    # broker transport and the first hand-off's code, which every later submit reuses.
    for job in profiled[:20]:
        post(job)
        clients[0].post("/bench/bare/")
    profiled = profiled[20:]
    # As config/wsgi.py does in every web process: start-up objects out of every collection.
    settle_garbage_collector()
    stages = _time_stages()
    # One bare POST, then one submit, and again: this machine's speed drifts within minutes,
    # and measured in turn the two see the same drift (as bench/quiz_submit.py's rounds do).
    totals = {"bare": [0.0, 0.0], "submit": [0.0, 0.0]}

    def measure(kind, fn, arg):
        py0, pg0 = time.process_time(), backend_cpu(pg_pid)
        fn(arg)
        totals[kind][0] += time.process_time() - py0
        totals[kind][1] += backend_cpu(pg_pid) - pg0

    for i, job in enumerate(timed):
        measure("bare", lambda client: client.post("/bench/bare/"), clients[i % len(clients)])
        measure("submit", post, job)
    _print_stages(stages, len(timed))
    bare, submit = ([seconds * 1000 / len(timed) for seconds in totals[kind]] for kind in ("bare", "submit"))
    ratio = sum(bare) / sum(submit)
    print(
        f"bare POST CPU {bare[0]:.2f} ms Python + {bare[1]:.2f} ms PostgreSQL; "
        f"submit POST CPU {submit[0]:.2f} ms Python + {submit[1]:.2f} ms PostgreSQL; "
        f"ratio {ratio:.2f} (in-process, {len(timed)} of each, in turn)"
    )
    if os.environ.get("PROFILE_BARE"):
        # The baseline's own profile, to compare entry by entry (as many POSTs as submits).
        pr = cProfile.Profile(time.process_time)
        for i in range(len(profiled)):
            pr.enable()
            clients[i % len(clients)].post("/bench/bare/")
            pr.disable()
        print(f"# profile of {len(profiled)} bare POSTs, CPU seconds")
        pstats.Stats(pr).sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_TOP", 70)))
    pr = cProfile.Profile(time.process_time)  # CPU time: waiting on PostgreSQL is not counted
    for job in profiled:
        pr.enable()
        post(job)
        pr.disable()
    print(f"# profile of {len(profiled)} submits, CPU seconds")
    st = pstats.Stats(pr)
    st.sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_TOP", 70)))
    st.sort_stats("tottime").print_stats(30)
    for name in filter(None, os.environ.get("PROFILE_CALLEES", "").split(",")):
        st.print_callees(name)  # e.g. PROFILE_CALLEES=close_attempt,own_attempt


STAGES = [
    ("quizzes.services", "submit_attempt"),
    ("quizzes.statements", "own_attempt"),
    ("quizzes.services", "_drawn_keys"),
    ("quizzes.services", "_validated"),
    ("quizzes.statements", "stored_answers"),
    ("quizzes.scoring", "score"),
    ("quizzes.statements", "upsert_responses"),
    ("quizzes.statements", "close_attempt"),
    ("quizzes.services", "_after_submit"),
    ("jobs.handoff", "hand_off"),
]


def _time_stages():
    """Wrap the submit's stages to add up their CPU (this process; nested stages count in
    their callers too). A diagnostic: the wrappers cost a few microseconds each."""
    import importlib

    totals = {}
    for module_name, name in STAGES:
        module = importlib.import_module(module_name)
        inner = getattr(module, name)
        key = f"{module_name}.{name}"
        totals[key] = 0.0

        def timed(*args, _inner=inner, _key=key, **kwargs):
            started = time.process_time()
            try:
                return _inner(*args, **kwargs)
            finally:
                totals[_key] += time.process_time() - started

        setattr(module, name, timed)
    return totals


def _print_stages(totals, n):
    for key, seconds in totals.items():
        print(f"  stage {key}: {seconds * 1e6 / n:.0f} us CPU per submit")


if __name__ == "__main__":
    main()
