"""Profile one quiz submit in-process (Django test client, bench/_quiz_settings.py, PostgreSQL):
CPU per bare POST vs per submit POST, and the submit's top cProfile entries. Creates and drops
netwise_profile_quiz_<pid> next to DATABASE_URL's database. Not part of `make bench`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/_profile_quiz_submit.py
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_CLIENTS", "2")
os.environ.setdefault("BENCH_QUIZZES", "12")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench._quiz_settings"
os.environ.setdefault("NETWISE_CELERY_EAGER", "0")

import psycopg  # noqa: E402

NAME = f"netwise_profile_quiz_{os.getpid()}"


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
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}"')


def run():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)
    from bench import quiz_submit as qs

    quiz_ids, sessions = qs.seed("bench._quiz_settings")
    from django.test import Client

    from quizzes.models import Attempt

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[0][1]
    for quiz_id in quiz_ids:
        client.post(f"/quizzes/{quiz_id}/start/")
    attempts = list(Attempt.objects.filter(status="in_progress").order_by("pk").values_list("pk", flat=True))
    jobs = [(pk, qs.answers_for(pk)) for pk in attempts]

    def cpu(fn, n):
        t0 = time.process_time()
        for i in range(n):
            fn(i)
        return (time.process_time() - t0) * 1000 / n

    client.post("/bench/bare/")
    bare = cpu(lambda i: client.post("/bench/bare/"), 30)
    profiled = [jobs.pop() for _ in range(len(jobs) // 2)]
    submit = cpu(lambda i: client.post(f"/quizzes/attempts/{jobs[i][0]}/submit/", data=jobs[i][1]), len(jobs))
    print(f"bare POST CPU {bare:.2f} ms, submit POST CPU {submit:.2f} ms, ratio {bare / submit:.2f} (in-process)")
    pr = cProfile.Profile(time.process_time)  # CPU time: waiting on PostgreSQL is not counted
    for attempt_id, data in profiled:
        pr.enable()
        response = client.post(f"/quizzes/attempts/{attempt_id}/submit/", data=data)
        pr.disable()
        assert response.status_code == 302, response.status_code
    print(f"# profile of {len(profiled)} submits, CPU seconds")
    st = pstats.Stats(pr)
    st.sort_stats("cumulative").print_stats(70)
    st.sort_stats("tottime").print_stats(40)


if __name__ == "__main__":
    main()
