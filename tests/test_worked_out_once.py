"""After a change, the first reader works a page out once for every worker and server; the
others wait briefly for it (decision 0018, scorecard.cache.kept).

Readers are threads arriving at once (a barrier), each with its own cache connection, as
worker processes on several servers each have theirs; the cache is Django's locmem backend (one
process) or a real Redis server. What was worked out is counted by the work itself (a counter
in ``remember``'s compute) or, for a real page, by the Redis server (its announcements of each
write of the page's body).
"""

import re
import threading
import time

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db import connections
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from indicators.changes import data_changed
from indicators.tenancy import every_council
from scorecard import cache as kept_cache
from scorecard.cache import remember, request_version

from .support.redis_server import KeyWrites

READERS = 8
SEPTEMBER = {"period": "2023-09"}


def at_once(read, readers=READERS):
    """``read(i)`` in ``readers`` threads released together; their answers, in order, and
    the seconds until the last answered."""
    start = threading.Barrier(readers)
    answers: list[object] = [None] * readers

    def reader(i):
        # A new thread starts outside the tests' every-council scope (indicators.tenancy).
        with every_council():
            try:
                start.wait(10)
                answers[i] = read(i)
            except BaseException as error:  # reported by the test
                answers[i] = error
            finally:
                caches["default"].close()
                connections.close_all()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers, time.monotonic() - started


class Work:
    """A value that takes ``seconds`` to work out, counting each time it is."""

    def __init__(self, seconds=0.3, value="worked out"):
        self.seconds = seconds
        self.value = value
        self.times = 0
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.times += 1
        time.sleep(self.seconds)
        return self.value


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request):
    """The cache every reader shares: each worker's memory, or a Redis server."""
    if request.param == "redis":
        return request.getfixturevalue("redis_server")
    return None


def readers_requests(count=READERS):
    """Requests of ``count`` readers after the same change (the data version read here)."""
    factory = RequestFactory()
    requests = [factory.get("/") for _ in range(count)]
    assert len({request_version(request).number for request in requests}) == 1
    return requests


@pytest.mark.django_db
def test_readers_at_once_after_a_change_work_a_value_out_once(shared_cache):
    data_changed()
    requests, work = readers_requests(), Work()
    answers, _ = at_once(lambda i: remember(requests[i], "months", work))
    assert answers == ["worked out"] * READERS
    assert work.times == 1


@pytest.mark.django_db
def test_a_reader_that_died_holding_the_claim_delays_the_others_only_until_the_wait_runs_out(
    redis_server, monkeypatch
):
    monkeypatch.setattr(kept_cache, "WAIT_SECONDS", 1.0)
    (request,) = readers_requests(1)
    key = f"scorecard:months:council-:{request_version(request)}"
    # Claimed for longer than the others wait, and never let go.
    assert caches["default"].add(f"working:{key}", "a worker killed mid-page", 60)
    work = Work(seconds=0)
    started = time.monotonic()
    assert remember(request, "months", work) == "worked out"
    assert 1.0 <= time.monotonic() - started < 2.5
    assert work.times == 1


@pytest.mark.django_db
def test_a_dead_readers_claim_lapses_and_one_of_the_waiting_readers_works_the_value_out(
    redis_server,
):
    requests, work = readers_requests(), Work()
    key = f"scorecard:months:council-:{request_version(requests[0])}"
    # Lapses after a second (well within the others' wait), never let go by its holder.
    assert caches["default"].add(f"working:{key}", "a worker killed mid-page", 1)
    answers, seconds = at_once(lambda i: remember(requests[i], "months", work))
    assert answers == ["worked out"] * READERS
    assert work.times == 1
    assert seconds < kept_cache.WAIT_SECONDS


@pytest.mark.django_db
def test_work_that_fails_lets_each_waiting_reader_try_at_once_not_after_the_wait(redis_server):
    requests = readers_requests(4)
    failures = Work()

    def not_found():
        failures()
        raise Http404("No indicator 99.")

    answers, seconds = at_once(lambda i: remember(requests[i], "indicator", not_found), 4)
    assert all(isinstance(answer, Http404) for answer in answers)
    assert failures.times == 4  # one after another, each finding nothing stored
    assert seconds < kept_cache.WAIT_SECONDS


@pytest.fixture
def readers(seed, viewer):
    """A signed-in client for each reader."""
    clients = [Client() for _ in range(READERS)]
    for client in clients:
        client.force_login(viewer)
    return clients


def main_part(response):
    """The page's own part: the head carries a fresh CSP nonce each time, and the question
    form below the cached body a fresh CSRF token."""
    page = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page[page.index("<main") :])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["dashboard", "priority"])
def test_readers_at_once_after_a_change_render_a_page_once_for_all(redis_server, readers, url):
    path = reverse(url) if url == "dashboard" else reverse(url, args=[1])
    # The page's body as Redis names it: Django's fragment key of the page's name (the kept
    # tag's name), then a digest of the page key.
    body = make_template_fragment_key(url).rsplit(".", 1)[0] + "."
    writes = KeyWrites(redis_server.url, caches["default"].make_key(body))
    try:
        assert readers[0].get(path, SEPTEMBER).status_code == 200
        assert writes.count() == 1
        data_changed()
        answers, _ = at_once(lambda i: readers[i].get(path, SEPTEMBER))
        assert [answer.status_code for answer in answers] == [200] * READERS
        assert writes.count() == 2, "worked out once after the change"
        assert len({main_part(answer) for answer in answers}) == 1
    finally:
        writes.close()


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_readers_at_once_are_each_answered_without_waiting(
    redis_server, readers
):
    redis_server.stop()
    caches["default"].close()
    pages = [reverse("dashboard"), reverse("priority", args=[1]), reverse("scorecard_csv")]
    answers, seconds = at_once(lambda i: readers[i].get(pages[i % len(pages)], SEPTEMBER))
    assert [answer.status_code for answer in answers] == [200] * READERS
    assert seconds < kept_cache.WAIT_SECONDS, "nobody waited on a claim Redis could not keep"
