"""The production shape on loopback (issue 24): PostgreSQL (the test database), a real
``redis-server``, two gunicorn app servers on two ports and one task worker, started once for
the module and stopped after it (tests/support/production_shape.py). A person signs in and
works as they would through a proxy that sends each request to either server:

- a figure saved through server A (the entry grid, posted with its CSRF token) is on server
  B's next page, though B had that page in the shared cache;
- the worker killed (SIGKILL, with its Chromium) in the middle of a pack and started again
  finishes that pack (``manage.py task_worker`` puts its own abandoned task back in the queue);
- a pack asked for on B is printed once by the worker, however often either server is asked
  while it prints, and downloaded from A;
- after a change, readers arriving at once on both servers work the dashboard out once
  (decision 0018: the first claims the work, the others wait for it);
- with Redis stopped, the pages are worked out afresh on both servers, never an error.

Needs PostgreSQL (the servers and the worker are other processes reading the test's commits),
``redis-server`` and Chromium; skipped with the reason otherwise, except in CI."""

import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from indicators import roles
from indicators.changes import data_changed
from indicators.models import Indicator, Value

from .support.browser import chromium_missing_reason
from .support.factories import make_indicator, make_priority, make_target, make_user
from .support.pdf_text import text_of
from .support.production_shape import Person, Shape, form_with
from .support.redis_server import REDIS_SERVER, KeyWrites
from .support.tasks import wait_until

PASSWORD = "a-long-test-password"
PRINT_PACK = "scorecard.stored_prints.print_stored"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the app servers and the task worker are other processes "
        "reading the test database (run with DATABASE_URL=postgres://..., as scripts/test.sh "
        "does)",
    ),
    pytest.mark.django_db(transaction=True),
]


def missing() -> str | None:
    if not os.path.exists(REDIS_SERVER):
        return "redis-server is not installed (apt-get install redis-server)"
    return chromium_missing_reason()


@pytest.fixture(scope="module")
def shape(django_db_setup, tmp_path_factory):
    reason = missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: in CI the production-shape test must run")
        pytest.skip(reason)
    running = Shape(tmp_path_factory.mktemp("production-shape"))
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(running.directory, ignore_errors=True)


@pytest.fixture
def advisor(shape, transactional_db):
    """An editor, and indicator A1 with September's figure; an empty cache and no packs."""
    shape.clear()
    make_user("advisor", roles.EDITOR, password=PASSWORD)
    indicator = make_indicator("A1", make_priority(1))
    make_target(indicator, 90)
    Value.objects.create(indicator=indicator, period="2023-09-01", value=Decimal("40"))
    person = Person()
    person.sign_in(shape.a, "advisor", PASSWORD)
    return person


def print_tasks(**filters):
    return DBTaskResult.objects.filter(task_path=PRINT_PACK, **filters)


def test_a_figure_saved_through_server_a_is_on_server_bs_next_page(shape, advisor):
    page = f"{shape.b.url}/indicators/A1/"
    before = advisor.request(page)
    assert before.status == 200, shape.logs()
    assert "63.9" not in before.text
    assert advisor.request(page).status == 200  # served from the shared cache now

    grid_url = f"{shape.a.url}/entry/2023-10/"
    grid = advisor.request(grid_url)
    assert grid.status == 200, grid.text[:2000]
    key = Indicator.objects.get(reference="A1").pk
    fields = form_with(grid.text, f"value_{key}") | {f"value_{key}": "63.9"}
    saved = advisor.post(grid_url, fields)
    assert saved.status == 302, saved.text[:3000]
    assert Value.objects.get(period="2023-10-01").value == Decimal("63.9")

    after = advisor.request(page)
    assert after.status == 200 and "63.9" in after.text


def _wait_for_the_task_to_finish(shape):
    """The pack is served once it is stored, which is a moment before the worker records its
    task as finished: wait for that record."""
    wait_until(
        lambda: not print_tasks().exclude(status=TaskResultStatus.SUCCESSFUL).exists(),
        timeout=30,
        what=f"the worker recording the print as finished\n{shape.logs()}",
    )


