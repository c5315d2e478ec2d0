"""config.cache.RedisCache: production's cache (and the cached_db sessions behind it) keeps one
Redis client per connection pool and still behaves as Django's Redis cache, from many threads."""

import threading

import fakeredis
import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from config.cache import RedisCache
from tests.test_settings import GOOD_ENV, run_manage


def _cache(backend=RedisCache, servers="redis://127.0.0.1:6379/0"):
    # fakeredis behind the same redis-py pool and client classes: no server needed.
    server = fakeredis.FakeServer()
    options = {"connection_class": fakeredis.FakeRedisConnection, "server": server}
    return backend(servers, {"OPTIONS": options, "KEY_PREFIX": "t"})


def test_every_call_shares_one_client_per_pool():
    cache = _cache()
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: reads and writes share a pool


def test_djangos_own_client_is_built_anew_for_every_call():
    # What config.cache changes: without it, each cache call pays for a new redis.Redis object.
    cache = _cache(DjangoRedisCache)
    assert cache._cache.get_client("a") is not cache._cache.get_client("a")


def test_reads_from_replicas_keep_a_client_for_each_server():
    cache = _cache(servers="redis://127.0.0.1:6379/0,redis://127.0.0.1:6379/1")
    writes = {cache._cache.get_client(write=True) for _ in range(5)}
    reads = {cache._cache.get_client() for _ in range(20)}
    assert len(writes) == 1 and len(reads) == 1 and writes.isdisjoint(reads)


def test_it_behaves_as_a_cache_from_many_threads_at_once():
    cache = _cache()
    errors = []

    def work(n):
        try:
            for i in range(50):
                cache.set(f"k{n}:{i}", {"n": n, "i": i}, 30)
                assert cache.get(f"k{n}:{i}") == {"n": n, "i": i}
            assert cache.add(f"k{n}:0", "other") is False
            cache.set(f"count{n}", 0)
            assert cache.incr(f"count{n}") == 1
            cache.delete(f"k{n}:0")
            assert cache.get(f"k{n}:0", "gone") == "gone"
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert cache.get_many([f"k{n}:1" for n in range(8)]) == {f"k{n}:1": {"n": n, "i": 1} for n in range(8)}


@pytest.mark.parametrize("alias", ["default", "renditions"])
def test_production_uses_it_for_both_caches(alias):
    code = f"from django.conf import settings; print(settings.CACHES['{alias}']['BACKEND'])"
    assert run_manage("shell", "-c", code, env=GOOD_ENV).stdout.splitlines()[-1] == "config.cache.RedisCache"
