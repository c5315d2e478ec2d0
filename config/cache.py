"""Django's Redis cache, keeping one client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache call (about 60 µs
of CPU here, a third of a cache read on loopback), and production reads the cache on every
request: the cached_db session behind every signed-in page. A client is only a handle on its
connection pool, which redis-py makes safe to share between threads and re-creates after a fork,
so one per pool does the same work for less.
"""

from django.core.cache.backends import redis as django_redis

RENDITIONS_TIMEOUT = 24 * 60 * 60  # Wagtail looks renditions up here: a day (config/settings/base.py)


def redis_caches(location: str) -> dict:
    """Production's CACHES (and the quiz bench's, which mirrors it): the default cache, which
    the cached_db sessions read on every request, and Wagtail's renditions, both in Redis."""
    backend = "config.cache.RedisCache"
    return {
        "default": {"BACKEND": backend, "LOCATION": location},
        "renditions": {
            "BACKEND": backend,
            "LOCATION": location,
            "KEY_PREFIX": "renditions",
            "TIMEOUT": RENDITIONS_TIMEOUT,
        },
    }


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        try:
            return self._clients[pool]
        except KeyError:
            # Two threads may both get here at first; either client is as good as the other.
            client = self._clients[pool] = self._client(connection_pool=pool)
            return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
