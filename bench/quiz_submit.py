"""Quiz submit under concurrent learners: gunicorn + PostgreSQL on loopback.

Creates a throw-away PostgreSQL database next to DATABASE_URL's (default
postgres://postgres@127.0.0.1:5432/postgres), migrates it, seeds one course with
QUIZZES quizzes (plus one for the warm-up) and CLIENTS students, starts gunicorn on 127.0.0.1, then:

1. warm:   CLIENTS threads POST a bare Django view (same middleware) a few times each;
2. start:  every student starts an attempt on every quiz (not timed against the target);
3. warm:   every student submits their warm-up quiz (not timed: every worker process has
           then served a submit, as it has served bare POSTs);
4. submit: half of every student's attempts submitted back to back (saturation: the
           throughput ratio, and the server CPU per request), in QUIZZES/2 rounds of one
           submit per student, each round after a block of bare POSTs (REQUESTS/rounds per
           student): the bare view and the submit are measured alternately, so drift in the
           machine's speed over the run reaches both alike; then the other half paced at
           BENCH_PACED_RATE submits/s in all (learners who think before pressing Submit: the
           latency);
5. replay: every attempt is submitted again (double click / back button) -> same result.

Prints `name: value unit` lines; lost and duplicate attempts must be 0.
Quiz progress (learning) is refreshed by a worker from the pairs each submit hands off
(jobs.handoff: each gunicorn process's outbox, sent by its thread every 0.1 s window in one
round trip to a Redis set, one drain message when none is due; with no Redis, one in-memory
message per submit); each timed block's CPU is read a batch window plus SETTLE_MARGIN after its
last response, so the batches it left count against it. No worker runs here, so after the timed
phase the bench runs the beat reconcile and checks every progress row matches the attempts.
BENCH_WITHOUT_LEARNING=1 disconnects learning's receiver (diagnostic: the quiz engine alone).
BENCH_CLIENTS, BENCH_QUIZZES, BENCH_WORKERS, BENCH_THREADS tune the run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/quiz_submit.py
"""

