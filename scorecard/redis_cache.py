"""Django's Redis cache backend, made to treat a Redis server that cannot be reached as an
empty cache (issue 24): the pages are worked out afresh and answered, never a 500.

Django's ``RedisCache`` raises the ``redis`` client's ``ConnectionError`` (or ``TimeoutError``)
from every call when the server is down. Everything the scorecard keeps in the cache can be
worked out again (pages, exports, the judged month; the API's and a pack's short counters), so
here a read that fails is a miss, a write that fails is dropped, and a failed ``add`` says the
key was added (the caller goes on as it would with an empty cache). Each failure is logged; for
``RETRY_AFTER`` seconds after one, this process does not try the server again, so a server that
does not answer at all costs one connect timeout per process, not one per call. When Redis is
back, the next call after that pause uses it again.
"""

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: Seconds this process leaves Redis alone after a call to it failed.
RETRY_AFTER = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class TolerantRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that degrades to no cache while the
    server cannot be reached (see the module's docstring)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.down_until = 0.0

    def _call[T](self, call: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < self.down_until:
            return fallback
        try:
            return call()
        except UNREACHABLE as error:
            self.down_until = time.monotonic() + RETRY_AFTER
            logger.warning(
                "Redis cache unreachable (%s): serving without it for %.0f s", error, RETRY_AFTER
            )
            return fallback

    @property
    def unreachable(self) -> bool:
        """True while this process is leaving the server alone after a failed call."""
        return time.monotonic() < self.down_until

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._call(
            lambda: super(TolerantRedisCache, self).add(key, value, timeout, version), True
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call(
            lambda: super(TolerantRedisCache, self).get(key, default, version), default
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._call(lambda: super(TolerantRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(
            lambda: super(TolerantRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(TolerantRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._call(lambda: super(TolerantRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(TolerantRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A counter that cannot be read counts from nothing (as after an eviction).
        return self._call(lambda: super(TolerantRedisCache, self).incr(key, delta, version), delta)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._call(
            lambda: super(TolerantRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._call(lambda: super(TolerantRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._call(lambda: super(TolerantRedisCache, self).clear(), None)
