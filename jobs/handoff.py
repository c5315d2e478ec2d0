"""Coalesced hand-off: the hot path asks for small per-key work without one broker message each.

A request that wants `task(*args)` run soon (a student's quiz progress after a submit) adds the
arguments to a Redis set named after the task and publishes one `jobs.drain_handoff` message
only if no drain is due yet. The drain pops the set in batches and runs the task's code for
each member. Under load, hundreds of submits cost one message; a quiet submit still runs within
a moment. Asking twice for the same arguments before the drain reaches them runs them once.

No wake-up is lost: a request that finds the drain flag set has added its member before the
drain clears the flag, and the drain looks at the set again after clearing it. Best effort, like
`services.publish_best_effort`: an unreachable Redis or a drain killed half way leaves work
undone, which the caller's own periodic sweep finds (the caller's rows are the durable record).

A process sends its hand-offs in batches (settings.JOBS_HANDOFF_BATCH_SECONDS, production
0.1 s): the request only puts the member in this process's outbox, and one background thread
sends what gathered in that window in one Redis round trip. The request pays no round trip and
a busy web process one per window, not one per submit; the work starts that much later. Members
still in the outbox when a process dies are left to the sweep, as a failed send is. With the
setting at 0 (the tests) a hand-off is sent before it returns.

Without a Redis broker (eager tests, `make run`'s filesystem queue) a hand-off is one ordinary
best-effort publish of the task itself.
"""

import atexit
import json
import logging
import os
import threading
import time
from functools import lru_cache

import redis
from celery import current_app as app
from django.conf import settings

from . import services

logger = logging.getLogger("netwise.jobs")

DRAIN_TASK = "jobs.drain_handoff"
# A drain killed before clearing its flag: the next hand-off after this long kicks a new one.
FLAG_SECONDS = 60
BATCH = 100
# A drain that has run this long hands the rest to a fresh message (other tasks get a turn).
BUDGET_SECONDS = 20


def _keys(task_name: str) -> tuple[str, str]:
    return f"netwise:handoff:{task_name}", f"netwise:handoff:{task_name}:due"


@lru_cache(maxsize=4)
def _client_for(url: str) -> redis.Redis:
    # Fail fast: the request that hands off is waiting, and the sweep catches up anyway.
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def _client() -> redis.Redis | None:
    url = app.conf.broker_url or ""
    if app.conf.task_always_eager or not url.startswith(("redis://", "rediss://")):
        return None
    return _client_for(url)


def hand_off(task_name: str, *args) -> bool:
    """Ask for `task_name(*args)` to run soon in a worker (JSON-serialisable args). Never raises;
    returns whether the request reached Redis (or the broker, or ran, without Redis), or, when
    hand-offs are batched, this process's outbox."""
    if not services.publishing_allowed():
        return False
    client = _client()
    if client is None:
        return services.publish_best_effort(task_name, *args)
    member = json.dumps(list(args))
    if settings.JOBS_HANDOFF_BATCH_SECONDS > 0:
        outbox.put(task_name, member)
        return True
    return _send(client, task_name, [member])


def _send(client: redis.Redis, task_name: str, batch: list[str]) -> bool:
    """Add the members to the task's set, and publish a drain message if none is due."""
    members, flag = _keys(task_name)
    try:
        pipe = client.pipeline(transaction=False)
        pipe.sadd(members, *batch)
        pipe.set(flag, 1, nx=True, ex=FLAG_SECONDS)
        _, due = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("could not hand off %s, the sweep will catch up: %s", task_name, exc)
        return False
    if due and not services.publish_best_effort(DRAIN_TASK, task_name):
        _clear(client, flag)  # so the next hand-off tries the broker again
    return True


class Outbox:
    """This process's hand-offs not sent yet, and the thread that sends them a batch at a time.

    No member waits for a later one: `put` wakes the thread, which waits one batch window for
    more to join, clears the wake-up and then takes everything pending. A member put after the
    clear either is taken by this flush or wakes the next one."""

    def __init__(self):
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending: dict[str, set[str]] = {}
        self._thread: threading.Thread | None = None

    def put(self, task_name: str, member: str) -> None:
        with self._lock:
            self._pending.setdefault(task_name, set()).add(member)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="netwise-handoff", daemon=True)
                self._thread.start()
        self._wake.set()

    def flush(self) -> int:
        """Send everything pending now (the thread, and this process's exit); how many members."""
        with self._lock:
            pending, self._pending = self._pending, {}
        client = _client() if pending else None
        sent = 0
        for task_name, members in pending.items():
            if client is not None and _send(client, task_name, sorted(members)):
                sent += len(members)
        return sent

    def _run(self) -> None:
        while True:
            self._wake.wait()
            time.sleep(settings.JOBS_HANDOFF_BATCH_SECONDS)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the thread must outlive one bad flush; the sweep catches up
                logger.exception("could not send this process's hand-offs; the sweep will catch up")

    def after_fork(self) -> None:
        """A forked child (a gunicorn or Celery worker) starts with an empty outbox, a lock no
        thread holds and no sender: the parent's thread is not copied, its members stay its own."""
        self.__init__()


outbox = Outbox()
atexit.register(outbox.flush)
os.register_at_fork(after_in_child=outbox.after_fork)


def drain(task_name: str) -> int:
    """Run `task_name` for every member handed off (the worker side); returns how many ran."""
    client = _client()
    task = app.tasks.get(task_name)
    if client is None or task is None:
        return 0
    members, flag = _keys(task_name)
    started, ran = time.monotonic(), 0
    while True:
        batch = client.spop(members, BATCH)
        if not batch:
            client.delete(flag)
            # A member added after the last pop by a request that saw the flag still set.
            if not client.scard(members) or not client.set(flag, 1, nx=True, ex=FLAG_SECONDS):
                return ran  # empty, or a newer hand-off has kicked a drain of its own
            continue
        client.expire(flag, FLAG_SECONDS)
        for raw in batch:
            ran += 1
            try:
                task(*json.loads(raw))
            except Exception:  # noqa: BLE001 - one member's failure must not strand the rest
                logger.exception("handed-off %s%s failed; the sweep will catch up", task_name, raw.decode())
        if time.monotonic() - started > BUDGET_SECONDS:
            if not services.publish_best_effort(DRAIN_TASK, task_name):
                _clear(client, flag)
            return ran


def _clear(client: redis.Redis, flag: str) -> None:
    try:
        client.delete(flag)
    except redis.RedisError:
        pass  # the flag expires on its own
