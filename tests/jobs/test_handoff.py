"""jobs.handoff: many hand-offs, one drain message; every member runs once; no wake-up lost.

Against fakeredis (the SQLite pass needs no Redis server); CI's PostgreSQL + Redis pass runs the
same path through a real worker (tests/test_background_reliability.py)."""

import os
import time
from types import SimpleNamespace
from unittest import mock

import fakeredis
import pytest
import redis

from config.celery import app
from jobs import handoff, services

CALLS = []


@app.task(name="tests.jobs.handoff_probe")
def probe(*args):
    if args and args[0] == "boom":
        raise ValueError("this member fails")
    CALLS.append(tuple(args))


TASK = "tests.jobs.handoff_probe"
MEMBERS, FLAG = handoff._keys(TASK)


@pytest.fixture
def fake_redis(monkeypatch, celery_not_eager):
    """Celery not eager and a Redis 'broker'; drain messages are recorded, not sent."""
    client = fakeredis.FakeRedis()
    monkeypatch.setattr(handoff, "_client", lambda: client)
    CALLS.clear()
    with mock.patch.object(services, "publish_best_effort", return_value=True) as publish:
        yield SimpleNamespace(redis=client, publish=publish)


def kicks(publish):
    return [c.args for c in publish.call_args_list if c.args[0] == handoff.DRAIN_TASK]


def test_many_hand_offs_send_one_drain_message_and_each_pair_runs_once(fake_redis):
    for student in (1, 2, 3, 2, 1):  # a double submit hands the same pair off twice
        assert handoff.hand_off(TASK, student, 70) is True
    assert kicks(fake_redis.publish) == [(handoff.DRAIN_TASK, TASK)]

    assert handoff.drain(TASK) == 3
    assert sorted(CALLS) == [(1, 70), (2, 70), (3, 70)]
    assert fake_redis.redis.scard(MEMBERS) == 0 and not fake_redis.redis.exists(FLAG)

    handoff.hand_off(TASK, 4, 70)  # the drain is over: the next hand-off kicks a new one
    assert len(kicks(fake_redis.publish)) == 2


def test_a_hand_off_between_the_last_pop_and_the_flag_clearing_is_not_lost(fake_redis, monkeypatch):
    handoff.hand_off(TASK, 1, 70)
    real_delete = fake_redis.redis.delete
    late = []

    def delete_after_a_late_hand_off(*keys):
        if not late:  # a request lands just before the drain clears its flag
            late.append(handoff.hand_off(TASK, 2, 70))
        return real_delete(*keys)

    monkeypatch.setattr(fake_redis.redis, "delete", delete_after_a_late_hand_off)
    assert handoff.drain(TASK) == 2
    assert late == [True]
    assert len(kicks(fake_redis.publish)) == 1  # it saw the flag set and sent nothing: the drain ran it
    assert sorted(CALLS) == [(1, 70), (2, 70)]


def test_a_hand_off_after_the_flag_is_cleared_leaves_it_to_the_drain_it_kicks(fake_redis, monkeypatch):
    handoff.hand_off(TASK, 1, 70)
    real_scard = fake_redis.redis.scard

    def scard_after_a_new_hand_off(key):
        monkeypatch.setattr(fake_redis.redis, "scard", real_scard)
        handoff.hand_off(TASK, 2, 70)  # finds no flag: sets it and kicks a drain of its own
        return real_scard(key)

    monkeypatch.setattr(fake_redis.redis, "scard", scard_after_a_new_hand_off)
    assert handoff.drain(TASK) == 1  # this drain stops; the new message's drain runs member 2
    assert len(kicks(fake_redis.publish)) == 2
    assert handoff.drain(TASK) == 1
    assert sorted(CALLS) == [(1, 70), (2, 70)]


def test_one_failing_member_does_not_strand_the_others(fake_redis, caplog):
    for args in (("boom", 1), (1, 70), (2, 70)):
        handoff.hand_off(TASK, *args)
    assert handoff.drain(TASK) == 3
    assert sorted(CALLS) == [(1, 70), (2, 70)]
    assert "this member fails" in caplog.text


def test_redis_down_the_request_goes_on_and_nothing_is_sent(monkeypatch, celery_not_eager):
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(handoff, "_client", lambda: dead)
    with mock.patch.object(services, "publish_best_effort") as publish:
        assert handoff.hand_off(TASK, 1, 70) is False
    publish.assert_not_called()


def test_an_unsent_drain_message_clears_the_flag_so_the_next_hand_off_tries_again(fake_redis):
    fake_redis.publish.return_value = False  # broker down
    handoff.hand_off(TASK, 1, 70)
    assert not fake_redis.redis.exists(FLAG)
    fake_redis.publish.return_value = True
    handoff.hand_off(TASK, 2, 70)
    assert len(kicks(fake_redis.publish)) == 2 and fake_redis.redis.exists(FLAG)
    assert handoff.drain(TASK) == 2


def test_a_long_drain_hands_the_rest_to_a_fresh_message(fake_redis, monkeypatch):
    monkeypatch.setattr(handoff, "BATCH", 1)
    monkeypatch.setattr(handoff, "BUDGET_SECONDS", -1)
    for student in (1, 2, 3):
        handoff.hand_off(TASK, student, 70)
    assert handoff.drain(TASK) == 1
    assert len(kicks(fake_redis.publish)) == 2 and fake_redis.redis.exists(FLAG)  # still due
    assert fake_redis.redis.scard(MEMBERS) == 2