import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 50))
QUIZZES = int(os.environ.get("BENCH_QUIZZES", 8))
# The paced phase: the same clients submit at this total offered rate (think time between
# submits, exponential), i.e. learners who read and answer before they press Submit.
PACED_RATE = float(os.environ.get("BENCH_PACED_RATE", 20))
BARE_REQUESTS = int(os.environ.get("BENCH_BARE_REQUESTS", 20))
# Saturated submits per learner (half their attempts), each round one of them.
ROUNDS = max(1, int(os.environ.get("BENCH_QUIZZES", 8)) // 2)
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
THREADS = int(os.environ.get("BENCH_THREADS", 4))
PORT = int(os.environ.get("BENCH_PORT", 0)) or None
# Each web process sends its hand-offs a batch window after they are made (jobs/handoff.py,
# settings.JOBS_HANDOFF_BATCH_SECONDS): each timed block is read the window plus this margin after
# its last response, so the batches its submits left are counted against them, not the next block.
SETTLE_MARGIN = 0.4


def emit(name, value, unit):
    print(f"{name}: {value} {unit}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_admin(url):
    import psycopg

    parts = urlparse(url)
    return psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True)


def cpu_seconds(server_pid):
    """CPU time used so far by the gunicorn workers and by every PostgreSQL process, as (app,
    database), read from /proc/<pid>/schedstat (nanoseconds; /proc/<pid>/stat counts 10 ms
    ticks, too coarse for the short interleaved rounds). Throughput on a shared 2-core machine
    moves with whatever else runs; the CPU each request costs the server side much less, so
    the bench prints both."""
    app = db = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == server_pid:
            app += _ran(entry)
        elif comm.startswith("postgres"):
            db += _ran(entry)
    return app / 1e9, db / 1e9


def _ran(process: Path) -> int:
    """Nanoseconds on a CPU so far, summed over the process's threads (a gthread worker serves
    requests in its pool's threads; the process's own schedstat is its main thread's)."""
    total = 0
    for task in (process / "task").glob("*/schedstat"):
        try:
            total += int(task.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that has just exited
    return total


def cpu_since(server_pid, before):
    now = cpu_seconds(server_pid)
    return now[0] - before[0], now[1] - before[1]


def percentile(values, p):
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run_clients(jobs_per_client, do):
    """Run one thread per client; `do(client_index, job)` returns (ok, seconds)."""
    latencies, failures = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs_per_client))

    def work(i, jobs):
        barrier.wait()
        for job in jobs:
            try:
                ok, seconds, detail = do(i, job)
            except Exception as exc:  # noqa: BLE001 - a dropped connection is a failure, not a lost thread
                ok, seconds, detail = False, 0.0, repr(exc)
            with lock:
                latencies.append(seconds)
                if not ok:
                    failures.append(detail)

    threads = [threading.Thread(target=work, args=(i, jobs)) for i, jobs in enumerate(jobs_per_client)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, latencies, failures


def seed(settings_module):
    """Runs in this process against the bench database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    import shutil
    import tempfile

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from courses import seed as course_seed
    from courses.curriculum import HERE
    from quizzes import seed as quiz_seed
    from quizzes.models import QuizPage, QuizQuestion

    tmp = Path(tempfile.mkdtemp())
    shutil.copy(HERE / "m02-privacy.yaml", tmp / "m02-privacy.yaml")
    course_seed.run(directory=tmp)
    quiz_seed.run(directory=tmp)
    shutil.rmtree(tmp)
    first = QuizPage.objects.get()
    course = first.get_parent()
    links = list(first.quiz_questions.order_by("sort_order"))
    quizzes = [first]
    for n in range(1, QUIZZES + 1):
        quiz = QuizPage(title=f"{first.title} ({n + 1})", slug=f"bench-quiz-{n}", pass_mark=first.pass_mark)
        for link in links:
            quiz.quiz_questions.add(QuizQuestion(question_id=link.question_id, sort_order=link.sort_order))
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
        quizzes.append(quiz)
    sessions = []
    for i in range(CLIENTS):
        user, _ = User.objects.get_or_create(
            username=f"bench{i}", defaults={"display_name": f"Bench {i}", "role": "student"}
        )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append((user.pk, store.session_key))
    return [q.pk for q in quizzes], sessions


def answers_for(attempt_id):
    from quizzes.models import Attempt
    from tests.quizzes.factories import form_data, perfect_answers

    attempt = Attempt.objects.get(pk=attempt_id)
    return {**form_data(attempt, perfect_answers(attempt)), "action": "submit"}


def bench_broker():
    """Redis, as in production, when it answers (a database of its own, emptied after);
    else kombu's in-memory transport. The submit path hands its progress pair off through it."""
    url = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url
    except Exception:  # noqa: BLE001 - no Redis here: measure without a real broker
        return "memory://"


def handed_off_pairs():
    """How many distinct (student, quiz) pairs the submits handed off wait in Redis for a drain
    (no worker runs here): with batching, what every gunicorn process's outbox thread sent.
    None without Redis."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return None
    import redis

    from jobs import handoff

    members, _ = handoff._keys("learning.sync_quiz_progress")
    return redis.Redis.from_url(url).scard(members)


def flush_broker(url):
    if url.startswith("redis://"):
        import redis

        redis.Redis.from_url(url).flushdb()


def main():
    base_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not base_url.startswith(("postgres://", "postgresql://")):
        print("quiz_submit: skipped (needs DATABASE_URL pointing at PostgreSQL)")
        return 0
    try:
        admin = pg_admin(base_url)
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no PostgreSQL here"
        print(f"quiz_submit: skipped (PostgreSQL not reachable: {exc.__class__.__name__})")
        return 0
    name = f"netwise_quizbench_{os.getpid()}"
    admin.execute(f'CREATE DATABASE "{name}"')
    db_url = urlunparse(urlparse(base_url)._replace(path=f"/{name}"))
    broker = bench_broker()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "bench._quiz_settings",
        "PYTHONPATH": str(ROOT),
        "CELERY_BROKER_URL": broker,
    }
    os.environ.update({"DATABASE_URL": db_url, "CELERY_BROKER_URL": broker})
    emit("quiz_submit.broker", broker.split("://")[0], "transport")
    server = None
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        quiz_ids, sessions = seed("bench._quiz_settings")
        port = PORT or free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(WORKERS),
                "-k",
                "gthread",
                "--threads",
                str(THREADS),
                # Keep idle connections open between phases (the default 2 s closes them
                # under the clients, which then fail on reuse).
                "--keep-alive",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        url = f"http://127.0.0.1:{port}"
        result = bench(url, quiz_ids, sessions, server.pid)
    finally:
        if server:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        flush_broker(broker)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return result


def bench(url, quiz_ids, sessions, server_pid):
    import requests
    from django.conf import settings

    from quizzes.models import Attempt

    settle = settings.JOBS_HANDOFF_BATCH_SECONDS + SETTLE_MARGIN  # as the gunicorn workers read it
    for _ in range(100):
        try:
            requests.get(f"{url}/healthz", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.2)
    clients = []
    for _, session_key in sessions:
        s = requests.Session()
        token = secrets.token_hex(16)
        s.cookies.set("sessionid", session_key, domain="127.0.0.1", path="/")
        s.cookies.set("csrftoken", token, domain="127.0.0.1", path="/")
        s.headers.update({"X-CSRFToken": token})
        clients.append(s)

    def timed(i, method, path, **kw):
        started = time.perf_counter()
        response = clients[i].request(method, url + path, allow_redirects=False, timeout=60, **kw)
        return response, time.perf_counter() - started

    # Warm up every worker and connection.
    run_clients(
        [[None] * 3 for _ in clients], lambda i, _: (lambda r: (r[0].ok, r[1], None))(timed(i, "POST", "/bench/bare/"))
    )

    def bare(i, _):
        response, seconds = timed(i, "POST", "/bench/bare/")
        return response.status_code == 200, seconds, response.status_code

    def start(i, quiz_id):
        response, seconds = timed(i, "POST", f"/quizzes/{quiz_id}/start/")
        return response.status_code == 302, seconds, response.status_code

    _, _, start_fail = run_clients([quiz_ids for _ in clients], start)
    by_student = {}
    for pk, student_id in Attempt.objects.filter(status="in_progress").values_list("pk", "student_id"):
        by_student.setdefault(student_id, []).append(pk)
    jobs = [[(pk, answers_for(pk)) for pk in by_student.get(student_id, [])] for student_id, _ in sessions]
    expected = sum(len(j) for j in jobs)
    seen = {}

    def submit(i, job):
        attempt_id, data = job
        response, seconds = timed(i, "POST", f"/quizzes/attempts/{attempt_id}/submit/", data=data)
        ok = response.status_code == 302 and response.headers.get("Location", "").endswith(
            f"/attempts/{attempt_id}/review/"
        )
        if ok:
            seen[attempt_id] = True
        return ok, seconds, response.status_code

    # Each learner's first attempt warms the workers up (a process's first submit loads code
    # and connections that every later one reuses); it is checked like the others below.
    warm = [j[:1] for j in jobs]
    jobs_timed = [j[1:] for j in jobs]
    _, _, warm_fail = run_clients(warm, submit)
    # The seed, the starts and the warm-up wrote thousands of rows: analyse now, so PostgreSQL's
    # autovacuum does not do it inside a timed phase (it would count as the submits' CPU).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    # Half of each learner's attempts are submitted back to back (saturation: throughput
    # and the CPU each submit costs), the other half paced at PACED_RATE submits/s in all.
    half = QUIZZES // 2
    saturated = [j[:half] for j in jobs_timed]
    paced_jobs = [j[half:] for j in jobs_timed]
    # Saturation, interleaved with the bare view: ROUNDS rounds, each a block of bare POSTs
    # (BARE_REQUESTS / ROUNDS per learner) then one submit per learner, back to back. Whatever
    # else the machine does drifts over a run (a shared 2-core VM: the same code's bare view
    # cost 2.2 ms in one run and 3.2 ms in the next); alternating the two in short blocks lets
    # both see the same drift, so their ratio measures the code, not the moment.
    bare_app = bare_db = bare_time = submit_app = submit_db = submit_time = 0.0
    bare_lat, bare_fail, submit_lat, submit_fail, by_round = [], [], [], [], []
    for r in range(ROUNDS):
        cpu_before = cpu_seconds(server_pid)
        seconds, lat, fail = run_clients([[None] * (BARE_REQUESTS // ROUNDS) for _ in clients], bare)
        time.sleep(settle)  # as after the submits, so both blocks are read alike
        app, db = cpu_since(server_pid, cpu_before)
        bare_app, bare_db, bare_time = bare_app + app, bare_db + db, bare_time + seconds
        bare_lat += lat
        bare_fail += fail
        round_bare = (app + db) / max(len(lat), 1)
        cpu_before = cpu_seconds(server_pid)
        seconds, lat, fail = run_clients([j[r : r + 1] for j in saturated], submit)
        time.sleep(settle)  # the hand-offs these submits batched are sent: their cost counts here
        app, db = cpu_since(server_pid, cpu_before)
        submit_app, submit_db, submit_time = submit_app + app, submit_db + db, submit_time + seconds
        submit_lat += lat
        submit_fail += fail
        by_round.append(round_bare / ((app + db) / max(len(lat), 1)))
    # Open loop: submit times form one Poisson process at PACED_RATE, dealt to the
    # learners in turn; each waits for its turn's time, whatever the earlier ones took.
    pacer = random.Random(7)
    arrivals, t = [], 0.0
    for _ in range(sum(len(j) for j in paced_jobs)):
        t += pacer.expovariate(PACED_RATE)
        arrivals.append(t)
    schedule = {}
    k = 0
    for n in range(half + 1):
        for client_jobs in paced_jobs:
            if n < len(client_jobs):
                schedule[client_jobs[n][0]] = arrivals[k]
                k += 1
    phase_start = time.perf_counter()

    def paced(i, job):
        time.sleep(max(0.0, phase_start + schedule[job[0]] - time.perf_counter()))
        return submit(i, job)

    paced_time, paced_lat, paced_fail = run_clients(paced_jobs, paced)
    submit_fail += paced_fail + warm_fail
    snapshot = dict(Attempt.objects.filter(status="submitted").values_list("pk", "score"))
    replay_time, replay_lat, replay_fail = run_clients(jobs, submit)
    after = dict(Attempt.objects.filter(status="submitted").values_list("pk", "score"))

    # Quiz progress is refreshed by a worker from the handed-off pairs. No worker runs
    # during the timed phase (in production it runs on other machines); afterwards, the
    # same code beat runs (learning.reconcile_quiz_progress) must bring every row up to date.
    from learning.models import Progress
    from learning.progress.services import quiz_progress_behind, reconcile_quiz_progress

    time.sleep(settle)  # the last batches of the replay are sent
    handed_off = handed_off_pairs()
    behind_before = len(quiz_progress_behind())
    reconcile_started = time.perf_counter()
    reconciled = reconcile_quiz_progress()
    reconcile_seconds = time.perf_counter() - reconcile_started
    behind_after = len(quiz_progress_behind())
    progress_rows = Progress.objects.filter(page_id__in=quiz_ids, attempts=1).count()

    bare_rps = len(bare_lat) / bare_time
    submit_rps = len(submit_lat) / submit_time
    lost = sum(1 for pk in seen if pk not in after)
    lost += expected - len(after)
    duplicates = Attempt.objects.count() - expected
    changed = sum(1 for pk, score in snapshot.items() if after.get(pk) != score)

    emit("quiz_submit.clients", len(clients), "clients")
    emit("quiz_submit.gunicorn", f"{WORKERS}x{THREADS}", "workers_x_threads")
    emit("bare_view.requests", len(bare_lat), "requests")
    emit("bare_view.throughput", f"{bare_rps:.1f}", "req/s")
    emit("bare_view.p50", f"{percentile(bare_lat, 50) * 1000:.1f}", "ms")
    emit("bare_view.p95", f"{percentile(bare_lat, 95) * 1000:.1f}", "ms")
    emit("quiz_submit.requests", len(submit_lat), "requests")
    emit("quiz_submit.throughput", f"{submit_rps:.1f}", "req/s")
    emit("quiz_submit.p50", f"{percentile(submit_lat, 50) * 1000:.1f}", "ms")
    emit("quiz_submit.p95", f"{percentile(submit_lat, 95) * 1000:.1f}", "ms")
    emit("quiz_submit.mean", f"{statistics.mean(submit_lat) * 1000:.1f}", "ms")
    emit("quiz_submit_paced.offered_rate", f"{PACED_RATE:.0f}", "submits/s")
    emit("quiz_submit_paced.requests", len(paced_lat), "requests")
    emit("quiz_submit_paced.achieved_rate", f"{len(paced_lat) / paced_time:.1f}", "submits/s")
    emit("quiz_submit_paced.p50", f"{percentile(paced_lat, 50) * 1000:.1f}", "ms")
    emit("quiz_submit_paced.p95", f"{percentile(paced_lat, 95) * 1000:.1f}", "ms")
    emit("quiz_submit.throughput_ratio_vs_bare", f"{submit_rps / bare_rps:.2f}", "ratio")
    bare_cpu_ms = (bare_app + bare_db) / len(bare_lat) * 1000
    submit_cpu_ms = (submit_app + submit_db) / max(len(submit_lat), 1) * 1000
    emit("bare_view.server_cpu_per_request", f"{bare_cpu_ms:.2f}", "ms")
    emit("bare_view.app_cpu_per_request", f"{bare_app / len(bare_lat) * 1000:.2f}", "ms")
    emit("bare_view.db_cpu_per_request", f"{bare_db / len(bare_lat) * 1000:.2f}", "ms")
    emit("quiz_submit.server_cpu_per_request", f"{submit_cpu_ms:.2f}", "ms")
    emit("quiz_submit.app_cpu_per_request", f"{submit_app / max(len(submit_lat), 1) * 1000:.2f}", "ms")
    emit("quiz_submit.db_cpu_per_request", f"{submit_db / max(len(submit_lat), 1) * 1000:.2f}", "ms")
    emit("quiz_submit.server_cpu_ratio_vs_bare", f"{bare_cpu_ms / submit_cpu_ms:.2f}", "ratio")
    for r, ratio in enumerate(by_round, start=1):
        emit(f"quiz_submit.server_cpu_ratio_round_{r}", f"{ratio:.2f}", "ratio")
    emit("quiz_resubmit.p95", f"{percentile(replay_lat, 95) * 1000:.1f}", "ms")
    emit("quiz_start.failed_requests", len(start_fail), "requests")
    emit("quiz_submit.failed_requests", len(submit_fail) + len(replay_fail) + len(bare_fail), "requests")
    emit("quiz_submit.lost_attempts", lost, "attempts")
    emit("quiz_submit.duplicate_attempts", duplicates, "attempts")
    emit("quiz_submit.results_changed_by_replay", changed, "attempts")
    if handed_off is not None:
        emit("quiz_progress.handed_off", f"{handed_off}/{expected}", "pairs_in_redis")
    emit("quiz_progress.behind_before_reconcile", behind_before, "pairs")
    emit("quiz_progress.reconciled", reconciled, "pairs")
    emit("quiz_progress.reconcile_time", f"{reconcile_seconds:.2f}", "s")
    emit("quiz_progress.behind_after_reconcile", behind_after, "pairs")
    emit("quiz_progress.rows_matching_attempts", f"{progress_rows}/{expected}", "rows")
    missing = behind_after or progress_rows != expected
    failed = start_fail or submit_fail or replay_fail
    return 1 if (lost or duplicates or changed or failed or missing) else 0


if __name__ == "__main__":
    sys.exit(main())
