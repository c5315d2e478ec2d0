"""A real Celery worker process for tests marked `worker` (CI's PostgreSQL + Redis pass).

The worker runs with the test settings, points at the test database that pytest-django
created, and consumes from the real broker; the test process stops being eager while
the fixture is active. Use it with `transactional_db` so the worker can see the rows.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def real_worker_available() -> bool:
    return (
        os.environ.get("NETWISE_WORKER_TESTS") == "1"
        and connection.vendor == "postgresql"
        and os.environ.get("CELERY_BROKER_URL", "").startswith("redis://")
    )


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class WorkerProcess:
    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.proc = None

    def start(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "NETWISE_CELERY_EAGER": "0",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_for("ready", timeout=60)
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.time() + timeout
        while time.time() < deadline:
            out = self.output()
            if text in out:
                return out
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited early:\n{out[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"worker never logged {text!r}:\n{self.output()[-3000:]}")

    def kill9(self):
        """Kill the whole worker process group at once, as a crashed machine would."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start a worker; yields a WorkerProcess. Skips outside CI's PostgreSQL + Redis pass."""
    if not real_worker_available():
        pytest.skip("needs NETWISE_WORKER_TESTS=1 with PostgreSQL and Redis (the second pass of .ci/run)")
    from config.celery import app

    app.conf.task_always_eager = False
    workers = []

    def start():
        w = WorkerProcess(tmp_path / f"worker-{len(workers)}.log").start()
        workers.append(w)
        return w

    try:
        yield start
    finally:
        for w in workers:
            w.stop()
        app.conf.task_always_eager = True