def test_a_worker_killed_in_the_middle_of_a_pack_finishes_it_when_started_again(shape, advisor):
    pack = "/export/pack.pdf?period=2023-09&committee=Corporate+Parenting+Board"
    assert advisor.request(shape.a.url + pack).status == 202
    wait_until(
        lambda: print_tasks(status=TaskResultStatus.RUNNING).exists(),
        timeout=30,
        what=f"the worker taking the pack\n{shape.logs()}",
    )
    # Killed at once: this worker has not printed yet (this test comes before the next one),
    # so it is still starting Playwright and Chromium, seconds from a stored pack.
    shape.worker.kill()
    (task,) = print_tasks()
    assert task.status == TaskResultStatus.RUNNING, "killed in the middle of the pack"
    assert shape.stored_pdfs() == []
    time.sleep(1)
    assert advisor.request(shape.b.url + pack).status == 202, "still waiting, not an error"

    shape.worker.start()
    wait_until(
        lambda: advisor.request(shape.a.url + pack).status == 200,
        timeout=90,
        what=f"the pack printed after the restart\n{shape.logs()}",
    )
    _wait_for_the_task_to_finish(shape)
    (task,) = print_tasks()
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, "printed")
    assert "Put back in the queue 1 task(s)" in shape.worker.log()
    assert len(shape.stored_pdfs()) == 1


def test_a_pack_asked_for_on_b_is_printed_once_by_the_worker_and_downloaded_from_a(shape, advisor):
    pack = "/export/pack.pdf?period=2023-09"
    started = time.monotonic()
    asked = advisor.request(shape.b.url + pack)
    assert asked.status == 202, asked.text[:2000]
    assert time.monotonic() - started < 5, "answered at once, not after printing"

    def downloaded():
        # The page refreshing itself, on either server, while the worker prints.
        return advisor.request(shape.a.url + pack).status == 200 and (
            advisor.request(shape.b.url + pack).status == 200
        )

    wait_until(downloaded, timeout=90, what=f"the pack printed\n{shape.logs()}")
    answer = advisor.request(shape.a.url + pack)
    assert answer.headers["Content-Type"] == "application/pdf"
    assert "end of September 2023" in text_of(answer.body)[1][0]
    _wait_for_the_task_to_finish(shape)
    (task,) = print_tasks()
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, "printed")
    assert len(shape.stored_pdfs()) == 1, "printed once"


def test_readers_at_once_on_both_servers_after_a_change_work_the_dashboard_out_once(shape, advisor):
    page = "/?period=2023-09"
    # The dashboard's body as the servers name it in Redis: KEY_PREFIX, the cache's version,
    # Django's fragment key of the kept body (templates/scorecard/dashboard.html).
    writes = KeyWrites(shape.redis.url, "scorecard:1:template.cache.dashboard.")
    try:
        assert advisor.request(shape.a.url + page).status == 200, shape.logs()
        assert writes.count() == 1
        data_changed()
        urls = [server.url + page for server in (shape.a, shape.b)] * 4
        with ThreadPoolExecutor(len(urls)) as readers:
            answers = list(readers.map(advisor.request, urls))
        assert [answer.status for answer in answers] == [200] * len(urls), shape.logs()
        assert writes.count() == 2, "worked out once after the change, by one of 4 workers"
    finally:
        writes.close()


def test_with_redis_stopped_both_servers_answer_uncached_pages(shape, advisor):
    pages = ["/", "/indicators/A1/", "/priorities/1/", "/export/scorecard.csv?period=2023-09"]
    for server in (shape.a, shape.b):
        for page in pages:
            assert advisor.request(server.url + page).status == 200
    shape.redis.stop()
    try:
        for server in (shape.a, shape.b):
            for page in pages:
                answer = advisor.request(server.url + page)
                assert answer.status == 200, (server.name, page, answer.text[:2000])
        # A change is still seen by the other server: nothing stale is kept anywhere.
        grid_url = f"{shape.a.url}/entry/2023-10/"
        key = Indicator.objects.get(reference="A1").pk
        fields = form_with(advisor.request(grid_url).text, f"value_{key}")
        assert advisor.post(grid_url, fields | {f"value_{key}": "71.2"}).status == 302
        assert "71.2" in advisor.request(f"{shape.b.url}/indicators/A1/").text
        assert "Redis cache unreachable" in shape.a.log() + shape.b.log()
    finally:
        shape.restart_redis()
