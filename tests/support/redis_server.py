"""A real Redis server for the tests (Debian's ``redis-server`` on a free port of 127.0.0.1,
nothing written to disk), and Django's cache pointed at it as ``REDIS_URL`` would point it.

``scripts/test.sh`` installs redis-server where it can; without it these tests are skipped,
except in CI, where they must run."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = tempfile.mkdtemp(prefix="scorecard-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def caches(self) -> dict[str, dict[str, object]]:
        """The CACHES setting scorecard/settings.py makes of this server's REDIS_URL."""
        return {
            "default": {
                "BACKEND": "scorecard.redis_cache.TolerantRedisCache",
                "LOCATION": self.url,
                "KEY_PREFIX": "scorecard",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
            }
        }


class KeyWrites:
    """How many times keys starting with ``prefix`` have been written in a Redis server, by
    any client: the server announces each write (keyspace notifications of ``SET``, which a
    set-if-absent that found the key taken does not make) and this counts the announcements."""

    MARKER = b"key-writes:marker"

    def __init__(self, url: str, prefix: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.client.config_set("notify-keyspace-events", "E$")
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self.pubsub.psubscribe("__keyevent@*__:set")
        self.prefix = prefix.encode()
        self.written = 0
        self.count()  # subscribed once the marker comes back

    def count(self) -> int:
        """The writes so far: a marker written now is announced after every earlier write."""
        self.client.set(self.MARKER, 1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            message = self.pubsub.get_message(timeout=1)
            if message is None:
                continue
            if message["data"] == self.MARKER:
                return self.written
            if message["data"].startswith(self.prefix):
                self.written += 1
        raise RuntimeError("Redis did not announce the marker's write within 10 s")

    def close(self) -> None:
        self.pubsub.close()
        self.client.close()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A running Redis server, and Django's cache kept in it."""
    if not os.path.exists(REDIS_SERVER):
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed: in CI the shared-cache tests must run")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer()
    server.start()
    try:
        with override_settings(CACHES=server.caches()):
            caches["default"].clear()
            yield server
    finally:
        caches.close_all()
        server.stop()