def test_suppressed_publishing_hands_nothing_off(fake_redis):
    with services.publishing_suppressed():
        assert handoff.hand_off(TASK, 1, 70) is False
    assert fake_redis.redis.scard(MEMBERS) == 0 and not fake_redis.publish.called


def test_without_a_redis_broker_a_hand_off_is_one_ordinary_publish(celery_not_eager, monkeypatch):
    # Celery reads CELERY_BROKER_URL from the environment before its own settings (CI's second
    # pass sets it to Redis).
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://")
    broker = app.conf.broker_url
    app.conf.broker_url = "filesystem://"
    try:
        with mock.patch.object(services, "publish_best_effort", return_value=True) as publish:
            assert handoff.hand_off(TASK, 1, 70) is True
    finally:
        app.conf.broker_url = broker
    publish.assert_called_once_with(TASK, 1, 70)


def test_in_eager_mode_the_task_runs_at_once():
    CALLS.clear()
    assert app.conf.task_always_eager
    assert handoff.hand_off(TASK, 5, 70) is True
    assert CALLS == [(5, 70)]


# --- Batched hand-offs (production: settings.JOBS_HANDOFF_BATCH_SECONDS > 0) ---


@pytest.fixture
def batched(fake_redis, settings):
    """Hand-offs gather in this process's outbox; the test flushes it (or waits for its thread)."""
    settings.JOBS_HANDOFF_BATCH_SECONDS = 0.05
    handoff.outbox.after_fork()  # an empty outbox, no thread from an earlier test
    yield fake_redis
    handoff.outbox.after_fork()


def wait_for(predicate, seconds=10):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "the outbox thread never sent its batch"
        time.sleep(0.01)


def test_a_batched_hand_off_waits_in_the_outbox_then_goes_in_one_round_trip(batched, monkeypatch):
    sent, real_send = [], handoff._send

    def send(client, task_name, batch):
        sent.append(batch)
        return real_send(client, task_name, batch)

    monkeypatch.setattr(handoff, "_send", send)
    monkeypatch.setattr(handoff.outbox, "_run", lambda: None)  # no thread: the test flushes
    for student in (1, 2, 3, 2):  # a double submit: one member
        assert handoff.hand_off(TASK, student, 70) is True
    assert batched.redis.scard(MEMBERS) == 0 and not kicks(batched.publish)  # nothing sent yet

    assert handoff.outbox.flush() == 3
    assert sent == [["[1, 70]", "[2, 70]", "[3, 70]"]]  # one pipeline for the three
    assert kicks(batched.publish) == [(handoff.DRAIN_TASK, TASK)]
    assert handoff.drain(TASK) == 3
    assert sorted(CALLS) == [(1, 70), (2, 70), (3, 70)]
    assert handoff.outbox.flush() == 0  # sent once


def test_the_outbox_thread_sends_a_batch_without_being_asked(batched):
    for student in range(1, 6):
        handoff.hand_off(TASK, student, 70)
    wait_for(lambda: batched.redis.scard(MEMBERS) == 5)
    assert kicks(batched.publish) == [(handoff.DRAIN_TASK, TASK)]
    handoff.hand_off(TASK, 6, 70)  # the thread goes on serving later hand-offs
    wait_for(lambda: batched.redis.scard(MEMBERS) == 6)


def test_an_unreachable_redis_loses_the_batch_to_the_sweep_and_the_thread_lives_on(batched, monkeypatch, caplog):
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(handoff, "_client", lambda: dead)
    assert handoff.hand_off(TASK, 1, 70) is True  # the request never waits on Redis
    wait_for(lambda: "the sweep will catch up" in caplog.text)
    assert handoff.outbox.flush() == 0
    monkeypatch.setattr(handoff, "_client", lambda: batched.redis)
    handoff.hand_off(TASK, 2, 70)
    wait_for(lambda: batched.redis.scard(MEMBERS) == 1)
    assert batched.redis.smembers(MEMBERS) == {b"[2, 70]"}


def test_suppressed_publishing_puts_nothing_in_the_outbox(batched):
    with services.publishing_suppressed():
        assert handoff.hand_off(TASK, 1, 70) is False
    assert handoff.outbox.flush() == 0


def test_a_forked_worker_starts_with_an_empty_outbox_and_a_free_lock(batched, monkeypatch):
    monkeypatch.setattr(handoff.outbox, "_run", lambda: None)
    handoff.hand_off(TASK, 1, 70)
    read, write = os.pipe()
    handoff.outbox._lock.acquire()  # as if the parent's thread were taking its batch at the fork
    pid = os.fork()
    if pid == 0:  # the child: what the parent had pending is not its own to send
        try:
            free = handoff.outbox._lock.acquire(timeout=1)
            os.write(write, f"{int(free)} {len(handoff.outbox._pending)}".encode())
        finally:
            os._exit(0)
    handoff.outbox._lock.release()
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100).decode() == "1 0"
    os.close(read)
    assert handoff.outbox.flush() == 1  # the parent still sends its own
