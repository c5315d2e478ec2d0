"""Small tasks the outbox tests run (registered in this process only)."""

import time

import pytest

from config.celery import app

CALLS: list = []


@app.task(name="tests.jobs.record", ignore_result=True)
def record(value):
    CALLS.append(value)
    return value


@app.task(
    name="tests.jobs.flaky",
    bind=True,
    ignore_result=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    retry_jitter=False,
    max_retries=3,
)
def flaky(self, failures):
    CALLS.append(self.request.retries)
    if self.request.retries < failures:
        raise ConnectionError("smtp went away")
    return "ok"


@app.task(name="tests.jobs.broken", ignore_result=True)
def broken():
    raise ValueError("this task can never work")


@pytest.fixture
def calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


@pytest.fixture
def dead_broker(monkeypatch):
    """Point publishing at a closed port (nothing listens on 1), not eager."""
    conf = app.conf
    # Save before touching the environment: conf.broker_url reads CELERY_BROKER_URL first.
    saved = conf.broker_url, conf.task_always_eager, conf.broker_transport_options
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    conf.broker_url = "redis://127.0.0.1:1/0"
    conf.broker_transport_options = {}
    conf.task_always_eager = False
    started = time.monotonic()
    yield lambda: time.monotonic() - started
    conf.broker_url, conf.task_always_eager, conf.broker_transport_options = saved
