"""With REDIS_URL set, the cache is Django's Redis backend on a real Redis server: a page worked
out by one process is served to any other from the server, and a change moves every process
on at once (issue 24, part 1)."""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from indicators.changes import data_changed
from indicators.models import Indicator, Value

ROOT = Path(__file__).resolve().parent.parent


def test_redis_url_chooses_djangos_redis_backend():
    """The settings module read afresh with REDIS_URL set, and without it."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "scorecard.settings", "DEBUG": "1"}
    with_redis = {**env, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    without = {key: value for key, value in env.items() if key != "REDIS_URL"}

    def backend(environment):
        run = [sys.executable, "-c", f"import django; django.setup(); {code}"]
        return subprocess.run(
            run, env=environment, cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert backend(with_redis) == "scorecard.redis_cache.TolerantRedisCache"
    assert backend(without) == "django.core.cache.backends.locmem.LocMemCache"


def _keys(server):
    """The keys in the Redis server, read by a separate process (another app server would
    read the same)."""
    run = [
        sys.executable,
        "-c",
        f"import redis; print('\\n'.join(k.decode() for k in redis.Redis.from_url("
        f"{server.url!r}).keys('*')))",
    ]
    return subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()


def test_a_page_worked_out_once_is_served_from_redis_to_every_process(
    redis_server, seed, viewer_client, django_assert_num_queries
):
    assert settings.CACHES["default"]["LOCATION"] == redis_server.url
    url, sep = reverse("dashboard"), {"period": "2023-09"}
    first = viewer_client.get(url, sep)
    assert first.status_code == 200
    assert any(key.startswith("scorecard:") for key in _keys(redis_server))
    # A new connection, as another worker or app server has: the page comes from the server.
    caches.close_all()
    # Session, user, groups; the data version; the council for the header (outside the
    # cached body): nothing of the page's own.
    with django_assert_num_queries(3 + 1 + 1):
        again = viewer_client.get(url, sep)
    main = again.content.decode()
    assert main[main.index("<main") :] == first.content.decode()[main.index("<main") :]


def test_a_change_is_seen_by_the_next_reader_of_any_process(redis_server, seed, viewer_client):
    url = reverse("indicator", args=["10"])
    assert "18.3%" in viewer_client.get(url).content.decode()
    Value.objects.filter(
        indicator=Indicator.objects.get(reference="10"), period="2023-09-01"
    ).update(value=Decimal("17.7"))
    # An UPDATE sends no signal: the write paths that use one say the data changed.
    data_changed()
    caches.close_all()
    page = viewer_client.get(url).content.decode()
    assert "17.7%" in page


def test_with_redis_stopped_pages_are_worked_out_afresh_not_errors(
    redis_server, seed, viewer_client
):
    url, sep = reverse("dashboard"), {"period": "2023-09"}
    assert viewer_client.get(url, sep).status_code == 200
    redis_server.stop()
    caches.close_all()
    # Reads miss, writes are dropped, and the pages still answer.
    cache = caches["default"]
    assert cache.get("scorecard:anything", "missed") == "missed"
    assert cache.add("scorecard:asked", True) is True
    cache.set("scorecard:anything", 1)
    assert cache.unreachable
    for page in (url, reverse("indicator", args=["10"])):
        assert viewer_client.get(page, sep).status_code == 200
    assert viewer_client.get(reverse("scorecard_csv"), sep).status_code == 200
