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

Without a Redis broker (eager tests, `make run`'s filesystem queue) a hand-off is one ordinary
best-effort publish of the task itself.
"""

import json
import logging
import time
from functools import lru_cache

import redis
from celery import current_app as app

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
    returns whether the request reached Redis (or the broker, or ran, without Redis)."""
    if not services.publishing_allowed():
        return False
    client = _client()
    if client is None:
        return services.publish_best_effort(task_name, *args)
    members, flag = _keys(task_name)
    try:
        pipe = client.pipeline(transaction=False)
        pipe.sadd(members, json.dumps(list(args)))
        pipe.set(flag, 1, nx=True, ex=FLAG_SECONDS)
        _, due = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("could not hand off %s, the sweep will catch up: %s", task_name, exc)
        return False
    if due and not services.publish_best_effort(DRAIN_TASK, task_name):
        _clear(client, flag)  # so the next hand-off tries the broker again
    return True


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
